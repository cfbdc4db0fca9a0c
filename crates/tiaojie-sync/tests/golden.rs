//! Golden tests of every byte that crosses a wire: the JSON of the messages
//! in `wire.rs`, the ledger `Event` JSON that devices chain and sign, the
//! batch and feed frames, the chain links and the authentication message.
//! Devices and hubs already in the field write and read these bytes, so a
//! change here is a change of format, never a refactoring.
//!
//! Each test builds its value from fixed inputs (fixed ids, clocks, and the
//! key of seed `[7; 32]`: Ed25519 signatures are deterministic) and compares
//! the bytes with a file under `tests/golden/`, which holds exactly those
//! bytes (no final newline; its `.gitattributes` keeps git from converting
//! line endings). JSON goldens must also read back to the same value, so an
//! old file that no longer parses fails too. The inputs are in
//! `golden/fixtures.rs`, the comparing and blessing in `golden/harness.rs`.
//!
//! The zstd bytes of a frame are not pinned, since another zstd version may
//! compress differently and that is fine. Instead `batch_v1.bin` and
//! `feed_v1.bin` are whole frames written once and kept: they must decode,
//! with this build, to the same header and events. The batch header carries
//! the SHA-256 of the compressed payload, so it is compared with that one
//! value masked, and the signature is checked as Ed25519 over `TJB1` and the
//! header.
//!
//! To accept a deliberate change, regenerate the goldens and commit them:
//!
//! ```text
//! TIAOJIE_BLESS=1 cargo test -p tiaojie-sync --test golden
//! ```
//!
//! Blessing rewrites every golden but the two `*_v1.bin` frames, which it
//! only creates when they are missing: to replace one (a new frame format),
//! delete it first, and keep a decoder for the old one while devices still
//! send it.

#[path = "golden/fixtures.rs"]
mod fixtures;
#[path = "golden/harness.rs"]
mod harness;

use fixtures::{CHALLENGE, DEVICE_A, HUB, LINK, key};
use harness::{
    check_bytes, check_bytes_masked, check_json, frozen, frozen_broken, golden_bytes,
    mask_json_value, split_frame,
};
use tiaojie_ledger::Event;
use tiaojie_sync::chain::{self, GENESIS};
use tiaojie_sync::frame::{self, BATCH_MAGIC, FEED_MAGIC};
use tiaojie_sync::keys;
use tiaojie_sync::wire::{
    self, AuthRequest, AuthResponse, BatchAck, BatchHeader, Challenge, DeviceHead, EnrollRequest,
    EnrollResponse, ErrorBody, ErrorDetail, FeedHeader, Quarantined,
};

fn device_head() -> DeviceHead {
    DeviceHead {
        device_id: DEVICE_A,
        acked_seq: 3,
        last_hash: LINK.into(),
    }
}

#[test]
fn wire_enroll_request() {
    check_json(
        "wire_enroll_request.json",
        &EnrollRequest {
            code: "7Q3K-M9XZ".into(),
            device_id: DEVICE_A,
            public_key: key().public_text(),
            unit_code: fixtures::VILLAGE.into(),
            label: "青山村调解室笔记本".into(),
        },
    );
}

#[test]
fn wire_enroll_response() {
    check_json(
        "wire_enroll_response.json",
        &EnrollResponse {
            device_id: DEVICE_A,
            unit: fixtures::village_unit(),
            hub_id: HUB,
            hub_public_key: None,
        },
    );
}

#[test]
fn wire_challenge() {
    check_json(
        "wire_challenge.json",
        &Challenge {
            challenge: CHALLENGE.into(),
        },
    );
}

#[test]
fn wire_auth_message_and_request() {
    let message = wire::auth_message(CHALLENGE);
    check_bytes("auth_message.txt", &message);
    let signature = key().sign(&message);
    keys::verify(&key().public_text(), &message, &signature).unwrap();
    check_json(
        "wire_auth_request.json",
        &AuthRequest {
            device_id: DEVICE_A,
            challenge: CHALLENGE.into(),
            signature: keys::b64(&signature),
        },
    );
}

#[test]
fn wire_auth_response() {
    check_json(
        "wire_auth_response.json",
        &AuthResponse {
            token: "tj1.AZNeSnwAehGKEQ.c2lnbmF0dXJl".into(),
            expires_in_secs: 3600,
            hub_time_ms: 1_795_000_000_000,
            head: None,
        },
    );
}

