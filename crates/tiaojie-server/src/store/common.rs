//! Rules both hub stores apply the same way: where an uploaded batch meets
//! the device's head, and where a feed page is cut. The stores only fetch
//! what these functions need and write what they decide.

use crate::error::{Result, ServerError};
use crate::store::{IncomingBatch, IncomingEvent, PurgeClaim, PurgeFacts, Reach, Verdict};
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};
use tiaojie_ledger::event::body;
use tiaojie_ledger::store::purge;
use tiaojie_ledger::{Event, EventBody};
use tiaojie_sync::chain;
use tiaojie_sync::wire::{BatchAck, DeviceHead};
use uuid::Uuid;

/// The head of a device the hub has nothing of.
pub(crate) fn zero_head(device_id: Uuid) -> DeviceHead {
    DeviceHead {
        device_id,
        acked_seq: 0,
        last_hash: chain::to_hex(&chain::GENESIS),
    }
}

/// The sequence numbers of `batch` at or below the head, whose stored
/// links the store must look up (in events and quarantine).
pub(crate) fn replayed_range(head: &DeviceHead, batch: &IncomingBatch) -> Option<(i64, i64)> {
    let first = batch.events.first()?.seq;
    let last = batch.events.last()?.seq.min(head.acked_seq);
    (first <= last).then_some((first, last))
}

/// A batch split at the device's head.
#[derive(Debug)]
pub(crate) struct Split<'a> {
    /// Events the hub already holds, with the same links.
    pub duplicates: u32,
    /// Events after the head, continuing its chain.
    pub fresh: &'a [IncomingEvent],
}

/// Checks `batch` against the device's head: every replayed event must
/// carry the link the hub stored for its sequence number (`stored`), and the
/// first new event must follow the head, by number and by link.
pub(crate) fn split_at_head<'a>(
    head: &DeviceHead,
    batch: &'a IncomingBatch,
    stored: &HashMap<i64, String>,
) -> Result<Split<'a>> {
    if batch
        .events
        .windows(2)
        .any(|w| w[0].seq.checked_add(1) != Some(w[1].seq))
    {
        return Err(ServerError::BadRequest("批次中的事件序号不连续".into()));
    }
    let mismatch = |detail: String| ServerError::ChainMismatch {
        head: head.clone(),
        detail,
    };
    let replayed = batch
        .events
        .iter()
        .take_while(|e| e.seq <= head.acked_seq)
        .count();
    for event in &batch.events[..replayed] {
        if stored.get(&event.seq) != Some(&event.link) {
            return Err(mismatch(format!(
                "第{}条事件与中心已收到的不一致",
                event.seq
            )));
        }
    }
    let fresh = &batch.events[replayed..];
    if let Some(first) = fresh.first() {
        if first.seq != head.acked_seq + 1 {
            return Err(mismatch(format!(
                "应从第{}条开始上传，收到的是第{}条",
                head.acked_seq + 1,
                first.seq
            )));
        }
        let prev = match replayed {
            0 => &batch.prev_hash,
            n => &batch.events[n - 1].link,
        };
        if *prev != head.last_hash {
            return Err(mismatch(format!(
                "第{}条的前一链接与中心记录不符",
                first.seq
            )));
        }
    }
    Ok(Split {
        duplicates: replayed as u32,
        fresh,
    })
}

/// The answer to an upload before its fresh events are stored: the head
/// as it was, and the replayed events counted as duplicates.
pub(crate) fn ack_at_head(head: DeviceHead, split: &Split) -> BatchAck {
    BatchAck {
        device_id: head.device_id,
        acked_seq: head.acked_seq,
        last_hash: head.last_hash,
        stored: 0,
        duplicates: split.duplicates,
        quarantined: Vec::new(),
        checkpoint: None,
    }
}

/// Why the hub will not carry out a purge, if it will not: the asking unit
/// must be the case's origin or above it, and the case closed at least the
/// retention period before the purge's day, which may not be in the future.
pub(crate) fn purge_refusal(
    claim: &PurgeClaim,
    facts: &PurgeFacts,
    today: NaiveDate,
) -> Option<String> {
    if let Err(e) = purge::check_retention(claim.retention_years) {
        return Some(e.to_string());
    }
    if facts.origin_line.is_empty() {
        return Some("同步中心没有该案件的受理记录，不能清除".into());
    }
    if !facts.origin_line.contains(&claim.unit) {
        return Some(format!(
            "案件属于单位 {}，单位 {} 不能清除",
            facts.origin_line[0], claim.unit
        ));
    }
    let Some(closed) = facts.closed_on else {
        return Some("同步中心没有该案件的结案记录，不能清除".into());
    };
    if claim.on > today + chrono::Days::new(1) {
        return Some(format!("清除日期 {} 晚于今天", claim.on));
    }
    let until = purge::expires_on(closed, claim.retention_years);
    if claim.on < until {
        return Some(format!(
            "该案件于 {closed} 结案，保管期限至 {until}，未到期不能清除"
        ));
    }
    None
}

