//! Checking this device's hash chain: every own event, in sequence order, is
//! there, says it is the event at its place, and links to the one before.
//! A changed, removed or moved event is named by its position.

use super::Ledger;
use crate::chain;
use crate::error::Result;
use crate::event::{Event, EventBody, body};
use rusqlite::params;
use serde::Serialize;
use std::collections::HashSet;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakKind {
    /// An event of the sequence is not in the log.
    Missing,
    /// The event's bytes are not what was linked when it was written.
    Modified,
    /// The event at this place says it belongs at another.
    Reordered,
    /// The events are consistent but the device's record of its latest
    /// link or sequence number is not.
    Head,
}

/// The first broken link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainBreak {
    /// The sequence number (position) where the chain breaks.
    pub seq: i64,
    pub event_id: Option<Uuid>,
    pub kind: BreakKind,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainReport {
    pub device: Uuid,
    /// Events checked before the break (all of them when intact).
    pub checked: u64,
    /// Of those, events whose content a purge replaced: their stored link
    /// is taken as written (a purge event in the log must name their case),
    /// and the next event must continue from it.
    pub redacted: u64,
    /// The link after the last good event.
    pub head: String,
    pub broken: Option<ChainBreak>,
}

impl ChainReport {
    pub fn intact(&self) -> bool {
        self.broken.is_none()
    }
}

impl Ledger {
    /// Walks this device's own events from the first and stops at the first
    /// broken link.
    pub fn verify_chain(&self) -> Result<ChainReport> {
        let device = self.device()?;
        let (next_seq, last_link): (i64, String) = self.conn().query_row(
            "SELECT next_seq, last_link FROM device WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let mut stmt = self
            .conn()
            .prepare("SELECT seq, id, raw, link FROM events WHERE device = ?1 ORDER BY seq")?;
        let mut rows = stmt.query(params![device.device_id])?;
        let purges = self.purges()?;
        let mut link = chain::GENESIS;
        let mut expected = 1i64;
        let mut checked = 0u64;
        let mut redacted = 0u64;
        let report = |checked, redacted, link: &chain::Link, broken| ChainReport {
            device: device.device_id,
            checked,
            redacted,
            head: chain::to_hex(link),
            broken,
        };
        while let Some(r) = rows.next()? {
            let seq: i64 = r.get(0)?;
            let id = r.get::<_, uuid::Uuid>(1)?.to_string();
            // A stored event that no longer unpacks reads as no event, which
            // the check below names as unreadable.
            let raw = super::packed::unpack(&r.get::<_, Vec<u8>>(2)?).unwrap_or_default();
            let stored = super::log::link_text(r.get(3)?);
            if seq != expected {
                let message = format!("第 {expected} 条事件缺失（下一条是第 {seq} 条）");
                return Ok(report(
                    checked,
                    redacted,
                    &link,
                    Some(gap(expected, message)),
                ));
            }
            let place = Place {
                seq,
                id: &id,
                raw: &raw,
                stored: stored.as_deref(),
            };
            match next_link(&link, &place, device.device_id, &purges) {
                Ok((next, stub)) => {
                    link = next;
                    redacted += u64::from(stub);
                }
                Err(b) => return Ok(report(checked, redacted, &link, Some(b))),
            }
            checked += 1;
            expected += 1;
        }
        let broken = if expected != next_seq {
            Some(gap(
                expected,
                format!("第 {expected} 条至第 {} 条事件缺失", next_seq - 1),
            ))
        } else if last_link != chain::to_hex(&link) {
            Some(ChainBreak {
                seq: expected - 1,
                event_id: None,
                kind: BreakKind::Head,
                message: "本机记录的最新哈希与事件不符".into(),
            })
        } else {
            None
        };
        Ok(report(checked, redacted, &link, broken))
    }

    /// The purge events in the log: their ids and cases.
    fn purges(&self) -> Result<HashSet<(Uuid, Uuid)>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT raw FROM events WHERE kind = 'case_purged'")?;
        let raws = stmt
            .query_map([], |r| r.get::<_, Vec<u8>>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut out = HashSet::new();
        for raw in raws {
            if let Ok(raw) = super::packed::unpack(&raw)
                && let Ok(ev) = serde_json::from_str::<Event>(&raw)
                && let EventBody::CasePurged(body::CasePurged { case_id, .. }) = ev.body
            {
                out.insert((ev.id, case_id));
            }
        }
        Ok(out)
    }
}

/// One own event as stored.
struct Place<'a> {
    seq: i64,
    id: &'a str,
    raw: &'a str,
    stored: Option<&'a str>,
}

fn gap(seq: i64, message: String) -> ChainBreak {
    ChainBreak {
        seq,
        event_id: None,
        kind: BreakKind::Missing,
        message,
    }
}

/// The link after event `seq` if it is the event written at that place
/// (and whether it is a purge's stub), else where and how it is not.
fn next_link(
    link: &chain::Link,
    place: &Place<'_>,
    device: Uuid,
    purges: &HashSet<(Uuid, Uuid)>,
) -> std::result::Result<(chain::Link, bool), ChainBreak> {
    let seq = place.seq;
    let event_id = Uuid::parse_str(place.id).ok();
    let brk = |kind, message: String| ChainBreak {
        seq,
        event_id,
        kind,
        message,
    };
    let ev: Event = serde_json::from_str(place.raw).map_err(|_| {
        brk(
            BreakKind::Modified,
            format!("第 {seq} 条事件的内容已无法读取"),
        )
    })?;
    if ev.device != device || ev.seq != seq {
        return Err(brk(
            BreakKind::Reordered,
            format!("第 {seq} 条位置上是本应在第 {} 条的事件", ev.seq),
        ));
    }
    if Some(ev.id) != event_id {
        return Err(brk(
            BreakKind::Modified,
            format!("第 {seq} 条事件的编号与内容不符"),
        ));
    }
    if let EventBody::Redacted(body::Redacted {
        case_id, purged_by, ..
    }) = ev.body
    {
        // The content is gone; the link written with it stays.
        if !purges.contains(&(purged_by, case_id)) {
            return Err(brk(
                BreakKind::Modified,
                format!("第 {seq} 条事件的内容被清除，但台账中没有相应的清除记录"),
            ));
        }
        return place
            .stored
            .and_then(chain::from_hex)
            .map(|l| (l, true))
            .ok_or_else(|| {
                brk(
                    BreakKind::Modified,
                    format!("第 {seq} 条事件已清除内容，且缺少写入时的哈希"),
                )
            });
    }
    let next = chain::next(link, place.raw.as_bytes());
    if place.stored != Some(chain::to_hex(&next).as_str()) {
        return Err(brk(
            BreakKind::Modified,
            format!("第 {seq} 条事件与写入时的内容不同（哈希链在此断开）"),
        ));
    }
    Ok((next, false))
}
