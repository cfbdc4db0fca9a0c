//! End to end, with real processes on loopback: a hub, two village devices
//! and their station device. Cases made offline in both villages reach the
//! station; an escalated case is accepted and closed at the station and the
//! village sees the answer; every replica ends with the same case state.
//! Run once on a SQLite hub and once on a PostgreSQL hub.

mod support;

use serde_json::Value;
use support::hub::{Backend, Hub};
use support::*;

const VILLAGE_B: &str = "430302001002";

fn add_case(db: &Db, applicant: &str, respondent: &str) -> String {
    let a = format!("name={applicant},phone=13800138000");
    let r = format!("name={respondent}");
    add_dispute(db, "宅基地边界纠纷", D, [&a, &r])
}

fn total(db: &Db, args: &[&str]) -> u64 {
    let mut all = vec!["case", "list"];
    all.extend_from_slice(args);
    db.ok(&all)["total"].as_u64().unwrap()
}

fn sync(db: &Db) -> Value {
    db.ok(&["sync"])
}

/// What every replica must agree on about a case: everything but the
/// local-only parts.
fn case_state(db: &Db, number: &str) -> Value {
    db.ok(&["case", "show", number])
}

fn end_to_end(backend: Backend) {
    let hub = Hub::start(backend);
    hub.add_unit(DISTRICT, "青山区矛盾纠纷调解中心", 3, None);
    hub.add_unit(STATION, "青山派出所调解中心", 2, Some(DISTRICT));
    hub.add_unit(VILLAGE, "青山村调解室", 1, Some(STATION));
    hub.add_unit(VILLAGE_B, "白石村调解室", 1, Some(STATION));
    let a = hub.device(VILLAGE, "青山村调解室", 1);
    let b = hub.device(VILLAGE_B, "白石村调解室", 1);
    let station = hub.device(STATION, "青山派出所调解中心", 2);

    // Offline work in both villages.
    let a1 = add_case(&a, "张三", "李四");
    let a2 = add_case(&a, "王五", "赵六");
    let b1 = add_case(&b, "周七", "吴八");
    a.ok(&[
        "case",
        "grade",
        &a1,
        "--grade",
        "红",
        "--reason",
        "双方扬言动手",
        "--on",
        D,
    ]);
    // Every event this laptop wrote waits; the ledger also holds the unit
    // tree enrolling brought from the hub. (The grading just made is the
    // latest event, and this laptop's.)
    let events = a.events();
    let own = events.last().unwrap()["device"].clone();
    assert_eq!(
        a.ok(&["sync", "status"])["pending"].as_u64().unwrap(),
        events.iter().filter(|e| e["device"] == own).count() as u64
    );
    assert!(events.iter().any(|e| e["device"] != own));

    let up = sync(&a);
    assert!(up["events_up"].as_u64().unwrap() >= 4, "{up}");
    assert_eq!(a.ok(&["sync", "status"])["pending"], 0);
    sync(&b);
    let down = sync(&station);
    assert!(down["events_down"].as_u64().unwrap() >= 5, "{down}");

    // The station sees both villages; each village only itself.
    assert_eq!(total(&station, &["--unit", DISTRICT, "--subtree"]), 3);
    sync(&a);
    sync(&b);
    assert_eq!(total(&a, &[]), 2);
    assert_eq!(total(&b, &[]), 1);
    assert_eq!(b.refused(&["case", "show", &a1]).0["code"], "not_found");

    // The village escalates; the station accepts and settles the case.
    a.ok(&[
        "case",
        "session",
        &a1,
        "--place",
        "青山村调解室",
        "--summary",
        "各执一词",
        "--result",
        "调解不成",
        "--on",
        &day(1),
    ]);
    a.ok(&[
        "case",
        "escalate",
        &a1,
        "--to",
        STATION,
        "--reason",
        "村级调解不成",
        "--on",
        &day(1),
    ]);
    sync(&a);
    sync(&station);
    let todo = station.ok(&["today", "--on", &day(2)]);
    let pending = todo["escalations_pending"].as_array().unwrap();
    assert_eq!(pending.len(), 1, "{todo}");
    assert_eq!(pending[0]["number"], a1.as_str());
    station.ok(&["case", "accept", &a1, "--note", "所里牵头", "--on", &day(2)]);
    station.ok(&[
        "case",
        "session",
        &a1,
        "--place",
        "派出所调解室",
        "--summary",
        "双方同意和解",
        "--result",
        "达成协议",
        "--on",
        &day(3),
    ]);
    station.ok(&[
        "case",
        "agree",
        &a1,
        "--term",
        "李四拆除越界围墙@2026-03-20",
        "--amount",
        "500",
        "--on",
        &day(3),
    ]);
    station.ok(&[
        "case",
        "followup",
        &a1,
        "--visitor",
        "王警官",
        "--performance",
        "双方已和好",
        "--satisfaction",
        "满意",
        "--on",
        &day(4),
    ]);
    station.ok(&[
        "case",
        "close",
        &a1,
        "--outcome",
        "调解成功",
        "--on",
        &day(5),
    ]);
    sync(&station);
    sync(&a);
    sync(&b);

    // Every matter gets its answer back.
    let seen_by_village = case_state(&a, &a1);
    assert_eq!(seen_by_village["unit"], STATION);
    assert_eq!(seen_by_village["status"], "已结案");
    let history = seen_by_village["history"].as_array().unwrap();
    assert_eq!(history.len(), 9, "{seen_by_village:#}");
    assert!(
        history.iter().all(|h| h["applied"] == true),
        "{seen_by_village:#}"
    );
    // Identical state on every replica that holds the case.
    assert_eq!(seen_by_village, case_state(&station, &a1));
    assert_eq!(case_state(&a, &a2), case_state(&station, &a2));
    assert_eq!(case_state(&b, &b1), case_state(&station, &b1));
    // Nothing duplicated: a second round moves nothing.
    for db in [&a, &b, &station] {
        let again = sync(db);
        assert_eq!(again["events_up"], 0, "{again}");
        assert_eq!(again["events_down"], 0, "{again}");
    }
}