/// Where an accepted event reaches: the unit whose feeds carry it (None:
/// everyone) and its case.
pub(crate) type Reached = (Option<String>, Option<Uuid>);

/// Why a second `case_opened` for a case the hub holds is refused: a case
/// belongs to the device that opened it, whatever the newcomer's clock.
pub(crate) fn case_already_opened(case_id: Uuid) -> String {
    format!("案件 {case_id} 已由另一台设备登记，不能再次登记")
}

/// Why an event of a case is refused at the hub, if it is: `unit` is not
/// on the line of the case's origin (`line` gives the origin and the units
/// above it, read only when `unit` is not the origin). A case the hub never
/// saw opened (a hub restored from an older backup) refuses nothing here:
/// its event reaches only its own unit's line, whose folds judge it.
pub(crate) fn case_refusal(
    case_id: Uuid,
    unit: &str,
    from_hub: bool,
    origin: Option<&str>,
    line: &[String],
) -> Option<String> {
    let origin = origin?;
    if from_hub || origin == unit || line.iter().any(|u| u == unit) {
        return None;
    }
    Some(format!(
        "案件 {case_id} 由单位 {origin} 受理，单位 {unit} 既不是它也不是它的上级，无权办理"
    ))
}

/// Why an event whose id the hub holds already (or holds twice in one
/// upload) is quarantined.
pub(crate) const DUPLICATE_ID: &str = "事件编号重复";

/// Which of an upload's fresh events repeat an event id: one the log holds
/// (`taken`), or one seen earlier in the upload. Such an event is
/// quarantined, whatever else it is.
pub(crate) fn repeated_ids(fresh: &[IncomingEvent], taken: &HashSet<Uuid>) -> Vec<bool> {
    let mut seen = HashSet::new();
    fresh
        .iter()
        .map(|e| match &e.verdict {
            Verdict::Accept { id, .. } => taken.contains(id) || !seen.insert(*id),
            Verdict::Quarantine { .. } => false,
        })
        .collect()
}

/// What one upload's check needs of the cases its events touch, read in one
/// query before the events instead of one or two per event: each case's
/// origin unit and the purge that removed it, if one did. The cases the
/// upload opens are added before the read, in one statement, and those it
/// added are its own (the first `case_opened` of each).
#[derive(Debug, Default)]
pub(crate) struct CaseBook {
    cases: HashMap<Uuid, (String, Option<Uuid>)>,
    opened: HashSet<Uuid>,
}

impl CaseBook {
    /// The cases an upload's events open (case, origin), in order, and every
    /// case they touch; events quarantined or repeating an id left out.
    pub fn wanted(fresh: &[IncomingEvent], repeated: &[bool]) -> (Vec<(Uuid, String)>, Vec<Uuid>) {
        let mut opens = Vec::new();
        let mut touched = Vec::new();
        for (event, repeated) in fresh.iter().zip(repeated) {
            let Verdict::Accept { reach, purge, .. } = &event.verdict else {
                continue;
            };
            if *repeated {
                continue;
            }
            match reach {
                Reach::OpensCase { case_id, origin } => {
                    opens.push((*case_id, origin.clone()));
                    touched.push(*case_id);
                }
                Reach::OfCase { case_id, .. } => touched.push(*case_id),
                Reach::Everyone | Reach::Unit(_) => {}
            }
            if let Some(claim) = purge {
                touched.push(claim.case_id);
            }
        }
        touched.sort_unstable();
        touched.dedup();
        (opens, touched)
    }

    /// The upload opened these cases of `opens` (the insert added their
    /// rows): their origin is known without reading them back.
    pub fn opened(&mut self, added: impl IntoIterator<Item = Uuid>, opens: &[(Uuid, String)]) {
        let added: HashSet<Uuid> = added.into_iter().collect();
        for (case_id, origin) in opens {
            if added.contains(case_id) && !self.cases.contains_key(case_id) {
                self.cases.insert(*case_id, (origin.clone(), None));
            }
        }
        self.opened.extend(added);
    }

    /// The cases of `touched` the book does not know yet: those to read.
    pub fn unknown(&self, touched: &[Uuid]) -> Vec<Uuid> {
        touched
            .iter()
            .filter(|c| !self.cases.contains_key(c))
            .copied()
            .collect()
    }

