//! The event log itself: appending this device's events (sequence, clock,
//! chain link), taking in events from elsewhere, and the state of this
//! ledger's sync kept beside them.

use super::{IngestReport, Ledger, fold, parse_uuid};
use crate::chain;
use crate::error::{Entity, LedgerError, Result};
use crate::event::{Event, EventBody, MAX_EVENT_BYTES, SCHEMA_VERSION, body};
use crate::hlc::{Hlc, HlcClock, wall_millis};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

/// One of this device's events as stored: the bytes it was first written
/// as, and its chain link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnEvent {
    pub seq: i64,
    pub raw: Vec<u8>,
    /// Chain link after this event, hex.
    pub link: String,
}

/// Appends a local event: checks it against the current state, folds it,
/// stores it with its chain link. The caller commits.
pub(super) fn append(
    tx: &Transaction<'_>,
    clock: &mut HlcClock,
    actor: Option<String>,
    body: EventBody,
) -> Result<Event> {
    write_own(tx, clock, actor, body, true)
}

/// Appends a local event that is kept even if a rule refuses it (its outcome
/// says why): for events a person already recorded once.
pub(super) fn append_folded(
    tx: &Transaction<'_>,
    clock: &mut HlcClock,
    actor: Option<String>,
    body: EventBody,
) -> Result<Event> {
    write_own(tx, clock, actor, body, false)
}

fn write_own(
    tx: &Transaction<'_>,
    clock: &mut HlcClock,
    actor: Option<String>,
    body: EventBody,
    strict: bool,
) -> Result<Event> {
    // A new event is checked against the state as it is: a fold a download
    // left pending is done first.
    fold::settle(tx)?;
    let (device, unit, seq, last_link, stored_hlc): (String, String, i64, String, i64) = tx
        .query_row(
            "SELECT device_id, unit_code, next_seq, last_link, hlc FROM device WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?
        .ok_or_else(|| LedgerError::not_found(Entity::Ledger, "请先运行 init 初始化本机台账"))?;
    // Another handle on this file (the desktop app's sync thread) may have
    // taken in later stamps since this one last looked.
    let now = wall_millis();
    clock.observe(Hlc::from_raw(stored_hlc), now);
    let event = Event {
        id: uuid::Uuid::now_v7(),
        device: parse_uuid(&device)?,
        seq,
        hlc: clock.tick(now),
        schema: SCHEMA_VERSION,
        unit,
        actor,
        body,
    };
    // Only an event from a clock months ahead, which this clock declined to
    // follow, can sort after a new local one: then the projection is folded
    // again, so that it is the one every replica computes.
    let sorts_early = fold::last_folded(tx)? > event.order_key();
    let raw = serde_json::to_string(&event)?;
    if raw.len() > MAX_EVENT_BYTES {
        return Err(LedgerError::invalid(
            "event",
            format!(
                "这条记录过大（{} KB，最多 {} KB），请精简文字或分几次登记",
                raw.len() / 1024,
                MAX_EVENT_BYTES / 1024
            ),
        ));
    }
    let prev = chain::from_hex(&last_link).unwrap_or(chain::GENESIS);
    let link = chain::to_hex(&chain::next(&prev, raw.as_bytes()));
    if strict {
        // Rules first: a refused event leaves no trace.
        fold::apply(tx, &event)?;
        insert_event(tx, &event, &raw, Some(&link))?;
        fold::record_outcome(tx, &event, None)?;
    } else {
        insert_event(tx, &event, &raw, Some(&link))?;
        fold::fold_event(tx, &event)?;
    }
    if sorts_early {
        fold::refold(tx)?;
    }
    tx.execute(
        "UPDATE device SET next_seq = next_seq + 1, last_link = ?2, hlc = max(hlc, ?1) WHERE id = 1",
        params![event.hlc.raw(), link],
    )?;
    Ok(event)
}

/// A chain link as the log keeps it (32 bytes) from its hex text.
fn link_bytes(hex_text: &str) -> Result<Vec<u8>> {
    hex::decode(hex_text).map_err(|_| LedgerError::State(format!("哈希值格式不正确：{hex_text}")))
}

/// A chain link's hex text from the log's bytes.
pub(super) fn link_text(bytes: Option<Vec<u8>>) -> Option<String> {
    bytes.map(hex::encode)
}

pub(super) fn insert_event(
    conn: &Connection,
    ev: &Event,
    raw: &str,
    link: Option<&str>,
) -> Result<()> {
    conn.execute(
        "INSERT INTO events (id, device, seq, hlc, schema, unit, actor, kind, case_id, raw, link, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            ev.id,
            ev.device,
            ev.seq,
            ev.hlc.raw(),
            ev.schema,
            ev.unit,
            ev.actor,
            ev.body.kind(),
            ev.body.case_id(),
            super::packed::pack(raw),
            link.map(link_bytes).transpose()?,
            chrono::Utc::now().timestamp_millis(),
        ],
    )?;
    Ok(())
}

