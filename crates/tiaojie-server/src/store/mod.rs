//! Hub storage: one trait, a SQLite and a PostgreSQL implementation.
//!
//! The hub keeps every accepted event as the bytes the device signed, in one
//! log numbered by `hub_seq`. A unit's feed is the events whose origin unit
//! lies in its subtree (plus hub-wide events), in `hub_seq` order; a device
//! pages through it with a cursor. `hub_seq` values become visible in commit
//! order (each store serialises their assignment), so a cursor never steps
//! over an event that commits later with a smaller number.

pub(crate) mod common;
pub(crate) mod plan;
pub mod postgres;
pub mod sqlite;

use crate::error::Result;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::HashMap;
use tiaojie_ledger::domain::unit::UnitSpec;
use tiaojie_sync::wire::{BatchAck, DeviceHead};
use uuid::Uuid;

/// The hub's own identity, made once when its database is first used and
/// shared by every hub instance on that database.
#[derive(Clone)]
pub struct HubIdentity {
    pub hub_id: Uuid,
    /// Key for the HMAC of challenges and tokens.
    pub secret: [u8; 32],
    /// Seed of the Ed25519 key the hub signs its own events with.
    pub signing_seed: [u8; 32],
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeviceRecord {
    pub id: Uuid,
    pub unit: String,
    /// Ed25519 public key, base64.
    pub public_key: String,
    pub label: String,
    pub enrolled_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnrollCode {
    /// SHA-256 of the code, hex: the code itself is not stored.
    pub code_hash: String,
    pub unit: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
    pub used_by: Option<Uuid>,
}

/// Which units' feeds an accepted event belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// Every device (units and settings from the hub's administrator).
    Everyone,
    /// The subtree feeds that contain this unit.
    Unit(String),
    /// Opens a case whose origin is this unit; later events of the case
    /// follow it.
    OpensCase { case_id: Uuid, origin: String },
    /// An event of an existing case, by `unit`: it reaches the case's
    /// origin unit (or `unit`, if the hub has not seen the case opened).
    /// The store quarantines it when `unit` is not on the case's line (its
    /// origin and the units above it, the only ones a case can be handed
    /// to): what no order of events could make valid. The rest is for each
    /// ledger's fold to judge at the event's place in the order.
    OfCase {
        case_id: Uuid,
        unit: String,
        from_hub: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Accept {
        id: Uuid,
        hlc: i64,
        kind: String,
        reach: Reach,
        /// A unit the hub's own tree takes in (only from the hub's events).
        unit: Option<UnitSpec>,
        /// A retention purge the store checks and carries out.
        purge: Option<Box<PurgeClaim>>,
    },
    Quarantine {
        id: Option<Uuid>,
        reason: String,
    },
}

/// A `case_purged` event: the unit that asks, for which case, on what day,
/// under which retention period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurgeClaim {
    pub case_id: Uuid,
    pub unit: String,
    pub on: chrono::NaiveDate,
    pub retention_years: u32,
}

/// What the hub knows of a case a purge names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PurgeFacts {
    /// The case's origin unit and the units above it, nearest first (empty
    /// when the hub never saw the case opened).
    pub origin_line: Vec<String>,
    /// The day of the case's latest closing the hub holds.
    pub closed_on: Option<chrono::NaiveDate>,
}

/// One event of a verified batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingEvent {
    pub seq: i64,
    /// Chain link after this event, hex.
    pub link: String,
    pub bytes: Vec<u8>,
    pub verdict: Verdict,
}

/// A batch whose signature and chain are verified, events classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingBatch {
    pub device_id: Uuid,
    /// Chain link before the first event, hex.
    pub prev_hash: String,
    pub events: Vec<IncomingEvent>,
    /// What the device may have in quarantine, this batch's included.
    pub quarantine_bound: QuarantineBound,
}

/// The most one device may have in quarantine: a device that sends more
/// refused events than this (a rogue, or one broken beyond a bug) has its
/// batches refused, in words, until an administrator looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuarantineBound {
    pub events: u64,
    pub bytes: u64,
}

