//! The authority model in the fold: a rogue but enrolled device's events,
//! however they are stamped, change nothing that is not its own in a ledger
//! that trusts a hub; they are kept, do not take effect, and say why.

mod support;

use support::*;
use tiaojie_ledger::domain::labels::MediatorRole;
use tiaojie_ledger::domain::scheme::Scheme;
use tiaojie_ledger::domain::unit::UnitSpec;
use tiaojie_ledger::hlc::Hlc;
use tiaojie_ledger::store::MediatorInput;
use tiaojie_ledger::{Event, EventBody, Ledger};
use uuid::Uuid;

/// The hub's administrator, as a ledger: it registers the whole tree.
fn hub() -> Ledger {
    device(DISTRICT)
}

/// A device of `code` enrolled at `hub`: its own unit, the hub's events,
/// then the hub trusted.
fn enrolled(code: &str, hub: &Ledger) -> Ledger {
    let mut l = Ledger::open_in_memory().unwrap();
    l.init(unit_alone(code), 0).unwrap();
    feed(hub, &mut l);
    l.trust_hub(hub.device().unwrap().device_id).unwrap();
    l
}

/// What the hub's feed would carry from `from` to `to`: the events' bytes.
fn feed(from: &Ledger, to: &mut Ledger) {
    let raws: Vec<Vec<u8>> = from
        .events()
        .unwrap()
        .iter()
        .map(|e| serde_json::to_vec(e).unwrap())
        .collect();
    to.ingest_raw(&raws, &[]).unwrap();
}

fn feed_events(events: &[Event], to: &mut Ledger) {
    let raws: Vec<Vec<u8>> = events
        .iter()
        .map(|e| serde_json::to_vec(e).unwrap())
        .collect();
    to.ingest_raw(&raws, &[]).unwrap();
}

fn unit_name(l: &Ledger, code: &str) -> String {
    l.units()
        .unwrap()
        .into_iter()
        .find(|u| u.spec.code == code)
        .map(|u| u.spec.name)
        .unwrap()
}

fn reason_of(l: &Ledger, id: Uuid) -> String {
    l.refused_events()
        .unwrap()
        .into_iter()
        .find(|(e, _)| e.id == id)
        .map(|(_, r)| r)
        .unwrap_or_else(|| panic!("event {id} was not refused"))
}

#[test]
fn a_device_cannot_rename_units_change_the_scheme_or_another_roster() {
    let hub = hub();
    let mut station = enrolled(STATION, &hub);
    // The rogue village's own ledger, standalone, takes anything it writes.
    let mut rogue = device(VILLAGE_B);
    rogue
        .add_unit(UnitSpec::new(
            STATION,
            "被改名的派出所",
            None,
            2,
            Some(DISTRICT),
        ))
        .unwrap();
    let mut scheme = Scheme::default();
    for g in &mut scheme.grades {
        g.cadence_days = 365;
    }
    scheme.grades[0].name = "不要紧".into();
    rogue.configure_scheme(scheme).unwrap();
    rogue
        .add_mediator(MediatorInput {
            name: "冒名调解员".into(),
            phone: None,
            unit: Some(VILLAGE_A.into()),
            role: MediatorRole::VillageCadre,
            specialties: vec![],
        })
        .unwrap();
    let before = station.fingerprint().unwrap();
    let own: Vec<Event> = rogue
        .events()
        .unwrap()
        .into_iter()
        .filter(|e| e.device == rogue.device().unwrap().device_id)
        .collect();
    feed_events(&own, &mut station);
    assert_eq!(unit_name(&station, STATION), "双马派出所调解中心");
    let refused = station.refused_events().unwrap();
    for kind in [
        "unit_registered",
        "scheme_configured",
        "mediator_registered",
    ] {
        assert!(
            refused.iter().any(|(e, r)| e.body.kind() == kind
                && e.device == rogue.device().unwrap().device_id
                && r.contains("无权")),
            "no refusal of the rogue's {kind}: {refused:?}"
        );
    }
    // The scheme and roster are the hub's: nothing of the rogue's shows.
    assert_eq!(station.scheme().unwrap(), Scheme::default());
    // Folding again from the start gives the same: the refusals hold.
    let after = station.fingerprint().unwrap();
    station.refold().unwrap();
    assert_eq!(station.fingerprint().unwrap(), after);
    assert!(after.contains("双马派出所调解中心"));
    assert_ne!(before, after, "the refusals are recorded as outcomes");
}

