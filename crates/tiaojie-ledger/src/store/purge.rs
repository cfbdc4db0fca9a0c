//! Retention: a closed case past its retention period is purged by the unit
//! that owns it. The purge is an event like any other, so it syncs: every
//! ledger and the hub that fold it delete the case from their tables and
//! replace the content of each of its events with a stub. The stub keeps
//! the event's place in the log and its stored chain link, so the chain
//! still verifies around it; the purge event itself names nothing personal.
//!
//! Deleted content is overwritten in the file (`secure_delete`) and the
//! write-ahead log is emptied after a purge.

use super::Ledger;
use super::apply_case::CaseHead;
use super::log;
use crate::error::{Entity, LedgerError, Result};
use crate::event::{Event, EventBody, body};
use chrono::{Months, NaiveDate};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use uuid::Uuid;

/// The retention period suggested when none is given: ten years after
/// closing (the 长期 of the file cover).
pub const DEFAULT_RETENTION_YEARS: u32 = 10;

/// No purge may keep a case for less than this.
pub const MIN_RETENTION_YEARS: u32 = 1;

/// The tables holding a case's projection, by `case_id` (the case row
/// itself goes last).
const CASE_TABLES: &[&str] = &[
    "parties",
    "gradings",
    "escalations",
    "supports",
    "referrals",
    "sessions",
    "agreements",
    "performances",
    "followups",
    "attachments",
];

/// The first day a case closed on `closed_on` may be purged.
pub fn expires_on(closed_on: NaiveDate, retention_years: u32) -> NaiveDate {
    closed_on
        .checked_add_months(Months::new(retention_years.saturating_mul(12)))
        .unwrap_or(NaiveDate::MAX)
}

pub fn check_retention(retention_years: u32) -> Result<()> {
    if !(MIN_RETENTION_YEARS..=100).contains(&retention_years) {
        return Err(LedgerError::invalid(
            "retention_years",
            format!("保管期限应为{MIN_RETENTION_YEARS}至100年，收到的是{retention_years}年"),
        ));
    }
    Ok(())
}

/// The purge of a case: the case leaves the tables and its events become
/// stubs.
pub(super) fn case_purged(conn: &Connection, ev: &Event, payload: &body::CasePurged) -> Result<()> {
    let body::CasePurged {
        case_id,
        on,
        retention_years,
    } = payload;
    check_retention(*retention_years)?;
    // The case is gone already when the log is folded again: its events
    // are stubs by then.
    if conn
        .query_row(
            "SELECT 1 FROM cases WHERE id = ?1",
            [case_id.to_string()],
            |_| Ok(()),
        )
        .optional()?
        .is_some()
    {
        let head = CaseHead::load(conn, *case_id)?;
        head.owned_by(conn, &ev.unit, "清除")?;
        let closed = head
            .closed_on
            .ok_or_else(|| LedgerError::State("该案件尚未结案，不能清除".into()))?;
        let until = expires_on(closed, *retention_years);
        if *on < until {
            return Err(LedgerError::State(format!(
                "该案件于 {closed} 结案，保管期限（{retention_years}年）至 {until} 届满，未到期不能清除"
            )));
        }
        super::attachments::purge_blobs(conn, *case_id)?;
        for table in CASE_TABLES {
            conn.execute(
                &format!("DELETE FROM {table} WHERE case_id = ?1"),
                [case_id.to_string()],
            )?;
        }
        conn.execute("DELETE FROM cases WHERE id = ?1", [case_id.to_string()])?;
    }
    conn.execute(
        "INSERT INTO purged_cases (case_id, purge_event, on_date) VALUES (?1, ?2, ?3)
         ON CONFLICT (case_id) DO NOTHING",
        params![case_id.to_string(), ev.id.to_string(), on],
    )?;
    stub_case_events(conn, *case_id, ev.id)?;
    Ok(())
}

/// A stub changes nothing.
pub(super) fn redacted(_conn: &Connection, _ev: &Event, _stub: &body::Redacted) -> Result<()> {
    Ok(())
}

