//! The local ledger: a SQLite file holding the event log and the projection.

mod actions;
mod apply_admin;
mod apply_case;
mod apply_flow;
pub mod attachments;
mod detail;
mod fold;
mod handover;
pub mod import;
mod log;
mod migrations;
pub mod packed;
pub mod people;
pub mod purge;
pub mod queries;
mod rebase;
pub mod sheet;
mod stats;
pub mod todo;
pub mod users;
pub mod verify;
pub mod wording;

pub use actions::{AgreementInput, CaseRef, FollowUpInput, MediatorInput, SessionInput, today};
pub use detail::{
    Agreement, CaseDetail, EscalationRecord, FollowUpRecord, GradingRecord, HistoryEntry,
    PartyRecord, PerformanceRecord, ReferralRecord, SessionRecord, SupportRecord,
};
pub use log::OwnEvent;
pub use purge::{PurgeCandidate, PurgeReport};
pub use rebase::RebaseReport;
pub use stats::{Count, Stats, StatsFilter, UnitCell};
pub use todo::{TODAY_DUE_SHOWN, Today};

use crate::domain::unit::UnitSpec;
use crate::error::{Entity, LedgerError, Result};
use crate::event::{Event, EventBody};
use crate::hlc::{Hlc, HlcClock};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use std::path::Path;
use uuid::Uuid;

/// Who this ledger is: written once by `init`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
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
    /// The data key of an encrypted ledger (for backups).
    key: Option<crate::vault::DataKey>,
}