impl Ledger {
    /// Takes in events written elsewhere (sync, a USB bundle). Events already
    /// present are skipped; a known id with different content is refused and
    /// nothing of the batch is kept. One transaction.
    ///
    /// A ledger enrolled at a hub takes other devices' events only from the
    /// hub's feed, where each was checked against the device that signed
    /// it: a file could claim any device and unit.
    pub fn ingest(&mut self, events: &[Event]) -> Result<IngestReport> {
        if !self.trusted_hubs()?.is_empty() {
            return Err(LedgerError::NotYours(
                "本机已注册到同步中心：其他设备的记录只能经同步中心取得，不能从文件导入（U 盘包请在同步中心导入）"
                    .into(),
            ));
        }
        let raws = events
            .iter()
            .map(serde_json::to_string)
            .collect::<Result<Vec<_>, _>>()?;
        let pairs: Vec<(&Event, &str)> =
            events.iter().zip(raws.iter().map(String::as_str)).collect();
        self.ingest_with_state(&pairs, &[], false)
    }

    /// Takes in events as the bytes their devices wrote (a hub's feed), and
    /// sets `state` keys in the same transaction: a page and its cursor are
    /// saved together or not at all. An event that does not parse refuses
    /// the whole page.
    pub fn ingest_raw(
        &mut self,
        raws: &[Vec<u8>],
        state: &[(&str, String)],
    ) -> Result<IngestReport> {
        self.ingest_raw_with(raws, state, false)
    }

    /// As `ingest_raw`, for one frame of a download among many: when the
    /// events belong before what is folded, the fold is left pending
    /// (`settle` does it once, at the end) instead of done again for every
    /// frame. The events and the cursor are kept at once, as always.
    pub fn ingest_raw_deferred(
        &mut self,
        raws: &[Vec<u8>],
        state: &[(&str, String)],
    ) -> Result<IngestReport> {
        self.ingest_raw_with(raws, state, true)
    }

    /// Folds what a deferred ingest left pending; says whether there was.
    pub fn settle(&mut self) -> Result<bool> {
        let tx = self.conn.transaction()?;
        let settled = fold::settle(&tx)?;
        tx.commit()?;
        Ok(settled)
    }

    fn ingest_raw_with(
        &mut self,
        raws: &[Vec<u8>],
        state: &[(&str, String)],
        defer: bool,
    ) -> Result<IngestReport> {
        let mut parsed = Vec::with_capacity(raws.len());
        for raw in raws {
            let text = std::str::from_utf8(raw)
                .map_err(|_| LedgerError::invalid("event", "收到的事件不是有效的 UTF-8 文本"))?;
            parsed.push((serde_json::from_str::<Event>(text)?, text));
        }
        let pairs: Vec<(&Event, &str)> = parsed.iter().map(|(e, t)| (e, *t)).collect();
        self.ingest_with_state(&pairs, state, defer)
    }

    fn ingest_with_state(
        &mut self,
        events: &[(&Event, &str)],
        state: &[(&str, String)],
        defer: bool,
    ) -> Result<IngestReport> {
        let me = self.device().ok().map(|d| d.device_id);
        // The clock moves only if the transaction commits.
        let mut clock = self.clock;
        let now = wall_millis();
        let tx = self.conn.transaction()?;
        let mut report = IngestReport::default();
        let mut fresh: Vec<&Event> = Vec::new();
        for (ev, raw) in events {
            let existing: Option<String> = tx
                .query_row("SELECT raw FROM events WHERE id = ?1", [ev.id], |r| {
                    r.get::<_, Vec<u8>>(0)
                })
                .optional()?
                .map(|raw| super::packed::unpack(&raw))
                .transpose()?;
            match existing {
                Some(stored) if same_event(&serde_json::from_str::<Event>(&stored)?, ev) => {
                    report.duplicates += 1
                }
                Some(_) => return Err(LedgerError::EventMismatch(ev.id)),
                None if Some(ev.device) == me => {
                    // Our own event that we no longer have: only a restore
                    // or a copy does that, and the sync recovery handles it.
                    return Err(LedgerError::State(format!(
                        "收到本机自己的第{}条事件而本机没有它：本机台账可能是从旧备份恢复的",
                        ev.seq
                    )));
                }
                None => {
                    insert_event(&tx, ev, raw, None)?;
                    clock.observe(ev.hlc, now);
                    fresh.push(ev);
                    report.inserted += 1;
                }
            }
        }
        fresh.sort_by_key(|e| e.order_key());
        let pending = fold::pending(&tx)?;
        if let Some(first) = fresh.first() {
            if !pending && fold::last_folded(&tx)? < first.order_key() {
                for ev in &fresh {
                    fold::fold_event(&tx, ev)?;
                }
            } else if defer {
                fold::mark_pending(&tx)?;
            } else {
                fold::refold(&tx)?;
                report.refolded = true;
            }
        } else if pending && !defer {
            fold::refold(&tx)?;
            report.refolded = true;
        }
        tx.execute(
            "UPDATE device SET hlc = max(hlc, ?1) WHERE id = 1",
            [clock.last().raw()],
        )?;
        for (key, value) in state {
            set_state(&tx, key, value)?;
        }
        tx.commit()?;
        self.clock = clock;
        if fresh
            .iter()
            .any(|e| matches!(e.body, EventBody::CasePurged(_)))
        {
            self.scrub_files()?;
        }
        Ok(report)
    }