/// Replaces the stored content of every event of the case (but the purge)
/// with its stub; returns how many were replaced.
fn stub_case_events(conn: &Connection, case_id: Uuid, purged_by: Uuid) -> Result<usize> {
    let mut stmt = conn.prepare(
        "SELECT raw FROM events WHERE case_id = ?1 AND kind NOT IN ('redacted', 'case_purged')",
    )?;
    let raws = stmt
        .query_map([case_id], |r| r.get::<_, Vec<u8>>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stubs = Vec::with_capacity(raws.len());
    for raw in raws {
        let event: Event = serde_json::from_str(&super::packed::unpack(&raw)?)?;
        if let Some(stub) = event.redacted(purged_by) {
            stubs.push(stub);
        }
    }
    write_stubs(conn, &stubs)?;
    Ok(stubs.len())
}

fn write_stubs(conn: &Connection, stubs: &[Event]) -> Result<()> {
    if stubs.is_empty() {
        return Ok(());
    }
    conn.execute("INSERT INTO log_repair (reason) VALUES ('purge')", [])?;
    for stub in stubs {
        conn.execute(
            "UPDATE events SET raw = ?2, actor = NULL, kind = 'redacted', schema = ?3 WHERE id = ?1",
            params![
                stub.id,
                super::packed::pack(&serde_json::to_string(stub)?),
                stub.schema
            ],
        )?;
    }
    conn.execute("DELETE FROM log_repair WHERE reason = 'purge'", [])?;
    Ok(())
}

/// Stubs `ev` in the log if its case was purged; true if it did.
pub(super) fn stub_if_purged(conn: &Connection, ev: &Event) -> Result<bool> {
    let Some(case_id) = ev.body.case_id() else {
        return Ok(false);
    };
    let purge: Option<String> = conn
        .prepare_cached("SELECT purge_event FROM purged_cases WHERE case_id = ?1")?
        .query_row([case_id.to_string()], |r| r.get(0))
        .optional()?;
    let Some(purge) = purge else {
        return Ok(false);
    };
    let purged_by = super::parse_uuid(&purge)?;
    match ev.redacted(purged_by) {
        Some(stub) => {
            write_stubs(conn, &[stub])?;
            Ok(true)
        }
        None => Ok(false),
    }
}

/// A closed case whose retention period has run out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PurgeCandidate {
    pub case_id: Uuid,
    pub number: String,
    pub closed_on: NaiveDate,
    pub expires_on: NaiveDate,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PurgeReport {
    /// Case numbers purged.
    pub cases: Vec<String>,
    /// Events whose content was replaced by a stub.
    pub events_redacted: usize,
}

impl Ledger {
    /// The cases this device's unit owns that were closed at least
    /// `retention_years` before `on`, oldest first.
    pub fn purge_candidates(
        &self,
        retention_years: u32,
        on: NaiveDate,
    ) -> Result<Vec<PurgeCandidate>> {
        check_retention(retention_years)?;
        let unit = self.device()?.unit_code;
        let mut stmt = self.conn.prepare(
            "SELECT id, number, closed_on FROM cases
             WHERE unit = ?1 AND closed_on IS NOT NULL ORDER BY closed_on, number",
        )?;
        let rows = stmt.query_map([unit], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, NaiveDate>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, number, closed_on) = row?;
            let expires = expires_on(closed_on, retention_years);
            if expires <= on {
                out.push(PurgeCandidate {
                    case_id: super::parse_uuid(&id)?,
                    number,
                    closed_on,
                    expires_on: expires,
                });
            }
        }
        Ok(out)
    }

    /// Purges the given cases in one transaction: each must be this unit's,
    /// closed, and past `retention_years`; if any is not, nothing is purged.
    /// Afterwards the freed pages are overwritten and the write-ahead log
    /// emptied, so the content is gone from the files too.
    pub fn purge_cases(
        &mut self,
        case_ids: &[Uuid],
        retention_years: u32,
        on: Option<NaiveDate>,
    ) -> Result<PurgeReport> {
        check_retention(retention_years)?;
        let on = super::actions::action_date(on)?;
        if case_ids.is_empty() {
            return Err(LedgerError::invalid("cases", "请选择要清除的案件"));
        }
        let tx = self.conn.transaction()?;
        let mut report = PurgeReport::default();
        for case_id in case_ids {
            let number: String = tx
                .query_row(
                    "SELECT number FROM cases WHERE id = ?1",
                    [case_id.to_string()],
                    |r| r.get(0),
                )
                .optional()?
                .ok_or_else(|| LedgerError::not_found(Entity::Case, case_id))?;
            let before: i64 = tx.query_row(
                "SELECT count(*) FROM events WHERE case_id = ?1 AND kind = 'redacted'",
                [case_id],
                |r| r.get(0),
            )?;
            log::append(
                &tx,
                &mut self.clock,
                self.actor.clone(),
                EventBody::CasePurged(body::CasePurged {
                    case_id: *case_id,
                    on,
                    retention_years,
                }),
            )
            .map_err(|e| match e {
                LedgerError::State(m) => LedgerError::State(format!("{number}：{m}")),
                other => other,
            })?;
            let after: i64 = tx.query_row(
                "SELECT count(*) FROM events WHERE case_id = ?1 AND kind = 'redacted'",
                [case_id],
                |r| r.get(0),
            )?;
            report.events_redacted += (after - before).max(0) as usize;
            report.cases.push(number);
        }
        tx.commit()?;
        self.scrub_files()?;
        Ok(report)
    }

    /// Empties the write-ahead log into the (securely overwritten) main
    /// file, so that old page images with purged content do not linger.
    pub(crate) fn scrub_files(&self) -> Result<()> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }
}
