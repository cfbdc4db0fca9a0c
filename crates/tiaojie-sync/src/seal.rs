//! Sealing a batch to the hub, so that only the hub can read a bundle
//! carried on a USB stick: whoever finds the stick gets bytes, not names
//! and ID numbers.
//!
//! The hub's Ed25519 key, which every device learns at enrollment, is used
//! in its X25519 form (the birational map libsodium also offers). A batch
//! is sealed with a fresh ephemeral key: the shared secret of the two and
//! both public keys give, through SHA-256, a one-time key for
//! XChaCha20-Poly1305 (the AEAD the ledger's vault uses).
//!
//! Layout (on the wire: a bundle written today must open at any later
//! hub): the ephemeral Ed25519 public key (32 bytes), the nonce (24), the
//! ciphertext with its 16-byte tag.

use crate::error::{Result, SyncError};
use crate::keys::{DeviceKey, unb64};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use ed25519_dalek::{SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

const CONTEXT: &[u8] = b"tiaojie sealed batch v1";
const EPHEMERAL: usize = 32;
const NONCE: usize = 24;

fn one_time_key(shared: &[u8; 32], ephemeral: &[u8; 32], hub: &[u8; 32]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(CONTEXT);
    h.update(shared);
    h.update(ephemeral);
    h.update(hub);
    h.finalize().into()
}

fn hub_public(text: &str) -> Result<VerifyingKey> {
    let bytes: [u8; 32] = unb64(text, "同步中心公钥")?
        .try_into()
        .map_err(|_| SyncError::Malformed("同步中心公钥长度不对".into()))?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| SyncError::Malformed("同步中心公钥无效".into()))
}

/// Seals `plain` so that only the holder of the hub key whose public text
/// is `hub_public_text` can open it.
pub fn seal(hub_public_text: &str, plain: &[u8]) -> Result<Vec<u8>> {
    let hub = hub_public(hub_public_text)?;
    let mut seed = [0u8; 32];
    let mut nonce = [0u8; NONCE];
    getrandom::fill(&mut seed)
        .and_then(|()| getrandom::fill(&mut nonce))
        .map_err(|e| SyncError::Malformed(format!("无法生成随机数：{e}")))?;
    let ephemeral = SigningKey::from_bytes(&seed);
    let ephemeral_public = ephemeral.verifying_key().to_bytes();
    let shared = hub
        .to_montgomery()
        .mul_clamped(ephemeral.to_scalar_bytes())
        .to_bytes();
    let key = one_time_key(&shared, &ephemeral_public, &hub.to_bytes());
    let sealed = XChaCha20Poly1305::new(&key.into())
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: plain,
                aad: &ephemeral_public,
            },
        )
        .map_err(|_| SyncError::Malformed("无法加密同步包".into()))?;
    let mut out = Vec::with_capacity(EPHEMERAL + NONCE + sealed.len());
    out.extend_from_slice(&ephemeral_public);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// Opens what `seal` made for `hub`; a changed byte or another hub's key
/// is refused.
pub fn open(hub: &DeviceKey, sealed: &[u8]) -> Result<Vec<u8>> {
    let refused = || SyncError::BadSignature("同步包不是为本同步中心加密的，或已被改动".into());
    if sealed.len() < EPHEMERAL + NONCE {
        return Err(refused());
    }
    let (ephemeral_public, rest) = sealed.split_at(EPHEMERAL);
    let (nonce, ciphertext) = rest.split_at(NONCE);
    let ephemeral_public: [u8; 32] = ephemeral_public.try_into().map_err(|_| refused())?;
    let ephemeral = VerifyingKey::from_bytes(&ephemeral_public).map_err(|_| refused())?;
    let shared = ephemeral
        .to_montgomery()
        .mul_clamped(hub.scalar_bytes())
        .to_bytes();
    let key = one_time_key(&shared, &ephemeral_public, &hub.public_bytes());
    XChaCha20Poly1305::new(&key.into())
        .decrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: ciphertext,
                aad: &ephemeral_public,
            },
        )
        .map_err(|_| refused())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_hub_opens_what_is_sealed_to_it() {
        let hub = DeviceKey::from_seed([7; 32]);
        let sealed = seal(&hub.public_text(), "张三 430302198001010012".as_bytes()).unwrap();
        assert!(!sealed.windows(6).any(|w| w == "张三".as_bytes()));
        assert_eq!(
            open(&hub, &sealed).unwrap(),
            "张三 430302198001010012".as_bytes()
        );
        let other = DeviceKey::from_seed([8; 32]);
        assert!(open(&other, &sealed).is_err());
        let mut changed = sealed.clone();
        *changed.last_mut().unwrap() ^= 1;
        assert!(open(&hub, &changed).is_err());
        assert!(open(&hub, &sealed[..40]).is_err());
        assert_eq!(sealed.len(), 32 + 24 + "张三 430302198001010012".len() + 16);
        // Sealed twice, the same text gives different bytes.
        assert_ne!(
            seal(&hub.public_text(), b"x").unwrap(),
            seal(&hub.public_text(), b"x").unwrap()
        );
    }
}
