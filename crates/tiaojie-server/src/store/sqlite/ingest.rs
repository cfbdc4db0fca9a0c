//! Uploads into the SQLite event log. SQLite has one writer at a time, so
//! a counter row updated in the upload's transaction hands out `hub_seq` in
//! commit order. Uploads that arrive together are stored in one
//! transaction, each in a savepoint of its own, and share its commit (one
//! fsync for the group); each is acknowledged only after that commit.

use super::records::{ts, upsert_unit};
use crate::error::{Result, ServerError};
use crate::store::common::{self, CaseBook, split_at_head};
use crate::store::plan::{self, Facts, Needs, Step};
use crate::store::{IncomingBatch, IncomingEvent, PurgeFacts};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use std::collections::{HashMap, HashSet};
use tiaojie_sync::wire::{BatchAck, DeviceHead, Quarantined};
use uuid::Uuid;

pub(super) fn head(conn: &Connection, device_id: Uuid) -> Result<DeviceHead> {
    let found = conn
        .query_row(
            "SELECT acked_seq, last_hash FROM device_heads WHERE device_id = ?1",
            [device_id.to_string()],
            |r| {
                Ok(DeviceHead {
                    device_id,
                    acked_seq: r.get(0)?,
                    last_hash: r.get(1)?,
                })
            },
        )
        .optional()?;
    Ok(found.unwrap_or_else(|| common::zero_head(device_id)))
}

