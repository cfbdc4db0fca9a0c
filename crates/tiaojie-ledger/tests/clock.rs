//! Clocks days off, as on village laptops with flat batteries: the ledger
//! orders events by their hybrid clock, keeps its own clock ahead of every
//! stamp it has seen, and checks the rules of the domain in that order,
//! whatever the wall clocks said.
//!
//! A skewed device is played by a real ledger whose events are stamped again
//! (`restamp`) before another ledger takes them in. Events with a known id
//! must keep their content, so the receivers are always ledgers that never
//! saw the original stamps.

mod support;

use support::*;
use tiaojie_ledger::domain::unit::UnitSpec;
use tiaojie_ledger::hlc::{Hlc, wall_millis};
use tiaojie_ledger::store::FollowUpInput;
use tiaojie_ledger::{Event, Ledger};
use uuid::Uuid;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// `events` as stamped by a device whose clock read `millis`: the same
/// order, one logical tick apart. The same input gives the same events, so
/// a prefix delivered again counts as duplicates.
fn restamp(events: &[Event], millis: i64) -> Vec<Event> {
    events
        .iter()
        .enumerate()
        .map(|(i, e)| Event {
            hlc: Hlc::from_parts(millis, i as u16),
            ..e.clone()
        })
        .collect()
}

/// The newest event this ledger wrote itself.
fn last_own(l: &Ledger) -> Event {
    let me = l.device().unwrap().device_id;
    l.events()
        .unwrap()
        .into_iter()
        .filter(|e| e.device == me)
        .max_by_key(|e| e.seq)
        .unwrap()
}

/// The grades a case was given, in fold order.
fn grades(l: &Ledger, case: Uuid) -> Vec<String> {
    l.case_detail(case)
        .unwrap()
        .gradings
        .iter()
        .map(|g| g.grade.clone())
        .collect()
}

fn position(events: &[Event], id: Uuid) -> usize {
    events.iter().position(|e| e.id == id).unwrap()
}

/// A ledger that takes in `first`, then `then`, as a hub would pass them on.
fn replay(first: &[Event], then: &[Event]) -> Ledger {
    let mut l = Ledger::open_in_memory().unwrap();
    l.ingest(first).unwrap();
    l.ingest(then).unwrap();
    l
}

#[test]
fn a_clock_days_ahead_pushes_the_receivers_clock_and_its_later_acts_still_win() {
    // A village laptop whose clock runs three days ahead grades a case.
    let mut fast = device(VILLAGE_A);
    let case = fast.open_case(&intake("张三", "李四", day(3, 1))).unwrap();
    fast.grade_case(case.id, "yellow", "双方情绪对立", None)
        .unwrap();
    let skewed = restamp(&fast.events().unwrap(), wall_millis() + 3 * DAY_MS);
    let newest = skewed.last().unwrap().hlc;

    // The village's second laptop, its clock right, keeps its ledger in a file.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite3");
    let mut receiver = Ledger::open(&path).unwrap();
    receiver
        .init(UnitSpec::new(VILLAGE_A, "青山村调解室", None, 1, None), 1)
        .unwrap();
    assert_eq!(receiver.ingest(&skewed).unwrap().inserted, skewed.len());
    assert_eq!(grades(&receiver, case.id), ["yellow"]);

    // Graded again here, three days "earlier" by the wall: the stamp is one
    // logical tick after the newest seen, so the new grade folds last and wins.
    receiver
        .grade_case(case.id, "red", "一方扬言报复", None)
        .unwrap();
    let red = last_own(&receiver);
    assert_eq!(red.hlc, Hlc::from_raw(newest.raw() + 1));
    assert_eq!(receiver.events().unwrap().last().unwrap().id, red.id);
    assert_eq!(
        receiver.case_row(case.id).unwrap().grade.as_deref(),
        Some("red")
    );

    // Opened again, the ledger takes its clock from the highest stored
    // stamp, not from the wall, which is still three days behind it.
    drop(receiver);
    let mut receiver = Ledger::open(&path).unwrap();
    receiver
        .grade_case(case.id, "green", "矛盾已基本化解", None)
        .unwrap();
    let green = last_own(&receiver);
    assert_eq!(green.hlc, Hlc::from_raw(red.hlc.raw() + 1));
    assert!(green.hlc.millis() > wall_millis() + 2 * DAY_MS);
    assert_eq!(
        receiver.case_row(case.id).unwrap().grade.as_deref(),
        Some("green")
    );
    assert_eq!(grades(&receiver, case.id), ["yellow", "red", "green"]);
    let history = receiver.history(case.id).unwrap();
    assert!(history.iter().all(|h| h.applied), "{history:#?}");
    assert_eq!(history.last().unwrap().event_id, green.id);
}

