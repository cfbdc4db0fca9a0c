//! The fold does not depend on delivery order: devices act concurrently and
//! exchange events now and then; afterwards the union of their events,
//! delivered to a fresh ledger in any order and in any batches, gives the
//! same projection as delivered in fold order, and every device that has seen
//! everything agrees with it.

mod support;

use proptest::prelude::*;
use std::collections::BTreeMap;
use support::*;
use tiaojie_ledger::domain::intake::Fen;
use tiaojie_ledger::domain::labels::{AgreementForm, ClosingOutcome, SessionResult};
use tiaojie_ledger::event::Term;
use tiaojie_ledger::store::queries::CaseFilter;
use tiaojie_ledger::store::{AgreementInput, FollowUpInput, SessionInput};
use tiaojie_ledger::{Event, Ledger};
use uuid::Uuid;

/// Devices: two villages, a second laptop of village A sharing its number
/// lane (as a copied database would), and the station.
const DEVICES: [&str; 4] = [VILLAGE_A, VILLAGE_B, VILLAGE_A, STATION];

#[derive(Debug, Clone)]
enum Op {
    Open(usize),
    /// On a device, the `n`th case it knows (see `pick`).
    Case(usize, usize, CaseOp),
    Screening(usize, u32),
    Sync(usize, usize),
}

#[derive(Debug, Clone)]
enum CaseOp {
    Grade(usize, u32),
    Session(usize, u32),
    Escalate(bool),
    Accept,
    Return,
    Agree(u32),
    FollowUp(u32),
    Close(usize),
}

fn op() -> impl Strategy<Value = Op> {
    let d = 0..DEVICES.len();
    let c = 0..8usize;
    let day = 1..28u32;
    prop_oneof![
        3 => d.clone().prop_map(Op::Open),
        2 => (d.clone(), c.clone(), 0..3usize, day.clone()).prop_map(|(a, b, g, t)| Op::Case(a, b, CaseOp::Grade(g, t))),
        2 => (d.clone(), c.clone(), 0..3usize, day.clone()).prop_map(|(a, b, r, t)| Op::Case(a, b, CaseOp::Session(r, t))),
        2 => (d.clone(), c.clone(), any::<bool>()).prop_map(|(a, b, far)| Op::Case(a, b, CaseOp::Escalate(far))),
        2 => (d.clone(), c.clone()).prop_map(|(a, b)| Op::Case(a, b, CaseOp::Accept)),
        1 => (d.clone(), c.clone()).prop_map(|(a, b)| Op::Case(a, b, CaseOp::Return)),
        1 => (d.clone(), c.clone(), day.clone()).prop_map(|(a, b, t)| Op::Case(a, b, CaseOp::Agree(t))),
        2 => (d.clone(), c.clone(), day.clone()).prop_map(|(a, b, t)| Op::Case(a, b, CaseOp::FollowUp(t))),
        1 => (d.clone(), c.clone(), 0..4usize).prop_map(|(a, b, o)| Op::Case(a, b, CaseOp::Close(o))),
        1 => (d.clone(), 0..3u32).prop_map(|(a, p)| Op::Screening(a, p)),
        4 => (d.clone(), d).prop_map(|(a, b)| Op::Sync(a, b)),
    ]
}

/// The `n`th case a device knows, in a stable order.
fn pick(l: &Ledger, n: usize) -> Option<Uuid> {
    let page = l
        .list_cases(&CaseFilter {
            sort: tiaojie_ledger::store::queries::SortKey::Number,
            ascending: true,
            limit: 1000,
            ..Default::default()
        })
        .unwrap();
    let mut ids: Vec<Uuid> = page.rows.iter().map(|r| r.id).collect();
    ids.sort();
    (!ids.is_empty()).then(|| ids[n % ids.len()])
}

