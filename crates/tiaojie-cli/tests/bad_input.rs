//! Mistakes a person can make: each is refused with exit 2, a Chinese
//! message naming the problem on stderr, the error code in the JSON on
//! stdout, and nothing written to the ledger.

mod support;

use support::*;

/// Runs `args`, expects it refused with `code`, checks that the ledger did
/// not change; returns the error object and stderr.
fn refused_unchanged(db: &Db, args: &[&str], code: &str) -> (serde_json::Value, String) {
    let events = db.events().len();
    let cases = db.ok(&["case", "list"])["total"].clone();
    let (err, stderr) = db.refused(args);
    assert_eq!(err["code"], code, "{err}");
    assert_eq!(
        db.events().len(),
        events,
        "an event was written by {args:?}"
    );
    assert_eq!(db.ok(&["case", "list"])["total"], cases);
    (err, stderr)
}

fn party_zhang(id: &str) -> String {
    format!("name=张三,id={id},side=申请人")
}

fn add_case_args(party: &str) -> Vec<&str> {
    vec![
        "case",
        "add",
        "--type",
        "邻里",
        "--source",
        "当事人申请",
        "--facts",
        "排水沟纠纷",
        "--received-on",
        D,
        "--party",
        party,
    ]
}

#[test]
fn an_id_number_with_a_wrong_check_digit() {
    let db = village();
    let good = id_number("43030219800101001");
    let last = good.chars().last().unwrap();
    let bad = format!("{}{}", &good[..17], if last == '0' { '1' } else { '0' });
    let party = party_zhang(&bad);
    let (err, stderr) = refused_unchanged(&db, &add_case_args(&party), "invalid_input");
    assert_eq!(err["field"], "parties[0].id_number");
    assert!(
        stderr.contains("校验位") && stderr.contains("（字段：parties[0].id_number）"),
        "{stderr}"
    );
}

#[test]
fn an_unknown_party_key() {
    let db = village();
    let party = "name=张三,nickname=小张";
    let (err, stderr) = refused_unchanged(&db, &add_case_args(party), "invalid_input");
    assert_eq!(err["field"], "parties[0]");
    assert!(stderr.contains("nickname"), "{stderr}");
}

#[test]
fn malformed_json_for_intake() {
    let db = village();
    let file = db.file("case.json");
    std::fs::write(
        &file,
        "{\n  \"dispute_type\": \"邻里\",\n  \"source\": ,\n}\n",
    )
    .unwrap();
    let args = ["case", "add", "--file", file.to_str().unwrap()];
    let (err, stderr) = refused_unchanged(&db, &args, "invalid_json");
    assert!(
        stderr.contains("第3行") && stderr.contains("列"),
        "{stderr}"
    );
    assert_eq!(err["field"], "file");

    // A misspelt field is refused too, and named.
    std::fs::write(
        &file,
        r#"{"dispute_type":"邻里","source":"当事人申请","facts":"x","partys":[]}"#,
    )
    .unwrap();
    let (_, stderr) = refused_unchanged(&db, &args, "invalid_json");
    assert!(
        stderr.contains("partys") && stderr.contains("第1行"),
        "{stderr}"
    );

    // The same file, well formed, is accepted.
    let intake = serde_json::json!({
        "dispute_type": "邻里", "source": "当事人申请", "facts": "排水沟纠纷", "received_on": D,
        "parties": [{"name": "张三", "id_number": id_number("43030219800101001")}, {"name": "李四"}]
    });
    std::fs::write(&file, intake.to_string()).unwrap();
    assert!(
        db.ok(&args)["number"]
            .as_str()
            .unwrap()
            .contains("人调字第1号")
    );
}

#[test]
fn a_date_in_the_future() {
    let db = village();
    let party = party_zhang(&id_number("43030219800101001"));
    let mut args = add_case_args(&party);
    args[9] = "2099-01-01";
    let (err, _) = refused_unchanged(&db, &args, "invalid_input");
    assert_eq!(err["field"], "received_on");

    let (_, number) = open_case(&db);
    let args = [
        "case",
        "grade",
        &number,
        "--grade",
        "红",
        "--reason",
        "扬言动手",
        "--on",
        "2099-01-01",
    ];
    let (err, stderr) = refused_unchanged(&db, &args, "invalid_input");
    assert_eq!(err["field"], "on");
    assert!(
        stderr.contains("2099-01-01") && stderr.contains("晚于今天"),
        "{stderr}"
    );
}

#[test]
fn escalating_to_an_unregistered_unit() {
    let db = village();
    let (_, number) = open_case(&db);
    let args = [
        "case",
        "escalate",
        &number,
        "--to",
        "430399",
        "--reason",
        "调解不成",
        "--on",
        &day(1),
    ];
    let (_, stderr) = refused_unchanged(&db, &args, "not_found");
    assert!(stderr.contains("430399"), "{stderr}");
}

#[test]
fn escalating_a_closed_case() {
    let db = village();
    let (_, number) = open_case(&db);
    db.ok(&[
        "case",
        "close",
        &number,
        "--outcome",
        "当事人撤回",
        "--on",
        &day(1),
    ]);
    let args = [
        "case",
        "escalate",
        &number,
        "--to",
        STATION,
        "--reason",
        "调解不成",
        "--on",
        &day(2),
    ];
    let (_, stderr) = refused_unchanged(&db, &args, "invalid_state");
    assert!(stderr.contains("结案"), "{stderr}");
}

#[test]
fn a_follow_up_on_a_case_that_is_not_yours() {
    let village = village();
    let (_, number) = open_case(&village);
    village.ok(&[
        "case",
        "grade",
        &number,
        "--grade",
        "黄",
        "--reason",
        "情绪激动",
        "--on",
        D,
    ]);
    let station = station();
    station.import(&village.export("village.json"));
    let args = [
        "case",
        "followup",
        &number,
        "--visitor",
        "陈志强",
        "--performance",
        "情况稳定",
        "--on",
        &day(1),
    ];
    let (_, stderr) = refused_unchanged(&station, &args, "not_yours");
    assert!(stderr.contains("青山村调解室"), "{stderr}");
}

#[test]
fn showing_an_unknown_case() {
    let db = village();
    open_case(&db);
    let (_, stderr) = refused_unchanged(
        &db,
        &["case", "show", "（2026）青山村人调字第99号"],
        "not_found",
    );
    assert!(stderr.contains("第99号"), "{stderr}");
}

#[test]
fn a_missing_ledger_file_is_not_created() {
    let db = Db::new();
    let (err, _) = db.refused(&["case", "list"]);
    assert_eq!(err["code"], "not_found");
    assert!(!db.path.exists());
}

#[test]
fn machine_errors_exit_with_1() {
    let db = village();
    let dir = db.dir.path().join("missing-dir").join("events.json");
    let r = db.run(&["events", "export", "--file", dir.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.starts_with("错误：无法写入文件"), "{}", r.stderr);
}

#[test]
fn usage_errors_exit_with_2() {
    let db = village();
    assert_eq!(db.run(&["case", "grade"]).code, 2);
    assert_eq!(db.run(&["case", "add", "--type", "邻里"]).code, 2);
}