    /// A case as the log holds it.
    pub fn know(&mut self, case_id: Uuid, origin: String, purged_by: Option<Uuid>) {
        self.cases.insert(case_id, (origin, purged_by));
    }

    /// The origin of a case, if the hub holds it.
    pub fn origin(&self, case_id: Uuid) -> Option<&str> {
        self.cases.get(&case_id).map(|(o, _)| o.as_str())
    }

    /// Whether the event's case is held by a unit that is not the event's
    /// nor on its line: then the line must be read to decide (rare).
    pub fn needs_line(&self, reach: &Reach) -> Option<&str> {
        match reach {
            Reach::OfCase {
                case_id,
                unit,
                from_hub: false,
            } => self.origin(*case_id).filter(|o| o != unit),
            _ => None,
        }
    }

    /// Where an accepted event reaches, or why the case's state refuses it;
    /// `line` is the origin's line when `needs_line` asked for it.
    pub fn reach(
        &mut self,
        reach: &Reach,
        line: &[String],
    ) -> std::result::Result<Reached, String> {
        Ok(match reach {
            Reach::Everyone => (None, None),
            Reach::Unit(unit) => (Some(unit.clone()), None),
            Reach::OpensCase { case_id, origin } => {
                if !self.opened.remove(case_id) {
                    return Err(case_already_opened(*case_id));
                }
                (Some(origin.clone()), Some(*case_id))
            }
            Reach::OfCase {
                case_id,
                unit,
                from_hub,
            } => {
                let origin = self.origin(*case_id).map(str::to_string);
                if let Some(reason) =
                    case_refusal(*case_id, unit, *from_hub, origin.as_deref(), line)
                {
                    return Err(reason);
                }
                (Some(origin.unwrap_or_else(|| unit.clone())), Some(*case_id))
            }
        })
    }

    /// The purge that removed the case, if one did.
    pub fn purged_by(&self, case_id: Uuid) -> Option<Uuid> {
        self.cases.get(&case_id).and_then(|(_, p)| *p)
    }

    /// A purge of the case was accepted (and written to the log's row).
    pub fn mark_purged(&mut self, case_id: Uuid, purge_id: Uuid) {
        if let Some((_, p)) = self.cases.get_mut(&case_id) {
            *p = Some(purge_id);
        }
    }
}

/// Why an enrollment code is refused, with what to do next (both stores and
/// the enrollment route say the same).
pub const CODE_UNKNOWN: &str =
    "注册码无效：请核对注册码（注意数字0和字母O、数字1和字母I），或向上级管理员重新索取";
pub const CODE_USED: &str =
    "这个注册码已经用过：每个注册码只能注册一台电脑，请向上级管理员另取一个";
pub const CODE_EXPIRED: &str = "注册码已过期：请向上级管理员重新索取";

/// The closing day in a stored `case_closed` event.
pub(crate) fn closed_on(bytes: &[u8]) -> Option<NaiveDate> {
    match serde_json::from_slice::<Event>(bytes).ok()?.body {
        EventBody::CaseClosed(body::CaseClosed { on, .. }) => Some(on),
        _ => None,
    }
}

/// Walks up the unit tree from a case's origin unit (both stores).
pub(crate) const ORIGIN_LINE_SQL: &str = "WITH RECURSIVE up(code, parent, depth) AS (
        SELECT code, parent, 0 FROM units WHERE code = $1
        UNION ALL
        SELECT u.code, u.parent, up.depth + 1 FROM units u JOIN up ON u.code = up.parent
        WHERE up.depth < 16
    ) SELECT code FROM up ORDER BY depth";

/// How many feed rows to fetch: one beyond the page, to know whether more wait.
pub(crate) fn probe_rows(limit: u32) -> i64 {
    i64::from(limit.max(1)) + 1
}