/// Runs the operations; refusals are part of the game and write nothing.
fn play(ops: &[Op]) -> Vec<Ledger> {
    let mut devices: Vec<Ledger> = DEVICES.iter().map(|u| device(u)).collect();
    let names = ["张三", "李四", "王五", "赵六", "孙七", "周八"];
    for (i, op) in ops.iter().enumerate() {
        let _ = match op.clone() {
            Op::Open(d) => devices[d]
                .open_case(&intake(
                    names[i % names.len()],
                    names[(i + 1) % names.len()],
                    day(3, 1),
                ))
                .map(|_| ()),
            Op::Sync(a, b) if a != b => {
                let evs = devices[a].events().unwrap();
                devices[b].ingest(&evs).map(|_| ())
            }
            Op::Sync(..) => Ok(()),
            Op::Screening(d, p) => devices[d]
                .report_screening(
                    day(3, 1 + p * 5),
                    day(3, 5 + p * 5),
                    p % 2,
                    "",
                    Some(day(3, 5 + p * 5)),
                )
                .map(|_| ()),
            Op::Case(d, c, action) => {
                let Some(case) = pick(&devices[d], c) else {
                    continue;
                };
                let l = &mut devices[d];
                match action {
                    CaseOp::Grade(g, t) => {
                        l.grade_case(case, ["red", "yellow", "green"][g], "评估", Some(day(3, t)))
                    }
                    CaseOp::Session(r, t) => l
                        .record_session(
                            case,
                            SessionInput {
                                on: Some(day(3, t)),
                                place: "调解室".into(),
                                mediators: vec![],
                                attendees: String::new(),
                                summary: "调解".into(),
                                result: [
                                    SessionResult::Agreed,
                                    SessionResult::Failed,
                                    SessionResult::Continued,
                                ][r],
                            },
                        )
                        .map(|_| ()),
                    CaseOp::Escalate(far) => l
                        .escalate(case, if far { DISTRICT } else { STATION }, "上交", None)
                        .map(|_| ()),
                    CaseOp::Accept => l.accept_escalation(case, "", None),
                    CaseOp::Return => l.return_escalation(case, "退回村里", None),
                    CaseOp::Agree(t) => l
                        .make_agreement(
                            case,
                            AgreementInput {
                                on: Some(day(3, t)),
                                form: AgreementForm::Oral,
                                terms: vec![Term {
                                    content: "赔礼道歉".into(),
                                    due: None,
                                }],
                                amount: Fen(100),
                            },
                        )
                        .map(|_| ()),
                    CaseOp::FollowUp(t) => l
                        .follow_up(
                            case,
                            FollowUpInput {
                                on: Some(day(3, t)),
                                visitor: "回访人".into(),
                                performance: "情况稳定".into(),
                                ..Default::default()
                            },
                        )
                        .map(|_| ()),
                    CaseOp::Close(o) => l.close_case(
                        case,
                        [
                            ClosingOutcome::Resolved,
                            ClosingOutcome::Failed,
                            ClosingOutcome::Withdrawn,
                            ClosingOutcome::Transferred,
                        ][o],
                        "",
                        None,
                    ),
                }
            }
        };
    }
    devices
}

fn union(devices: &[Ledger]) -> Vec<Event> {
    let mut all: BTreeMap<Uuid, Event> = BTreeMap::new();
    for d in devices {
        for e in d.events().unwrap() {
            all.insert(e.id, e);
        }
    }
    let mut v: Vec<Event> = all.into_values().collect();
    v.sort_by_key(|e| e.order_key());
    v
}

fn deliver(events: &[Event], batches: &[usize]) -> String {
    let mut l = Ledger::open_in_memory().unwrap();
    let mut rest = events;
    let mut sizes = batches.iter().cycle();
    while !rest.is_empty() {
        let n = (*sizes.next().unwrap()).clamp(1, rest.len());
        let (batch, tail) = rest.split_at(n);
        l.ingest(batch).unwrap();
        rest = tail;
    }
    // Delivering everything again changes nothing.
    let again = l.ingest(events).unwrap();
    assert_eq!(again.inserted, 0);
    l.fingerprint().unwrap()
}

/// As a download delivers: each batch kept as it comes, the fold of
/// batches that belong before what is folded left pending; then, when the
/// download ends, settled (or, had it stopped there, when the ledger opens).
fn deliver_downloading(events: &[Event], batches: &[usize], dir: &std::path::Path) -> String {
    let path = dir.join(format!("d{}.sqlite3", uuid::Uuid::now_v7()));
    let mut l = Ledger::open(&path).unwrap();
    let mut rest = events;
    let mut sizes = batches.iter().cycle();
    while !rest.is_empty() {
        let n = (*sizes.next().unwrap()).clamp(1, rest.len());
        let (batch, tail) = rest.split_at(n);
        let raws: Vec<Vec<u8>> = batch
            .iter()
            .map(|e| serde_json::to_vec(e).unwrap())
            .collect();
        l.ingest_raw_deferred(&raws, &[]).unwrap();
        rest = tail;
    }
    // The download stops here: the next open folds what was left.
    drop(l);
    Ledger::open(&path).unwrap().fingerprint().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn any_delivery_order_gives_the_same_state(
        ops in prop::collection::vec(op(), 1..45),
        shuffle_seed in any::<u64>(),
        batches in prop::collection::vec(1..12usize, 1..6),
    ) {
        let mut devices = play(&ops);
        let events = union(&devices);
        let in_order = deliver(&events, &[events.len().max(1)]);

        let mut shuffled = events.clone();
        // A small deterministic shuffle from the seed (Fisher–Yates with an LCG).
        let mut s = shuffle_seed | 1;
        for i in (1..shuffled.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (s >> 33) as usize % (i + 1));
        }
        prop_assert_eq!(&deliver(&shuffled, &batches), &in_order);
        let dir = tempfile::tempdir().unwrap();
        prop_assert_eq!(&deliver_downloading(&shuffled, &batches, dir.path()), &in_order);
        let mut reversed = events.clone();
        reversed.reverse();
        prop_assert_eq!(&deliver(&reversed, &[1]), &in_order);

        // Devices that exchange everything converge on the same state.
        for d in devices.iter_mut() {
            d.ingest(&events).unwrap();
            prop_assert_eq!(&d.fingerprint().unwrap(), &in_order);
        }
    }
}

