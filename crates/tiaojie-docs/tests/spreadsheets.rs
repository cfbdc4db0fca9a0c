//! The ledger out to Excel and back: the export read back with a
//! spreadsheet reader (calamine) gives the ledger's values; importing the
//! export into another ledger gives the same cases, and importing it again
//! adds nothing; a file with bad rows is reported row by row and writes
//! nothing.

mod support;

use calamine::{Data, Reader};
use rust_xlsxwriter::Workbook;
use std::collections::BTreeMap;
use support::*;
use tiaojie_docs::Privacy;
use tiaojie_docs::import::{Field, ImportReport, apply_import, plan_import};
use tiaojie_docs::report::{monthly_report, report_xlsx};
use tiaojie_docs::xlsx::{COLUMNS, HEADER_ROW, export_ledger};
use tiaojie_ledger::Ledger;
use tiaojie_ledger::domain::labels::AgreementForm;
use tiaojie_ledger::store::queries::CaseFilter;

fn read(xlsx: &[u8]) -> Vec<Vec<String>> {
    let mut book =
        calamine::open_workbook_auto_from_rs(std::io::Cursor::new(xlsx.to_vec())).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Float(f) => f.to_string(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// Plans and applies an import with the guessed mapping.
fn import(l: &mut Ledger, xlsx: &[u8]) -> ImportReport {
    let plan = plan_import(l, xlsx, &BTreeMap::new()).unwrap();
    apply_import(l, &plan).unwrap()
}

fn col(name: &str) -> usize {
    COLUMNS.iter().position(|(n, _)| *n == name).unwrap()
}

fn all(l: &Ledger) -> CaseFilter {
    let _ = l;
    CaseFilter::default()
}

/// What a case is, as the export shows it, without the number (which a
/// ledger gives its own cases) and the row's position.
fn essence(l: &Ledger) -> Vec<String> {
    let mut v: Vec<String> = l
        .sheet(&CaseFilter::default())
        .unwrap()
        .into_iter()
        .map(|r| {
            format!(
                "{}|{}|{}|{}|{}|{}|{}|{:?}|{:?}|{}|{:?}|{:?}|{:?}|{:?}|{:?}",
                r.row.received_on,
                r.row.parties,
                r.row.dispute_type,
                r.row.source,
                r.facts,
                r.amount_fen,
                r.row.grade.clone().unwrap_or_default(),
                r.parties
                    .iter()
                    .map(|p| p.id_number.clone())
                    .collect::<Vec<_>>(),
                r.parties
                    .iter()
                    .map(|p| (p.gender.clone(), p.phone.clone(), p.address.clone()))
                    .collect::<Vec<_>>(),
                r.row.status,
                r.agreement_form,
                r.agreement_on,
                r.agreement_amount_fen,
                r.row.closed_on,
                r.closing_outcome,
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn the_export_reads_back_and_imports_into_another_ledger_once() {
    let mut a = village();
    full_case(&mut a, "张三", "李四", AgreementForm::Written);
    full_case(&mut a, "赵大", "钱二", AgreementForm::Oral);
    let c = a.open_case(&intake("孙五", "周六", day(4, 9))).unwrap();
    a.grade_case(c.id, "yellow", "可能升级", Some(day(4, 9)))
        .unwrap();
    let xlsx = export_ledger(&a, &all(&a), Privacy::FULL).unwrap().bytes;
    std::fs::write(output_dir("spreadsheets").join("ledger.xlsx"), &xlsx).unwrap();

    let rows = read(&xlsx);
    let header = &rows[HEADER_ROW as usize];
    assert_eq!(header.len(), COLUMNS.len());
    for (i, (name, _)) in COLUMNS.iter().enumerate() {
        assert_eq!(&header[i], name);
    }
    let data = &rows[HEADER_ROW as usize + 1..];
    let sheet = a.sheet(&CaseFilter::default()).unwrap();
    assert_eq!(data.len(), sheet.len());
    for (r, s) in data.iter().zip(&sheet) {
        assert_eq!(r[col("案件编号")], s.row.number);
        assert_eq!(r[col("受理日期")], s.row.received_on.to_string());
        assert_eq!(r[col("纠纷类型")], s.row.dispute_type);
        assert_eq!(r[col("纠纷简要情况")], s.facts);
        assert_eq!(
            r[col("涉及金额（元）")].parse::<f64>().unwrap(),
            s.amount_fen as f64 / 100.0
        );
        assert_eq!(
            r[col("风险等级")],
            s.row.grade_name.clone().unwrap_or_default()
        );
        let ids: Vec<String> = s
            .parties
            .iter()
            .filter_map(|p| p.id_number.clone())
            .collect();
        assert_eq!(r[col("当事人身份证号")], ids.join("；"));
    }
    assert!(
        data.iter()
            .any(|r| r[col("申请人")] == "张三" && r[col("被申请人")] == "李四")
    );

    // Into a ledger of another village's laptop: the same cases.
    let mut b = village();
    let plan = plan_import(&b, &xlsx, &BTreeMap::new()).unwrap();
    assert!(plan.errors.is_empty(), "{:?}", plan.errors);
    assert_eq!(plan.rows.len(), 3);
    let report = apply_import(&mut b, &plan).unwrap();
    assert_eq!((report.added, report.existing), (3, 0));
    assert_eq!(essence(&b), essence(&a));
    // Again: nothing new.
    let again = import(&mut b, &xlsx);
    assert_eq!((again.added, again.existing), (0, 3));
    assert_eq!(b.list_cases(&CaseFilter::default()).unwrap().total, 3);
    // Into the ledger it came from: every case is already there.
    let home = import(&mut a, &xlsx);
    assert_eq!((home.added, home.existing), (0, 3));
}

#[test]
fn the_export_masks_numbers_and_keeps_the_filter() {
    let mut a = village();
    full_case(&mut a, "张三", "李四", AgreementForm::Written);
    let c = a.open_case(&intake("孙五", "周六", day(4, 9))).unwrap();
    a.grade_case(c.id, "yellow", "可能升级", Some(day(4, 9)))
        .unwrap();
    let only_yellow = CaseFilter {
        grades: vec!["yellow".into()],
        ..Default::default()
    };
    let rows = read(
        &export_ledger(&a, &only_yellow, Privacy::MASKED)
            .unwrap()
            .bytes,
    );
    let data = &rows[HEADER_ROW as usize + 1..];
    assert_eq!(data.len(), 1);
    assert_eq!(data[0][col("申请人")], "孙五");
    assert!(rows[1][0].contains("风险等级：yellow"), "{}", rows[1][0]);
    assert!(data[0][col("当事人身份证号")].starts_with("4303**********"));
    assert!(data[0][col("当事人联系电话")].contains("138****5678"));
    // A masked export cannot be imported as if it were the real numbers.
    let xlsx = export_ledger(&a, &only_yellow, Privacy::MASKED)
        .unwrap()
        .bytes;
    let plan = plan_import(&village(), &xlsx, &BTreeMap::new()).unwrap();
    assert_eq!(plan.failed_rows, 1);
    assert!(
        plan.errors.iter().any(|e| e.message.contains("已脱敏")),
        "{:?}",
        plan.errors
    );
}

/// A village's own ledger layout: other headers, other order, dates as text.
/// A workbook as a village keeps its ledger: a title row if any, the
/// header, the rows as text.
fn workbook<R: AsRef<[S]>, S: AsRef<str>>(
    title: Option<&str>,
    header: &[&str],
    rows: &[R],
) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let mut y = 0;
    if let Some(t) = title {
        ws.write_string(0, 0, t).unwrap();
        y = 1;
    }
    for (i, h) in header.iter().enumerate() {
        ws.write_string(y, i as u16, *h).unwrap();
    }
    for (n, r) in rows.iter().enumerate() {
        for (i, v) in r.as_ref().iter().enumerate() {
            ws.write_string(y + 1 + n as u32, i as u16, v.as_ref())
                .unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

fn village_sheet(rows: &[[String; 9]]) -> Vec<u8> {
    workbook(
        Some("青山村矛盾纠纷排查调处台账（2026年）"),
        &[
            "编号",
            "登记日期",
            "当事人",
            "对方当事人",
            "身份证号码",
            "纠纷类别",
            "基本案情",
            "涉案金额",
            "预警等级",
        ],
        rows,
    )
}

#[test]
fn a_thousand_rows_with_ten_bad_ones_report_exactly_those_and_write_nothing() {
    let good = |n: usize| -> [String; 9] {
        let id17 = format!(
            "430302198{}{:02}{:02}{:03}",
            n % 10,
            1 + n % 12,
            1 + n % 28,
            n % 1000
        );
        [
            format!("QS-{n:04}"),
            format!("2026/{}/{}", 1 + n % 11, 1 + n % 28),
            format!("张{n}"),
            format!("李{n}"),
            format!("{}；", id_number(&id17)),
            ["邻里", "婚姻家庭", "合同", "山林土地"][n % 4].to_string(),
            format!("第{n}号纠纷：宅基地边界争执"),
            format!("{}", n * 10),
            ["红", "黄", "绿", ""][n % 4].to_string(),
        ]
    };
    let mut rows: Vec<[String; 9]> = (0..1000).map(good).collect();
    // Ten rows broken in ten different ways, each with the reason expected.
    let bad: [(usize, usize, &str, &str); 10] = [
        (3, 4, "430302198001010011；", "校验"),
        (97, 1, "2099-01-01", "晚于今天"),
        (150, 5, "吵架", "纠纷类型"),
        (222, 6, "", "简要情况"),
        (318, 1, "去年秋天", "不是日期"),
        (404, 4, "4303**********0011；", "已脱敏"),
        (512, 8, "紫色", "等级"),
        (
            640,
            4,
            "430302198001010011；430302198001010011；430302198001010011",
            "有 3 项",
        ),
        (777, 7, "八百块", "金额"),
        (999, 2, "", "申请人为空"),
    ];
    for (row, column, value, _) in bad {
        rows[row][column] = value.to_string();
    }
    let xlsx = village_sheet(&rows);
    let mut l = village();
    let plan = plan_import(&l, &xlsx, &BTreeMap::new()).unwrap();
    assert_eq!(plan.header_line, 2);
    assert_eq!(plan.rows.len(), 1000);
    let mapped: BTreeMap<String, Option<Field>> = plan
        .columns
        .iter()
        .map(|c| (c.header.clone(), c.field))
        .collect();
    assert_eq!(mapped["基本案情"], Some(Field::Facts));
    assert_eq!(mapped["对方当事人"], Some(Field::Respondents));
    let failed: Vec<u32> = plan
        .rows
        .iter()
        .filter(|r| !r.errors.is_empty())
        .map(|r| r.line)
        .collect();
    let expected: Vec<u32> = bad.iter().map(|(row, ..)| *row as u32 + 3).collect();
    assert_eq!(failed, expected, "{:#?}", plan.errors);
    assert_eq!(plan.failed_rows, 10);
    for (row, _, _, words) in bad {
        let line = row as u32 + 3;
        let reasons: Vec<&str> = plan
            .errors
            .iter()
            .filter(|e| e.line == line)
            .map(|e| e.message.as_str())
            .collect();
        assert!(
            reasons.iter().any(|m| m.contains(words))
                || plan
                    .errors
                    .iter()
                    .any(|e| e.line == line && e.column.contains(words)),
            "row {line}: expected “{words}”, got {reasons:?}"
        );
    }
    let before = l.fingerprint().unwrap();
    let e = apply_import(&mut l, &plan).unwrap_err();
    assert!(e.to_string().contains("10 行未通过检查"), "{e}");
    assert_eq!(l.fingerprint().unwrap(), before);
    assert_eq!(l.list_cases(&CaseFilter::default()).unwrap().total, 0);

    // With the ten rows left out, the other 990 go in, once.
    let kept: Vec<[String; 9]> = rows
        .iter()
        .enumerate()
        .filter(|(i, _)| !bad.iter().any(|b| b.0 == *i))
        .map(|(_, r)| r.clone())
        .collect();
    let xlsx = village_sheet(&kept);
    let report = import(&mut l, &xlsx);
    assert_eq!(report.added, 990);
    let red = l
        .list_cases(&CaseFilter {
            grades: vec!["red".into()],
            ..Default::default()
        })
        .unwrap()
        .total;
    assert!(red > 200, "{red}");
    let again = import(&mut l, &xlsx);
    assert_eq!((again.added, again.existing), (0, 990));
    assert_eq!(l.list_cases(&CaseFilter::default()).unwrap().total, 990);
}

/// Date cells whose serial numbers give year 1900, or a negative year:
/// each row is named with the reason and nothing is written.
#[test]
fn implausible_excel_dates_are_named_and_nothing_is_written() {
    let mut wb = Workbook::new();
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    let ws = wb.add_worksheet();
    for (i, h) in ["登记日期", "当事人", "纠纷类别", "基本案情"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, i as u16, *h).unwrap();
    }
    for (n, serial) in [1.0, -6000.0, 46_000.0].iter().enumerate() {
        let y = n as u32 + 1;
        ws.write_number_with_format(y, 0, *serial, &date).unwrap();
        ws.write_string(y, 1, format!("张{n}")).unwrap();
        ws.write_string(y, 2, "邻里").unwrap();
        ws.write_string(y, 3, "宅基地边界争执").unwrap();
    }
    let xlsx = wb.save_to_buffer().unwrap();
    let mut l = village();
    let plan = plan_import(&l, &xlsx, &BTreeMap::new()).unwrap();
    let reasons = |line: u32| -> Vec<String> {
        plan.errors
            .iter()
            .filter(|e| e.line == line)
            .map(|e| format!("{}：{}", e.column, e.message))
            .collect()
    };
    assert!(
        reasons(2).iter().any(|m| m.contains("1950")),
        "{:?}",
        reasons(2)
    );
    assert!(!reasons(3).is_empty(), "a negative serial was taken");
    assert!(reasons(4).is_empty(), "{:?}", reasons(4));
    let before = l.fingerprint().unwrap();
    assert!(apply_import(&mut l, &plan).is_err());
    assert_eq!(l.fingerprint().unwrap(), before);
}

/// An old ledger with how each case ended, in the words villages use.
fn closed_sheet(rows: &[[&str; 9]]) -> Vec<u8> {
    workbook(
        None,
        &[
            "登记日期",
            "当事人",
            "纠纷类别",
            "基本案情",
            "案件状态",
            "协议形式",
            "协议金额",
            "结案日期",
            "结案方式",
        ],
        rows,
    )
}

#[test]
fn closed_cases_come_in_closed_with_their_agreements_and_are_not_due() {
    let rows = [
        [
            "2026-03-01",
            "张三",
            "邻里",
            "围墙越界",
            "已结案",
            "书面",
            "800",
            "2026-03-05",
            "成功",
        ],
        [
            "2026-03-02",
            "李四",
            "合同",
            "欠款未还",
            "已结案",
            "",
            "",
            "2026-03-20",
            "调解不成",
        ],
        [
            "2026-03-03",
            "王五",
            "婚姻家庭",
            "家务争吵",
            "已结案",
            "口头协议",
            "",
            "2026-03-04",
            "",
        ],
        [
            "2026-03-04",
            "赵六",
            "邻里",
            "排水沟堵塞",
            "调解中",
            "",
            "",
            "",
            "",
        ],
    ];
    let mut l = village();
    let plan = plan_import(&l, &closed_sheet(&rows), &BTreeMap::new()).unwrap();
    assert!(plan.errors.is_empty(), "{:?}", plan.errors);
    let report = apply_import(&mut l, &plan).unwrap();
    assert_eq!(report.added, 4);
    let sheet = l.sheet(&CaseFilter::default()).unwrap();
    let by = |name: &str| sheet.iter().find(|r| r.row.parties.contains(name)).unwrap();
    let settled = by("张三");
    assert_eq!(settled.row.status, "已结案");
    assert_eq!(settled.row.closed_on, Some(day(3, 5)));
    assert_eq!(settled.closing_outcome.as_deref(), Some("调解成功"));
    assert_eq!(settled.agreement_form.as_deref(), Some("书面协议"));
    assert_eq!(settled.agreement_amount_fen, Some(80_000));
    // No 协议日期 column: the agreement is dated the day the case closed.
    assert_eq!(settled.agreement_on.as_deref(), Some("2026-03-05"));
    assert_eq!(by("李四").closing_outcome.as_deref(), Some("调解不成"));
    // Closed with an oral agreement and no word on how: settled.
    assert_eq!(by("王五").closing_outcome.as_deref(), Some("调解成功"));
    assert_eq!(by("赵六").row.closed_on, None);
    assert_ne!(by("赵六").row.status, "已结案");
    let closed = l
        .list_cases(&CaseFilter {
            statuses: vec![tiaojie_ledger::domain::labels::CaseStatus::Closed],
            ..Default::default()
        })
        .unwrap()
        .total;
    assert_eq!(closed, 3);

    // Graded, the three closed ones are due for nothing; the open one is.
    let mut l = village();
    let graded: Vec<[&str; 8]> = rows
        .iter()
        .map(|r| [r[0], r[1], r[2], r[3], r[7], r[8], r[5], "红"])
        .collect();
    let xlsx = workbook(
        None,
        &[
            "登记日期",
            "当事人",
            "纠纷类别",
            "基本案情",
            "结案日期",
            "结案方式",
            "协议形式",
            "风险等级",
        ],
        &graded,
    );
    import(&mut l, &xlsx);
    let unit = l.device().unwrap().unit_code;
    let due = l
        .due_visits(
            day(4, 1),
            &tiaojie_ledger::store::queries::Scope {
                unit,
                subtree: false,
            },
        )
        .unwrap();
    assert_eq!(due.len(), 1, "{due:?}");
    assert!(due[0].parties.contains("赵六"), "{due:?}");
}

#[test]
fn a_closing_that_does_not_add_up_is_named_and_nothing_is_written() {
    let cases: [([&str; 9], &str, &str); 6] = [
        (
            [
                "2026-03-01",
                "张三",
                "邻里",
                "围墙",
                "已结案",
                "",
                "",
                "2026-03-05",
                "成功",
            ],
            "结案方式",
            "须有调解协议",
        ),
        (
            [
                "2026-03-01",
                "张三",
                "邻里",
                "围墙",
                "",
                "",
                "",
                "2026-03-05",
                "",
            ],
            "结案方式",
            "没有结案方式",
        ),
        (
            [
                "2026-03-01",
                "张三",
                "邻里",
                "围墙",
                "",
                "",
                "",
                "",
                "调解不成",
            ],
            "结案日期",
            "没有结案日期",
        ),
        (
            [
                "2026-03-01",
                "张三",
                "邻里",
                "围墙",
                "已结案",
                "",
                "",
                "",
                "",
            ],
            "结案日期",
            "已结案",
        ),
        (
            [
                "2026-03-09",
                "张三",
                "邻里",
                "围墙",
                "",
                "",
                "",
                "2026-03-05",
                "调解不成",
            ],
            "结案日期",
            "早于受理日期",
        ),
        (
            ["2026-03-01", "张三", "邻里", "围墙", "", "", "500", "", ""],
            "协议形式",
            "没有协议形式",
        ),
    ];
    for (row, column, words) in cases {
        let mut l = village();
        let plan = plan_import(&l, &closed_sheet(&[row]), &BTreeMap::new()).unwrap();
        assert_eq!(plan.failed_rows, 1, "{row:?}");
        let e = &plan.errors[0];
        assert_eq!(e.column, column, "{row:?}: {e:?}");
        assert!(e.message.contains(words), "{row:?}: {e:?}");
        let before = l.fingerprint().unwrap();
        assert!(apply_import(&mut l, &plan).is_err());
        assert_eq!(l.fingerprint().unwrap(), before);
    }
}

#[test]
fn a_column_mapping_names_what_is_wrong() {
    let l = village();
    let xlsx = village_sheet(&[]);
    let mut m = BTreeMap::new();
    m.insert("没有这一列".to_string(), Some(Field::Facts));
    let e = plan_import(&l, &xlsx, &m).unwrap_err();
    assert!(e.to_string().contains("没有这一列"), "{e}");
    let mut m = BTreeMap::new();
    m.insert("基本案情".to_string(), None);
    let e = plan_import(&l, &xlsx, &m).unwrap_err();
    assert!(e.to_string().contains("纠纷简要情况"), "{e}");
    let e = plan_import(&l, b"not a workbook", &BTreeMap::new()).unwrap_err();
    assert!(e.to_string().contains("无法读取 Excel"), "{e}");
}

#[test]
fn the_monthly_report_counts_the_month() {
    let mut l = village();
    full_case(&mut l, "张三", "李四", AgreementForm::Written);
    full_case(&mut l, "赵大", "钱二", AgreementForm::Oral);
    l.open_case(&intake("孙五", "周六", day(4, 9))).unwrap();
    let r = monthly_report(&l, VILLAGE, false, "2026-03").unwrap();
    assert_eq!(r.total.total, 2);
    assert_eq!(r.total.agreements, 2);
    assert_eq!(r.total.agreement_amount_fen, 160_000);
    let xlsx = report_xlsx(&r).unwrap();
    std::fs::write(
        output_dir("spreadsheets").join("monthly-report.xlsx"),
        &xlsx,
    )
    .unwrap();
    let rows = read(&xlsx);
    let value = |label: &str| -> String {
        rows.iter()
            .find(|r| r[0] == label)
            .map(|r| r[1].clone())
            .unwrap_or_default()
    };
    assert_eq!(value("受理纠纷（件）"), "2");
    assert_eq!(value("调解成功（件）"), "2");
    assert_eq!(value("协议涉及金额（元）"), "1600");
    assert_eq!(value("邻里"), "2");
    assert_eq!(value("调解成功"), "2");
    assert!(monthly_report(&l, VILLAGE, false, "2026-13").is_err());
    assert!(monthly_report(&l, "999", false, "2026-03").is_err());
}