    /// Takes the unit tree and the county-wide settings from this hub's
    /// administrator from now on (learned at enrollment). Events this ledger
    /// already holds are folded again under the rule: settings that only a
    /// hub may make stop applying when another device made them.
    pub fn trust_hub(&mut self, hub: uuid::Uuid) -> Result<()> {
        let tx = self.conn.transaction()?;
        let added = tx.execute(
            "INSERT INTO trusted_hubs (device) VALUES (?1) ON CONFLICT (device) DO NOTHING",
            [hub.to_string()],
        )?;
        if added > 0 {
            fold::refold(&tx)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The hubs whose administrator this ledger takes settings from.
    pub fn trusted_hubs(&self) -> Result<Vec<uuid::Uuid>> {
        let mut stmt = self
            .conn
            .prepare("SELECT device FROM trusted_hubs ORDER BY device")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        rows.map(|r| parse_uuid(&r?)).collect()
    }

    /// This device's events after `after_seq`, in order, at most `limit`.
    pub fn own_events_after(&self, after_seq: i64, limit: u32) -> Result<Vec<OwnEvent>> {
        let device = self.device()?;
        let mut stmt = self.conn.prepare(
            "SELECT seq, raw, link FROM events WHERE device = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
        )?;
        let rows = stmt.query_map(params![device.device_id, after_seq, limit], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, Vec<u8>>(1)?,
                link_text(r.get(2)?).unwrap_or_default(),
            ))
        })?;
        rows.map(|row| {
            let (seq, raw, link) = row?;
            Ok(OwnEvent {
                seq,
                raw: super::packed::unpack(&raw)?.into_bytes(),
                link,
            })
        })
        .collect()
    }

    /// The chain link after this device's event `seq` (the genesis link for 0).
    pub fn own_link(&self, seq: i64) -> Result<Option<String>> {
        if seq == 0 {
            return Ok(Some(chain::to_hex(&chain::GENESIS)));
        }
        let device = self.device()?;
        Ok(self
            .conn
            .query_row(
                "SELECT link FROM events WHERE device = ?1 AND seq = ?2",
                params![device.device_id, seq],
                |r| Ok(link_text(r.get(0)?)),
            )
            .optional()?
            .flatten())
    }

    pub fn sync_value(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM sync_state WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Sets several sync values in one transaction.
    pub fn set_sync_values(&mut self, values: &[(&str, String)]) -> Result<()> {
        let tx = self.conn.transaction()?;
        for (key, value) in values {
            set_state(&tx, key, value)?;
        }
        tx.commit()?;
        Ok(())
    }
}

/// The same event, or the same event with one side stubbed by a purge
/// (the hub serves stubs of a purged case's events; this ledger may hold
/// the content still, or the stub already).
fn same_event(stored: &Event, incoming: &Event) -> bool {
    if stored == incoming {
        return true;
    }
    let stub_of = |stub: &Event, other: &Event| match &stub.body {
        EventBody::Redacted(body::Redacted { purged_by, .. }) => {
            other.redacted(*purged_by).is_some_and(|s| {
                (s.id, s.device, s.seq, s.hlc, &s.body)
                    == (stub.id, stub.device, stub.seq, stub.hlc, &stub.body)
            })
        }
        _ => false,
    };
    stub_of(stored, incoming) || stub_of(incoming, stored)
}

fn set_state(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO sync_state (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}
