//! Device and hub keys (Ed25519) and the text forms they travel in.

use crate::error::{Result, SyncError};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};

/// A device's private key. Kept in the device's ledger, never sent.
#[derive(Clone)]
pub struct DeviceKey(SigningKey);

impl std::fmt::Debug for DeviceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DeviceKey({})", self.public_text())
    }
}

impl DeviceKey {
    pub fn generate() -> Self {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).expect("the operating system has no random source");
        DeviceKey(SigningKey::from_bytes(&seed))
    }

    pub fn from_seed(seed: [u8; 32]) -> Self {
        DeviceKey(SigningKey::from_bytes(&seed))
    }

    /// The secret as text, for storing in the ledger.
    pub fn secret_text(&self) -> String {
        B64.encode(self.0.to_bytes())
    }

    pub fn from_secret_text(text: &str) -> Result<Self> {
        let bytes = B64
            .decode(text.trim())
            .map_err(|_| SyncError::Malformed("设备私钥不是有效的 base64".into()))?;
        let seed: [u8; 32] = bytes
            .try_into()
            .map_err(|_| SyncError::Malformed("设备私钥长度不对".into()))?;
        Ok(Self::from_seed(seed))
    }

    pub fn public_text(&self) -> String {
        B64.encode(self.0.verifying_key().to_bytes())
    }

    /// The public key's bytes.
    pub fn public_bytes(&self) -> [u8; 32] {
        self.0.verifying_key().to_bytes()
    }

    /// The secret scalar's bytes, for opening what was sealed to this key.
    pub(crate) fn scalar_bytes(&self) -> [u8; 32] {
        self.0.to_scalar_bytes()
    }

    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.0.sign(message).to_bytes()
    }
}

/// Checks `signature` over `message` by the public key in `public_text`.
pub fn verify(public_text: &str, message: &[u8], signature: &[u8]) -> Result<()> {
    let key_bytes: [u8; 32] = B64
        .decode(public_text.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| SyncError::Malformed("公钥格式不对".into()))?;
    let key = VerifyingKey::from_bytes(&key_bytes)
        .map_err(|_| SyncError::Malformed("公钥无效".into()))?;
    let sig: [u8; 64] = signature
        .try_into()
        .map_err(|_| SyncError::BadSignature("签名长度不对".into()))?;
    key.verify(message, &Signature::from_bytes(&sig))
        .map_err(|_| SyncError::BadSignature("与设备公钥不符".into()))
}

pub fn b64(bytes: &[u8]) -> String {
    B64.encode(bytes)
}

pub fn unb64(text: &str, what: &str) -> Result<Vec<u8>> {
    B64.decode(text.trim())
        .map_err(|_| SyncError::Malformed(format!("{what}不是有效的 base64")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_and_verify_round_trip_and_tampering_fails() {
        let k = DeviceKey::generate();
        let sig = k.sign(b"hello");
        verify(&k.public_text(), b"hello", &sig).unwrap();
        assert!(verify(&k.public_text(), b"hellp", &sig).is_err());
        let other = DeviceKey::generate();
        assert!(verify(&other.public_text(), b"hello", &sig).is_err());
        let again = DeviceKey::from_secret_text(&k.secret_text()).unwrap();
        assert_eq!(again.public_text(), k.public_text());
    }
}
