//! The local ledger: a SQLite file holding the event log and the projection.

mod actions;
mod apply_admin;
mod apply_case;
mod apply_flow;
mod detail;
mod fold;
mod handover;
pub mod import;
mod log;
mod migrations;
pub mod queries;
mod rebase;
pub mod sheet;
mod stats;
mod todo;
pub mod verify;

pub use actions::{AgreementInput, CaseRef, FollowUpInput, MediatorInput, SessionInput, today};
pub use detail::{Agreement, CaseDetail, HistoryEntry};
pub use log::OwnEvent;
pub use rebase::RebaseReport;
pub use stats::{Count, Stats, StatsFilter, UnitCell};
pub use todo::Today;

use crate::domain::unit::UnitSpec;
use crate::error::{Entity, LedgerError, Result};
use crate::event::{Event, EventBody};
use crate::hlc::{Hlc, HlcClock};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use std::path::Path;
use uuid::Uuid;

/// Who this ledger is: written once by `init`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeviceInfo {
    pub device_id: Uuid,
    pub unit_code: String,
    pub lane: u32,
    /// The sequence number the next local event will get.
    pub next_seq: i64,
}

/// What `ingest` did with a batch of events from elsewhere.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IngestReport {
    pub inserted: usize,
    pub duplicates: usize,
    /// True when the batch sorted before events already folded and the
    /// projection was folded again from the start.
    pub refolded: bool,
}

pub struct Ledger {
    conn: Connection,
    clock: HlcClock,
    actor: Option<String>,
}

impl Ledger {
    /// Opens (creating if needed) a ledger file: WAL journal, full fsync on
    /// commit, migrations applied.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        Self::setup(conn)
    }

    pub fn open_in_memory() -> Result<Self> {
        Self::setup(Connection::open_in_memory()?)
    }

    fn setup(mut conn: Connection) -> Result<Self> {
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrations::migrations().to_latest(&mut conn)?;
        fold::seed_defaults(&conn)?;
        // Re-seed from the highest stamp stored, but not from one that a
        // laptop with a wildly wrong clock sent (see `hlc::MAX_DRIFT_MS`).
        let horizon = crate::hlc::Hlc::from_parts(
            crate::hlc::wall_millis().saturating_add(crate::hlc::MAX_DRIFT_MS),
            u16::MAX,
        );
        let stored: i64 = conn.query_row(
            "SELECT max(coalesce((SELECT hlc FROM device WHERE id = 1), 0),
                        coalesce((SELECT max(hlc) FROM events WHERE hlc <= ?1), 0))",
            [horizon.raw()],
            |r| r.get(0),
        )?;
        Ok(Ledger {
            conn,
            clock: HlcClock::seeded(Hlc::from_raw(stored)),
            actor: None,
        })
    }

    /// How much the ledger holds, in bytes (its pages, wherever SQLite keeps
    /// them at the moment).
    pub fn stored_bytes(&self) -> Result<u64> {
        let bytes: i64 = self.conn.query_row(
            "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
            [],
            |r| r.get(0),
        )?;
        Ok(bytes.max(0) as u64)
    }

    /// Keeps the ledger file under `max_bytes` (a quota on a shared disk):
    /// a change that would grow it past that fails with a disk-full error
    /// and writes nothing, as a full disk does.
    pub fn limit_size(&self, max_bytes: u64) -> Result<u64> {
        let page: i64 = self.conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
        let page = page.max(1) as u64;
        let pages = (max_bytes / page).clamp(1, i64::MAX as u64);
        let sql = format!("PRAGMA max_page_count = {pages}");
        let set: i64 = self.conn.query_row(&sql, [], |r| r.get(0))?;
        Ok(set as u64 * page)
    }

    /// Names the person at the keyboard; recorded on every event written.
    pub fn set_actor(&mut self, actor: Option<String>) {
        self.actor = actor
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty());
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    pub fn device(&self) -> Result<DeviceInfo> {
        self.conn
            .query_row(
                "SELECT device_id, unit_code, lane, next_seq FROM device WHERE id = 1",
                [],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        DeviceInfo {
                            device_id: Uuid::nil(),
                            unit_code: r.get(1)?,
                            lane: r.get(2)?,
                            next_seq: r.get(3)?,
                        },
                    ))
                },
            )
            .optional()?
            .map(|(id, mut info)| {
                info.device_id = parse_uuid(&id)?;
                Ok(info)
            })
            .unwrap_or_else(|| {
                Err(LedgerError::not_found(
                    Entity::Ledger,
                    "请先运行 init 初始化本机台账",
                ))
            })
    }

    /// Makes this ledger a device of `unit`. The unit is registered by the
    /// device's first event.
    pub fn init(&mut self, unit: UnitSpec, lane: u32) -> Result<DeviceInfo> {
        unit.validate()?;
        if self.device().is_ok() {
            return Err(LedgerError::State(
                "本机台账已经初始化，不能重复初始化".into(),
            ));
        }
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO device (id, device_id, unit_code, lane, next_seq, last_link, hlc, created_at)
             VALUES (1, ?1, ?2, ?3, 1, ?4, 0, ?5)",
            params![
                Uuid::now_v7().to_string(),
                unit.code,
                lane,
                crate::chain::to_hex(&crate::chain::GENESIS),
                chrono::Utc::now().to_rfc3339()
            ],
        )?;
        log::append(
            &tx,
            &mut self.clock,
            self.actor.clone(),
            EventBody::UnitRegistered(unit),
        )?;
        tx.commit()?;
        self.device()
    }

    /// Appends a local event: checks it against the current state, folds it,
    /// stores it, all in one transaction. On error nothing is written.
    pub(crate) fn commit(&mut self, body: EventBody) -> Result<Event> {
        let tx = self.conn.transaction()?;
        let event = log::append(&tx, &mut self.clock, self.actor.clone(), body)?;
        tx.commit()?;
        Ok(event)
    }

    /// Folds the whole log again from the start.
    pub fn refold(&mut self) -> Result<()> {
        let tx = self.conn.transaction()?;
        fold::refold(&tx)?;
        tx.commit()?;
        Ok(())
    }

    /// Every event in fold order.
    pub fn events(&self) -> Result<Vec<Event>> {
        fold::load_events(&self.conn, None)
    }

    /// Events of one case in fold order.
    pub fn case_events(&self, case_id: Uuid) -> Result<Vec<Event>> {
        fold::load_events(&self.conn, Some(case_id))
    }

    /// A canonical text of the whole projection: two ledgers with the same
    /// events must give the same text, whatever order the events came in.
    pub fn fingerprint(&self) -> Result<String> {
        fold::fingerprint(&self.conn)
    }
}

pub(crate) fn parse_uuid(text: &str) -> Result<Uuid> {
    Uuid::parse_str(text)
        .map_err(|_| LedgerError::invalid("id", format!("编号“{text}”不是有效的 UUID")))
}
