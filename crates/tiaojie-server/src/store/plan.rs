//! The ingest plan: what a hub store does with the fresh events of one
//! upload, decided once for both stores. A store fetches what the plan
//! needs (the ids the log holds, the cases the events touch, the lines and
//! purge facts of `Needs`), asks `plan` for the steps, and writes them: a
//! quarantine row, or an event to store with its reach, the unit it
//! brings, the purge it carries out. The decisions (a repeated id, a case
//! opened twice, a unit off the case's line, a purge refused, a late event
//! of a purged case kept as its stub) live here and nowhere else.

use crate::store::common::{self, CaseBook};
use crate::store::{IncomingEvent, PurgeClaim, PurgeFacts, Reach, Verdict};
use chrono::NaiveDate;
use std::borrow::Cow;
use std::collections::HashMap;
use tiaojie_ledger::domain::unit::UnitSpec;
use uuid::Uuid;

/// The accepted events' ids of an upload: those whose repetition the store
/// must look up in the log.
pub(crate) fn candidate_ids(fresh: &[IncomingEvent]) -> Vec<Uuid> {
    fresh
        .iter()
        .filter_map(|e| match &e.verdict {
            Verdict::Accept { id, .. } => Some(*id),
            Verdict::Quarantine { .. } => None,
        })
        .collect()
}

/// What the store reads before planning, once the case book is loaded: the
/// line of each origin an event from another unit meets (rare), and the
/// facts of each case a purge names.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Needs {
    pub lines: Vec<String>,
    pub purges: Vec<Uuid>,
}

/// What the store read for `Needs`.
#[derive(Debug, Default)]
pub(crate) struct Facts {
    /// An origin unit → the origin and the units above it, nearest first.
    pub lines: HashMap<String, Vec<String>>,
    /// A case a purge names → what the log holds of it.
    pub purges: HashMap<Uuid, PurgeFacts>,
}

impl Needs {
    pub fn of(fresh: &[IncomingEvent], repeated: &[bool], book: &CaseBook) -> Needs {
        let mut needs = Needs::default();
        for (event, repeated) in fresh.iter().zip(repeated) {
            let Verdict::Accept { reach, purge, .. } = &event.verdict else {
                continue;
            };
            if *repeated {
                continue;
            }
            if let Some(origin) = book.needs_line(reach)
                && !needs.lines.iter().any(|o| o == origin)
            {
                needs.lines.push(origin.to_string());
            }
            if let Some(claim) = purge
                && !needs.purges.contains(&claim.case_id)
            {
                needs.purges.push(claim.case_id);
            }
        }
        needs
    }
}

/// One fresh event's fate, in the upload's order.
#[derive(Debug)]
pub(crate) enum Step<'a> {
    Quarantine {
        event: &'a IncomingEvent,
        id: Option<Uuid>,
        reason: Cow<'a, str>,
    },
    Store(Keep<'a>),
}

/// An event the log keeps.
#[derive(Debug)]
pub(crate) struct Keep<'a> {
    pub event: &'a IncomingEvent,
    pub id: Uuid,
    pub hlc: i64,
    /// `redacted` when the event is kept as its stub.
    pub kind: &'a str,
    /// The unit whose feeds carry it (None: everyone).
    pub origin: Option<String>,
    pub case_id: Option<Uuid>,
    /// The bytes kept: the device's, or the stub of a late event of a
    /// purged case.
    pub bytes: Cow<'a, [u8]>,
    /// A unit the hub's tree takes in.
    pub unit: Option<&'a UnitSpec>,
    /// The case this event purges.
    pub purges: Option<Uuid>,
}

/// The steps of an upload, and the purges to carry out once its events are
/// stored (the case's other stored events become stubs).
#[derive(Debug, Default)]
pub(crate) struct Plan<'a> {
    pub steps: Vec<Step<'a>>,
    pub purges: Vec<(Uuid, Uuid)>,
}

