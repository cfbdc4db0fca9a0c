//! A property of the fold under the authority rules: whatever events a
//! rogue enrolled device makes about what is not its own (units, the
//! scheme, other rosters, other units' cases), with whatever clocks, and
//! however they are interleaved with the honest events on delivery, a
//! ledger that trusts the hub ends with the same tables as one that never
//! saw them, but for the refusals it records.

mod support;

use proptest::prelude::*;
use support::*;
use tiaojie_ledger::domain::labels::{ClosingOutcome, MediatorRole};
use tiaojie_ledger::domain::scheme::Scheme;
use tiaojie_ledger::domain::unit::{MediatorSpec, UnitSpec};
use tiaojie_ledger::event::body;
use tiaojie_ledger::hlc::Hlc;
use tiaojie_ledger::{Event, EventBody, Ledger};
use uuid::Uuid;

/// What the rogue forges, about the honest world's `case`-th case.
#[derive(Debug, Clone)]
enum Forgery {
    Unit(usize, bool),
    Scheme(u32),
    Mediator(usize, usize),
    CopyCase(usize),
    Grade(usize, usize),
    Close(usize),
    Accept(usize),
}

const UNITS: [&str; 4] = [DISTRICT, STATION, VILLAGE_A, VILLAGE_B];

fn forgery() -> impl Strategy<Value = Forgery> {
    prop_oneof![
        (0..4usize, any::<bool>()).prop_map(|(u, p)| Forgery::Unit(u, p)),
        (1..400u32).prop_map(Forgery::Scheme),
        (0..3usize, 0..3usize).prop_map(|(u, m)| Forgery::Mediator(u, m)),
        (0..3usize).prop_map(Forgery::CopyCase),
        (0..3usize, 0..3usize).prop_map(|(c, g)| Forgery::Grade(c, g)),
        (0..3usize).prop_map(Forgery::Close),
        (0..3usize).prop_map(Forgery::Accept),
    ]
}

struct World {
    hub: Ledger,
    village: Ledger,
    cases: Vec<Event>,
    mediators: Vec<Uuid>,
}

fn world() -> World {
    let hub = device(DISTRICT);
    let mut village = Ledger::open_in_memory().unwrap();
    village.init(unit_alone(VILLAGE_A), 0).unwrap();
    let raws: Vec<Vec<u8>> = hub
        .events()
        .unwrap()
        .iter()
        .map(|e| serde_json::to_vec(e).unwrap())
        .collect();
    village.ingest_raw(&raws, &[]).unwrap();
    village.trust_hub(hub.device().unwrap().device_id).unwrap();
    let mut mediators = Vec::new();
    for name in ["王建国", "刘红兵", "陈立"] {
        mediators.push(
            village
                .add_mediator(tiaojie_ledger::store::MediatorInput {
                    name: name.into(),
                    phone: None,
                    unit: None,
                    role: MediatorRole::VillageCadre,
                    specialties: vec![],
                })
                .unwrap(),
        );
    }
    for (a, b) in [("张三", "李四"), ("王五", "赵六"), ("孙七", "周八")] {
        let case = village.open_case(&intake(a, b, day(3, 1))).unwrap();
        village
            .grade_case(case.id, "红", "有冲突", Some(day(3, 2)))
            .unwrap();
    }
    let cases = village
        .events()
        .unwrap()
        .into_iter()
        .filter(|e| matches!(e.body, EventBody::CaseOpened(_)))
        .collect();
    World {
        hub,
        village,
        cases,
        mediators,
    }
}

