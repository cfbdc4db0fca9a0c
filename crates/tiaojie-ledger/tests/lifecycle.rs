//! A case's whole life across a village and its station, at the level of the
//! ledger API, with the due list checked on each day.

mod support;

use support::*;
use tiaojie_ledger::domain::intake::Fen;
use tiaojie_ledger::domain::labels::{AgreementForm, ClosingOutcome, Satisfaction, SessionResult};
use tiaojie_ledger::domain::scheme::DueState;
use tiaojie_ledger::event::Term;
use tiaojie_ledger::store::queries::{CaseFilter, Scope};
use tiaojie_ledger::store::{AgreementInput, FollowUpInput, SessionInput, StatsFilter};

fn scope(unit: &str) -> Scope {
    Scope {
        unit: unit.into(),
        subtree: false,
    }
}

#[test]
fn intake_to_close_across_village_and_station() {
    let mut village = device(VILLAGE_A);
    let mut station = device(STATION);

    let case = village
        .open_case(&intake("张三", "李四", day(3, 2)))
        .unwrap();
    assert_eq!(case.number, "（2026）青山村人调字第1号");
    let second = village
        .open_case(&intake("王五", "赵六", day(3, 2)))
        .unwrap();
    assert_eq!(second.number, "（2026）青山村人调字第2号");

    // Graded red on 3-2: due 3-3, overdue after.
    village
        .grade_case(
            case.id,
            "红",
            "双方多次发生推搡，有民转刑风险",
            Some(day(3, 2)),
        )
        .unwrap();
    assert!(
        village
            .due_visits(day(3, 2), &scope(VILLAGE_A))
            .unwrap()
            .is_empty()
    );
    let due = village.due_visits(day(3, 3), &scope(VILLAGE_A)).unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].state, DueState::Due);
    assert_eq!(
        village.due_visits(day(3, 5), &scope(VILLAGE_A)).unwrap()[0].state,
        DueState::Overdue(2)
    );

    village
        .follow_up(
            case.id,
            FollowUpInput {
                on: Some(day(3, 3)),
                visitor: "刘调解员".into(),
                performance: "双方已不再争吵".into(),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(
        village
            .due_visits(day(3, 3), &scope(VILLAGE_A))
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        village.due_visits(day(3, 4), &scope(VILLAGE_A)).unwrap()[0].state,
        DueState::Due
    );

    village
        .record_session(
            case.id,
            SessionInput {
                on: Some(day(3, 4)),
                place: "青山村调解室".into(),
                mediators: vec!["刘调解员".into()],
                attendees: "张三、李四".into(),
                summary: "双方各执一词".into(),
                result: SessionResult::Failed,
            },
        )
        .unwrap();
    village
        .escalate(
            case.id,
            STATION,
            "村级调解未果，需派出所协调",
            Some(day(3, 4)),
        )
        .unwrap();

    // The station sees it waiting for acceptance.
    sync(&village, &mut station);
    let waiting = station.escalations(STATION, "pending", false).unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].case_id, case.id);
    // The village still owns it until the station accepts.
    assert!(
        station
            .due_visits(day(3, 5), &scope(STATION))
            .unwrap()
            .is_empty()
    );
    station
        .accept_escalation(case.id, "由所里牵头调解", Some(day(3, 5)))
        .unwrap();

    // Open follow-ups moved with the case: due 3-4 (a day after the last
    // visit), so a day overdue at the station on 3-5.
    let due = station.due_visits(day(3, 5), &scope(STATION)).unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].state, DueState::Overdue(1));
    assert!(
        village
            .due_visits(day(3, 5), &scope(VILLAGE_A))
            .unwrap()
            .len()
            == 1
    );

    station
        .make_agreement(
            case.id,
            AgreementInput {
                on: Some(day(3, 6)),
                form: AgreementForm::Written,
                terms: vec![Term {
                    content: "李四于3月20日前拆除越界围墙".into(),
                    due: Some(day(3, 20)),
                }],
                amount: Fen(50_000),
            },
        )
        .unwrap();
    station
        .follow_up(
            case.id,
            FollowUpInput {
                on: Some(day(3, 7)),
                visitor: "王警官".into(),
                performance: "协议已履行".into(),
                satisfaction: Some(Satisfaction::Satisfied),
                ..Default::default()
            },
        )
        .unwrap();
    station
        .grade_case(case.id, "绿", "已达成协议，风险降低", Some(day(3, 7)))
        .unwrap();
    assert!(
        station
            .due_visits(day(4, 5), &scope(STATION))
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        station.due_visits(day(4, 6), &scope(STATION)).unwrap()[0].state,
        DueState::Due
    );
    station
        .record_performance(case.id, "围墙已拆除", true, Some(day(3, 20)))
        .unwrap();
    station
        .close_case(
            case.id,
            ClosingOutcome::Resolved,
            "协议已履行",
            Some(day(3, 21)),
        )
        .unwrap();
    assert!(
        station
            .due_visits(day(4, 6), &scope(STATION))
            .unwrap()
            .is_empty()
    );

    // Every matter gets an answer back: the village sees the outcome.
    sync(&station, &mut village);
    let detail = village.case_detail(case.id).unwrap();
    assert_eq!(detail.row.unit, STATION);
    assert_eq!(detail.row.status, "已结案");
    assert_eq!(detail.origin_unit, VILLAGE_A);
    assert!(
        detail.history.iter().all(|h| h.applied),
        "{:?}",
        detail.history
    );
    assert_eq!(detail.history.len(), 11);
    assert_eq!(
        village.fingerprint().unwrap(),
        station.fingerprint().unwrap()
    );

    let stats = village.stats(&StatsFilter::default()).unwrap();
    assert_eq!(
        (stats.total, stats.open, stats.closed, stats.resolved),
        (2, 1, 1, 1)
    );
    assert_eq!(stats.agreement_amount_fen, 50_000);
    let page = village
        .list_cases(&CaseFilter {
            text: Some("李四".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page.total, 1);
}

#[test]
fn returned_escalation_keeps_the_case_with_the_village() {
    let mut village = device(VILLAGE_A);
    let mut station = device(STATION);
    let case = village
        .open_case(&intake("张三", "李四", day(3, 2)))
        .unwrap();
    village
        .escalate(case.id, STATION, "请求上交", Some(day(3, 2)))
        .unwrap();
    sync(&village, &mut station);
    assert!(
        station
            .return_escalation(case.id, " ", Some(day(3, 3)))
            .is_err()
    );
    station
        .return_escalation(case.id, "属一般邻里纠纷，请村里继续调解", Some(day(3, 3)))
        .unwrap();
    sync(&station, &mut village);
    let back = village.escalations(VILLAGE_A, "returned", true).unwrap();
    assert_eq!(back.len(), 1);
    assert_eq!(
        back[0].answer.as_deref(),
        Some("属一般邻里纠纷，请村里继续调解")
    );
    assert_eq!(village.case_row(case.id).unwrap().unit, VILLAGE_A);
    // The village can act again, and escalate again.
    village
        .grade_case(case.id, "黄", "仍有争议", Some(day(3, 4)))
        .unwrap();
    village
        .escalate(case.id, DISTRICT, "再次上交至区中心", Some(day(3, 4)))
        .unwrap();
}

#[test]
fn support_and_referral_keep_ownership_and_are_answered() {
    let mut village = device(VILLAGE_A);
    let mut station = device(STATION);
    let case = village
        .open_case(&intake("张三", "李四", day(3, 2)))
        .unwrap();
    village
        .request_support(case.id, STATION, "请派民警参与调解", Some(day(3, 2)))
        .unwrap();
    village
        .refer(
            case.id,
            tiaojie_ledger::domain::labels::Department::Land,
            "区自然资源分局",
            "宅基地界址认定",
            day(3, 10),
            Some(day(3, 3)),
        )
        .unwrap();
    sync(&village, &mut station);
    station
        .answer_support(case.id, "3月5日派王警官参加", Some(day(3, 4)))
        .unwrap();
    sync(&station, &mut village);
    assert_eq!(village.case_row(case.id).unwrap().unit, VILLAGE_A);
    let late = village
        .overdue_referrals(day(3, 12), &scope(VILLAGE_A))
        .unwrap();
    assert_eq!(late.len(), 1);
    assert_eq!(late[0].days_late, 2);
    village
        .answer_referral(case.id, "界址已认定", Some(day(3, 12)))
        .unwrap();
    assert!(
        village
            .overdue_referrals(day(3, 12), &scope(VILLAGE_A))
            .unwrap()
            .is_empty()
    );
    let d = village.case_detail(case.id).unwrap();
    assert_eq!(d.supports[0].reply.as_deref(), Some("3月5日派王警官参加"));
}

#[test]
fn screening_reports_tell_nil_from_missing() {
    let mut village = device(VILLAGE_A);
    village
        .report_screening(day(3, 1), day(3, 15), 0, "", Some(day(3, 15)))
        .unwrap();
    village
        .report_screening(
            day(3, 16),
            day(3, 31),
            2,
            "发现两起土地纠纷",
            Some(day(3, 31)),
        )
        .unwrap();
    let e = village
        .report_screening(day(3, 1), day(3, 15), 1, "", Some(day(3, 16)))
        .unwrap_err();
    assert_eq!(e.code(), "invalid_state");
    let s = village.stats(&StatsFilter::default()).unwrap();
    assert_eq!((s.screenings, s.nil_reports), (2, 1));
}

#[test]
fn three_failed_sessions_suggest_escalation() {
    let mut village = device(VILLAGE_A);
    let case = village
        .open_case(&intake("张三", "李四", day(3, 2)))
        .unwrap();
    for d in 3..6 {
        assert!(!village.case_detail(case.id).unwrap().suggest_escalation);
        village
            .record_session(
                case.id,
                SessionInput {
                    on: Some(day(3, d)),
                    place: "村部".into(),
                    mediators: vec![],
                    attendees: String::new(),
                    summary: "未能达成一致".into(),
                    result: SessionResult::Failed,
                },
            )
            .unwrap();
    }
    assert!(village.case_detail(case.id).unwrap().suggest_escalation);
}

#[test]
fn a_file_ledger_reopens_with_its_clock_and_sequence() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite3");
    let (device_id, last) = {
        let mut l = village_file(&path);
        l.open_case(&intake("张三", "李四", day(3, 2))).unwrap();
        let evs = l.events().unwrap();
        (l.device().unwrap().device_id, evs.last().unwrap().clone())
    };
    let mut l = tiaojie_ledger::Ledger::open(&path).unwrap();
    assert_eq!(l.device().unwrap().device_id, device_id);
    assert_eq!(journal_mode(&path), "wal");
    l.open_case(&intake("王五", "赵六", day(3, 2))).unwrap();
    let evs = l.events().unwrap();
    let newest = evs.last().unwrap();
    assert_eq!(newest.seq, last.seq + 1);
    assert!(newest.hlc > last.hlc);
    let seqs: Vec<i64> = evs.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=seqs.len() as i64).collect::<Vec<_>>());
}