/// The links the hub holds for a device's sequence numbers `from..=to`.
fn stored_links(tx: &Connection, device: &str, from: i64, to: i64) -> Result<HashMap<i64, String>> {
    let mut stmt = tx.prepare(
        "SELECT seq, link FROM events WHERE device_id = ?1 AND seq BETWEEN ?2 AND ?3
         UNION ALL
         SELECT seq, link FROM quarantine WHERE device_id = ?1 AND seq BETWEEN ?2 AND ?3",
    )?;
    let rows = stmt.query_map(params![device, from, to], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Which of `ids` the log holds already: one query for a whole batch.
fn taken_ids(tx: &Connection, ids: &[Uuid]) -> Result<HashSet<Uuid>> {
    let list = serde_json::to_string(&ids.iter().map(Uuid::to_string).collect::<Vec<_>>())
        .expect("a list of strings always serialises");
    let mut stmt =
        tx.prepare_cached("SELECT id FROM events WHERE id IN (SELECT value FROM json_each(?1))")?;
    let found = stmt
        .query_map([list], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(found
        .iter()
        .filter_map(|id| Uuid::parse_str(id).ok())
        .collect())
}

/// What the upload needs of the cases its events touch (see `CaseBook`):
/// the cases it opens added, then the other cases read in one statement.
fn case_book(tx: &Connection, opens: &[(Uuid, String)], touched: &[Uuid]) -> Result<CaseBook> {
    let mut book = CaseBook::default();
    if !opens.is_empty() {
        // One prepared insert per case: cheaper for SQLite than a set from
        // json_each with RETURNING.
        let mut stmt = tx.prepare_cached(
            "INSERT INTO hub_cases (case_id, origin_unit) VALUES (?1, ?2)
             ON CONFLICT (case_id) DO NOTHING",
        )?;
        let mut added = Vec::with_capacity(opens.len());
        for (case_id, origin) in opens {
            if stmt.execute(params![case_id.to_string(), origin])? == 1 {
                added.push(*case_id);
            }
        }
        book.opened(added, opens);
    }
    // The cases just opened are known; the others are read.
    let touched = book.unknown(touched);
    if !touched.is_empty() {
        let ids = serde_json::to_string(&touched.iter().map(Uuid::to_string).collect::<Vec<_>>())
            .expect("a list of strings always serialises");
        let mut stmt = tx.prepare_cached(
            "SELECT case_id, origin_unit, purged_by FROM hub_cases
             WHERE case_id IN (SELECT value FROM json_each(?1))",
        )?;
        let rows = stmt.query_map([ids], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })?;
        for row in rows {
            let (case_id, origin, purged_by) = row?;
            if let Ok(case_id) = Uuid::parse_str(&case_id) {
                book.know(
                    case_id,
                    origin,
                    purged_by.and_then(|p| Uuid::parse_str(&p).ok()),
                );
            }
        }
    }
    Ok(book)
}

/// What the plan asked for: the lines of origins and the facts of cases
/// purged.
fn facts(tx: &Connection, needs: &Needs) -> Result<Facts> {
    let mut facts = Facts::default();
    for origin in &needs.lines {
        facts.lines.insert(origin.clone(), origin_line(tx, origin)?);
    }
    for case_id in &needs.purges {
        facts.purges.insert(*case_id, purge_facts(tx, *case_id)?);
    }
    Ok(facts)
}

/// A unit and the units above it, nearest first.
fn origin_line(tx: &Connection, origin: &str) -> Result<Vec<String>> {
    let mut stmt = tx.prepare_cached(common::ORIGIN_LINE_SQL)?;
    let line = stmt
        .query_map([origin], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(line)
}

fn purge_facts(tx: &Connection, case_id: Uuid) -> Result<PurgeFacts> {
    let origin: Option<String> = tx
        .query_row(
            "SELECT origin_unit FROM hub_cases WHERE case_id = ?1",
            [case_id.to_string()],
            |r| r.get(0),
        )
        .optional()?;
    let mut origin_line = Vec::new();
    if let Some(origin) = origin {
        let above = self::origin_line(tx, &origin)?;
        origin_line.push(origin);
        origin_line.extend(above.into_iter().skip(1));
    }
    let closing: Option<Vec<u8>> = tx
        .query_row(
            "SELECT bytes FROM events WHERE case_id = ?1 AND kind = 'case_closed'
             ORDER BY hub_seq DESC LIMIT 1",
            [case_id.to_string()],
            |r| r.get(0),
        )
        .optional()?;
    Ok(PurgeFacts {
        origin_line,
        closed_on: closing.as_deref().and_then(common::closed_on),
    })
}

fn mark_purged(tx: &Connection, case_id: Uuid, purge_id: Uuid) -> Result<()> {
    tx.execute(
        "UPDATE hub_cases SET purged_by = ?2 WHERE case_id = ?1",
        params![case_id.to_string(), purge_id.to_string()],
    )?;
    Ok(())
}

/// Replaces the bytes of every stored event of the case (but the purge)
/// with its stub.
fn stub_case(tx: &Connection, case_id: Uuid, purge_id: Uuid) -> Result<()> {
    let rows: Vec<(i64, Vec<u8>)> = {
        let mut stmt = tx.prepare(
            "SELECT hub_seq, bytes FROM events
             WHERE case_id = ?1 AND kind NOT IN ('redacted', 'case_purged')",
        )?;
        stmt.query_map([case_id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    for (hub_seq, bytes) in rows {
        if let Some(stub) = tiaojie_ledger::event::redact_raw(&bytes, purge_id) {
            tx.execute(
                "UPDATE events SET bytes = ?2, kind = 'redacted' WHERE hub_seq = ?1",
                params![hub_seq, stub],
            )?;
        }
    }
    Ok(())
}

fn quarantine_event(
    tx: &Connection,
    device: &str,
    event: &IncomingEvent,
    event_id: Option<Uuid>,
    reason: &str,
    now: &str,
) -> Result<Quarantined> {
    tx.execute(
        "INSERT INTO quarantine (device_id, seq, event_id, link, bytes, reason, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            device,
            event.seq,
            event_id.map(|u| u.to_string()),
            event.link,
            event.bytes,
            reason,
            now
        ],
    )?;
    Ok(Quarantined {
        seq: event.seq,
        event_id,
        reason: reason.to_string(),
    })
}

/// Stores uploads that arrived together in one transaction, each in a
/// savepoint of its own, so that one refused upload (a broken chain, a full
/// quarantine) leaves the others; one commit for all. The answers are in
/// the order of `batches`; an error of the whole (the commit) is the
/// function's.
pub(super) fn ingest_group(
    conn: &mut Connection,
    batches: &[&IncomingBatch],
    now: DateTime<Utc>,
) -> Result<Vec<Result<BatchAck>>> {
    let mut tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut answers = Vec::with_capacity(batches.len());
    let mut purged = false;
    for batch in batches {
        let savepoint = tx.savepoint()?;
        match ingest_one(&savepoint, batch, now) {
            Ok((ack, stubbed)) => {
                savepoint.commit()?;
                purged |= stubbed;
                answers.push(Ok(ack));
            }
            // Dropping the savepoint undoes this upload alone.
            Err(e) => answers.push(Err(e)),
        }
    }
    tx.commit()?;
    if purged {
        // Old page images with the content must not stay in the WAL.
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    }
    Ok(answers)
}

/// Stores one upload inside the group's transaction; also says whether it
/// purged a case (the WAL is then checkpointed after the commit).
fn ingest_one(
    tx: &Connection,
    batch: &IncomingBatch,
    now: DateTime<Utc>,
) -> Result<(BatchAck, bool)> {
    let device = batch.device_id.to_string();
    let now_day = now.date_naive();
    let now = ts(now);
    let head = head(tx, batch.device_id)?;
    let stored = match common::replayed_range(&head, batch) {
        Some((from, to)) => stored_links(tx, &device, from, to)?,
        None => HashMap::new(),
    };
    let split = split_at_head(&head, batch, &stored)?;
    let mut ack = common::ack_at_head(head, &split);
    let Some(last) = split.fresh.last() else {
        return Ok((ack, false));
    };
    let taken = taken_ids(tx, &plan::candidate_ids(split.fresh))?;
    let repeated = common::repeated_ids(split.fresh, &taken);
    let (opens, touched) = CaseBook::wanted(split.fresh, &repeated);
    let mut book = case_book(tx, &opens, &touched)?;
    let facts = facts(tx, &Needs::of(split.fresh, &repeated, &book))?;
    let plan = plan::plan(split.fresh, &repeated, &mut book, &facts, now_day);
    let mut hub_seq: i64 = tx.query_row("SELECT last FROM hub_counter WHERE id = 1", [], |r| {
        r.get(0)
    })?;
    for step in &plan.steps {
        let keep = match step {
            Step::Quarantine { event, id, reason } => {
                ack.quarantined
                    .push(quarantine_event(tx, &device, event, *id, reason, &now)?);
                continue;
            }
            Step::Store(keep) => keep,
        };
        if let Some(case_id) = keep.purges {
            mark_purged(tx, case_id, keep.id)?;
        }
        if let Some(unit) = keep.unit {
            upsert_unit(tx, unit)?;
        }
        hub_seq += 1;
        // Statements prepared once per connection: an upload runs these
        // for every event.
        tx.prepare_cached(
            "INSERT INTO events (hub_seq, id, device_id, seq, hlc, kind, origin_unit, case_id, bytes, link,
                                 received_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?
        .execute(params![
            hub_seq,
            keep.id.to_string(),
            device,
            keep.event.seq,
            keep.hlc,
            keep.kind,
            keep.origin,
            keep.case_id.map(|c| c.to_string()),
            keep.bytes.as_ref(),
            keep.event.link,
            now
        ])?;
        ack.stored += 1;
    }
    if !ack.quarantined.is_empty() {
        let (events, bytes): (i64, i64) = tx.query_row(
            "SELECT count(*), coalesce(sum(length(bytes)), 0) FROM quarantine WHERE device_id = ?1",
            [&device],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if let Some(refusal) = batch.quarantine_bound.refusal(events as u64, bytes as u64) {
            return Err(ServerError::QuarantineFull(refusal));
        }
    }
    let purged = !plan.purges.is_empty();
    for (case_id, purge_id) in &plan.purges {
        stub_case(tx, *case_id, *purge_id)?;
    }
    tx.execute("UPDATE hub_counter SET last = ?1 WHERE id = 1", [hub_seq])?;
    tx.execute(
        "INSERT INTO device_heads (device_id, acked_seq, last_hash) VALUES (?1, ?2, ?3)
         ON CONFLICT (device_id) DO UPDATE SET acked_seq = excluded.acked_seq, last_hash = excluded.last_hash",
        params![device, last.seq, last.link],
    )?;
    ack.acked_seq = last.seq;
    ack.last_hash = last.link.clone();
    Ok((ack, purged))
}