#[test]
fn end_to_end_on_a_sqlite_hub() {
    end_to_end(Backend::Sqlite);
}

#[test]
fn end_to_end_on_a_postgres_hub() {
    end_to_end(Backend::Postgres);
}

/// A village with no network writes its new records to a USB stick; any
/// online machine, enrolled or not, takes them to the hub; the station sees
/// them, and when the village comes online it has nothing left to send.
#[test]
fn a_bundle_carried_on_a_usb_stick() {
    let hub = Hub::start(Backend::Sqlite);
    hub.add_unit(DISTRICT, "青山区矛盾纠纷调解中心", 3, None);
    hub.add_unit(STATION, "青山派出所调解中心", 2, Some(DISTRICT));
    hub.add_unit(VILLAGE, "青山村调解室", 1, Some(STATION));
    let village = hub.device(VILLAGE, "青山村调解室", 1);
    let station = hub.device(STATION, "青山派出所调解中心", 2);
    let number = add_case(&village, "张三", "李四");
    let pending = village.ok(&["sync", "status"])["pending"].as_u64().unwrap();
    let stick = village.file("usb.tjbundle");
    let summary = village.ok(&["sync", "export-bundle", "--file", stick.to_str().unwrap()]);
    assert_eq!(summary["events"].as_u64().unwrap(), pending);
    // Whoever finds the stick reads nothing of the case: it is sealed to
    // the hub.
    let carried = std::fs::read(&stick).unwrap();
    assert!(carried.starts_with(b"TJBUNDL2"));
    // No batch frame in the clear (each would start with its magic and
    // could be decompressed by anyone).
    assert!(!carried.windows(4).any(|w| w == b"TJB1"));
    for planted in ["张三", "李四", "宅基地", "13800138000"] {
        assert!(
            !carried
                .windows(planted.len())
                .any(|w| w == planted.as_bytes()),
            "{planted} is readable on the stick"
        );
    }
    // Another county's hub cannot open it, and stores nothing.
    let other = Hub::start(Backend::Sqlite);
    let refused = Db::new().run(&[
        "--json",
        "sync",
        "import-bundle",
        "--file",
        stick.to_str().unwrap(),
        "--hub",
        &other.url,
    ]);
    assert_ne!(refused.code, 0, "{}", refused.stdout);
    assert!(
        refused.stderr.contains("不是为本同步中心加密的"),
        "{}",
        refused.stderr
    );

    // A machine with no ledger of its own.
    let elsewhere = Db::new();
    let first = elsewhere.ok(&[
        "sync",
        "import-bundle",
        "--file",
        stick.to_str().unwrap(),
        "--hub",
        &hub.url,
    ]);
    assert_eq!(first["stored"].as_u64().unwrap(), pending);
    assert!(
        !elsewhere.path.exists(),
        "carrying a bundle must not create a ledger"
    );
    // Carried twice: nothing twice.
    let again = elsewhere.ok(&[
        "sync",
        "import-bundle",
        "--file",
        stick.to_str().unwrap(),
        "--hub",
        &hub.url,
    ]);
    assert_eq!(
        (again["stored"].as_u64(), again["duplicates"].as_u64()),
        (Some(0), Some(pending))
    );

    sync(&station);
    assert_eq!(
        station.ok(&["case", "show", &number])["number"],
        number.as_str()
    );
    let later = sync(&village);
    assert_eq!(later["events_up"], 0, "{later}");
    assert_eq!(village.ok(&["sync", "status"])["pending"], 0);

    // A damaged stick is refused with a clear message, nothing stored.
    let broken = village.file("broken.tjbundle");
    let mut bytes = std::fs::read(&stick).unwrap();
    bytes.truncate(bytes.len() / 2);
    std::fs::write(&broken, bytes).unwrap();
    let run = elsewhere.run(&[
        "sync",
        "import-bundle",
        "--file",
        broken.to_str().unwrap(),
        "--hub",
        &hub.url,
    ]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("同步包"), "{}", run.stderr);
}

