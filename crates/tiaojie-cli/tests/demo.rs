//! `tiaojie demo` builds a sample ledger once and then only shows it.

mod support;

use support::*;

#[test]
fn demo_builds_once_and_shows_the_ledger_and_the_due_list() {
    let db = Db::new();
    let first = db.ok(&["demo"]);
    assert_eq!(first["created"], true);
    assert_eq!(first["cases"]["total"], 3);
    let due = first["due"].as_array().unwrap();
    let grades: Vec<&str> = due.iter().map(|d| d["grade"].as_str().unwrap()).collect();
    assert_eq!(grades, ["red", "yellow"], "red first: {due:?}");

    let again = db.ok(&["demo"]);
    assert_eq!(again["created"], false);
    assert_eq!(again["cases"]["total"], 3);
    assert_eq!(db.ok(&["unit", "list"]).as_array().unwrap().len(), 3);

    // The escalated case waits at the station; the village cannot accept it.
    let list = db.ok(&["case", "list", "--grade", "红"]);
    let number = list["rows"][0]["number"].as_str().unwrap().to_string();
    assert_eq!(list["rows"][0]["escalation_pending"], true);
    let (err, _) = db.refused(&["case", "accept", &number]);
    assert_eq!(err["code"], "not_yours");

    let human = db.run(&["demo"]);
    assert_eq!(human.code, 0);
    assert!(
        human.stdout.contains("【台账】") && human.stdout.contains("已逾期2天"),
        "{}",
        human.stdout
    );
    assert!(human.stdout.contains("今日应回访"), "{}", human.stdout);
}