#[test]
fn a_clock_near_the_end_of_time_wins_nothing() {
    let hub = hub();
    let mut station = enrolled(STATION, &hub);
    let rogue = device(VILLAGE_B);
    let template = rogue.events().unwrap()[0].clone();
    let forged = Event {
        id: Uuid::now_v7(),
        seq: rogue.device().unwrap().next_seq,
        hlc: Hlc::from_raw(i64::MAX - 1),
        body: EventBody::UnitRegistered(UnitSpec::new(
            STATION,
            "永久改名",
            None,
            2,
            Some(DISTRICT),
        )),
        ..template
    };
    feed_events(std::slice::from_ref(&forged), &mut station);
    assert_eq!(unit_name(&station, STATION), "双马派出所调解中心");
    assert!(reason_of(&station, forged.id).contains("管理员"));
}

#[test]
fn a_case_belongs_to_the_device_that_opened_it_whatever_the_clock() {
    let hub = hub();
    let mut village = enrolled(VILLAGE_A, &hub);
    let case = village
        .open_case(&intake("张三", "李四", day(3, 1)))
        .unwrap();
    village
        .grade_case(case.id, "红", "有肢体冲突", None)
        .unwrap();
    let mut station = enrolled(STATION, &hub);
    let honest: Vec<Event> = village.events().unwrap();
    feed_events(&honest, &mut station);

    // The rogue saw the case id on a station screen and opens "the same"
    // case, stamped one tick before the real one, as a green case of its own.
    let rogue = device(VILLAGE_B);
    let opened = honest
        .iter()
        .find(|e| matches!(e.body, EventBody::CaseOpened(_)))
        .unwrap();
    let rogue_id = rogue.device().unwrap().device_id;
    let hijack = Event {
        id: Uuid::now_v7(),
        device: rogue_id,
        seq: rogue.device().unwrap().next_seq,
        hlc: Hlc::from_raw(opened.hlc.raw() - 1),
        unit: VILLAGE_B.into(),
        ..opened.clone()
    };
    feed_events(std::slice::from_ref(&hijack), &mut station);
    let detail = station.case_detail(case.id).unwrap();
    assert_eq!(detail.row.unit, VILLAGE_A);
    assert_eq!(detail.row.grade.as_deref(), Some("red"));
    assert!(reason_of(&station, hijack.id).contains("另一台设备"));
    // The owner's later events still take effect there.
    village.grade_case(case.id, "黄", "已平息", None).unwrap();
    feed(&village, &mut station);
    assert_eq!(
        station.case_detail(case.id).unwrap().row.grade.as_deref(),
        Some("yellow")
    );
    // And a refold from scratch (the clock order puts the rogue first)
    // keeps it so.
    let fingerprint = station.fingerprint().unwrap();
    station.refold().unwrap();
    assert_eq!(station.fingerprint().unwrap(), fingerprint);
}

#[test]
fn an_enrolled_ledger_takes_other_devices_events_only_from_its_hub() {
    let hub = hub();
    let mut station = enrolled(STATION, &hub);
    let rogue = device(VILLAGE_B);
    let before = station.fingerprint().unwrap();
    let err = station.ingest(&rogue.events().unwrap()).unwrap_err();
    assert_eq!(err.code(), "not_yours");
    assert!(err.to_string().contains("同步中心"), "{err}");
    assert_eq!(station.fingerprint().unwrap(), before);
}

#[test]
fn enrolling_folds_again_without_the_settings_a_device_made_alone() {
    // A standalone village ledger renames its station and sets a scheme;
    // once it trusts the hub, those stop applying, and the hub's stand.
    let hub = hub();
    let mut village = Ledger::open_in_memory().unwrap();
    village.init(unit_alone(VILLAGE_A), 0).unwrap();
    feed(&hub, &mut village);
    village
        .add_unit(UnitSpec::new(
            STATION,
            "本机改的名",
            None,
            2,
            Some(DISTRICT),
        ))
        .unwrap();
    assert_eq!(unit_name(&village, STATION), "本机改的名");
    village.trust_hub(hub.device().unwrap().device_id).unwrap();
    assert_eq!(unit_name(&village, STATION), "双马派出所调解中心");
    // Its own unit, registered by itself without a parent, still stands.
    assert_eq!(unit_name(&village, VILLAGE_A), "青山村调解室");
}