impl QuarantineBound {
    /// The refusal when a device holds `events` and `bytes` in quarantine.
    pub fn refusal(&self, events: u64, bytes: u64) -> Option<String> {
        (events > self.events || bytes > self.bytes).then(|| {
            format!(
                "这台设备被隔离的记录已达上限（{events} 条，{} KB）：请联系同步中心的管理员查看原因，之后的数据暂不接收",
                bytes / 1024
            )
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedRequest {
    /// The requesting unit and every unit below it.
    pub units: Vec<String>,
    /// The requesting device: its own events are not sent back.
    pub device_id: Uuid,
    pub after: i64,
    pub limit: u32,
    /// Stop adding events once the page holds this many bytes.
    pub max_bytes: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedPage {
    pub events: Vec<Vec<u8>>,
    /// Each event's `hub_seq`: a cursor after any of them resumes the
    /// feed without skipping (what a stream of the feed sends per frame).
    pub seqs: Vec<i64>,
    /// `hub_seq` of the last event returned, or `after` if none.
    pub cursor: i64,
    pub more: bool,
}

/// One stored event of a device's chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainRow {
    pub seq: i64,
    pub bytes: Vec<u8>,
    /// The link stored with it, hex.
    pub link: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuarantineRow {
    pub device_id: Uuid,
    pub seq: i64,
    pub event_id: Option<Uuid>,
    pub reason: String,
    pub received_at: DateTime<Utc>,
}

/// An upload waiting for a group commit, and where its answer goes.
pub(crate) type Waiting = (
    IncomingBatch,
    tokio::sync::oneshot::Sender<Result<BatchAck>>,
);

/// Sends each upload of a group its answer: its own, or, when the group's
/// transaction failed as a whole, that failure.
pub(crate) fn answer_group(
    answers: Vec<tokio::sync::oneshot::Sender<Result<BatchAck>>>,
    stored: Result<Vec<Result<BatchAck>>>,
) {
    match stored {
        Ok(results) => {
            for (answer, result) in answers.into_iter().zip(results) {
                let _ = answer.send(result);
            }
        }
        Err(e) => {
            tracing::error!(error = ?e, uploads = answers.len(), "storing uploads failed");
            for answer in answers {
                let _ = answer.send(Err(crate::error::ServerError::Io(std::io::Error::other(
                    format!("同步中心保存数据失败：{e}"),
                ))));
            }
        }
    }
}

/// What an upload hears when the task storing its group ended without an
/// answer.
pub(crate) fn unanswered() -> crate::error::ServerError {
    crate::error::ServerError::Io(std::io::Error::other("同步中心保存数据时中断"))
}

#[async_trait::async_trait]
pub trait HubStore: Send + Sync + 'static {
    /// Loads the hub identity, making it on first use (atomically: two hub
    /// instances starting together get the same one).
    async fn identity(&self) -> Result<HubIdentity>;

    async fn units(&self) -> Result<Vec<UnitSpec>>;

    async fn add_enroll_code(&self, code: &EnrollCode) -> Result<()>;
    async fn enroll_codes(&self) -> Result<Vec<EnrollCode>>;

    /// Uses a code once and records the device under the code's unit, in
    /// one transaction. Errors: unknown code (NotFound), used (Conflict),
    /// expired (Gone), device id already enrolled (Conflict).
    async fn redeem_enroll_code(
        &self,
        code_hash: &str,
        device: &DeviceRecord,
        now: DateTime<Utc>,
    ) -> Result<DeviceRecord>;

    async fn device(&self, id: Uuid) -> Result<Option<DeviceRecord>>;
    async fn devices(&self) -> Result<Vec<DeviceRecord>>;
    /// Registers the hub's own device record (for its own events); no-op if present.
    async fn ensure_device(&self, device: &DeviceRecord) -> Result<()>;
    /// Marks a device revoked; false if no such device.
    async fn revoke_device(&self, id: Uuid, at: DateTime<Utc>) -> Result<bool>;

    /// How far the hub has a device's events (acked_seq 0 and the genesis
    /// link when none).
    async fn head(&self, device_id: Uuid) -> Result<DeviceHead>;

    /// Stores a batch in one transaction and acknowledges it only after the
    /// commit. Events up to the device's head must match the stored links
    /// (a replay: counted as duplicates, nothing changes); the first new
    /// event must follow the head (else `ChainMismatch`). Accepted events get
    /// `hub_seq` numbers in commit order; quarantined ones keep their link
    /// and reason but reach no feed. An accepted event whose id the hub
    /// already holds under another device or sequence is quarantined.
    async fn ingest(&self, batch: &IncomingBatch) -> Result<BatchAck>;

    async fn feed(&self, request: &FeedRequest) -> Result<FeedPage>;

    /// A device's own accepted events after `after_seq`, in order, with
    /// their sequence numbers: what a restored device gets back.
    async fn device_events(
        &self,
        device_id: Uuid,
        after_seq: i64,
        limit: u32,
    ) -> Result<Vec<(i64, Vec<u8>)>>;

    async fn quarantine(&self) -> Result<Vec<QuarantineRow>>;

    /// Every device's head, for checking the stored chains.
    async fn heads(&self) -> Result<Vec<DeviceHead>>;

    /// What the hub holds of a device's chain after `after_seq`, accepted
    /// and quarantined together, in sequence order.
    async fn chain_rows(
        &self,
        device_id: Uuid,
        after_seq: i64,
        limit: u32,
    ) -> Result<Vec<ChainRow>>;

    /// The purged cases and the purge event of each.
    async fn purged_cases(&self) -> Result<HashMap<Uuid, Uuid>>;

    /// Total accepted events (for health and tests).
    async fn event_count(&self) -> Result<i64>;
}
