//! Bad input and forbidden actions: each gives a typed error that names what
//! is wrong, and writes nothing at all.

mod support;

use support::*;
use tiaojie_ledger::domain::labels::{ClosingOutcome, MediatorRole};
use tiaojie_ledger::domain::scheme::Scheme;
use tiaojie_ledger::domain::unit::UnitSpec;
use tiaojie_ledger::store::{FollowUpInput, MediatorInput};
use tiaojie_ledger::{Ledger, LedgerError};

fn snapshot(l: &Ledger) -> (usize, String, i64) {
    (
        l.events().unwrap().len(),
        l.fingerprint().unwrap(),
        l.device().unwrap().next_seq,
    )
}

/// Runs `action`, expects an error with `code`, and checks nothing changed.
fn refused<T: std::fmt::Debug>(
    l: &mut Ledger,
    code: &str,
    action: impl FnOnce(&mut Ledger) -> Result<T, LedgerError>,
) -> LedgerError {
    let before = snapshot(l);
    let err = action(l).expect_err("the action should have been refused");
    assert_eq!(err.code(), code, "{err}");
    assert!(err.is_user_error());
    assert!(!err.to_string().is_empty());
    assert_eq!(
        snapshot(l),
        before,
        "a refused action wrote something: {err}"
    );
    err
}

#[test]
fn bad_id_checksum() {
    let mut l = device(VILLAGE_A);
    let mut form = intake("张三", "李四", day(3, 1));
    form.parties[0].id_number = Some("430302198001010010".into());
    let err = refused(&mut l, "invalid_input", |l| l.open_case(&form));
    assert_eq!(err.field(), Some("parties[0].id_number"));
    assert!(err.to_string().contains("校验位"), "{err}");
}

#[test]
fn unknown_units() {
    let mut l = device(VILLAGE_A);
    let case = l.open_case(&intake("张三", "李四", day(3, 1))).unwrap();
    let err = refused(&mut l, "not_found", |l| {
        l.escalate(case.id, "999999999999", "上交", None)
    });
    assert!(err.to_string().contains("999999999999"));
    refused(&mut l, "invalid_input", |l| {
        l.add_unit(UnitSpec::new(
            "430302009001",
            "某村",
            None,
            1,
            Some("430302009000"),
        ))
    });
    refused(&mut l, "invalid_input", |l| {
        l.add_mediator(MediatorInput {
            name: "刘一".into(),
            phone: None,
            unit: Some("430399999999".into()),
            role: MediatorRole::VillageCadre,
            specialties: vec![],
        })
    });
    // A sibling is not an upper level.
    let err = refused(&mut l, "invalid_input", |l| {
        l.escalate(case.id, VILLAGE_B, "上交", None)
    });
    assert_eq!(err.field(), Some("to_unit"));
}

#[test]
fn escalate_a_closed_case() {
    let mut l = device(VILLAGE_A);
    let case = l.open_case(&intake("张三", "李四", day(3, 1))).unwrap();
    l.close_case(
        case.id,
        ClosingOutcome::Withdrawn,
        "申请人撤回",
        Some(day(3, 2)),
    )
    .unwrap();
    let err = refused(&mut l, "invalid_state", |l| {
        l.escalate(case.id, STATION, "上交", None)
    });
    assert!(err.to_string().contains("结案"), "{err}");
    refused(&mut l, "invalid_state", |l| {
        l.grade_case(case.id, "red", "x", None)
    });
    refused(&mut l, "invalid_state", |l| {
        l.close_case(case.id, ClosingOutcome::Failed, "", None)
    });
}

#[test]
fn a_visit_with_nothing_found_is_refused_and_the_case_stays_due() {
    let mut l = device(VILLAGE_A);
    let case = l.open_case(&intake("张三", "李四", day(3, 1))).unwrap();
    for performance in ["", "   "] {
        let err = refused(&mut l, "invalid_input", |l| {
            l.follow_up(
                case.id,
                FollowUpInput {
                    on: Some(day(3, 2)),
                    visitor: "刘调解员".into(),
                    performance: performance.into(),
                    measures: "电话联系".into(),
                    ..Default::default()
                },
            )
        });
        assert_eq!(err.field(), Some("performance"));
        assert!(err.to_string().contains("回访情况"), "{err}");
    }
}

