//! The hash chain over one device's events: each link covers the previous
//! link and the event's bytes as first written, so a changed, missing or
//! reordered event breaks every link after it. The ledger links its own
//! events when it appends them; the hub checks the links on upload.

use sha2::{Digest, Sha256};

pub type Link = [u8; 32];

/// The link before a device's first event.
pub const GENESIS: Link = [0u8; 32];

pub fn next(prev: &Link, event_bytes: &[u8]) -> Link {
    let mut h = Sha256::new();
    h.update(b"tiaojie-chain-v1");
    h.update(prev);
    h.update(event_bytes);
    h.finalize().into()
}

pub fn to_hex(link: &Link) -> String {
    hex::encode(link)
}

pub fn from_hex(text: &str) -> Option<Link> {
    hex::decode(text).ok()?.try_into().ok()
}

pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_depend_on_order_and_content() {
        let a = next(&GENESIS, b"a");
        let ab = next(&a, b"b");
        let b = next(&GENESIS, b"b");
        let ba = next(&b, b"a");
        assert_ne!(ab, ba);
        assert_ne!(next(&a, b"c"), ab);
        assert_eq!(from_hex(&to_hex(&ab)), Some(ab));
        assert_eq!(from_hex("zz"), None);
    }
}