/// The hub's administrator at the console, and the sync loop a desktop
/// app runs: a code shown with its QR, devices listed and revoked, a loop
/// that syncs on its own, and a hub that stops cleanly when told to.
#[test]
fn administration_the_sync_loop_and_a_clean_stop() {
    let mut hub = Hub::start(Backend::Sqlite);
    hub.add_unit(DISTRICT, "青山区矛盾纠纷调解中心", 3, None);
    hub.add_unit(STATION, "青山派出所调解中心", 2, Some(DISTRICT));
    let units = hub.admin(&["unit", "list"]);
    assert_eq!(units.as_array().unwrap().len(), 2);
    // An unknown parent is refused with exit 2 and a message.
    let bad = hub.admin_run(&[
        "unit",
        "add",
        "--code",
        "430302009000",
        "--name",
        "某所",
        "--level",
        "2",
        "--parent",
        "999999",
    ]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("上级单位"), "{}", bad.stderr);
    let shown = support::run_in(
        std::path::Path::new("unused.sqlite3"),
        &[
            "admin",
            "--database",
            &hub.database,
            "enroll-code",
            "--unit",
            STATION,
            "--hub-url",
            &hub.url,
        ],
    );
    assert_eq!(shown.code, 0, "{}", shown.stderr);
    assert!(
        shown.stdout.contains("注册码：") && shown.stdout.contains('█'),
        "{}",
        shown.stdout
    );
    let unknown_unit = hub.admin_run(&["enroll-code", "--unit", "999999"]);
    assert_eq!(unknown_unit.code, 2, "{}", unknown_unit.stderr);

    let station = hub.device(STATION, "青山派出所调解中心", 2);
    add_case(&station, "孙一", "孙二");
    let looped = station.run(&["--json", "sync", "loop", "--interval", "0", "--rounds", "2"]);
    assert_eq!(looped.code, 0, "{}", looped.stderr);
    assert_eq!(station.ok(&["sync", "status"])["pending"], 0);
    let devices = hub.admin(&["device", "list"]);
    let mine = devices
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["unit"] == STATION)
        .unwrap()
        .clone();
    hub.admin(&["device", "revoke", mine["id"].as_str().unwrap()]);
    let refused = station.run(&["--json", "sync"]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(refused.stderr.contains("停用"), "{}", refused.stderr);

    let status = hub.terminate();
    assert!(
        status.success(),
        "the hub should stop cleanly on SIGTERM: {status:?}"
    );
}

/// Enrolled in town, used in a village without network: enrolling brings
/// the unit tree along, so the laptop can escalate before it ever syncs.
#[test]
fn enrolling_brings_the_unit_tree_for_escalating_offline() {
    let mut hub = Hub::start(Backend::Sqlite);
    hub.add_unit(DISTRICT, "青山区矛盾纠纷调解中心", 3, None);
    hub.add_unit(STATION, "青山派出所调解中心", 2, Some(DISTRICT));
    hub.add_unit(VILLAGE, "青山村调解室", 1, Some(STATION));
    let village = initialised(VILLAGE, "青山村调解室", 1);
    let case = add_case(&village, "张三", "李四");
    let escalate = [
        "case",
        "escalate",
        &case,
        "--to",
        STATION,
        "--reason",
        "村级调解不成",
        "--on",
        D,
    ];
    // Before enrolling the station is unknown here.
    let (refusal, _) = village.refused(&escalate);
    assert_eq!(refusal["code"], "not_found", "{refusal}");

    let code = hub.enroll_code(VILLAGE);
    let enrolled = village.ok(&["sync", "enroll", "--hub", &hub.url, "--code", &code]);
    let names: Vec<&str> = enrolled["units"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|u| u["name"].as_str())
        .collect();
    assert!(
        names.contains(&"青山派出所调解中心") && names.contains(&"青山区矛盾纠纷调解中心"),
        "{enrolled}"
    );
    assert!(enrolled["units_error"].is_null(), "{enrolled}");
    // Nothing of this laptop's went up while enrolling.
    assert!(village.ok(&["sync", "status"])["pending"].as_u64().unwrap() > 0);

    // Back in the village: no hub, and the escalation is recorded.
    hub.kill9();
    village.ok(&escalate);
    let shown = village.ok(&["case", "show", &case]);
    assert_eq!(shown["escalations"][0]["to_unit"], STATION, "{shown}");
}