#[test]
fn follow_up_on_a_case_that_is_not_yours() {
    let mut village = device(VILLAGE_A);
    let mut station = device(STATION);
    let case = village
        .open_case(&intake("张三", "李四", day(3, 1)))
        .unwrap();
    sync(&village, &mut station);
    let err = refused(&mut station, "not_yours", |l| {
        l.follow_up(
            case.id,
            FollowUpInput {
                on: Some(day(3, 2)),
                visitor: "王警官".into(),
                performance: "双方情绪平稳".into(),
                ..Default::default()
            },
        )
    });
    assert!(err.to_string().contains("青山村调解室"), "{err}");
    // Nor can a village accept an escalation addressed to the station.
    village
        .escalate(case.id, STATION, "上交", Some(day(3, 2)))
        .unwrap();
    refused(&mut village, "not_yours", |l| {
        l.accept_escalation(case.id, "", None)
    });
}

#[test]
fn other_rules() {
    let mut l = device(VILLAGE_A);
    let case = l.open_case(&intake("张三", "李四", day(3, 1))).unwrap();
    let future = chrono::Local::now().date_naive() + chrono::Days::new(2);
    let err = refused(&mut l, "invalid_input", |l| {
        l.grade_case(case.id, "red", "x", Some(future))
    });
    assert_eq!(err.field(), Some("on"));
    let err = refused(&mut l, "invalid_input", |l| {
        l.grade_case(case.id, "purple", "x", None)
    });
    assert_eq!(err.field(), Some("grade"));
    let err = refused(&mut l, "invalid_input", |l| {
        l.grade_case(case.id, "red", "  ", None)
    });
    assert_eq!(err.field(), Some("reason"));
    let err = refused(&mut l, "invalid_input", |l| {
        l.grade_case(case.id, "red", "早于受理", Some(day(2, 1)))
    });
    assert_eq!(err.field(), Some("on"));
    refused(&mut l, "invalid_state", |l| {
        l.close_case(case.id, ClosingOutcome::Resolved, "", None)
    });
    refused(&mut l, "invalid_state", |l| {
        l.accept_escalation(case.id, "", None)
    });
    l.escalate(case.id, STATION, "上交", Some(day(3, 2)))
        .unwrap();
    refused(&mut l, "invalid_state", |l| {
        l.escalate(case.id, DISTRICT, "再交", None)
    });
    refused(&mut l, "invalid_state", |l| {
        l.close_case(case.id, ClosingOutcome::Failed, "", None)
    });
    refused(&mut l, "not_found", |l| {
        l.grade_case(uuid::Uuid::now_v7(), "red", "x", None)
    });
    l.grade_case(case.id, "red", "风险高", Some(day(3, 2)))
        .unwrap();
    let mut scheme = Scheme::default();
    scheme.grades.retain(|g| g.key != "red");
    refused(&mut l, "invalid_state", |l| l.configure_scheme(scheme));
    refused(&mut l, "invalid_input", |l| {
        l.configure_scheme(Scheme { grades: vec![] })
    });
}

#[test]
fn a_ledger_is_initialised_once() {
    let mut l = device(VILLAGE_A);
    refused(&mut l, "invalid_state", |l| {
        l.init(UnitSpec::new(VILLAGE_B, "白石村调解室", None, 1, None), 0)
    });
    let mut blank = Ledger::open_in_memory().unwrap();
    assert_eq!(
        blank
            .open_case(&intake("张三", "李四", day(3, 1)))
            .unwrap_err()
            .code(),
        "not_found"
    );
    assert!(blank.events().unwrap().is_empty());
}

#[test]
fn an_altered_copy_of_a_stored_event_is_refused_whole() {
    let mut village = device(VILLAGE_A);
    let mut station = device(STATION);
    village
        .open_case(&intake("张三", "李四", day(3, 1)))
        .unwrap();
    let mut events = village.events().unwrap();
    sync(&village, &mut station);
    let before = snapshot(&station);
    if let tiaojie_ledger::EventBody::CaseOpened(tiaojie_ledger::event::body::CaseOpened {
        intake,
        ..
    }) = &mut events.last_mut().unwrap().body
    {
        intake.facts = "被改过的事实".into();
    }
    let err = station.ingest(&events).unwrap_err();
    assert_eq!(err.code(), "event_mismatch");
    assert_eq!(snapshot(&station), before);
}
