//! Input made to hurt: fields past every bound, dates from the year 1,
//! escape sequences in names, a reader that closes the pipe, workbooks
//! built to exhaust memory. Each is refused in words or handled, with
//! nothing written, no panic and no abort; the workbooks under a memory
//! limit the process cannot exceed.

mod support;

use std::io::Write;
use std::process::Command;
use support::*;

fn case_add(party: &str, received_on: &str) -> Vec<String> {
    [
        "case",
        "add",
        "--type",
        "邻里",
        "--source",
        "当事人申请",
        "--facts",
        "排水沟纠纷",
        "--received-on",
        received_on,
        "--party",
        party,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn refused_unchanged(db: &Db, args: &[String]) -> serde_json::Value {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let events = db.events().len();
    let (err, _) = db.refused(&args);
    assert_eq!(db.events().len(), events, "{args:?} wrote an event");
    err
}

/// `case add --file` of the intake `form` (too long for a command line),
/// expected refused with nothing written.
fn refused_form(db: &Db, form: &serde_json::Value) -> serde_json::Value {
    let file = db.file("form.json");
    std::fs::write(&file, form.to_string()).unwrap();
    let args: Vec<String> = ["case", "add", "--file", file.to_str().unwrap()]
        .iter()
        .map(|s| s.to_string())
        .collect();
    refused_unchanged(db, &args)
}

#[test]
fn a_field_past_its_bound_is_refused_before_anything_is_written() {
    let db = village();
    let form = serde_json::json!({
        "received_on": D,
        "dispute_type": "邻里",
        "source": "当事人申请",
        "facts": "排水沟纠纷",
        "parties": [{"name": "张三", "address": "很".repeat(200_000)}],
    });
    let err = refused_form(&db, &form);
    assert_eq!(err["field"], "parties[0].address", "{err}");
    assert!(
        err["message"].as_str().unwrap().contains("住址过长"),
        "{err}"
    );
    // Every text field within its own bound can still make an event past
    // the hub's per-event bound: that is refused too, in words.
    let facts = "很".repeat(19_000);
    let parties: Vec<serde_json::Value> = (0..500)
        .map(|i| {
            serde_json::json!({
                "name": format!("当事人{i}"),
                "address": "村".repeat(200),
                "occupation": "农".repeat(50),
            })
        })
        .collect();
    let form = serde_json::json!({
        "received_on": D,
        "dispute_type": "邻里",
        "source": "当事人申请",
        "facts": facts,
        "requests": facts,
        "key_persons": facts,
        "parties": parties,
    });
    let err = refused_form(&db, &form);
    assert!(
        err["message"].as_str().unwrap().contains("记录过大"),
        "{err}"
    );
}

#[test]
fn implausible_dates_are_refused() {
    let db = village();
    let err = refused_unchanged(&db, &case_add("name=张三", "0001-01-01"));
    assert_eq!(err["field"], "received_on", "{err}");
    assert!(err["message"].as_str().unwrap().contains("1950"), "{err}");
    let err = refused_unchanged(&db, &case_add("name=张三,birth=1800-01-01", D));
    assert_eq!(err["field"], "parties[0].birth_date", "{err}");
}

#[test]
fn escape_sequences_are_shown_not_obeyed() {
    let db = village();
    let args = case_add("name=张\u{1b}[2J\u{1b}[31m三", D);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    db.ok(&args);
    let listed = db.run(&["case", "list"]);
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    assert!(!listed.stdout.contains('\u{1b}'), "{:?}", listed.stdout);
    assert!(listed.stdout.contains("\\u{1b}"), "{:?}", listed.stdout);
    // The JSON keeps the name as it was typed, escaped by JSON itself.
    assert!(db.ok(&["case", "list"]).to_string().contains("\\u001b[31m"));
}

#[test]
fn a_reader_that_closes_the_pipe_is_no_crash() {
    let db = village();
    for i in 0..30 {
        let args = case_add(&format!("name=张三{i}"), D);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        db.ok(&args);
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_tiaojie"))
        .args(["--db", db.path.to_str().unwrap(), "case", "list"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Close the reading end before the command writes anything.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}

/// A workbook of the parts the reader needs, with `sheet` as its one
/// worksheet and `strings` as its shared strings; `filler` bytes stored
/// uncompressed in an entry the reader ignores.
fn workbook(path: &std::path::Path, sheet: &[u8], strings: Option<(usize, &[u8])>, filler: usize) {
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let deflate = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9))
        .large_file(true);
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut part = |name: &str, text: &[u8]| {
        zip.start_file(name, deflate).unwrap();
        zip.write_all(text).unwrap();
    };
    part(
        "[Content_Types].xml",
        br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#,
    );
    part(
        "_rels/.rels",
        br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    );
    part(
        "xl/workbook.xml",
        br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
    );
    part(
        "xl/_rels/workbook.xml.rels",
        br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#,
    );
    part("xl/worksheets/sheet1.xml", sheet);
    if let Some((repeat, unit)) = strings {
        zip.start_file("xl/sharedStrings.xml", deflate).unwrap();
        zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>"#)
            .unwrap();
        let block = unit.repeat(1 << 16);
        for _ in 0..repeat {
            zip.write_all(&block).unwrap();
        }
        zip.write_all(b"</t></si></sst>").unwrap();
    }
    if filler > 0 {
        zip.start_file("xl/media/image1.bin", stored).unwrap();
        // Bytes that do not compress, as in a photo.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut chunk = vec![0u8; 1 << 20];
        for _ in 0..filler / chunk.len() {
            for b in chunk.iter_mut() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                *b = state as u8;
            }
            zip.write_all(&chunk).unwrap();
        }
    }
    zip.finish().unwrap();
}

const SHEET_START: &str = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#;
const SHEET_END: &str = "</sheetData></worksheet>";

fn sheet(rows: &str) -> Vec<u8> {
    format!("{SHEET_START}{rows}{SHEET_END}").into_bytes()
}

fn inline(cell: &str, text: &str) -> String {
    format!(r#"<c r="{cell}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// Runs `import --dry-run` of `file` under a limit of `limit_mb` of virtual
/// memory: what happens to the app on an old laptop, without the swapping.
fn import_limited(db: &Db, file: &std::path::Path, limit_mb: u64) -> Run {
    let script = format!(
        "ulimit -v {}; exec \"$0\" --json --db \"$1\" import --dry-run --file \"$2\"",
        limit_mb * 1024
    );
    let out = Command::new("sh")
        .args(["-c", &script, env!("CARGO_BIN_EXE_tiaojie")])
        .arg(&db.path)
        .arg(file)
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

const LIMIT_MB: u64 = 1024;

#[test]
fn hostile_workbooks_are_refused_in_words_within_bounded_memory() {
    let db = village();
    let events = db.events().len();
    let dir = tempfile::tempdir().unwrap();

    // One cell at the sheet's far corner: a grid of 17 billion cells.
    let far = dir.path().join("far.xlsx");
    let header = [
        inline("A1", "受理日期"),
        inline("B1", "纠纷类型"),
        inline("C1", "申请人"),
    ]
    .concat();
    workbook(
        &far,
        &sheet(&format!(
            r#"<row r="1">{header}</row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#
        )),
        None,
        0,
    );
    assert!(std::fs::metadata(&far).unwrap().len() < 10_000);
    let r = import_limited(&db, &far, LIMIT_MB);
    assert_eq!(r.code, 2, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("范围过大"), "{}", r.stderr);
    assert!(r.stderr.contains("1048576 行"), "{}", r.stderr);

    // Shared strings that expand from about a megabyte to 512 MB.
    let strings = dir.path().join("strings.xlsx");
    workbook(
        &strings,
        &sheet(&format!(r#"<row r="1">{header}</row>"#)),
        Some((4096, b"\xe5\xbe\x88")),
        0,
    );
    let size = std::fs::metadata(&strings).unwrap().len();
    assert!(size < 4 * 1024 * 1024, "{size}");
    let r = import_limited(&db, &strings, LIMIT_MB);
    assert_eq!(r.code, 2, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("文字内容解压后超过"), "{}", r.stderr);

    // 100 MB of a photo inside a small ledger: read, its rows checked.
    let heavy = dir.path().join("heavy.xlsx");
    let rows = format!(
        r#"<row r="1">{header}</row><row r="2">{}{}{}</row>"#,
        inline("A2", "2026-03-01"),
        inline("B2", "邻里纠纷"),
        inline("C2", "张三")
    );
    workbook(&heavy, &sheet(&rows), None, 100 << 20);
    assert!(std::fs::metadata(&heavy).unwrap().len() > 100 << 20);
    let r = import_limited(&db, &heavy, LIMIT_MB);
    assert!(r.code == 0 || r.code == 2, "{}\n{}", r.stdout, r.stderr);
    assert!(!r.stderr.contains("memory allocation"), "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);

    // Past the file bound: refused before it is read.
    let huge = dir.path().join("huge.xlsx");
    workbook(&huge, &sheet(&rows), None, 101 << 20);
    let r = import_limited(&db, &huge, 256);
    assert_eq!(r.code, 2, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("文件过大"), "{}", r.stderr);

    assert_eq!(db.events().len(), events, "a dry run wrote events");
}

/// Adds a user with `pin`, signed in as `by` (none for the first).
fn add_user(db: &Db, by: Option<(&str, &str)>, name: &str, role: &str, pin: &str) {
    let mut args = vec!["--json"];
    let mut env = vec![("TIAOJIE_NEW_PIN", pin)];
    if let Some((who, their_pin)) = by {
        args.extend(["--user", who]);
        env.push(("TIAOJIE_PIN", their_pin));
    }
    args.extend(["user", "add", "--name", name, "--role", role]);
    let r = run_with(&db.path, &args, &env);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn a_mediator_cannot_rebuild_a_number_from_searches_and_is_logged() {
    let db = village();
    let (_, number) = open_case(&db);
    let id = id_number("43030219800101001");
    let phone = "13907321111";
    add_user(&db, None, "刘管理", "admin", "9731");
    add_user(&db, Some(("刘管理", "9731")), "王调解", "mediator", "1357");
    add_user(&db, Some(("刘管理", "9731")), "李主任", "officer", "2468");
    let found = |who: (&str, &str), text: &str| -> u64 {
        let r = run_with(
            &db.path,
            &["--json", "--user", who.0, "case", "list", "--search", text],
            &[("TIAOJIE_PIN", who.1)],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.json()["total"].as_u64().unwrap()
    };
    let mediator = ("王调解", "1357");
    // Parts of the numbers find nothing, so they cannot be probed digit by
    // digit; whole numbers and the last four digits find the case.
    for part in [&id[..6], &id[..10], &id[6..14], &phone[..7], &phone[3..9]] {
        assert_eq!(found(mediator, part), 0, "{part}");
    }
    assert_eq!(found(mediator, &id), 1);
    assert_eq!(found(mediator, &id.to_lowercase()), 1);
    assert_eq!(found(mediator, phone), 1);
    assert_eq!(found(mediator, &id[14..]), 1);
    assert_eq!(found(mediator, &phone[7..]), 1);
    // Words and the case number still search as before.
    assert_eq!(found(mediator, "排水沟"), 1);
    assert_eq!(found(mediator, "2026"), 1, "{number}");
    // The unit's officer, allowed to see numbers, searches by any part.
    assert_eq!(found(("李主任", "2468"), &id[..10]), 1);
    // Every search with digits by the mediator is in the access log, the
    // digits masked but the last four.
    let log = run_with(
        &db.path,
        &["--json", "--user", "刘管理", "access-log", "--limit", "100"],
        &[("TIAOJIE_PIN", "9731")],
    );
    assert_eq!(log.code, 0, "{}", log.stderr);
    let entries: Vec<serde_json::Value> = log.json().as_array().unwrap().clone();
    let searches: Vec<&str> = entries
        .iter()
        .filter(|e| e["action"] == "search_numbers" && e["user"] == "王调解")
        .map(|e| e["target"].as_str().unwrap())
        .collect();
    assert_eq!(searches.len(), 11, "{entries:?}");
    assert!(
        searches
            .iter()
            .all(|s| s.chars().rev().skip(4).all(|c| !c.is_ascii_digit())),
        "{searches:?}"
    );
    assert!(
        searches
            .iter()
            .all(|s| !s.contains(&id[..6]) && !s.contains(&phone[..7])),
        "{searches:?}"
    );
    assert!(!log.stdout.contains(&id), "the log holds the number");
}

#[test]
fn a_bundle_needs_the_export_right_and_is_logged() {
    use support::hub::{Backend, Hub};
    let hub = Hub::start(Backend::Sqlite);
    hub.add_unit(DISTRICT, "青山区矛盾纠纷调解中心", 3, None);
    hub.add_unit(STATION, "青山派出所调解中心", 2, Some(DISTRICT));
    hub.add_unit(VILLAGE, "青山村调解室", 1, Some(STATION));
    let db = hub.device(VILLAGE, "青山村调解室", 1);
    db.ok(&["mediator", "add", "--name", "王建国", "--role", "村干部"]);
    open_case(&db);
    add_user(&db, None, "刘管理", "admin", "9731");
    add_user(&db, Some(("刘管理", "9731")), "王调解", "mediator", "1357");
    add_user(&db, Some(("刘管理", "9731")), "李主任", "officer", "2468");
    let stick = db.file("usb.tjbundle");
    let export = |who: &str, pin: &str| {
        run_with(
            &db.path,
            &[
                "--json",
                "--user",
                who,
                "sync",
                "export-bundle",
                "--file",
                stick.to_str().unwrap(),
            ],
            &[("TIAOJIE_PIN", pin)],
        )
    };
    let refused = export("王调解", "1357");
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert_eq!(refused.json()["error"]["code"], "not_yours");
    assert!(!stick.exists(), "a refused export wrote the stick");
    let done = export("李主任", "2468");
    assert_eq!(done.code, 0, "{}", done.stderr);
    assert!(stick.exists());
    let log = run_with(
        &db.path,
        &["--json", "--user", "刘管理", "access-log"],
        &[("TIAOJIE_PIN", "9731")],
    );
    let entries = log.json();
    assert!(
        entries
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "export_bundle" && e["user"] == "李主任"),
        "{entries}"
    );
}