/// The sign-in's answer with the device's head (one round trip fewer).
#[test]
fn wire_auth_response_with_head() {
    check_json(
        "wire_auth_response_head.json",
        &AuthResponse {
            token: "tj1.AZNeSnwAehGKEQ.c2lnbmF0dXJl".into(),
            expires_in_secs: 3600,
            hub_time_ms: 1_795_000_000_000,
            head: Some(device_head()),
        },
    );
}

#[test]
fn wire_device_head() {
    check_json("wire_device_head.json", &device_head());
}

#[test]
fn wire_batch_header() {
    let header = BatchHeader {
        device_id: DEVICE_A,
        first_seq: 4,
        count: 3,
        prev_hash: LINK.into(),
        last_hash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".into(),
        payload_sha256: "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824".into(),
        payload_len: 2048,
    };
    assert_eq!(header.last_seq(), 6);
    check_json("wire_batch_header.json", &header);
}

#[test]
fn wire_batch_ack() {
    check_json(
        "wire_batch_ack.json",
        &BatchAck {
            device_id: DEVICE_A,
            acked_seq: 5,
            last_hash: LINK.into(),
            stored: 2,
            duplicates: 1,
            quarantined: vec![
                Quarantined {
                    seq: 4,
                    event_id: Some(fixtures::escalation_requested().id),
                    reason: "找不到案件：01a1ee56-5e00-7000-8000-000000000100".into(),
                },
                Quarantined {
                    seq: 5,
                    event_id: None,
                    reason: "事件格式错误".into(),
                },
            ],
            checkpoint: None,
        },
    );
}

#[test]
fn wire_feed_header() {
    check_json(
        "wire_feed_header.json",
        &FeedHeader {
            cursor: 1234,
            more: true,
            count: 5,
        },
    );
}

#[test]
fn wire_error_bodies() {
    check_json(
        "wire_error_body.json",
        &ErrorBody {
            error: ErrorDetail {
                code: "bad_signature".into(),
                message: "签名与设备公钥不符".into(),
                head: None,
            },
        },
    );
    check_json(
        "wire_error_body_chain_mismatch.json",
        &ErrorBody {
            error: ErrorDetail {
                code: "chain_mismatch".into(),
                message: "事件链与中心记录不符".into(),
                head: Some(device_head()),
            },
        },
    );
}

#[test]
fn wire_constants() {
    assert_eq!(wire::BATCH_MEDIA_TYPE, "application/x-tiaojie-batch");
    assert_eq!(wire::FEED_MEDIA_TYPE, "application/x-tiaojie-feed");
    assert_eq!(BATCH_MAGIC, b"TJB1");
    assert_eq!(FEED_MAGIC, b"TJF1");
    assert_eq!(GENESIS, [0u8; 32]);
}

#[test]
fn event_unit_registered() {
    check_json("event_unit_registered.json", &fixtures::unit_registered());
}

#[test]
fn event_case_opened() {
    check_json("event_case_opened.json", &fixtures::case_opened());
}

#[test]
fn event_case_graded() {
    check_json("event_case_graded.json", &fixtures::case_graded());
}

#[test]
fn event_escalation_requested() {
    check_json(
        "event_escalation_requested.json",
        &fixtures::escalation_requested(),
    );
}

#[test]
fn event_agreement_made() {
    check_json("event_agreement_made.json", &fixtures::agreement_made());
}

#[test]
fn chain_links() {
    check_bytes(
        "chain_genesis_next.hex",
        chain::to_hex(&chain::next(&GENESIS, b"tiaojie")).as_bytes(),
    );
    let mut link = GENESIS;
    let links: Vec<String> = fixtures::bytes(&fixtures::batch_events())
        .iter()
        .map(|e| {
            link = chain::next(&link, e);
            chain::to_hex(&link)
        })
        .collect();
    assert_eq!(links.len(), 3);
    check_bytes("chain_three_events.hex", links.join("\n").as_bytes());
}

