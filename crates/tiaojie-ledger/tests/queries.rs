//! The ledger list's filters, search, sorting and paging, and the counts.

mod support;

use support::*;
use tiaojie_ledger::Ledger;
use tiaojie_ledger::domain::intake::Fen;
use tiaojie_ledger::domain::labels::AgreementForm;
use tiaojie_ledger::domain::labels::{CaseStatus, ClosingOutcome, DisputeType};
use tiaojie_ledger::event::Term;
use tiaojie_ledger::store::queries::{CaseFilter, Scope, SortKey};
use tiaojie_ledger::store::{AgreementInput, StatsFilter};

/// Village A: 3 cases (red, yellow, closed green); village B: 2 (one
/// escalated to and accepted by the station); all in the station's ledger.
fn world() -> Ledger {
    let mut a = device(VILLAGE_A);
    let mut b = device(VILLAGE_B);
    let mut station = device(STATION);
    let c1 = a.open_case(&intake("张三", "李四", day(1, 10))).unwrap();
    let mut contract = intake("王小明", "刘大力", day(2, 3));
    contract.dispute_type = "合同".into();
    contract.facts = "货款拖欠百分之50%未付".into();
    let c2 = a.open_case(&contract).unwrap();
    let c3 = a.open_case(&intake("陈一", "林二", day(2, 20))).unwrap();
    a.grade_case(c1.id, "red", "冲突激烈", Some(day(1, 11)))
        .unwrap();
    a.grade_case(c2.id, "yellow", "金额较大", Some(day(2, 4)))
        .unwrap();
    a.grade_case(c3.id, "green", "一般", Some(day(2, 21)))
        .unwrap();
    a.close_case(c3.id, ClosingOutcome::Withdrawn, "", Some(day(2, 22)))
        .unwrap();
    let d1 = b.open_case(&intake("周三", "吴四", day(3, 1))).unwrap();
    b.open_case(&intake("郑五", "冯六", day(3, 2))).unwrap();
    b.grade_case(d1.id, "red", "涉访风险", Some(day(3, 1)))
        .unwrap();
    b.escalate(d1.id, STATION, "涉访", Some(day(3, 1))).unwrap();
    sync(&a, &mut station);
    sync(&b, &mut station);
    station
        .accept_escalation(d1.id, "", Some(day(3, 2)))
        .unwrap();
    station
}

fn numbers(l: &Ledger, f: CaseFilter) -> Vec<String> {
    let page = l.list_cases(&f).unwrap();
    assert_eq!(
        page.total as usize,
        page.rows.len(),
        "paging not expected here"
    );
    page.rows.into_iter().map(|r| r.number).collect()
}

#[test]
fn filters() {
    let l = world();
    assert_eq!(l.list_cases(&CaseFilter::default()).unwrap().total, 5);
    let red = numbers(
        &l,
        CaseFilter {
            grades: vec!["red".into()],
            ..Default::default()
        },
    );
    assert_eq!(red.len(), 2);
    let closed = numbers(
        &l,
        CaseFilter {
            statuses: vec![CaseStatus::Closed],
            ..Default::default()
        },
    );
    assert_eq!(closed, vec!["（2026）青山村人调字第3号"]);
    let contract = numbers(
        &l,
        CaseFilter {
            dispute_types: vec![DisputeType::Contract],
            ..Default::default()
        },
    );
    assert_eq!(contract, vec!["（2026）青山村人调字第2号"]);
    // Owned at level 2: the accepted escalation.
    let level2 = numbers(
        &l,
        CaseFilter {
            level: Some(2),
            ..Default::default()
        },
    );
    assert_eq!(level2, vec!["（2026）白石村人调字第1号"]);
    let village_a = CaseFilter {
        scope: Some(Scope {
            unit: VILLAGE_A.into(),
            subtree: false,
        }),
        ..Default::default()
    };
    assert_eq!(numbers(&l, village_a).len(), 3);
    let station_only = CaseFilter {
        scope: Some(Scope {
            unit: STATION.into(),
            subtree: false,
        }),
        ..Default::default()
    };
    assert_eq!(numbers(&l, station_only).len(), 1);
    let subtree = CaseFilter {
        scope: Some(Scope {
            unit: DISTRICT.into(),
            subtree: true,
        }),
        ..Default::default()
    };
    assert_eq!(numbers(&l, subtree).len(), 5);
    let february = CaseFilter {
        received_from: Some(day(2, 1)),
        received_to: Some(day(2, 28)),
        ..Default::default()
    };
    assert_eq!(numbers(&l, february).len(), 2);
}

