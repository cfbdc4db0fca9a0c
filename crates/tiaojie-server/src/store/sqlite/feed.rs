//! Reading the SQLite event log: the feed, a device's own events,
//! quarantine.

use super::records::{get_opt_uuid, get_ts, get_uuid};
use crate::error::Result;
use crate::store::common::{cut_page, probe_rows};
use crate::store::{ChainRow, FeedPage, FeedRequest, QuarantineRow};
use rusqlite::{Connection, params};
use std::collections::HashMap;
use tiaojie_sync::wire::DeviceHead;
use uuid::Uuid;

/// Events another device of `units` may see: hub-wide ones and those of its units.
const VISIBLE: &str =
    "device_id <> ?1 AND (origin_unit IS NULL OR origin_unit IN (SELECT value FROM json_each(?2)))";

pub(super) fn feed(conn: &Connection, request: &FeedRequest) -> Result<FeedPage> {
    let device = request.device_id.to_string();
    let units = serde_json::to_string(&request.units).expect("a list of strings always serialises");
    let mut stmt = conn.prepare(&format!(
        "SELECT hub_seq, length(bytes) FROM events WHERE hub_seq > ?3 AND {VISIBLE} ORDER BY hub_seq LIMIT ?4"
    ))?;
    let next: Vec<(i64, i64)> = stmt
        .query_map(
            params![device, units, request.after, probe_rows(request.limit)],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?
        .collect::<rusqlite::Result<_>>()?;
    let sizes: Vec<usize> = next.iter().map(|(_, size)| *size as usize).collect();
    let (taken, more) = cut_page(&sizes, request.limit, request.max_bytes);
    let Some(&(cursor, _)) = taken.checked_sub(1).and_then(|i| next.get(i)) else {
        return Ok(FeedPage {
            events: Vec::new(),
            seqs: Vec::new(),
            cursor: request.after,
            more,
        });
    };
    let mut stmt = conn.prepare(&format!(
        "SELECT hub_seq, bytes FROM events WHERE hub_seq > ?3 AND hub_seq <= ?4 AND {VISIBLE} ORDER BY hub_seq"
    ))?;
    let (seqs, events) = stmt
        .query_map(params![device, units, request.after, cursor], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .unzip();
    Ok(FeedPage {
        events,
        seqs,
        cursor,
        more,
    })
}

pub(super) fn device_events(
    conn: &Connection,
    device_id: Uuid,
    after_seq: i64,
    limit: u32,
) -> Result<Vec<(i64, Vec<u8>)>> {
    let mut stmt = conn.prepare(
        "SELECT seq, bytes FROM events WHERE device_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
    )?;
    let rows = stmt.query_map(params![device_id.to_string(), after_seq, limit], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(super) fn quarantine(conn: &Connection) -> Result<Vec<QuarantineRow>> {
    let mut stmt = conn.prepare(
        "SELECT device_id, seq, event_id, reason, received_at FROM quarantine ORDER BY received_at, device_id, seq",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(QuarantineRow {
            device_id: get_uuid(r, 0)?,
            seq: r.get(1)?,
            event_id: get_opt_uuid(r, 2)?,
            reason: r.get(3)?,
            received_at: get_ts(r, 4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(super) fn heads(conn: &Connection) -> Result<Vec<DeviceHead>> {
    let mut stmt = conn
        .prepare("SELECT device_id, acked_seq, last_hash FROM device_heads ORDER BY device_id")?;
    let rows = stmt.query_map([], |r| {
        Ok(DeviceHead {
            device_id: get_uuid(r, 0)?,
            acked_seq: r.get(1)?,
            last_hash: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(super) fn chain_rows(
    conn: &Connection,
    device_id: Uuid,
    after_seq: i64,
    limit: u32,
) -> Result<Vec<ChainRow>> {
    let mut stmt = conn.prepare(
        "SELECT seq, bytes, link FROM events WHERE device_id = ?1 AND seq > ?2
         UNION ALL
         SELECT seq, bytes, link FROM quarantine WHERE device_id = ?1 AND seq > ?2
         ORDER BY seq LIMIT ?3",
    )?;
    let rows = stmt.query_map(params![device_id.to_string(), after_seq, limit], |r| {
        Ok(ChainRow {
            seq: r.get(0)?,
            bytes: r.get(1)?,
            link: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(super) fn purged_cases(conn: &Connection) -> Result<HashMap<Uuid, Uuid>> {
    let mut stmt =
        conn.prepare("SELECT case_id, purged_by FROM hub_cases WHERE purged_by IS NOT NULL")?;
    let rows = stmt.query_map([], |r| Ok((get_uuid(r, 0)?, get_uuid(r, 1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(super) fn event_count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM events", [], |r| r.get(0))?)
}