#[test]
fn a_clock_days_behind_folds_before_concurrent_events_of_others() {
    let behind = wall_millis() - 3 * DAY_MS;
    // A village laptop whose clock runs three days behind opens a case.
    let mut slow = device(VILLAGE_A);
    let case = slow.open_case(&intake("张三", "李四", day(3, 1))).unwrap();
    // The village's second laptop, its clock right, learns of it and grades it red.
    let mut right = device(VILLAGE_A);
    right
        .ingest(&restamp(&slow.events().unwrap(), behind))
        .unwrap();
    right
        .grade_case(case.id, "red", "一方扬言报复", None)
        .unwrap();
    let red = last_own(&right);

    // Later by the wall, before any sync, the slow laptop grades it green.
    slow.grade_case(case.id, "green", "双方已平静", None)
        .unwrap();
    let slow_events = restamp(&slow.events().unwrap(), behind);
    let green = slow_events.last().unwrap().clone();
    assert!(green.hlc < red.hlc);

    // By the clocks the green grade came first: it folds before the red,
    // which was already folded, so the receiver folds again from the start.
    let report = right.ingest(&slow_events).unwrap();
    assert_eq!(
        (report.inserted, report.duplicates, report.refolded),
        (1, slow_events.len() - 1, true)
    );
    let events = right.events().unwrap();
    assert!(position(&events, green.id) < position(&events, red.id));
    assert_eq!(grades(&right, case.id), ["green", "red"]);
    assert_eq!(
        right.case_row(case.id).unwrap().grade.as_deref(),
        Some("red")
    );

    // Any ledger that gets the same events, in any order, agrees.
    let own: Vec<Event> = events
        .iter()
        .filter(|e| e.device == red.device)
        .cloned()
        .collect();
    let hub = replay(&own, &slow_events);
    assert_eq!(hub.fingerprint().unwrap(), right.fingerprint().unwrap());
}