#[test]
fn search_finds_chinese_names_facts_ids_and_numbers_literally() {
    let l = world();
    let find = |t: &str| {
        numbers(
            &l,
            CaseFilter {
                text: Some(t.into()),
                ..Default::default()
            },
        )
    };
    assert_eq!(find("刘大力"), vec!["（2026）青山村人调字第2号"]);
    assert_eq!(find("货款"), vec!["（2026）青山村人调字第2号"]);
    assert_eq!(find("白石村人调字第2号"), vec!["（2026）白石村人调字第2号"]);
    assert_eq!(find(&id_number("43030219800101001")).len(), 5);
    // Wildcards are text, not patterns.
    assert_eq!(find("50%"), vec!["（2026）青山村人调字第2号"]);
    assert!(find("%").len() == 1 && find("_").is_empty());
    assert!(find("不存在的名字").is_empty());
}

#[test]
fn sorting_and_paging() {
    let l = world();
    let by_grade = l
        .list_cases(&CaseFilter {
            sort: SortKey::Grade,
            limit: 2,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(by_grade.total, 5);
    assert!(
        by_grade
            .rows
            .iter()
            .all(|r| r.grade.as_deref() == Some("red"))
    );
    let oldest_first = numbers(
        &l,
        CaseFilter {
            sort: SortKey::Received,
            ascending: true,
            ..Default::default()
        },
    );
    assert_eq!(oldest_first[0], "（2026）青山村人调字第1号");
    let page2 = l
        .list_cases(&CaseFilter {
            sort: SortKey::Received,
            ascending: true,
            offset: 4,
            limit: 2,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page2.rows.len(), 1);
    assert_eq!(page2.rows[0].number, "（2026）白石村人调字第2号");
}

#[test]
fn counts_for_statistics() {
    let l = world();
    let all = l.stats(&StatsFilter::default()).unwrap();
    assert_eq!((all.total, all.open, all.closed), (5, 4, 1));
    let grade = |k: &str| all.by_grade.iter().find(|c| c.key == k).map(|c| c.count);
    assert_eq!(
        (
            grade("red"),
            grade("yellow"),
            grade("green"),
            grade("ungraded")
        ),
        (Some(2), Some(1), Some(1), Some(1))
    );
    assert_eq!(all.by_grade.iter().map(|c| c.count).sum::<u64>(), all.total);
    assert_eq!(
        all.by_grade
            .iter()
            .find(|c| c.key == "ungraded")
            .unwrap()
            .label,
        "未评定"
    );
    assert_eq!(
        all.by_grade.iter().find(|c| c.key == "red").unwrap().label,
        "红色"
    );
    assert_eq!(
        all.by_type
            .iter()
            .find(|c| c.label == "合同")
            .unwrap()
            .count,
        1
    );
    let months: Vec<(&str, u64)> = all
        .by_month
        .iter()
        .map(|c| (c.key.as_str(), c.count))
        .collect();
    assert_eq!(months, vec![("2026-01", 1), ("2026-02", 2), ("2026-03", 2)]);
    assert_eq!(all.by_level.iter().find(|c| c.key == "2").unwrap().count, 1);
    let village_b = l
        .stats(&StatsFilter {
            scope: Some(Scope {
                unit: VILLAGE_B.into(),
                subtree: false,
            }),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        village_b.total, 1,
        "the accepted case now counts for the station"
    );
    let march = l
        .stats(&StatsFilter {
            from: Some(day(3, 1)),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(march.total, 2);
}

#[test]
fn the_kept_counts_and_search_index_follow_every_change() {
    // world() grades, closes, escalates and accepts (the owner moves), and the
    // station folds the villages' events in between its own (a refold).
    let mut l = world();
    assert_eq!(l.index_drift().unwrap(), 0);
    let before = l.stats(&StatsFilter::default()).unwrap();
    let c = l.open_case(&intake("赵六", "钱七", day(3, 5))).unwrap();
    l.grade_case(c.id, "yellow", "排查", Some(day(3, 5)))
        .unwrap();
    // The follow-ups due, a page of them and the counts of all.
    let everywhere = Scope {
        unit: STATION.into(),
        subtree: true,
    };
    let all = l.due_visits(day(3, 20), &everywhere).unwrap();
    let page = l.due_page(day(3, 20), &everywhere, Some(1)).unwrap();
    assert!(all.len() >= 2, "{all:?}");
    assert_eq!(page.total as usize, all.len());
    assert_eq!(page.rows.len(), 1);
    assert_eq!(
        page.rows[0].case_id, all[0].case_id,
        "the most urgent first"
    );
    assert_eq!(page.rows[0].grade, "red");
    assert_eq!(
        page.by_grade.iter().map(|c| c.count).sum::<u64>(),
        page.total
    );
    l.make_agreement(
        c.id,
        AgreementInput {
            on: Some(day(3, 8)),
            form: AgreementForm::Oral,
            terms: vec![Term {
                content: "赵六赔偿钱七三百元".into(),
                due: None,
            }],
            amount: Fen(30_000),
        },
    )
    .unwrap();
    l.close_case(c.id, ClosingOutcome::Resolved, "", Some(day(3, 9)))
        .unwrap();
    assert_eq!(l.index_drift().unwrap(), 0);
    let after = l.stats(&StatsFilter::default()).unwrap();
    assert_eq!(
        (after.total, after.closed, after.resolved),
        (before.total + 1, before.closed + 1, before.resolved + 1)
    );
    assert_eq!(
        (after.agreements, after.agreement_amount_fen),
        (before.agreements + 1, before.agreement_amount_fen + 30_000)
    );
    let found = |l: &Ledger, t: &str| {
        l.list_cases(&CaseFilter {
            text: Some(t.into()),
            ..Default::default()
        })
        .unwrap()
        .total
    };
    assert_eq!(found(&l, "赵六"), 1, "two characters: a scan");
    assert_eq!(found(&l, "赵六与钱七"), 1, "three or more: the index");
    assert_eq!(found(&l, "赵六与李四"), 0, "and only what is there");
    assert_eq!(found(&l, "百分之50%"), 1, "the index matches literally");
    assert_eq!(found(&l, "\"未付"), 0, "a quote is a character, not syntax");
}

#[test]
fn cases_resolve_by_number_id_or_prefix() {
    let l = world();
    let row = &l.list_cases(&CaseFilter::default()).unwrap().rows[0];
    assert_eq!(l.resolve_case(&row.number).unwrap(), row.id);
    let ascii = row.number.replace('（', "(").replace('）', ")");
    assert_eq!(l.resolve_case(&ascii).unwrap(), row.id);
    assert_eq!(l.resolve_case(&row.id.to_string()).unwrap(), row.id);
    assert_eq!(
        l.resolve_case("（2026）青山村人调字第99号")
            .unwrap_err()
            .code(),
        "not_found"
    );
}

#[test]
fn the_wall_map_colours_each_unit_by_its_worst_open_case_below_it() {
    let l = world();
    let grid = l.unit_grid().unwrap();
    let cell = |code: &str| grid.iter().find(|c| c.code == code).unwrap().clone();
    // Village A: red and yellow open (green closed); village B: one grade-less
    // open case left after the red one went to the station.
    assert_eq!(
        (
            cell(VILLAGE_A).open_cases,
            cell(VILLAGE_A).worst_grade.as_deref()
        ),
        (2, Some("red"))
    );
    assert_eq!(
        (cell(VILLAGE_B).open_cases, cell(VILLAGE_B).worst_grade),
        (1, None)
    );
    assert_eq!(
        (
            cell(STATION).open_cases,
            cell(STATION).worst_color.as_deref()
        ),
        (4, Some("#d93025"))
    );
    assert_eq!(cell(DISTRICT).open_cases, 4);
    assert_eq!(cell(DISTRICT).worst_grade_name.as_deref(), Some("红色"));
}

#[test]
fn a_mediators_own_visits_due_are_those_of_the_cases_they_handle() {
    use tiaojie_ledger::domain::labels::MediatorRole;
    use tiaojie_ledger::store::MediatorInput;
    let mut l = device(VILLAGE_A);
    for name in ["王秀英", "李建军"] {
        l.add_mediator(MediatorInput {
            name: name.into(),
            phone: None,
            unit: None,
            role: MediatorRole::VillageCadre,
            specialties: vec![],
        })
        .unwrap();
    }
    let mut handled = |a: &str, b: &str, mediator: Option<&str>| {
        let mut i = intake(a, b, day(3, 1));
        i.mediator = mediator.map(str::to_string);
        let c = l.open_case(&i).unwrap();
        l.grade_case(c.id, "red", "冲突激烈", Some(day(3, 1)))
            .unwrap();
        c.number
    };
    let wang = handled("张三", "李四", Some("王秀英"));
    let li = handled("周三", "吴四", Some("李建军"));
    let nobody = handled("郑五", "冯六", None);
    let here = Scope {
        unit: VILLAGE_A.into(),
        subtree: false,
    };
    let numbers = |page: tiaojie_ledger::store::queries::DuePage| {
        let mut n: Vec<String> = page.rows.into_iter().map(|r| r.number).collect();
        n.sort();
        (page.total, n)
    };
    let mut all = vec![wang.clone(), li.clone(), nobody];
    all.sort();
    assert_eq!(
        numbers(l.due_page(day(3, 5), &here, None).unwrap()),
        (3, all)
    );
    assert_eq!(
        numbers(
            l.due_page_of_mediator(day(3, 5), &here, None, "王秀英")
                .unwrap()
        ),
        (1, vec![wang])
    );
    assert_eq!(
        numbers(
            l.due_page_of_mediator(day(3, 5), &here, Some(5), " 李建军 ")
                .unwrap()
        ),
        (1, vec![li])
    );
    let today = l.today_list(day(3, 5), Some("无此人")).unwrap();
    assert_eq!((today.due_total, today.due.len()), (0, 0));
}