/// Decides every fresh event of an upload. `repeated` comes from
/// `common::repeated_ids`, `book` holds the cases the events touch (the ones
/// the upload opens added), `facts` what `Needs` asked for; `today` is the
/// hub's day. A purge may follow the case's closing in the same upload.
pub(crate) fn plan<'a>(
    fresh: &'a [IncomingEvent],
    repeated: &[bool],
    book: &mut CaseBook,
    facts: &Facts,
    today: NaiveDate,
) -> Plan<'a> {
    let mut plan = Plan::default();
    // Closings accepted earlier in this upload, which the log's facts lack.
    let mut closed_here: HashMap<Uuid, NaiveDate> = HashMap::new();
    for (event, repeated) in fresh.iter().zip(repeated) {
        let quarantine =
            |id: Option<Uuid>, reason: Cow<'a, str>| Step::Quarantine { event, id, reason };
        let step = match &event.verdict {
            Verdict::Quarantine { id, reason } => quarantine(*id, Cow::Borrowed(reason.as_str())),
            Verdict::Accept { id, .. } if *repeated => {
                quarantine(Some(*id), Cow::Borrowed(common::DUPLICATE_ID))
            }
            Verdict::Accept {
                id,
                hlc,
                kind,
                reach,
                unit,
                purge,
            } => match admit(book, facts, reach, purge.as_deref(), &closed_here, today) {
                Err(reason) => quarantine(Some(*id), Cow::Owned(reason)),
                Ok((origin, case_id)) => {
                    if let Some(claim) = purge {
                        book.mark_purged(claim.case_id, *id);
                        plan.purges.push((claim.case_id, *id));
                    }
                    // A late event of a purged case is kept as its stub.
                    let stub = match (purge, case_id) {
                        (None, Some(case_id)) => book
                            .purged_by(case_id)
                            .and_then(|p| tiaojie_ledger::event::redact_raw(&event.bytes, p)),
                        _ => None,
                    };
                    if stub.is_none()
                        && kind == "case_closed"
                        && let (Some(case_id), Some(on)) =
                            (case_id, common::closed_on(&event.bytes))
                    {
                        closed_here.insert(case_id, on);
                    }
                    let (kind, bytes) = match stub {
                        Some(stub) => ("redacted", Cow::Owned(stub)),
                        None => (kind.as_str(), Cow::Borrowed(event.bytes.as_slice())),
                    };
                    Step::Store(Keep {
                        event,
                        id: *id,
                        hlc: *hlc,
                        kind,
                        origin,
                        case_id,
                        bytes,
                        unit: unit.as_ref(),
                        purges: purge.as_ref().map(|c| c.case_id),
                    })
                }
            },
        };
        plan.steps.push(step);
    }
    plan
}

