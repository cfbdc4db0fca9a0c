//! A ledger restored from an old backup, and a ledger copied to a second
//! laptop: the hub notices the device's chain does not continue its record,
//! the device takes back what the hub has and writes its own new records
//! again after them. Nothing lost, nothing doubled, every replica agrees.

mod support;

use serde_json::Value;
use std::path::Path;
use support::hub::{Backend, Hub};
use support::*;

fn add_case(db: &Db, applicant: &str) -> String {
    let a = format!("name={applicant}");
    let out = db.ok(&[
        "case",
        "add",
        "--type",
        "合同",
        "--source",
        "当事人申请",
        "--facts",
        "欠款纠纷",
        "--received-on",
        D,
        "--party",
        &a,
        "--party",
        "name=某公司",
    ]);
    out["number"].as_str().unwrap().to_string()
}

fn copy_ledger(from: &Path, to: &Path) {
    // Each CLI run closes the file, which folds the WAL back in.
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", to.display()));
    }
    std::fs::copy(from, to).unwrap();
}

/// Parties of every case, sorted: what must agree across replicas.
fn cases(db: &Db) -> Vec<(String, String)> {
    let list = db.ok(&["case", "list", "--page-size", "100"]);
    let mut rows: Vec<(String, String)> = list["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["number"].as_str().unwrap().to_string(),
                r["parties"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    rows.sort();
    rows
}

fn tree(hub: &Hub) {
    hub.add_unit(DISTRICT, "青山区矛盾纠纷调解中心", 3, None);
    hub.add_unit(STATION, "青山派出所调解中心", 2, Some(DISTRICT));
    hub.add_unit(VILLAGE, "青山村调解室", 1, Some(STATION));
}

#[test]
fn a_ledger_restored_from_an_old_backup_loses_and_doubles_nothing() {
    let hub = Hub::start(Backend::Sqlite);
    tree(&hub);
    let village = hub.device(VILLAGE, "青山村调解室", 1);
    let station = hub.device(STATION, "青山派出所调解中心", 2);
    add_case(&village, "张一");
    village.ok(&["sync"]);
    let backup = village.file("backup.sqlite3");
    copy_ledger(&village.path, &backup);
    add_case(&village, "张二");
    village.ok(&["sync"]);

    // The laptop's disk dies; last week's backup goes back, and work goes on.
    copy_ledger(&backup, &village.path);
    assert_eq!(cases(&village).len(), 1);
    add_case(&village, "张三");
    let report = village.ok(&["sync"]);
    assert_eq!(
        report["recovered"]["restored"].as_u64().unwrap(),
        1,
        "{report}"
    );
    assert_eq!(
        report["recovered"]["rewritten"].as_u64().unwrap(),
        1,
        "{report}"
    );
    assert!(
        report["recovery_note"].as_str().unwrap().contains("旧备份"),
        "{report}"
    );
    assert_eq!(village.ok(&["sync", "status"])["pending"], 0);

    station.ok(&["sync"]);
    village.ok(&["sync"]);
    let here = cases(&village);
    assert_eq!(here.len(), 3, "{here:?}");
    assert_eq!(here, cases(&station));
    let names: Vec<&str> = here.iter().map(|(_, p)| p.as_str()).collect();
    assert!(
        names.iter().any(|p| p.starts_with("张一")) && names.iter().any(|p| p.starts_with("张二"))
    );
    assert!(names.iter().any(|p| p.starts_with("张三")));
    // The two cases numbered 2 offline got distinct numbers, and the
    // history says which moved.
    let numbers: std::collections::BTreeSet<&String> = here.iter().map(|(n, _)| n).collect();
    assert_eq!(numbers.len(), 3);
    // A second sync finds nothing to do.
    let again = village.ok(&["sync"]);
    assert_eq!(
        (again["events_up"].as_u64(), again["recovered"].clone()),
        (Some(0), Value::Null)
    );
}

#[test]
fn a_ledger_copied_to_a_second_laptop_converges_with_the_first() {
    let hub = Hub::start(Backend::Sqlite);
    tree(&hub);
    let first = hub.device(VILLAGE, "青山村调解室", 1);
    let station = hub.device(STATION, "青山派出所调解中心", 2);
    add_case(&first, "王一");
    first.ok(&["sync"]);
    let second = Db::new();
    copy_ledger(&first.path, &second.path);

    add_case(&first, "王二");
    add_case(&second, "王三");
    first.ok(&["sync"]);
    let report = second.ok(&["sync"]);
    assert_eq!(
        report["recovered"]["rewritten"].as_u64().unwrap(),
        1,
        "{report}"
    );
    // The first laptop now finds the copy's record under its own name, and
    // takes it in the same way.
    let report = first.ok(&["sync"]);
    assert_eq!(
        report["recovered"]["restored"].as_u64().unwrap(),
        1,
        "{report}"
    );
    assert_eq!(
        report["recovered"]["rewritten"].as_u64().unwrap(),
        0,
        "{report}"
    );
    second.ok(&["sync"]);
    station.ok(&["sync"]);
    let all = cases(&station);
    assert_eq!(all.len(), 3, "{all:?}");
    assert_eq!(cases(&first), all);
    assert_eq!(cases(&second), all);
}
