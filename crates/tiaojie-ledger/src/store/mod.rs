//! The local ledger: a SQLite file holding the event log and the projection.

mod actions;
mod apply_admin;
mod apply_case;
mod apply_flow;
mod detail;
mod fold;
mod migrations;
pub mod queries;
mod stats;

pub use actions::{AgreementInput, CaseRef, FollowUpInput, MediatorInput, SessionInput, today};
pub use detail::{Agreement, CaseDetail, HistoryEntry};
pub use stats::{Count, Stats, StatsFilter};

use crate::domain::unit::UnitSpec;
use crate::error::{Entity, LedgerError, Result};
use crate::event::{Event, EventBody, SCHEMA_VERSION};
use crate::hlc::{Hlc, HlcClock, wall_millis};
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
        let stored: i64 = conn.query_row(
            "SELECT max(coalesce((SELECT hlc FROM device WHERE id = 1), 0),
                        coalesce((SELECT max(hlc) FROM events), 0))",
            [],
            |r| r.get(0),
        )?;
        Ok(Ledger {
            conn,
            clock: HlcClock::seeded(Hlc::from_raw(stored)),
            actor: None,
        })
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
            "INSERT INTO device (id, device_id, unit_code, lane, next_seq, hlc, created_at)
             VALUES (1, ?1, ?2, ?3, 1, 0, ?4)",
            params![
                Uuid::now_v7().to_string(),
                unit.code,
                lane,
                chrono::Utc::now().to_rfc3339()
            ],
        )?;
        append(
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
        let event = append(&tx, &mut self.clock, self.actor.clone(), body)?;
        tx.commit()?;
        Ok(event)
    }

    /// Takes in events written elsewhere (sync, a USB bundle). Events already
    /// present are skipped; a known id with different content is refused and
    /// nothing of the batch is kept. One transaction.
    pub fn ingest(&mut self, events: &[Event]) -> Result<IngestReport> {
        let tx = self.conn.transaction()?;
        let mut report = IngestReport::default();
        let mut fresh: Vec<&Event> = Vec::new();
        for ev in events {
            let body = serde_json::to_string(&ev.body)?;
            let existing: Option<String> = tx
                .query_row(
                    "SELECT body FROM events WHERE id = ?1",
                    [ev.id.to_string()],
                    |r| r.get(0),
                )
                .optional()?;
            match existing {
                Some(b) if b == body => report.duplicates += 1,
                Some(_) => return Err(LedgerError::EventMismatch(ev.id)),
                None => {
                    insert_event(&tx, ev, &body)?;
                    self.clock.observe(ev.hlc);
                    fresh.push(ev);
                    report.inserted += 1;
                }
            }
        }
        fresh.sort_by_key(|e| e.order_key());
        if let Some(first) = fresh.first() {
            if fold::last_folded(&tx)? < first.order_key() {
                for ev in &fresh {
                    fold::fold_event(&tx, ev)?;
                }
            } else {
                fold::refold(&tx)?;
                report.refolded = true;
            }
        }
        tx.execute(
            "UPDATE device SET hlc = max(hlc, ?1) WHERE id = 1",
            [self.clock.last().raw()],
        )?;
        tx.commit()?;
        Ok(report)
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

fn append(
    tx: &rusqlite::Transaction<'_>,
    clock: &mut HlcClock,
    actor: Option<String>,
    body: EventBody,
) -> Result<Event> {
    let (device, unit, seq): (String, String, i64) = tx
        .query_row(
            "SELECT device_id, unit_code, next_seq FROM device WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?
        .ok_or_else(|| LedgerError::not_found(Entity::Ledger, "请先运行 init 初始化本机台账"))?;
    let event = Event {
        id: Uuid::now_v7(),
        device: parse_uuid(&device)?,
        seq,
        hlc: clock.tick(wall_millis()),
        schema: SCHEMA_VERSION,
        unit,
        actor,
        body,
    };
    // Rules first: a refused event leaves no trace.
    fold::apply(tx, &event)?;
    let body = serde_json::to_string(&event.body)?;
    insert_event(tx, &event, &body)?;
    fold::record_outcome(tx, &event, None)?;
    tx.execute(
        "UPDATE device SET next_seq = next_seq + 1, hlc = max(hlc, ?1) WHERE id = 1",
        [event.hlc.raw()],
    )?;
    Ok(event)
}

fn insert_event(conn: &Connection, ev: &Event, body: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO events (id, device, seq, hlc, schema, unit, actor, kind, case_id, body, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            ev.id.to_string(),
            ev.device.to_string(),
            ev.seq,
            ev.hlc.raw(),
            ev.schema,
            ev.unit,
            ev.actor,
            ev.body.kind(),
            ev.body.case_id().map(|c| c.to_string()),
            body,
            chrono::Utc::now().to_rfc3339(),
        ],
    )?;
    Ok(())
}

pub(crate) fn parse_uuid(text: &str) -> Result<Uuid> {
    Uuid::parse_str(text)
        .map_err(|_| LedgerError::invalid("id", format!("编号“{text}”不是有效的 UUID")))
}