/// WAL mode is recorded in the file header: bytes 18 and 19 are 2.
fn journal_mode(path: &std::path::Path) -> &'static str {
    let bytes = std::fs::read(path).unwrap();
    if bytes[18] == 2 && bytes[19] == 2 {
        "wal"
    } else {
        "other"
    }
}

#[test]
fn a_return_stays_on_the_list_until_acted_on_or_old() {
    let mut village = device(VILLAGE_A);
    let mut station = device(STATION);
    let case = village
        .open_case(&intake("张三", "李四", day(3, 2)))
        .unwrap();
    village
        .escalate(case.id, STATION, "请求上交", Some(day(3, 2)))
        .unwrap();
    sync(&village, &mut station);
    station
        .return_escalation(case.id, "请村里继续调解", Some(day(3, 3)))
        .unwrap();
    sync(&station, &mut village);
    assert_eq!(
        village
            .recent_returns(VILLAGE_A, day(3, 4), 14)
            .unwrap()
            .len(),
        1
    );
    assert!(
        village
            .recent_returns(VILLAGE_A, day(3, 20), 14)
            .unwrap()
            .is_empty()
    );
    village
        .escalate(case.id, DISTRICT, "再次上交", Some(day(3, 5)))
        .unwrap();
    assert!(
        village
            .recent_returns(VILLAGE_A, day(3, 6), 14)
            .unwrap()
            .is_empty()
    );
}