/// The batch frame as this build writes it: the layout, the payload, the
/// header (its payload hash masked) and what the signature covers.
#[test]
fn batch_frame() {
    let events = fixtures::bytes(&fixtures::batch_events());
    let payload = frame::payload(&events);
    check_bytes("batch_payload.bin", &payload);

    let bytes = frame::encode_batch(&key(), DEVICE_A, 1, &GENESIS, &events);
    let (header_json, rest) = split_frame(&bytes, BATCH_MAGIC);
    // The hash of the compressed payload follows the zstd version in use.
    check_bytes_masked("batch_header.json", header_json, |json| {
        mask_json_value(json, "payload_sha256")
    });
    let (signature, compressed) = rest.split_at(64);
    assert_eq!(zstd::decode_all(compressed).unwrap(), payload);
    let header: BatchHeader = serde_json::from_slice(header_json).unwrap();
    assert_eq!(
        header.payload_sha256,
        hex::encode(chain::sha256(compressed))
    );
    let last = events.iter().fold(GENESIS, |l, e| chain::next(&l, e));
    assert_eq!(
        header,
        BatchHeader {
            device_id: DEVICE_A,
            first_seq: 1,
            count: 3,
            prev_hash: chain::to_hex(&GENESIS),
            last_hash: chain::to_hex(&last),
            payload_sha256: header.payload_sha256.clone(),
            payload_len: payload.len() as u64,
        }
    );

    // Ed25519 over the magic and the header, by the device key.
    let signed = |header: &[u8]| [BATCH_MAGIC.as_slice(), header].concat();
    assert_eq!(
        signature,
        key().sign(&signed(header_json)),
        "the signature must be Ed25519 over `TJB1` and the header JSON: hubs check exactly that"
    );
    let golden_header = golden_bytes("batch_header.json");
    let golden_signature = key().sign(&signed(&golden_header));
    check_bytes(
        "batch_signature.hex",
        hex::encode(golden_signature).as_bytes(),
    );
    keys::verify(
        &key().public_text(),
        &signed(&golden_header),
        &golden_signature,
    )
    .unwrap();

    let batch = frame::decode_batch(&bytes, &key().public_text()).unwrap();
    assert_eq!((batch.header, batch.events), (header, events));
}

/// A batch written once by an earlier build still decodes and verifies.
#[test]
fn batch_v1_still_decodes() {
    let bytes = frozen("batch_v1.bin", || {
        let events = fixtures::bytes(&fixtures::batch_events());
        frame::encode_batch(&key(), DEVICE_A, 1, &GENESIS, &events)
    });
    let batch = frame::decode_batch(&bytes, &key().public_text())
        .unwrap_or_else(|e| frozen_broken("batch_v1.bin", e));
    let h = &batch.header;
    assert_eq!(
        (h.device_id, h.first_seq, h.count, h.prev_hash.as_str()),
        (DEVICE_A, 1, 3, chain::to_hex(&GENESIS).as_str())
    );
    assert_eq!(h.payload_len, frame::payload(&batch.events).len() as u64);
    assert_eq!(frame::peek_batch_header(&bytes).unwrap(), batch.header);
    assert_frozen_events("batch_v1.bin", &batch.events, fixtures::batch_events());
    let other = keys::DeviceKey::from_seed([8; 32]);
    assert!(frame::decode_batch(&bytes, &other.public_text()).is_err());
}

/// The feed frame as this build writes it. A feed page is not signed and
/// carries no hash, so its whole header is pinned.
#[test]
fn feed_frame() {
    let events = fixtures::bytes(&fixtures::feed_events());
    let bytes = frame::encode_feed(1234, true, &events);
    let (header_json, compressed) = split_frame(&bytes, FEED_MAGIC);
    check_bytes("feed_header.json", header_json);
    assert_eq!(
        zstd::decode_all(compressed).unwrap(),
        frame::payload(&events)
    );
    let (header, decoded) = frame::decode_feed(&bytes).unwrap();
    assert_eq!(header, feed_header());
    assert_eq!(decoded, events);
}

/// A feed page written once by an earlier build still decodes.
#[test]
fn feed_v1_still_decodes() {
    let bytes = frozen("feed_v1.bin", || {
        frame::encode_feed(1234, true, &fixtures::bytes(&fixtures::feed_events()))
    });
    let (header, events) =
        frame::decode_feed(&bytes).unwrap_or_else(|e| frozen_broken("feed_v1.bin", e));
    assert_eq!(header, feed_header());
    assert_frozen_events("feed_v1.bin", &events, fixtures::feed_events());
}

fn feed_header() -> FeedHeader {
    FeedHeader {
        cursor: 1234,
        more: true,
        count: 5,
    }
}

/// The events of a frozen frame must still parse, into the fixtures.
fn assert_frozen_events(name: &str, raws: &[Vec<u8>], expected: Vec<Event>) {
    let events: Vec<Event> = raws
        .iter()
        .map(|raw| serde_json::from_slice(raw).unwrap_or_else(|e| frozen_broken(name, e)))
        .collect();
    assert_eq!(
        events, expected,
        "{name} holds other events than the fixtures; if the fixtures changed on purpose, \
         delete {name} and bless to write it again"
    );
}