impl Ledger {
    /// Opens (creating if needed) a ledger file: WAL journal, full fsync on
    /// commit, migrations applied.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        crate::vault::finish_pending(path)?;
        if crate::vault::is_encrypted(path) {
            return Err(LedgerError::Locked(
                "台账已加密，需要输入口令才能打开".into(),
            ));
        }
        let conn = Connection::open(path)?;
        // A new file's pages are 8 KiB: fewer page headers and less space
        // left at the end of pages of rows of a few hundred bytes (a file
        // that exists keeps the size it has).
        conn.pragma_update(None, "page_size", 8192)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        Self::setup(conn, None)
    }

    /// Opens an encrypted ledger file with its data key (from
    /// `vault::unlock`); a wrong key, or a file that is not this ledger or
    /// has been changed, is refused before anything is read.
    pub fn open_encrypted(path: impl AsRef<Path>, key: &crate::vault::DataKey) -> Result<Self> {
        let path = path.as_ref();
        crate::vault::finish_pending(path)?;
        let conn = Connection::open(path)?;
        apply_key(&conn, key)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        Self::setup(conn, Some(key.clone()))
    }

    /// Whether this ledger's file is encrypted.
    pub fn encrypted(&self) -> bool {
        self.key.is_some()
    }

    /// Writes a consistent copy of the ledger to `dest` (which must not
    /// exist): encrypted with the same key, its key file beside it, when the
    /// ledger is encrypted.
    pub fn backup_to(&self, dest: &Path, passphrase: Option<&str>) -> Result<()> {
        if dest.exists() {
            return Err(LedgerError::State(format!(
                "备份文件已存在：{}",
                dest.display()
            )));
        }
        match &self.key {
            Some(key) => {
                let passphrase = passphrase.ok_or_else(|| {
                    LedgerError::invalid(
                        "passphrase",
                        "加密台账的备份需要口令（用于备份的密钥文件）",
                    )
                })?;
                crate::vault::export(&self.conn, dest, key)?;
                crate::vault::save_copy(dest, key, passphrase)?;
            }
            None => {
                let target = dest.display().to_string().replace('\'', "''");
                self.conn.execute(&format!("VACUUM INTO '{target}'"), [])?;
            }
        }
        Ok(())
    }

    /// SQLite's integrity check and, for an encrypted ledger, SQLCipher's
    /// check of every page's authentication code: the problems found, none
    /// when the file is sound.
    pub fn check_file(&self) -> Result<Vec<String>> {
        // A page that fails its check makes SQLite's statements fail; that
        // failure is a finding, not an error of the check.
        let rows = |sql: &str| -> rusqlite::Result<Vec<String>> {
            let mut stmt = self.conn.prepare(sql)?;
            let found = stmt
                .query_map([], |r| r.get::<_, Option<String>>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(found.into_iter().flatten().collect())
        };
        let mut problems = Vec::new();
        if self.key.is_some() {
            // The page check reads the main file: everything goes there first.
            if let Err(e) = self
                .conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                    r.get::<_, i64>(0)
                })
            {
                problems.push(format!("无法读取台账的全部页面：{e}"));
            }
            match rows("PRAGMA cipher_integrity_check") {
                Ok(found) => problems.extend(found),
                Err(e) => problems.push(format!("页面校验失败：{e}")),
            }
        }
        match rows("PRAGMA integrity_check") {
            Ok(found) => problems.extend(found.into_iter().filter(|r| r != "ok")),
            Err(e) => problems.push(format!("完整性检查失败：{e}")),
        }
        Ok(problems)
    }

    pub fn open_in_memory() -> Result<Self> {
        Self::setup(Connection::open_in_memory()?, None)
    }

    fn setup(mut conn: Connection, key: Option<crate::vault::DataKey>) -> Result<Self> {
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Deleted content (a purged case) is overwritten, not just unlinked.
        conn.pragma_update(None, "secure_delete", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        packed::register_functions(&conn)?;
        // Room for every statement of the fold (see `Cached`).
        conn.set_prepared_statement_cache_capacity(256);
        migrations::migrations().to_latest(&mut conn)?;
        fold::seed_defaults(&conn)?;
        // A download that stopped before folding what it took in (the
        // program closed or crashed): fold it now.
        if fold::pending(&conn)? {
            let tx = conn.transaction()?;
            fold::settle(&tx)?;
            tx.commit()?;
        }
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
            key,
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

    /// Events that are kept in the log but did not take effect, in fold
    /// order, each with the reason (a rule broken at its place in the
    /// order, or an authority the device does not have).
    pub fn refused_events(&self) -> Result<Vec<(Event, String)>> {
        let mut stmt = self.conn.prepare(
            "SELECT e.raw, coalesce(o.reason, '') FROM outcomes o JOIN events e ON e.id = uuid_blob(o.event_id)
             WHERE NOT o.applied ORDER BY e.hlc, e.device, e.seq",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (raw, reason) = row?;
            out.push((serde_json::from_str(&packed::unpack(&raw)?)?, reason));
        }
        Ok(out)
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

/// Gives SQLCipher the key, then reads the schema: a wrong key fails here.
pub(crate) fn apply_key(conn: &Connection, key: &crate::vault::DataKey) -> Result<()> {
    let pragma = key.pragma();
    conn.execute_batch(&format!("PRAGMA key = \"{}\";", pragma.as_str()))?;
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    })
    .map_err(|e| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => LedgerError::invalid(
            "passphrase",
            "无法打开台账：口令与台账不符，或台账文件已损坏、被改动",
        ),
        _ => e.into(),
    })?;
    Ok(())
}

pub(crate) fn parse_uuid(text: &str) -> Result<Uuid> {
    Uuid::parse_str(text)
        .map_err(|_| LedgerError::invalid("id", format!("编号“{text}”不是有效的 UUID")))
}

/// Statements the fold runs for every event, prepared once per connection
/// (with the triggers they fire) instead of at every call: a refold of
/// thousands of events spends its time in them.
pub(crate) trait Cached {
    fn exec_cached<P: rusqlite::Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize>;
    fn row_cached<T, P, F>(&self, sql: &str, params: P, f: F) -> rusqlite::Result<T>
    where
        P: rusqlite::Params,
        F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>;
}

impl Cached for Connection {
    fn exec_cached<P: rusqlite::Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize> {
        self.prepare_cached(sql)?.execute(params)
    }

    fn row_cached<T, P, F>(&self, sql: &str, params: P, f: F) -> rusqlite::Result<T>
    where
        P: rusqlite::Params,
        F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    {
        self.prepare_cached(sql)?.query_row(params, f)
    }
}
