//! Uploads into the PostgreSQL event log.
//!
//! Sequence values commit out of order, so `hub_seq` comes from the
//! `hub_counter` row instead, taken as the last step before the commit: its
//! row lock makes the next upload wait for this one's commit before it gets
//! numbers, so a reader paging by `hub_seq > cursor` never steps over an
//! event that becomes visible later with a smaller number.
//!
//! Uploads that arrive at one hub instance together are stored in one
//! transaction (one commit, one turn on the counter row for all): each is
//! checked in a savepoint of its own, so that one refused upload leaves the
//! others, and the accepted events of all are numbered and inserted at the
//! end. The device heads of the whole group are locked first, in device
//! order, and the counter last, so two instances never wait on each other
//! in a circle.

use super::records::upsert_unit;
use crate::error::{Result, ServerError};
use crate::store::common::{self, CaseBook, split_at_head};
use crate::store::plan::{self, Facts, Needs, Step};
use crate::store::{IncomingBatch, IncomingEvent, PurgeFacts};
use chrono::{DateTime, SubsecRound, Utc};
use deadpool_postgres::Transaction;
use std::collections::{HashMap, HashSet};
use tiaojie_sync::wire::{BatchAck, DeviceHead, Quarantined};
use tokio_postgres::Client;
use uuid::Uuid;

pub(super) async fn head(client: &Client, device_id: Uuid) -> Result<DeviceHead> {
    let row = client
        .query_opt(
            "SELECT acked_seq, last_hash FROM device_heads WHERE device_id = $1",
            &[&device_id],
        )
        .await?;
    match row {
        Some(r) => Ok(DeviceHead {
            device_id,
            acked_seq: r.try_get(0)?,
            last_hash: r.try_get(1)?,
        }),
        None => Ok(common::zero_head(device_id)),
    }
}

/// Accepted events of one upload, column by column for one `UNNEST` insert.
#[derive(Default)]
struct NewEvents {
    devices: Vec<Uuid>,
    ids: Vec<Uuid>,
    seqs: Vec<i64>,
    hlcs: Vec<i64>,
    kinds: Vec<String>,
    origins: Vec<Option<String>>,
    cases: Vec<Option<Uuid>>,
    bytes: Vec<Vec<u8>>,
    /// The bytes as the device sent them (`bytes` may be a purge's stub),
    /// for the quarantine.
    raw: Vec<Vec<u8>>,
    links: Vec<String>,
}

async fn stored_links(
    tx: &Transaction<'_>,
    device_id: Uuid,
    from: i64,
    to: i64,
) -> Result<HashMap<i64, String>> {
    let rows = tx
        .query(
            "SELECT seq, link FROM events WHERE device_id = $1 AND seq BETWEEN $2 AND $3
             UNION ALL
             SELECT seq, link FROM quarantine WHERE device_id = $1 AND seq BETWEEN $2 AND $3",
            &[&device_id, &from, &to],
        )
        .await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}