/// Where an accepted event reaches, or why the case's state or a purge's
/// facts refuse it.
fn admit(
    book: &mut CaseBook,
    facts: &Facts,
    reach: &Reach,
    purge: Option<&PurgeClaim>,
    closed_here: &HashMap<Uuid, NaiveDate>,
    today: NaiveDate,
) -> Result<common::Reached, String> {
    let line = book
        .needs_line(reach)
        .and_then(|origin| facts.lines.get(origin))
        .map_or(&[][..], Vec::as_slice);
    let reached = book.reach(reach, line)?;
    if let Some(claim) = purge {
        let mut known = facts
            .purges
            .get(&claim.case_id)
            .cloned()
            .unwrap_or_default();
        // The latest closing, as the log's facts give it, may be in the
        // upload itself.
        if let Some(on) = closed_here.get(&claim.case_id) {
            known.closed_on = Some(*on);
        }
        if let Some(reason) = common::purge_refusal(claim, &known, today) {
            return Err(reason);
        }
    }
    Ok(reached)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const VILLAGE: &str = "v1";
    const OTHER_VILLAGE: &str = "v2";
    const STATION: &str = "s1";

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// An uploaded event, as the device wrote it, with the verdict
    /// `ingest::classify` would give it.
    fn event(seq: i64, unit: &str, body: serde_json::Value, reach: Reach) -> IncomingEvent {
        let id = Uuid::now_v7();
        let kind = body["kind"].as_str().unwrap().to_string();
        let purge = (kind == "case_purged").then(|| {
            Box::new(PurgeClaim {
                case_id: body["case_id"].as_str().unwrap().parse().unwrap(),
                unit: unit.into(),
                on: body["on"].as_str().unwrap().parse().unwrap(),
                retention_years: body["retention_years"].as_u64().unwrap() as u32,
            })
        });
        let bytes = serde_json::to_vec(&json!({
            "id": id, "device": Uuid::nil(), "seq": seq, "hlc": seq, "schema": 2,
            "unit": unit, "actor": null, "body": body,
        }))
        .unwrap();
        serde_json::from_slice::<tiaojie_ledger::Event>(&bytes).expect("a valid event");
        IncomingEvent {
            seq,
            link: format!("link{seq}"),
            bytes,
            verdict: Verdict::Accept {
                id,
                hlc: seq,
                kind,
                reach,
                unit: None,
                purge,
            },
        }
    }

    /// An event of an existing case by `unit`.
    fn of_case(seq: i64, unit: &str, case_id: Uuid, body: serde_json::Value) -> IncomingEvent {
        let reach = Reach::OfCase {
            case_id,
            unit: unit.into(),
            from_hub: false,
        };
        event(seq, unit, body, reach)
    }

    fn graded(seq: i64, unit: &str, case_id: Uuid) -> IncomingEvent {
        let body = json!({"kind": "case_graded", "case_id": case_id, "grade": "red",
                          "reason": "矛盾激化", "on": "2014-05-01"});
        of_case(seq, unit, case_id, body)
    }

    fn closed(seq: i64, case_id: Uuid, on: &str) -> IncomingEvent {
        let body = json!({"kind": "case_closed", "case_id": case_id, "on": on,
                          "outcome": "resolved", "note": ""});
        of_case(seq, VILLAGE, case_id, body)
    }

    fn purged(seq: i64, case_id: Uuid, on: &str) -> IncomingEvent {
        let body = json!({"kind": "case_purged", "case_id": case_id, "on": on,
                          "retention_years": 10});
        of_case(seq, VILLAGE, case_id, body)
    }

    /// Plans `fresh` as a store would: ids the log holds in `taken`, the
    /// cases of `held` known to the log (origin, purge), facts as given.
    fn planned<'a>(
        fresh: &'a [IncomingEvent],
        taken: &[Uuid],
        held: &[(Uuid, &str)],
        facts: &Facts,
    ) -> (Plan<'a>, Needs) {
        let taken = taken.iter().copied().collect();
        let repeated = common::repeated_ids(fresh, &taken);
        let (opens, touched) = CaseBook::wanted(fresh, &repeated);
        let mut book = CaseBook::default();
        // The store's insert adds the cases not held yet.
        let added: Vec<Uuid> = opens
            .iter()
            .map(|(c, _)| *c)
            .filter(|c| !held.iter().any(|(h, _)| h == c))
            .collect();
        book.opened(added, &opens);
        for (case_id, origin) in held {
            if touched.contains(case_id) {
                book.know(*case_id, origin.to_string(), None);
            }
        }
        let needs = Needs::of(fresh, &repeated, &book);
        (
            plan(fresh, &repeated, &mut book, facts, day(2026, 12, 5)),
            needs,
        )
    }

    fn reasons(plan: &Plan) -> Vec<Option<String>> {
        plan.steps
            .iter()
            .map(|s| match s {
                Step::Quarantine { reason, .. } => Some(reason.to_string()),
                Step::Store(_) => None,
            })
            .collect()
    }

    #[test]
    fn repeated_ids_and_refused_verdicts_are_quarantined_in_order() {
        let case_id = Uuid::now_v7();
        let first = graded(1, VILLAGE, case_id);
        let mut again = graded(2, VILLAGE, case_id);
        again.verdict = first.verdict.clone();
        let held_before = graded(3, VILLAGE, case_id);
        let mut refused = graded(4, VILLAGE, case_id);
        refused.verdict = Verdict::Quarantine {
            id: None,
            reason: "无法解析事件".into(),
        };
        let Verdict::Accept { id: old, .. } = &held_before.verdict else {
            panic!("an accepted event")
        };
        let old = *old;
        let fresh = [first, again, held_before, refused];
        let (plan, _) = planned(&fresh, &[old], &[(case_id, VILLAGE)], &Facts::default());
        assert_eq!(
            reasons(&plan),
            vec![
                None,
                Some(common::DUPLICATE_ID.into()),
                Some(common::DUPLICATE_ID.into()),
                Some("无法解析事件".into())
            ]
        );
    }

    #[test]
    fn a_case_is_opened_once_and_reaches_its_origin() {
        let case_id = Uuid::now_v7();
        let open = |seq| {
            let mut e = graded(seq, VILLAGE, case_id);
            if let Verdict::Accept { reach, kind, .. } = &mut e.verdict {
                *kind = "case_opened".into();
                *reach = Reach::OpensCase {
                    case_id,
                    origin: VILLAGE.into(),
                };
            }
            e
        };
        let fresh = [open(1), open(2), graded(3, VILLAGE, case_id)];
        let (plan, _) = planned(&fresh, &[], &[], &Facts::default());
        assert_eq!(
            reasons(&plan)[1],
            Some(common::case_already_opened(case_id))
        );
        let Step::Store(kept) = &plan.steps[2] else {
            panic!("the grading is kept")
        };
        assert_eq!(
            (kept.origin.as_deref(), kept.case_id),
            (Some(VILLAGE), Some(case_id))
        );
        // Opened by another device before: the upload's own opening is refused.
        let (plan, _) = planned(&fresh[..1], &[], &[(case_id, VILLAGE)], &Facts::default());
        assert_eq!(
            reasons(&plan),
            vec![Some(common::case_already_opened(case_id))]
        );
    }

    #[test]
    fn only_the_case_line_may_act_on_a_case() {
        let case_id = Uuid::now_v7();
        let fresh = [
            graded(1, STATION, case_id),
            graded(2, OTHER_VILLAGE, case_id),
        ];
        let held = [(case_id, VILLAGE)];
        let (_, needs) = planned(&fresh, &[], &held, &Facts::default());
        assert_eq!(
            needs.lines,
            vec![VILLAGE.to_string()],
            "one line, read once"
        );
        let facts = Facts {
            lines: HashMap::from([(VILLAGE.into(), vec![VILLAGE.into(), STATION.into()])]),
            ..Facts::default()
        };
        let (plan, _) = planned(&fresh, &[], &held, &facts);
        let why = reasons(&plan);
        assert_eq!(why[0], None, "the station is above the village");
        assert!(why[1].as_deref().unwrap().contains("无权办理"), "{why:?}");
        let Step::Store(kept) = &plan.steps[0] else {
            panic!()
        };
        assert_eq!(
            kept.origin.as_deref(),
            Some(VILLAGE),
            "it reaches the origin"
        );
    }

    #[test]
    fn a_purge_after_its_period_stubs_the_case_and_its_late_events() {
        let case_id = Uuid::now_v7();
        let held = [(case_id, VILLAGE)];
        let line = PurgeFacts {
            origin_line: vec![VILLAGE.into(), STATION.into()],
            closed_on: None,
        };
        let facts = Facts {
            purges: HashMap::from([(case_id, line.clone())]),
            ..Facts::default()
        };
        // Not closed at the hub: refused.
        let lone = [purged(1, case_id, "2026-12-05")];
        let (plan, needs) = planned(&lone, &[], &held, &facts);
        assert_eq!(needs.purges, vec![case_id]);
        assert!(reasons(&plan)[0].as_deref().unwrap().contains("结案记录"));
        assert!(plan.purges.is_empty());

        // Closed long ago in the same upload (a laptop offline for years):
        // the purge holds, and a later event of the case is kept as a stub.
        let fresh = [
            closed(1, case_id, "2014-06-01"),
            purged(2, case_id, "2026-12-05"),
            graded(3, VILLAGE, case_id),
        ];
        let (plan, _) = planned(&fresh, &[], &held, &facts);
        assert_eq!(reasons(&plan), vec![None, None, None]);
        let Step::Store(purge) = &plan.steps[1] else {
            panic!()
        };
        assert_eq!(purge.purges, Some(case_id));
        assert_eq!(plan.purges, vec![(case_id, purge.id)]);
        let Step::Store(late) = &plan.steps[2] else {
            panic!()
        };
        assert_eq!(late.kind, "redacted");
        assert!(!String::from_utf8_lossy(&late.bytes).contains("矛盾激化"));

        // Closed too recently: refused with the day it may go.
        let recent = [
            closed(1, case_id, "2020-06-01"),
            purged(2, case_id, "2026-12-05"),
        ];
        let (plan, _) = planned(&recent, &[], &held, &facts);
        assert!(reasons(&plan)[1].as_deref().unwrap().contains("未到期"));
    }
}
