//! A red case from intake in the village to closing at the station, with
//! events carried between the two ledgers by `events export` / `import`,
//! and the follow-up list checked on each day it changes.

mod support;

use serde_json::Value;
use support::*;

fn numbers(due: &[Value]) -> Vec<&str> {
    due.iter().map(|d| d["number"].as_str().unwrap()).collect()
}

fn assert_due(due: &[Value], number: &str, grade: &str, next_visit: &str, state: Value) {
    assert_eq!(numbers(due), [number], "{due:?}");
    assert_eq!(due[0]["grade"], grade);
    assert_eq!(due[0]["next_visit"], next_visit);
    assert_eq!(due[0]["state"], state);
}

#[test]
fn intake_in_the_village_to_closing_at_the_station() {
    let due_today = serde_json::json!({"state": "due"});
    let overdue = |days: u32| serde_json::json!({"state": "overdue", "days": days});

    // The village registers and grades the case.
    let village = village();
    let (case_id, number) = open_case(&village);
    assert!(number.contains("青山村人调字第1号"), "{number}");
    village.ok(&[
        "case",
        "grade",
        &number,
        "--grade",
        "red",
        "--reason",
        "双方扬言动手",
        "--on",
        D,
    ]);

    assert!(
        village.due(D).is_empty(),
        "the first daily visit is tomorrow"
    );
    assert_due(
        &village.due(&day(1)),
        &number,
        "red",
        &day(1),
        due_today.clone(),
    );
    assert_due(&village.due(&day(3)), &number, "red", &day(1), overdue(2));

    let human = village.run(&["due", "--on", &day(3)]);
    assert_eq!(human.code, 0);
    assert!(
        human.stdout.contains("红色") && human.stdout.contains(&number),
        "{}",
        human.stdout
    );
    assert!(
        human.stdout.contains("张三、李四") && human.stdout.contains("已逾期2天"),
        "{}",
        human.stdout
    );
    let human = village.run(&["due", "--on", &day(1)]);
    assert!(human.stdout.contains("今日应回访"), "{}", human.stdout);

    village.ok(&[
        "case",
        "session",
        &number,
        "--place",
        "青山村调解室",
        "--summary",
        "双方各执一词",
        "--result",
        "调解不成",
        "--mediator",
        "王建国",
        "--on",
        &day(3),
    ]);
    let escalated = village.ok(&[
        "case",
        "escalate",
        &number,
        "--to",
        STATION,
        "--reason",
        "村级调解不成",
        "--on",
        &day(3),
    ]);
    assert_eq!(escalated["case_id"], case_id.as_str());
    // Until the station accepts, the case and its visits stay in the village.
    assert_due(&village.due(&day(3)), &number, "red", &day(1), overdue(2));
    let village_events = village.events().len();
    let handover = village.export("village.json");

    // The station hears of it.
    let station = station();
    let imported = station.import(&handover);
    assert_eq!(imported["inserted"], village_events);
    assert_eq!(imported["duplicates"], 0);
    assert!(
        station.due(&day(4)).is_empty(),
        "not the station's case yet"
    );

    let todo = station.ok(&["today", "--on", &day(4)]);
    assert_eq!(todo["unit"], STATION);
    let pending = todo["escalations_pending"].as_array().unwrap();
    assert_eq!(pending.len(), 1, "{todo}");
    assert_eq!(pending[0]["number"], number.as_str());
    assert_eq!(pending[0]["from_unit"], VILLAGE);
    assert!(todo["due"].as_array().unwrap().is_empty());
    let human = station.run(&["today", "--on", &day(4)]);
    assert!(
        human.stdout.contains("待本单位受理的上交") && human.stdout.contains(&number),
        "{}",
        human.stdout
    );

    station.ok(&[
        "--as",
        "陈志强",
        "case",
        "accept",
        &number,
        "--note",
        "同意受理",
        "--on",
        &day(4),
    ]);
    let todo = station.ok(&["today", "--on", &day(4)]);
    assert!(todo["escalations_pending"].as_array().unwrap().is_empty());
    // The open follow-up moved with the case: due since D+1.
    assert_due(&station.due(&day(4)), &number, "red", &day(1), overdue(3));

    station.ok(&[
        "case",
        "agree",
        &number,
        "--term",
        "李四于3月20日前赔偿张三医药费800元@2026-03-20",
        "--term",
        "双方今后互不追究",
        "--amount",
        "800",
        "--on",
        &day(4),
    ]);
    station.ok(&[
        "case",
        "followup",
        &number,
        "--visitor",
        "陈志强",
        "--performance",
        "正在筹款",
        "--satisfaction",
        "基本满意",
        "--on",
        &day(4),
    ]);
    assert!(station.due(&day(4)).is_empty());
    assert_due(
        &station.due(&day(5)),
        &number,
        "red",
        &day(5),
        due_today.clone(),
    );
    station.ok(&[
        "case",
        "followup",
        &number,
        "--visitor",
        "陈志强",
        "--performance",
        "已筹齐款项",
        "--satisfaction",
        "满意",
        "--on",
        &day(5),
    ]);
    assert!(station.due(&day(5)).is_empty());
    assert_due(
        &station.due(&day(6)),
        &number,
        "red",
        &day(6),
        due_today.clone(),
    );

    station.ok(&[
        "case",
        "perform",
        &number,
        "--note",
        "李四已赔偿800元",
        "--fulfilled",
        "--on",
        &day(6),
    ]);
    station.ok(&[
        "case",
        "grade",
        &number,
        "--grade",
        "绿",
        "--reason",
        "协议已履行，风险化解",
        "--on",
        &day(6),
    ]);
    assert!(station.due(&day(6)).is_empty());
    assert!(
        station.due(&day(35)).is_empty(),
        "green is visited every 30 days"
    );
    assert_due(
        &station.due(&day(36)),
        &number,
        "green",
        &day(36),
        due_today.clone(),
    );

    let closed = station.ok(&[
        "case",
        "close",
        &number,
        "--outcome",
        "调解成功",
        "--note",
        "履行完毕",
        "--on",
        &day(36),
    ]);
    assert_eq!(closed["outcome"], "resolved");
    assert!(station.due(&day(36)).is_empty());
    assert!(station.due(&day(60)).is_empty());
    let station_events = station.events().len();

    // Every matter gets an answer back: the village sees what became of it.
    let answer = station.export("station.json");
    let imported = village.import(&answer);
    assert_eq!(imported["duplicates"], village_events);
    assert_eq!(
        imported["inserted"].as_u64().unwrap() as usize,
        station_events - village_events
    );
    assert!(village.due(&day(36)).is_empty());

    let detail = village.ok(&["case", "show", &number]);
    assert_eq!(detail["id"], case_id.as_str());
    assert_eq!(detail["unit"], STATION);
    assert_eq!(detail["origin_unit"], VILLAGE);
    assert_eq!(detail["status"], "已结案");
    assert_eq!(detail["closing_outcome"], "resolved");
    assert_eq!(detail["closed_on"], day(36).as_str());
    assert_eq!(detail["grade"], "green");
    assert_eq!(detail["escalations"][0]["status"], "accepted");
    assert_eq!(detail["agreement"]["amount_fen"], 80_000);
    assert_eq!(detail["followups"].as_array().unwrap().len(), 2);
    let history = detail["history"].as_array().unwrap();
    let kinds: Vec<&str> = history
        .iter()
        .map(|h| h["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "case_opened",
            "case_graded",
            "session_recorded",
            "escalation_requested",
            "escalation_accepted",
            "agreement_made",
            "follow_up_recorded",
            "follow_up_recorded",
            "performance_recorded",
            "case_graded",
            "case_closed",
        ]
    );
    assert!(history.iter().all(|h| h["applied"] == true), "{history:?}");
    assert_eq!(history[4]["unit"], STATION);
    assert_eq!(history[4]["actor"], "陈志强");

    let human = village.run(&["case", "show", &number]);
    assert_eq!(human.code, 0);
    for text in [
        number.as_str(),
        "青山派出所调解中心",
        "已结案",
        "调解成功",
        "办理经过",
        "上级受理上交案件",
        "张三",
        "李四",
    ] {
        assert!(
            human.stdout.contains(text),
            "missing {text}:\n{}",
            human.stdout
        );
    }

    // Both ledgers agree on the tree and on the case.
    let units = village.ok(&["unit", "list"]);
    let parent_of = |code: &str| {
        units
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["code"] == code)
            .map(|u| u["parent"].clone())
            .unwrap()
    };
    assert_eq!(parent_of(VILLAGE), STATION);
    assert_eq!(parent_of(STATION), DISTRICT);
    let list = station.ok(&["case", "list", "--unit", DISTRICT, "--subtree"]);
    assert_eq!(list["total"], 1);
    assert_eq!(list["rows"][0]["status"], "已结案");
}

/// A second device's `init` names only its own unit, without a parent; that
/// must not cut the unit out of the tree the first device registered, in
/// either ledger.
#[test]
fn a_device_init_keeps_its_unit_in_the_tree() {
    let village = village();
    let station = station();
    station.import(&village.export("village.json"));
    village.import(&station.export("station.json"));
    for db in [&village, &station] {
        let units = db.ok(&["unit", "list"]);
        let station_row = units
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["code"] == STATION)
            .unwrap()
            .clone();
        assert_eq!(station_row["parent"], DISTRICT, "{units}");
    }
}