/// What the upload needs of the cases its events touch (see `CaseBook`):
/// the cases it opens added in one statement, in the order of their ids (a
/// concurrent upload opening the same case waits on the row and then finds
/// it taken; two never wait on each other), then the other cases read in
/// one.
async fn case_book(
    tx: &Transaction<'_>,
    opens: &[(Uuid, String)],
    touched: &[Uuid],
) -> Result<CaseBook> {
    let mut book = CaseBook::default();
    if !opens.is_empty() {
        let mut sorted: Vec<&(Uuid, String)> = opens.iter().collect();
        sorted.sort_by_key(|(c, _)| *c);
        let (cases, origins): (Vec<Uuid>, Vec<&str>) =
            sorted.iter().map(|(c, o)| (*c, o.as_str())).unzip();
        let stmt = tx
            .prepare_cached(
                "INSERT INTO hub_cases (case_id, origin_unit)
                 SELECT * FROM UNNEST($1::uuid[], $2::text[])
                 ON CONFLICT (case_id) DO NOTHING RETURNING case_id",
            )
            .await?;
        let added = tx.query(&stmt, &[&cases, &origins]).await?;
        let added = added
            .iter()
            .map(|r| r.try_get(0))
            .collect::<Result<Vec<Uuid>, _>>()?;
        book.opened(added, opens);
    }
    // The cases just opened are known; the others are read.
    let touched = book.unknown(touched);
    if !touched.is_empty() {
        let stmt = tx
            .prepare_cached(
                "SELECT case_id, origin_unit, purged_by FROM hub_cases WHERE case_id = ANY($1)",
            )
            .await?;
        for r in tx.query(&stmt, &[&touched]).await? {
            book.know(r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
        }
    }
    Ok(book)
}

/// What the plan asked for: the lines of origins and the facts of cases
/// purged.
async fn facts(tx: &Transaction<'_>, needs: &Needs) -> Result<Facts> {
    let mut facts = Facts::default();
    for origin in &needs.lines {
        facts
            .lines
            .insert(origin.clone(), origin_line(tx, origin).await?);
    }
    for case_id in &needs.purges {
        facts
            .purges
            .insert(*case_id, purge_facts(tx, *case_id).await?);
    }
    Ok(facts)
}

/// A unit and the units above it, nearest first.
async fn origin_line(tx: &Transaction<'_>, origin: &str) -> Result<Vec<String>> {
    let stmt = tx.prepare_cached(common::ORIGIN_LINE_SQL).await?;
    tx.query(&stmt, &[&origin])
        .await?
        .iter()
        .map(|r| Ok(r.try_get(0)?))
        .collect()
}

async fn purge_facts(tx: &Transaction<'_>, case_id: Uuid) -> Result<PurgeFacts> {
    let origin: Option<String> = match tx
        .query_opt(
            "SELECT origin_unit FROM hub_cases WHERE case_id = $1",
            &[&case_id],
        )
        .await?
    {
        Some(r) => Some(r.try_get(0)?),
        None => None,
    };
    let mut origin_line = Vec::new();
    if let Some(origin) = origin {
        let above = self::origin_line(tx, &origin).await?;
        origin_line.push(origin);
        origin_line.extend(above.into_iter().skip(1));
    }
    let closing = tx
        .query_opt(
            "SELECT bytes FROM events WHERE case_id = $1 AND kind = 'case_closed'
             ORDER BY hub_seq DESC LIMIT 1",
            &[&case_id],
        )
        .await?;
    let closed_on = match closing {
        Some(r) => common::closed_on(&r.try_get::<_, Vec<u8>>(0)?),
        None => None,
    };
    Ok(PurgeFacts {
        origin_line,
        closed_on,
    })
}

/// Replaces the bytes of every stored event of the case (but the purge)
/// with its stub.
async fn stub_case(tx: &Transaction<'_>, case_id: Uuid, purge_id: Uuid) -> Result<()> {
    let rows = tx
        .query(
            "SELECT hub_seq, bytes FROM events
             WHERE case_id = $1 AND kind NOT IN ('redacted', 'case_purged')",
            &[&case_id],
        )
        .await?;
    for r in rows {
        let hub_seq: i64 = r.try_get(0)?;
        let bytes: Vec<u8> = r.try_get(1)?;
        if let Some(stub) = tiaojie_ledger::event::redact_raw(&bytes, purge_id) {
            tx.execute(
                "UPDATE events SET bytes = $2, kind = 'redacted' WHERE hub_seq = $1",
                &[&hub_seq, &stub],
            )
            .await?;
        }
    }
    Ok(())
}

async fn quarantine_event(
    tx: &Transaction<'_>,
    device_id: Uuid,
    event: &IncomingEvent,
    event_id: Option<Uuid>,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Quarantined> {
    quarantine_row(
        tx,
        device_id,
        event.seq,
        &event.link,
        &event.bytes,
        event_id,
        reason,
        now,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn quarantine_row(
    tx: &Transaction<'_>,
    device_id: Uuid,
    seq: i64,
    link: &str,
    bytes: &[u8],
    event_id: Option<Uuid>,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Quarantined> {
    tx.execute(
        "INSERT INTO quarantine (device_id, seq, event_id, link, bytes, reason, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[&device_id, &seq, &event_id, &link, &bytes, &reason, &now],
    )
    .await?;
    Ok(Quarantined {
        seq,
        event_id,
        reason: reason.to_string(),
    })
}

/// An upload checked in the group: its answer so far, and where its
/// accepted events sit among the group's.
struct Checked {
    ack: BatchAck,
    events: std::ops::Range<usize>,
    purges: Vec<(Uuid, Uuid)>,
}

/// Stores uploads that arrived together in one transaction; the answers are
/// in the order of `batches`. An error of the whole (the commit, a lost
/// connection) is the function's.
pub(super) async fn ingest_group(
    client: &mut deadpool_postgres::Client,
    batches: &[&IncomingBatch],
    now: DateTime<Utc>,
) -> Result<Vec<Result<BatchAck>>> {
    let now = now.trunc_subsecs(6);
    let mut tx = client.transaction().await?;
    // Every head of the group, locked in device order before anything else.
    let mut devices: Vec<Uuid> = batches.iter().map(|b| b.device_id).collect();
    devices.sort();
    devices.dedup();
    let zero = common::zero_head(Uuid::nil()).last_hash;
    tx.execute(
        "INSERT INTO device_heads (device_id, acked_seq, last_hash)
         SELECT d, 0, $2 FROM UNNEST($1::uuid[]) AS d ON CONFLICT DO NOTHING",
        &[&devices, &zero],
    )
    .await?;
    tx.execute(
        "SELECT 1 FROM device_heads WHERE device_id = ANY($1) ORDER BY device_id FOR UPDATE",
        &[&devices],
    )
    .await?;
    // The counter before any check: if it has not moved when this group
    // takes it, no event was stored since, and the checks' view of the ids
    // taken is still whole.
    let seen: i64 = tx
        .query_one("SELECT last FROM hub_counter WHERE id = 1", &[])
        .await?
        .try_get(0)?;
    let mut new = NewEvents::default();
    let mut answers: Vec<Result<Checked>> = Vec::with_capacity(batches.len());
    for batch in batches {
        let savepoint = tx.transaction().await?;
        let start = new.ids.len();
        match check_one(&savepoint, batch, now, &mut new).await {
            Ok((ack, purges)) => {
                savepoint.commit().await?;
                answers.push(Ok(Checked {
                    ack,
                    events: start..new.ids.len(),
                    purges,
                }));
            }
            Err(e) => {
                savepoint.rollback().await?;
                new.truncate(start);
                answers.push(Err(e));
            }
        }
    }
    // The accepted events of the whole group, numbered last.
    if !new.ids.is_empty() {
        let inserted = insert_numbered(&tx, &new, seen, now).await?;
        for checked in answers.iter_mut().flatten() {
            for i in checked.events.clone() {
                if inserted.contains(&(new.devices[i], new.seqs[i])) {
                    checked.ack.stored += 1;
                } else {
                    // An id another instance stored after our check: that
                    // one keeps it.
                    checked.ack.quarantined.push(
                        quarantine_row(
                            &tx,
                            new.devices[i],
                            new.seqs[i],
                            &new.links[i],
                            &new.raw[i],
                            Some(new.ids[i]),
                            common::DUPLICATE_ID,
                            now,
                        )
                        .await?,
                    );
                }
            }
        }
    }
    for checked in answers.iter().flatten() {
        for (case_id, purge_id) in &checked.purges {
            stub_case(&tx, *case_id, *purge_id).await?;
        }
    }
    tx.commit().await?;
    Ok(answers
        .into_iter()
        .map(|a| {
            a.map(|mut c| {
                c.ack.quarantined.sort_by_key(|q| q.seq);
                c.ack
            })
        })
        .collect())
}

/// Checks one upload inside the group's transaction: its chain against the
/// device's head, each event's verdict, the refused ones quarantined, the
/// head moved; its accepted events are added to `new`, not yet inserted.
async fn check_one(
    tx: &Transaction<'_>,
    batch: &IncomingBatch,
    now: DateTime<Utc>,
    new: &mut NewEvents,
) -> Result<(BatchAck, Vec<(Uuid, Uuid)>)> {
    let device_id = batch.device_id;
    let row = tx
        .query_one(
            "SELECT acked_seq, last_hash FROM device_heads WHERE device_id = $1",
            &[&device_id],
        )
        .await?;
    let head = DeviceHead {
        device_id,
        acked_seq: row.try_get(0)?,
        last_hash: row.try_get(1)?,
    };
    let stored = match common::replayed_range(&head, batch) {
        Some((from, to)) => stored_links(tx, device_id, from, to).await?,
        None => HashMap::new(),
    };
    let split = split_at_head(&head, batch, &stored)?;
    let mut ack = common::ack_at_head(head, &split);
    let Some(last) = split.fresh.last() else {
        return Ok((ack, Vec::new()));
    };

    let accepted = plan::candidate_ids(split.fresh);
    let taken: HashSet<Uuid> = tx
        .query("SELECT id FROM events WHERE id = ANY($1)", &[&accepted])
        .await?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<Result<_, _>>()?;
    // With the ids earlier uploads of the group took, not yet inserted.
    let mut taken = taken;
    taken.extend(new.ids.iter().copied());
    let repeated = common::repeated_ids(split.fresh, &taken);
    let (opens, touched) = CaseBook::wanted(split.fresh, &repeated);
    let mut book = case_book(tx, &opens, &touched).await?;
    let facts = facts(tx, &Needs::of(split.fresh, &repeated, &book)).await?;
    let plan = plan::plan(split.fresh, &repeated, &mut book, &facts, now.date_naive());
    for step in &plan.steps {
        let keep = match step {
            Step::Quarantine { event, id, reason } => {
                ack.quarantined
                    .push(quarantine_event(tx, device_id, event, *id, reason, now).await?);
                continue;
            }
            Step::Store(keep) => keep,
        };
        if let Some(case_id) = keep.purges {
            tx.execute(
                "UPDATE hub_cases SET purged_by = $2 WHERE case_id = $1",
                &[&case_id, &keep.id],
            )
            .await?;
        }
        if let Some(unit) = keep.unit {
            upsert_unit(&**tx, unit).await?;
        }
        new.devices.push(device_id);
        new.ids.push(keep.id);
        new.seqs.push(keep.event.seq);
        new.hlcs.push(keep.hlc);
        new.kinds.push(keep.kind.to_string());
        new.origins.push(keep.origin.clone());
        new.cases.push(keep.case_id);
        new.bytes.push(keep.bytes.to_vec());
        new.raw.push(keep.event.bytes.clone());
        new.links.push(keep.event.link.clone());
    }
    tx.execute(
        "UPDATE device_heads SET acked_seq = $2, last_hash = $3 WHERE device_id = $1",
        &[&device_id, &last.seq, &last.link],
    )
    .await?;
    if !ack.quarantined.is_empty() {
        let row = tx
            .query_one(
                "SELECT count(*), coalesce(sum(length(bytes)), 0)::bigint FROM quarantine WHERE device_id = $1",
                &[&device_id],
            )
            .await?;
        let (events, bytes): (i64, i64) = (row.try_get(0)?, row.try_get(1)?);
        if let Some(refusal) = batch.quarantine_bound.refusal(events as u64, bytes as u64) {
            return Err(ServerError::QuarantineFull(refusal));
        }
    }
    ack.acked_seq = last.seq;
    ack.last_hash = last.link.clone();
    Ok((ack, plan.purges))
}

/// Numbers the events from the counter and inserts them: the last writes
/// before the commit, so the counter's lock is held as briefly as possible.
/// Returns the (device, sequence number) of each inserted. The counter's
/// lock is taken first: another instance storing events holds it until its
/// commit, so once this group has it, every event stored elsewhere is
/// visible. An id one of them took after this group's check is skipped
/// (leaving a gap in `hub_seq`, which readers do not mind); the rest cannot
/// collide and go in by binary COPY, the database's fastest way. `seen` is
/// the counter as the group read it before its checks: if no one has moved
/// it since, no one stored an event since, and the ids need no second look.
async fn insert_numbered(
    tx: &Transaction<'_>,
    new: &NewEvents,
    seen: i64,
    now: DateTime<Utc>,
) -> Result<HashSet<(Uuid, i64)>> {
    use tokio_postgres::types::ToSql;
    let count = new.ids.len() as i64;
    let counter = tx
        .prepare_cached("UPDATE hub_counter SET last = last + $1 WHERE id = 1 RETURNING last")
        .await?;
    let last: i64 = tx.query_one(&counter, &[&count]).await?.try_get(0)?;
    let late: HashSet<Uuid> = if last - count == seen {
        HashSet::new()
    } else {
        tx.query("SELECT id FROM events WHERE id = ANY($1)", &[&new.ids])
            .await?
            .iter()
            .map(|r| r.try_get(0))
            .collect::<Result<_, _>>()?
    };
    let sink = tx.copy_in(super::EVENTS_COPY).await?;
    let writer =
        tokio_postgres::binary_copy::BinaryCopyInWriter::new(sink, &super::EVENTS_COPY_TYPES);
    let mut writer = std::pin::pin!(writer);
    let mut inserted = HashSet::with_capacity(new.ids.len());
    for i in 0..new.ids.len() {
        if late.contains(&new.ids[i]) {
            continue;
        }
        let hub_seq = last - count + 1 + i as i64;
        let row: [&(dyn ToSql + Sync); 11] = [
            &hub_seq,
            &new.ids[i],
            &new.devices[i],
            &new.seqs[i],
            &new.hlcs[i],
            &new.kinds[i],
            &new.origins[i],
            &new.cases[i],
            &new.bytes[i],
            &new.links[i],
            &now,
        ];
        writer.as_mut().write(&row).await?;
        inserted.insert((new.devices[i], new.seqs[i]));
    }
    writer.finish().await?;
    Ok(inserted)
}

impl NewEvents {
    /// Forgets the events from `len` on (an upload whose savepoint was
    /// rolled back).
    fn truncate(&mut self, len: usize) {
        self.devices.truncate(len);
        self.ids.truncate(len);
        self.seqs.truncate(len);
        self.hlcs.truncate(len);
        self.kinds.truncate(len);
        self.origins.truncate(len);
        self.cases.truncate(len);
        self.bytes.truncate(len);
        self.raw.truncate(len);
        self.links.truncate(len);
    }
}
