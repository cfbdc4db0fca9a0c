//! The decoders of what comes over the wire or on a USB stick, against
//! arbitrary and mutated input: they never panic, never allocate beyond
//! their limits, and refuse every change to a signed batch. (The same
//! decoders are fuzz targets in `fuzz/`, for coverage-guided runs.)

use proptest::prelude::*;
use tiaojie_sync::chain;
use tiaojie_sync::frame::{self, decode_batch, decode_feed, encode_batch, encode_feed};
use tiaojie_sync::keys::DeviceKey;

fn events(n: usize) -> Vec<Vec<u8>> {
    (0..n)
        .map(|i| format!("{{\"seq\":{i},\"text\":\"张三与李四第{i}次\"}}").into_bytes())
        .collect()
}

fn key() -> DeviceKey {
    DeviceKey::from_seed([42; 32])
}

fn valid_batch(n: usize) -> Vec<u8> {
    encode_batch(&key(), uuid::Uuid::nil(), 1, &chain::GENESIS, &events(n))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_are_refused_without_a_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let public = key().public_text();
        prop_assert!(decode_batch(&bytes, &public).is_err());
        let _ = frame::peek_batch_header(&bytes);
        let _ = decode_feed(&bytes);
        let _ = tiaojie_sync::bundle::read(&bytes);
        let _ = frame::split_payload(&bytes, 10);
    }

    #[test]
    fn arbitrary_bytes_behind_a_valid_magic_are_refused_without_a_panic(
        magic in prop_oneof![Just(*b"TJB1"), Just(*b"TJF1")],
        header_len in 0u32..64,
        tail in proptest::collection::vec(any::<u8>(), 0..2048),
    ) {
        let mut bytes = magic.to_vec();
        bytes.extend_from_slice(&header_len.to_le_bytes());
        bytes.extend_from_slice(&tail);
        prop_assert!(decode_batch(&bytes, &key().public_text()).is_err());
        let _ = decode_feed(&bytes);
    }

    #[test]
    fn any_one_changed_byte_of_a_signed_batch_is_refused(n in 1usize..20, at in any::<prop::sample::Index>(), flip in 1u8..=255) {
        let mut bytes = valid_batch(n);
        let i = at.index(bytes.len());
        bytes[i] ^= flip;
        prop_assert!(decode_batch(&bytes, &key().public_text()).is_err(), "byte {} of {} changed and accepted", i, bytes.len());
    }

    #[test]
    fn a_cut_or_extended_batch_is_refused(n in 1usize..20, cut in any::<prop::sample::Index>(), extra in proptest::collection::vec(any::<u8>(), 1..64)) {
        let bytes = valid_batch(n);
        let c = cut.index(bytes.len());
        prop_assert!(decode_batch(&bytes[..c], &key().public_text()).is_err());
        let mut longer = bytes.clone();
        longer.extend_from_slice(&extra);
        prop_assert!(decode_batch(&longer, &key().public_text()).is_err());
    }

    #[test]
    fn a_feed_page_with_any_change_decodes_or_is_refused_but_never_panics(n in 0usize..20, at in any::<prop::sample::Index>(), flip in 1u8..=255) {
        let mut bytes = encode_feed(7, true, &events(n));
        let i = at.index(bytes.len());
        bytes[i] ^= flip;
        if let Ok((_, got)) = decode_feed(&bytes) {
            // A change the frame cannot see (a cursor digit, say) still
            // yields no more events than the frame can hold.
            prop_assert!(got.len() <= 20);
        }
    }
}

#[test]
fn the_valid_frames_decode() {
    let b = decode_batch(&valid_batch(5), &key().public_text()).unwrap();
    assert_eq!(b.events, events(5));
    let (h, e) = decode_feed(&encode_feed(9, false, &events(3))).unwrap();
    assert_eq!((h.cursor, h.more, e), (9, false, events(3)));
    // Another device's key does not verify it.
    let other = DeviceKey::from_seed([1; 32]).public_text();
    assert!(decode_batch(&valid_batch(5), &other).is_err());
}

#[test]
fn a_small_frame_declaring_a_huge_payload_is_refused_before_allocating() {
    // 64 MiB + 1 declared, a few bytes sent.
    let header = format!(
        "{{\"cursor\":1,\"more\":false,\"count\":1,\"payload_len\":{}}}",
        frame::MAX_PAYLOAD + 1
    );
    let mut bytes = b"TJF1".to_vec();
    bytes.extend_from_slice(&(header.len() as u32).to_le_bytes());
    bytes.extend_from_slice(header.as_bytes());
    bytes.extend_from_slice(&[0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0]);
    let e = decode_feed(&bytes).unwrap_err();
    assert!(e.to_string().contains("数据过大"), "{e}");
}