#[test]
fn ownership_after_acceptance_follows_the_clocks_order() {
    let behind = wall_millis() - 3 * DAY_MS;
    // A village laptop whose clock runs three days behind sends a case up.
    let mut village = device(VILLAGE_A);
    let case = village
        .open_case(&intake("张三", "李四", day(3, 1)))
        .unwrap();
    village
        .escalate(case.id, STATION, "涉及宅基地确权", None)
        .unwrap();
    let mut station = device(STATION);
    station
        .ingest(&restamp(&village.events().unwrap(), behind))
        .unwrap();
    station
        .accept_escalation(case.id, "由所里牵头调解", None)
        .unwrap();
    let accepted = last_own(&station);

    // Not yet told, the village grades the case on its slow clock; then its
    // clock is set right and it records a visit, a minute after the
    // acceptance by the clocks.
    village
        .grade_case(case.id, "yellow", "有激化可能", None)
        .unwrap();
    village
        .follow_up(
            case.id,
            FollowUpInput {
                visitor: "村干部刘一".into(),
                performance: "尚未履行".into(),
                ..Default::default()
            },
        )
        .unwrap();
    let mut village_events = restamp(&village.events().unwrap(), behind);
    let visit = village_events.last_mut().unwrap();
    visit.hlc = Hlc::from_parts(accepted.hlc.millis() + 60_000, 0);
    let visit = visit.clone();
    let grade = village_events[village_events.len() - 2].clone();
    assert!(grade.hlc < accepted.hlc && accepted.hlc < visit.hlc);

    let report = station.ingest(&village_events).unwrap();
    assert_eq!((report.inserted, report.refolded), (2, true));
    // The case moved to the station; the grade counts, since by the clocks
    // the village still had the case; the visit does not, and says why.
    let row = station.case_row(case.id).unwrap();
    assert_eq!(row.unit, STATION);
    assert_eq!(row.grade.as_deref(), Some("yellow"));
    let history = station.history(case.id).unwrap();
    let entry = |id: Uuid| {
        let i = history.iter().position(|h| h.event_id == id).unwrap();
        (i, &history[i])
    };
    let (at_grade, graded) = entry(grade.id);
    let (at_accept, acceptance) = entry(accepted.id);
    let (at_visit, visited) = entry(visit.id);
    assert!(at_grade < at_accept && at_accept < at_visit);
    assert!(graded.applied && acceptance.applied);
    assert!(!visited.applied);
    assert_eq!(visited.kind, "follow_up_recorded");
    let note = visited.note.as_deref().unwrap();
    assert!(note.contains("双马派出所调解中心"), "{note}");
    assert!(station.case_detail(case.id).unwrap().followups.is_empty());
    assert_eq!(history.iter().filter(|h| !h.applied).count(), 1);

    // Delivered the other way round, the same events give the same ledger.
    let hub = replay(&village_events, &station.events().unwrap());
    assert_eq!(hub.fingerprint().unwrap(), station.fingerprint().unwrap());
}

/// Two handles on one ledger file (the desktop app's window and its sync
/// thread): what one takes in, the other's next stamp sorts after.
#[test]
fn a_second_handle_on_the_file_stamps_after_what_the_first_took_in() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite3");
    let mut window = tiaojie_ledger::Ledger::open(&path).unwrap();
    window
        .init(
            tiaojie_ledger::domain::unit::UnitSpec::new(
                support::STATION,
                "双马派出所调解中心",
                None,
                2,
                None,
            ),
            0,
        )
        .unwrap();
    let mut sync_thread = tiaojie_ledger::Ledger::open(&path).unwrap();
    let mut village = support::device(support::VILLAGE_A);
    village
        .open_case(&support::intake("张三", "李四", support::day(3, 1)))
        .unwrap();
    // The village's clock runs a day ahead.
    let ahead: Vec<tiaojie_ledger::Event> = village
        .events()
        .unwrap()
        .into_iter()
        .map(|mut e| {
            e.hlc = tiaojie_ledger::hlc::Hlc::from_parts(e.hlc.millis() + 24 * 3600 * 1000, 0);
            e
        })
        .collect();
    let newest = ahead.iter().map(|e| e.hlc).max().unwrap();
    sync_thread.ingest(&ahead).unwrap();
    window
        .add_unit(tiaojie_ledger::domain::unit::UnitSpec::new(
            support::DISTRICT,
            "高新区调解中心",
            None,
            3,
            None,
        ))
        .unwrap();
    let mine = window
        .events()
        .unwrap()
        .into_iter()
        .find(|e| e.seq == 2 && e.device != village.device().unwrap().device_id)
        .unwrap();
    assert!(
        mine.hlc > newest,
        "the window's stamp {} sorts before {}",
        mine.hlc,
        newest
    );
    let mut fresh = tiaojie_ledger::Ledger::open_in_memory().unwrap();
    fresh.ingest(&window.events().unwrap()).unwrap();
    assert_eq!(fresh.fingerprint().unwrap(), window.fingerprint().unwrap());
}