/// Concurrent edits of one field resolve by the hybrid clock, and the losing
/// value stays in the history.
#[test]
fn concurrent_grades_resolve_by_clock_and_both_stay_in_history() {
    let mut a = device(VILLAGE_A);
    let mut a2 = device(VILLAGE_A);
    let case = a.open_case(&intake("张三", "李四", day(3, 1))).unwrap();
    let evs = a.events().unwrap();
    a2.ingest(&evs).unwrap();
    a.grade_case(case.id, "red", "先评红", Some(day(3, 2)))
        .unwrap();
    a2.grade_case(case.id, "green", "后评绿", Some(day(3, 2)))
        .unwrap();
    let all = union(&[a, a2]);
    let state = {
        let mut l = Ledger::open_in_memory().unwrap();
        l.ingest(&all).unwrap();
        l
    };
    let last_grade =
        all.iter()
            .rev()
            .find_map(|e| match &e.body {
                tiaojie_ledger::EventBody::CaseGraded(
                    tiaojie_ledger::event::body::CaseGraded { grade, .. },
                ) => Some(grade.clone()),
                _ => None,
            })
            .unwrap();
    let detail = state.case_detail(case.id).unwrap();
    assert_eq!(detail.row.grade.as_deref(), Some(last_grade.as_str()));
    assert_eq!(detail.gradings.len(), 2);
}

/// Two laptops of one unit sharing a lane take the same number offline; the
/// fold keeps both cases, renumbers the later one and says so.
#[test]
fn colliding_case_numbers_are_renumbered_visibly() {
    let mut a = device(VILLAGE_A);
    let mut a2 = device(VILLAGE_A);
    let first = a.open_case(&intake("张三", "李四", day(3, 1))).unwrap();
    let second = a2.open_case(&intake("王五", "赵六", day(3, 1))).unwrap();
    assert_eq!(first.number, second.number);
    let all = union(&[a, a2]);
    let mut l = Ledger::open_in_memory().unwrap();
    l.ingest(&all).unwrap();
    let numbers: Vec<String> = [first.id, second.id]
        .iter()
        .map(|id| l.case_row(*id).unwrap().number)
        .collect();
    assert_ne!(numbers[0], numbers[1]);
    assert!(numbers.contains(&"（2026）青山村人调字第1号".to_string()));
    assert!(numbers.contains(&"（2026）青山村人调字第2号".to_string()));
    let renumbered = [first.id, second.id]
        .iter()
        .flat_map(|id| l.history(*id).unwrap())
        .filter(|h| h.note.as_deref().is_some_and(|n| n.contains("重复")))
        .count();
    assert_eq!(renumbered, 1);
}

/// An event folded after the case changed hands does not take effect, and the
/// history says why.
#[test]
fn acts_of_the_old_owner_after_acceptance_are_refused_in_the_fold() {
    let mut village = device(VILLAGE_A);
    let mut station = device(STATION);
    let case = village
        .open_case(&intake("张三", "李四", day(3, 1)))
        .unwrap();
    village
        .escalate(case.id, STATION, "上交", Some(day(3, 2)))
        .unwrap();
    sync(&village, &mut station);
    station
        .accept_escalation(case.id, "", Some(day(3, 3)))
        .unwrap();
    // The village, not yet told, records a visit later by the clock.
    std::thread::sleep(std::time::Duration::from_millis(2));
    village
        .follow_up(
            case.id,
            FollowUpInput {
                on: Some(day(3, 3)),
                visitor: "村干部".into(),
                performance: "情况稳定".into(),
                ..Default::default()
            },
        )
        .unwrap();
    sync(&station, &mut village);
    sync(&village, &mut station);
    assert_eq!(
        village.fingerprint().unwrap(),
        station.fingerprint().unwrap()
    );
    let history = village.history(case.id).unwrap();
    let refused: Vec<_> = history.iter().filter(|h| !h.applied).collect();
    assert_eq!(refused.len(), 1, "{history:#?}");
    assert_eq!(refused[0].kind, "follow_up_recorded");
    assert!(
        refused[0]
            .note
            .as_deref()
            .unwrap()
            .contains("双马派出所调解中心")
    );
    assert!(village.case_detail(case.id).unwrap().followups.is_empty());
}
