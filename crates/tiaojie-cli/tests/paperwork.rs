//! The paperwork commands on the real binary: a case file's documents, the
//! ledger exported to Excel and imported into another laptop's ledger, a bad
//! file refused with the rows named, and the monthly report.

mod support;

use support::*;

#[test]
fn documents_export_import_and_the_monthly_report() {
    let village = village();
    let (_, number) = open_case(&village);
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
    village.ok(&[
        "case",
        "session",
        &number,
        "--place",
        "青山村调解室",
        "--summary",
        "双方同意拆除越界部分",
        "--result",
        "达成协议",
        "--mediator",
        "王建国",
        "--on",
        &day(2),
    ]);

    // The whole case file: what the case has data for, and why the rest is not made.
    let dir = village.file("卷宗");
    let files = village.ok(&[
        "doc",
        &number,
        "--kind",
        "all",
        "--format",
        "pdf",
        "--out",
        dir.to_str().unwrap(),
    ]);
    let made: Vec<&str> = files["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert!(
        made.iter().any(|f| f.ends_with("受理登记表.pdf")),
        "{made:?}"
    );
    assert!(made.iter().any(|f| f.ends_with("调解记录.pdf")), "{made:?}");
    for f in &made {
        assert!(std::fs::read(f).unwrap().starts_with(b"%PDF-"), "{f}");
    }
    let skipped = files["skipped"].to_string();
    assert!(skipped.contains("没有书面调解协议"), "{skipped}");
    let one = village.file("登记表.docx");
    village.ok(&[
        "doc",
        &number,
        "--kind",
        "受理登记表",
        "--format",
        "docx",
        "--out",
        one.to_str().unwrap(),
    ]);
    assert!(std::fs::read(&one).unwrap().starts_with(b"PK"));
    let (err, _) = village.refused(&[
        "doc",
        &number,
        "--kind",
        "判决书",
        "--out",
        one.to_str().unwrap(),
    ]);
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("没有“判决书”这种文书")
    );

    // Out to Excel, into a new laptop's ledger, twice.
    let xlsx = village.file("台账.xlsx");
    let out = village.ok(&["export", "--out", xlsx.to_str().unwrap(), "--full-numbers"]);
    assert_eq!(out["cases"], 1);
    let other = village_without_cases();
    let r = other.ok(&["import", "--file", xlsx.to_str().unwrap()]);
    assert_eq!(
        (r["added"].as_u64(), r["existing"].as_u64()),
        (Some(1), Some(0))
    );
    let r = other.ok(&["import", "--file", xlsx.to_str().unwrap()]);
    assert_eq!(
        (r["added"].as_u64(), r["existing"].as_u64()),
        (Some(0), Some(1))
    );
    let list = other.ok(&["case", "list"]);
    assert_eq!(list["total"], 1);
    assert_eq!(list["rows"][0]["parties"], "张三、李四");
    assert_eq!(list["rows"][0]["grade"], "red");

    // A masked export is refused by the import, naming the row, and nothing is written.
    let masked = village.file("脱敏台账.xlsx");
    village.ok(&["export", "--out", masked.to_str().unwrap()]);
    let fresh = village_without_cases();
    let (err, stderr) = fresh.refused(&["import", "--file", masked.to_str().unwrap()]);
    let message = err["message"].as_str().unwrap();
    assert!(
        message.contains("第 4 行") && message.contains("已脱敏"),
        "{message}"
    );
    assert!(stderr.contains("没有导入任何数据"), "{stderr}");
    assert_eq!(fresh.ok(&["case", "list"])["total"], 0);
    let (err, _) = fresh.refused(&["import", "--file", one.to_str().unwrap()]);
    assert!(
        err["message"].as_str().unwrap().contains("无法读取 Excel"),
        "{err}"
    );

    let report = village.file("月报.xlsx");
    let r = village.ok(&[
        "report",
        "--month",
        "2026-03",
        "--out",
        report.to_str().unwrap(),
    ]);
    assert_eq!(r["cases"], 1);
    assert!(r["title"].as_str().unwrap().contains("2026年3月"));
    let (err, _) = village.refused(&[
        "report",
        "--month",
        "三月",
        "--out",
        report.to_str().unwrap(),
    ]);
    assert_eq!(err["field"], "month");
}

/// Another laptop of the same village, with the roster but no cases yet.
fn village_without_cases() -> Db {
    village()
}
