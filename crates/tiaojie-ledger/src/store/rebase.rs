//! Recovering a ledger restored from an old backup, or copied from another
//! laptop: the hub holds events of this device that the ledger lacks or has
//! differently. The hub's record wins for the sequence numbers it holds;
//! what this ledger wrote there on its own is kept and written again after
//! them, as new events. Nothing is lost and nothing is doubled.

use super::{Ledger, fold, log};
use crate::chain;
use crate::error::{LedgerError, Result};
use crate::event::{Event, EventBody};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RebaseReport {
    /// This device's events taken back from the hub.
    pub restored: usize,
    /// Events written here that the hub never had, written again as new.
    pub rewritten: usize,
}

impl Ledger {
    /// Replaces this device's events from `from_seq` on with `hub_events`
    /// (the hub's raw bytes for seqs `from_seq`, `from_seq + 1`, ...), then
    /// appends again, as new events, what this ledger had written there.
    pub fn rebase_own(&mut self, from_seq: i64, hub_events: &[Vec<u8>]) -> Result<RebaseReport> {
        let device = self.device()?;
        if from_seq < 1 {
            return Err(LedgerError::invalid("from_seq", "序号应从1开始"));
        }
        let prev = self
            .own_link(from_seq - 1)?
            .and_then(|l| chain::from_hex(&l))
            .ok_or_else(|| {
                LedgerError::State(format!("本机没有第{}条记录，无法从这里接上", from_seq - 1))
            })?;
        let mut incoming = Vec::with_capacity(hub_events.len());
        for (i, raw) in hub_events.iter().enumerate() {
            let text = std::str::from_utf8(raw)
                .map_err(|_| LedgerError::invalid("event", "同步中心返回的记录不是有效的文本"))?;
            let ev: Event = serde_json::from_str(text)?;
            if ev.device != device.device_id || ev.seq != from_seq + i as i64 {
                return Err(LedgerError::State(format!(
                    "同步中心返回的第{}条记录与本机不符",
                    from_seq + i as i64
                )));
            }
            // A stub of a purged case cannot be linked again from its
            // bytes: the link written with the content is needed, and only
            // this ledger's own copy of the event has it.
            let kept_link = match ev.body {
                EventBody::Redacted(_) => Some(
                    self.conn
                        .query_row(
                            "SELECT link FROM events WHERE id = ?1 AND device = ?2 AND seq = ?3",
                            params![ev.id, ev.device, ev.seq],
                            |r| Ok(super::log::link_text(r.get(0)?)),
                        )
                        .optional()?
                        .flatten()
                        .and_then(|l| chain::from_hex(&l))
                        .ok_or_else(|| {
                            LedgerError::State(format!(
                                "同步中心的第{}条记录已按保管期限清除内容，本机没有它原来的哈希，无法由同步中心恢复：请从备份恢复本机台账",
                                ev.seq
                            ))
                        })?,
                ),
                _ => None,
            };
            incoming.push((ev, text.to_string(), kept_link));
        }
        let mine: Vec<Event> = self
            .own_events_after(from_seq - 1, u32::MAX)?
            .into_iter()
            .map(|e| serde_json::from_slice(&e.raw))
            .collect::<Result<_, _>>()?;
        // Ours that the hub has too (same id) are not ours alone.
        let hub_ids: std::collections::HashSet<uuid::Uuid> =
            incoming.iter().map(|(e, _, _)| e.id).collect();
        let only_here: Vec<Event> = mine
            .into_iter()
            .filter(|e| !hub_ids.contains(&e.id))
            .collect();

        let tx = self.conn.transaction()?;
        tx.execute("INSERT INTO log_repair (reason) VALUES ('rebase')", [])?;
        tx.execute(
            "DELETE FROM events WHERE device = ?1 AND seq >= ?2",
            params![device.device_id, from_seq],
        )?;
        tx.execute("DELETE FROM log_repair", [])?;
        let mut link = prev;
        for (ev, raw, kept) in &incoming {
            link = kept.unwrap_or_else(|| chain::next(&link, raw.as_bytes()));
            log::insert_event(&tx, ev, raw, Some(&chain::to_hex(&link)))?;
            self.clock.observe(ev.hlc, crate::hlc::wall_millis());
        }
        let next_seq = from_seq + incoming.len() as i64;
        tx.execute(
            "UPDATE device SET next_seq = ?1, last_link = ?2 WHERE id = 1",
            params![next_seq, chain::to_hex(&link)],
        )?;
        fold::refold(&tx)?;
        // Written again after the hub's record, in their old order; a rule
        // the hub's events now break leaves the event refused but kept.
        for ev in &only_here {
            log::append_folded(&tx, &mut self.clock, ev.actor.clone(), ev.body.clone())?;
        }
        tx.commit()?;
        Ok(RebaseReport {
            restored: incoming.len(),
            rewritten: only_here.len(),
        })
    }
}