/// Cuts a feed page from the sizes of the next matching events (at most
/// `probe_rows(limit)` of them): at most `limit` events, no event added once
/// the page holds `max_bytes`, and always one if there is one. Returns how
/// many events the page takes and whether more remain.
pub(crate) fn cut_page(sizes: &[usize], limit: u32, max_bytes: usize) -> (usize, bool) {
    let limit = limit.max(1) as usize;
    let mut held = 0usize;
    let mut taken = 0usize;
    for &size in sizes {
        if taken == limit || (taken > 0 && held >= max_bytes) {
            break;
        }
        held += size;
        taken += 1;
    }
    (taken, sizes.len() > taken)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Verdict;

    fn batch(first: i64, prev: &str, count: usize) -> IncomingBatch {
        let events = (0..count as i64)
            .map(|i| IncomingEvent {
                seq: first + i,
                link: format!("link{}", first + i),
                bytes: vec![],
                verdict: Verdict::Quarantine {
                    id: None,
                    reason: String::new(),
                },
            })
            .collect();
        IncomingBatch {
            device_id: Uuid::nil(),
            prev_hash: prev.into(),
            events,
            quarantine_bound: crate::store::QuarantineBound {
                events: 10,
                bytes: 1024,
            },
        }
    }

    fn head(acked: i64) -> DeviceHead {
        DeviceHead {
            device_id: Uuid::nil(),
            acked_seq: acked,
            last_hash: format!("link{acked}"),
        }
    }

    #[test]
    fn a_batch_splits_into_replay_and_fresh_events() {
        let stored: HashMap<i64, String> = (1..=3).map(|s| (s, format!("link{s}"))).collect();
        let b = batch(2, "link1", 4);
        assert_eq!(replayed_range(&head(3), &b), Some((2, 3)));
        let split = split_at_head(&head(3), &b, &stored).unwrap();
        assert_eq!(split.duplicates, 2);
        assert_eq!(
            split.fresh.iter().map(|e| e.seq).collect::<Vec<_>>(),
            vec![4, 5]
        );

        let fresh_only = batch(4, "link3", 1);
        assert_eq!(replayed_range(&head(3), &fresh_only), None);
        assert_eq!(
            split_at_head(&head(3), &fresh_only, &stored)
                .unwrap()
                .fresh
                .len(),
            1
        );
    }

    #[test]
    fn gaps_forks_and_changed_replays_are_refused() {
        let stored: HashMap<i64, String> = (1..=3).map(|s| (s, format!("link{s}"))).collect();
        let refused = |b: &IncomingBatch| match split_at_head(&head(3), b, &stored) {
            Err(ServerError::ChainMismatch { head, detail }) => {
                assert_eq!(head.acked_seq, 3);
                detail
            }
            other => panic!("expected a chain mismatch, got {other:?}"),
        };
        assert!(refused(&batch(5, "link4", 1)).contains("应从第4条"));
        assert!(refused(&batch(4, "other", 1)).contains("第4条的前一链接"));
        let mut changed = batch(3, "link2", 2);
        changed.events[0].link = "forged".into();
        assert!(refused(&changed).contains("第3条"));
    }

    #[test]
    fn a_purge_must_come_from_the_case_line_after_its_period() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let claim = |unit: &str, on, years| PurgeClaim {
            case_id: Uuid::nil(),
            unit: unit.into(),
            on,
            retention_years: years,
        };
        let facts = PurgeFacts {
            origin_line: vec!["village".into(), "station".into(), "district".into()],
            closed_on: Some(day(2014, 6, 1)),
        };
        let today = day(2026, 12, 3);
        let ok = |c: &PurgeClaim, f: &PurgeFacts| purge_refusal(c, f, today);
        assert_eq!(ok(&claim("village", today, 10), &facts), None);
        assert_eq!(ok(&claim("district", today, 10), &facts), None);
        assert_eq!(ok(&claim("village", day(2024, 6, 1), 10), &facts), None);
        let refused = |c: &PurgeClaim, f: &PurgeFacts| ok(c, f).expect("refused");
        assert!(refused(&claim("other_village", today, 10), &facts).contains("不能清除"));
        assert!(refused(&claim("village", day(2024, 5, 31), 10), &facts).contains("2024-06-01"));
        assert!(refused(&claim("village", today, 13), &facts).contains("未到期"));
        assert!(refused(&claim("village", day(2027, 1, 1), 10), &facts).contains("晚于今天"));
        assert!(refused(&claim("village", today, 0), &facts).contains("保管期限"));
        let open = PurgeFacts {
            closed_on: None,
            ..facts.clone()
        };
        assert!(refused(&claim("village", today, 10), &open).contains("结案"));
        assert!(refused(&claim("village", today, 10), &PurgeFacts::default()).contains("受理"));
    }

    #[test]
    fn pages_are_cut_by_count_and_by_size() {
        assert_eq!(cut_page(&[], 5, 100), (0, false));
        assert_eq!(cut_page(&[10, 10, 10], 5, 100), (3, false));
        assert_eq!(cut_page(&[10, 10, 10], 2, 100), (2, true));
        assert_eq!(cut_page(&[10, 10, 10], 5, 20), (2, true));
        assert_eq!(cut_page(&[10, 10, 10], 5, 11), (2, true));
        assert_eq!(cut_page(&[500, 10], 5, 100), (1, true));
        assert_eq!(cut_page(&[10], 0, 0), (1, false));
    }
}
