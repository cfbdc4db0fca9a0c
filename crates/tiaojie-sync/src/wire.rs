//! Messages between devices and hubs. Every struct here goes on the wire:
//! field names are a persistent format (add fields with defaults, never
//! rename), guarded by the golden tests in `tests/golden.rs`.

use serde::{Deserialize, Serialize};
use tiaojie_ledger::domain::unit::UnitSpec;
use uuid::Uuid;

/// Media type of a signed batch (`frame::encode_batch`).
pub const BATCH_MEDIA_TYPE: &str = "application/x-tiaojie-batch";
/// Media type of a feed page (`frame::encode_feed`).
pub const FEED_MEDIA_TYPE: &str = "application/x-tiaojie-feed";

/// POST /v1/enroll. On the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollRequest {
    /// The one-time code the hub's administrator gave out.
    pub code: String,
    /// The device id of the ledger (made by `init`).
    pub device_id: Uuid,
    /// Ed25519 public key, base64.
    pub public_key: String,
    /// The unit the ledger was set up for; the hub refuses a code of another unit.
    pub unit_code: String,
    /// A name for the device in the hub's list ("青山村调解室笔记本").
    pub label: String,
}

/// Answer to an enrollment. On the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollResponse {
    pub device_id: Uuid,
    pub unit: UnitSpec,
    pub hub_id: Uuid,
    /// The key the hub signs its checkpoints with (base64 Ed25519).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hub_public_key: Option<String>,
}

/// GET /v1/auth/challenge. On the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Challenge {
    /// Opaque; the device signs its bytes.
    pub challenge: String,
}

/// POST /v1/auth. On the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthRequest {
    pub device_id: Uuid,
    pub challenge: String,
    /// Ed25519 signature of `auth_message(challenge)`, base64.
    pub signature: String,
}

/// The bytes a device signs to prove it holds its key.
pub fn auth_message(challenge: &str) -> Vec<u8> {
    format!("tiaojie-auth-v1\n{challenge}").into_bytes()
}

/// Answer to a successful authentication. On the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthResponse {
    /// Sent as `Authorization: Bearer <token>`.
    pub token: String,
    pub expires_in_secs: u64,
    /// The hub's clock, so that a device can warn when its own is off.
    pub hub_time_ms: i64,
    /// How far the hub has this device's events, as `GET
    /// /v1/devices/{id}/head` tells: sent with the token to save a round
    /// trip (absent from older hubs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head: Option<DeviceHead>,
}

/// GET /v1/devices/{id}/head: how far the hub has a device's events.
/// On the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceHead {
    pub device_id: Uuid,
    /// Highest sequence number acknowledged (0: none yet).
    pub acked_seq: i64,
    /// The chain link after that event, hex.
    pub last_hash: String,
}

/// The signed header of a batch. On the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchHeader {
    /// The device that wrote the events and signed the batch.
    pub device_id: Uuid,
    pub first_seq: i64,
    pub count: u32,
    /// Chain link before the first event, hex.
    pub prev_hash: String,
    /// Chain link after the last event, hex.
    pub last_hash: String,
    /// SHA-256 of the compressed payload, hex.
    pub payload_sha256: String,
    /// Size of the payload once decompressed.
    pub payload_len: u64,
}

impl BatchHeader {
    pub fn last_seq(&self) -> i64 {
        self.first_seq
            .saturating_add(i64::from(self.count))
            .saturating_sub(1)
    }
}

/// One event the hub did not take in, and why. On the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quarantined {
    pub seq: i64,
    pub event_id: Option<Uuid>,
    pub reason: String,
}

/// Answer to an upload, sent only after the batch is durably stored.
/// On the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchAck {
    pub device_id: Uuid,
    pub acked_seq: i64,
    pub last_hash: String,
    /// Events stored by this upload.
    pub stored: u32,
    /// Events the hub already had.
    pub duplicates: u32,
    pub quarantined: Vec<Quarantined>,
    /// The hub's signed word on what it holds of this device's chain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkpoint: Option<Checkpoint>,
}

/// A hub's signature over "device D's chain reaches link L at sequence S",
/// kept by the device: a ledger whose chain was later rewritten, however
/// consistently, no longer matches it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub hub_id: Uuid,
    pub device_id: Uuid,
    pub seq: i64,
    pub link: String,
    pub at: chrono::DateTime<chrono::Utc>,
    /// Ed25519 over `Checkpoint::message`, hex.
    pub signature: String,
}

impl Checkpoint {
    pub fn message(&self) -> Vec<u8> {
        format!(
            "tiaojie-checkpoint-v1\n{}\n{}\n{}\n{}\n{}",
            self.hub_id,
            self.device_id,
            self.seq,
            self.link,
            self.at.to_rfc3339()
        )
        .into_bytes()
    }
}

/// Header of a feed page. On the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedHeader {
    /// Pass back as `after` to get the next page.
    pub cursor: i64,
    /// More events wait beyond this page.
    pub more: bool,
    pub count: u32,
}

/// Every error response's body. On the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// Stable identifier ("bad_signature", "chain_mismatch", ...).
    pub code: String,
    /// For people, in Chinese.
    pub message: String,
    /// For `chain_mismatch`: the hub's head for the device.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head: Option<DeviceHead>,
}