fn forge(w: &World, rogue: Uuid, seq: i64, clock: i64, f: &Forgery) -> Event {
    let case_id = |c: usize| w.cases[c].body.case_id().unwrap();
    let body = match f.clone() {
        Forgery::Unit(u, with_parent) => EventBody::UnitRegistered(UnitSpec::new(
            UNITS[u],
            "被改名的单位",
            None,
            if u == 0 { 3 } else { 2 },
            // Its own unit without a parent would be its own to rename.
            (with_parent || UNITS[u] == VILLAGE_B).then_some(DISTRICT),
        )),
        Forgery::Scheme(days) => {
            let mut s = Scheme::default();
            for g in &mut s.grades {
                g.cadence_days = days;
            }
            EventBody::SchemeConfigured(s)
        }
        Forgery::Mediator(u, m) => EventBody::MediatorRegistered(MediatorSpec {
            id: w.mediators[m],
            name: "冒名调解员".into(),
            phone: None,
            // Another unit's roster, or its mediator moved to the rogue's.
            unit: [DISTRICT, STATION, VILLAGE_B][u].into(),
            role: MediatorRole::VillageCadre,
            specialties: vec![],
            active: false,
        }),
        Forgery::CopyCase(c) => w.cases[c].body.clone(),
        Forgery::Grade(c, g) => EventBody::CaseGraded(body::CaseGraded {
            case_id: case_id(c),
            grade: ["red", "yellow", "green"][g].into(),
            reason: "冒改".into(),
            on: day(3, 3),
        }),
        Forgery::Close(c) => EventBody::CaseClosed(body::CaseClosed {
            case_id: case_id(c),
            on: day(3, 3),
            outcome: ClosingOutcome::Withdrawn,
            note: String::new(),
        }),
        Forgery::Accept(c) => EventBody::EscalationAccepted(body::EscalationAccepted {
            case_id: case_id(c),
            escalation_id: Uuid::now_v7(),
            note: String::new(),
            on: day(3, 3),
        }),
    };
    Event {
        id: Uuid::now_v7(),
        device: rogue,
        seq,
        hlc: Hlc::from_raw(clock),
        schema: tiaojie_ledger::event::SCHEMA_VERSION,
        unit: VILLAGE_B.into(),
        actor: Some("冒用者".into()),
        body,
    }
}

/// The fingerprint without the record of outcomes (which notes refusals).
fn tables(l: &Ledger) -> String {
    let text = l.fingerprint().unwrap();
    let start = text.find("## outcomes").unwrap();
    let end = text.find("## units").unwrap();
    format!("{}{}", &text[..start], &text[end..])
}

fn station(w: &World) -> Ledger {
    let mut l = Ledger::open_in_memory().unwrap();
    l.init(unit_alone(STATION), 0).unwrap();
    l.trust_hub(w.hub.device().unwrap().device_id).unwrap();
    l
}

fn deliver(l: &mut Ledger, events: &[Event]) {
    let raws: Vec<Vec<u8>> = events
        .iter()
        .map(|e| serde_json::to_vec(e).unwrap())
        .collect();
    l.ingest_raw(&raws, &[]).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn a_rogue_changes_nothing_that_is_not_its_own(
        forgeries in prop::collection::vec((forgery(), any::<i64>(), 0..4usize), 1..12),
        split in 0..100usize,
    ) {
        let w = world();
        let honest: Vec<Event> = w.hub.events().unwrap().into_iter()
            .chain(w.village.events().unwrap())
            .collect();
        let mut clean = station(&w);
        deliver(&mut clean, &honest);

        let rogue = Uuid::now_v7();
        let forged: Vec<Event> = forgeries
            .iter()
            .enumerate()
            .map(|(i, (f, clock, _))| forge(&w, rogue, i as i64 + 1, clock.saturating_abs(), f))
            .collect();
        // The honest events arrive in two parts with the forgeries between
        // and after them, in batches; a copied case can only come after the
        // case it copies (its id is learnt from it).
        let cut = split % (honest.len() + 1);
        let mut attacked = station(&w);
        deliver(&mut attacked, &honest[..cut]);
        let known = |e: &Event| {
            let seen = &honest[..cut];
            let case_known = e.body.case_id().is_none_or(|c| {
                seen.iter().any(|h| matches!(h.body, EventBody::CaseOpened(_)) && h.body.case_id() == Some(c))
            });
            let mediator_known = match &e.body {
                EventBody::MediatorRegistered(m) => seen.iter().any(|h| {
                    matches!(&h.body, EventBody::MediatorRegistered(o) if o.id == m.id)
                }),
                _ => true,
            };
            case_known && mediator_known
        };
        let (early, late): (Vec<_>, Vec<_>) = forged
            .iter()
            .cloned()
            .zip(&forgeries)
            .partition(|(e, (_, _, when))| *when < 2 && known(e));
        let early: Vec<Event> = early.into_iter().map(|(e, _)| e).collect();
        let late: Vec<Event> = late.into_iter().map(|(e, _)| e).collect();
        if !early.is_empty() {
            deliver(&mut attacked, &early);
        }
        deliver(&mut attacked, &honest[cut..]);
        for chunk in late.chunks(3) {
            deliver(&mut attacked, chunk);
        }
        prop_assert_eq!(tables(&attacked), tables(&clean));
        // Every forgery is on record, refused with its reason.
        let refused = attacked.refused_events().unwrap();
        for e in &forged {
            prop_assert!(refused.iter().any(|(r, why)| r.id == e.id && !why.is_empty()), "{:?} was not refused", e.body.kind());
        }
        // A refold from the start agrees.
        let before = attacked.fingerprint().unwrap();
        attacked.refold().unwrap();
        prop_assert_eq!(attacked.fingerprint().unwrap(), before);
    }
}
