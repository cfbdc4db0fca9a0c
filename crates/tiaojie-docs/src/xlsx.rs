//! The ledger (台账) as an Excel workbook: one row per case in the columns the
//! upper tiers keep, the risk column filled with the grade's colour, the
//! app's filters applied and written above the table.

use crate::context::chinese_date;
use crate::error::{DocsError, Result};
use crate::mask::Privacy;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use tiaojie_ledger::Ledger;
use tiaojie_ledger::domain::labels::Side;
use tiaojie_ledger::store::queries::CaseFilter;
use tiaojie_ledger::store::sheet::{SheetParty, SheetRow};

/// The columns of the ledger sheet, in order, with their widths. The import
/// reads the same headers back.
pub const COLUMNS: &[(&str, f64)] = &[
    ("序号", 6.0),
    ("案件编号", 26.0),
    ("受理日期", 12.0),
    ("调解组织", 18.0),
    ("申请人", 12.0),
    ("被申请人", 12.0),
    ("当事人性别", 10.0),
    ("当事人身份证号", 22.0),
    ("当事人联系电话", 16.0),
    ("当事人住址", 22.0),
    ("纠纷类型", 12.0),
    ("纠纷来源", 12.0),
    ("调解类型", 10.0),
    ("纠纷简要情况", 40.0),
    ("申请事项", 24.0),
    ("涉及金额（元）", 12.0),
    ("涉及人数", 8.0),
    ("是否涉访", 8.0),
    ("民转刑风险", 8.0),
    ("重点人员", 12.0),
    ("风险等级", 10.0),
    ("案件状态", 10.0),
    ("调解员", 10.0),
    ("调解次数", 8.0),
    ("调解结果", 10.0),
    ("协议形式", 10.0),
    ("协议金额（元）", 12.0),
    ("协议日期", 12.0),
    ("结案日期", 12.0),
    ("结案方式", 10.0),
];

/// The first row of data (0-based): a title, a line on the filters, then the
/// header.
pub const HEADER_ROW: u32 = 2;

/// Several parties' details in one cell, in the order of the names.
pub const PARTY_SEPARATOR: &str = "；";

fn fail(e: XlsxError) -> DocsError {
    DocsError::Write(format!("Excel 文件生成失败：{e}"))
}

pub fn yuan_number(fen: i64) -> f64 {
    fen as f64 / 100.0
}

fn yes_no(b: bool) -> &'static str {
    if b { "是" } else { "否" }
}

fn rgb(color: Option<&str>) -> Option<Color> {
    let hex = color?.strip_prefix('#')?;
    u32::from_str_radix(hex, 16).ok().map(Color::RGB)
}

/// The parties in sheet order: applicants, then respondents.
fn ordered(parties: &[SheetParty]) -> Vec<&SheetParty> {
    let mut v: Vec<&SheetParty> = parties
        .iter()
        .filter(|p| p.side == Side::Applicant.label())
        .collect();
    v.extend(parties.iter().filter(|p| p.side != Side::Applicant.label()));
    v
}

fn names(parties: &[SheetParty], applicant: bool) -> String {
    parties
        .iter()
        .filter(|p| (p.side == Side::Applicant.label()) == applicant)
        .map(|p| p.name.as_str())
        .collect::<Vec<_>>()
        .join("、")
}

fn details(parties: &[&SheetParty], f: impl Fn(&SheetParty) -> String) -> String {
    let v: Vec<String> = parties.iter().map(|p| f(p)).collect();
    if v.iter().all(String::is_empty) {
        String::new()
    } else {
        v.join(PARTY_SEPARATOR)
    }
}

/// A sentence on what the filter selects, written above the table.
pub fn describe_filter(f: &CaseFilter) -> String {
    let mut parts = Vec::new();
    if !f.grades.is_empty() {
        parts.push(format!("风险等级：{}", f.grades.join("、")));
    }
    if !f.statuses.is_empty() {
        parts.push(format!(
            "状态：{}",
            f.statuses
                .iter()
                .map(|s| s.label())
                .collect::<Vec<_>>()
                .join("、")
        ));
    }
    if !f.dispute_types.is_empty() {
        parts.push(format!(
            "类型：{}",
            f.dispute_types
                .iter()
                .map(|s| s.label())
                .collect::<Vec<_>>()
                .join("、")
        ));
    }
    if let Some(l) = f.level {
        parts.push(format!(
            "层级：{}",
            tiaojie_ledger::domain::unit::level_label(l)
        ));
    }
    if let Some(s) = &f.scope {
        parts.push(format!(
            "单位：{}{}",
            s.unit,
            if s.subtree { "及下级" } else { "" }
        ));
    }
    match (f.received_from, f.received_to) {
        (Some(a), Some(b)) => parts.push(format!(
            "受理日期：{}至{}",
            chinese_date(a),
            chinese_date(b)
        )),
        (Some(a), None) => parts.push(format!("受理日期：{}起", chinese_date(a))),
        (None, Some(b)) => parts.push(format!("受理日期：{}止", chinese_date(b))),
        (None, None) => {}
    }
    if let Some(t) = f.text.as_deref().filter(|t| !t.trim().is_empty()) {
        parts.push(format!("搜索：{t}"));
    }
    if parts.is_empty() {
        "全部案件".into()
    } else {
        parts.join("；")
    }
}

/// An exported ledger: the .xlsx file and how many cases it holds.
pub struct Exported {
    pub bytes: Vec<u8>,
    pub cases: usize,
}

/// The ledger as filtered, taken out by `session`: the export right; full
/// numbers only when allowed (logged as `view_full_numbers`); the export
/// logged as `export_ledger`, each with the filter's description. What the
/// CLI's `tiaojie export` and the app's 导出 both call.
pub fn export_ledger_for(
    ledger: &Ledger,
    session: Option<&tiaojie_ledger::store::users::Session>,
    filter: &CaseFilter,
    full_numbers: bool,
) -> Result<Exported> {
    use tiaojie_ledger::domain::roles::Permission;
    ledger.require(session, Permission::Export)?;
    let what = describe_filter(filter);
    if full_numbers {
        ledger.require_logged(
            session,
            Permission::ViewFullNumbers,
            "view_full_numbers",
            &what,
        )?;
    }
    if let Some(s) = session {
        ledger.log_access(s, "export_ledger", &what)?;
    }
    export_ledger(ledger, filter, Privacy::new(full_numbers))
}

/// The ledger sheet of the cases `filter` selects, as an .xlsx file.
pub fn export_ledger(ledger: &Ledger, filter: &CaseFilter, privacy: Privacy) -> Result<Exported> {
    let rows = ledger.sheet(filter)?;
    let unit = ledger.device().ok().and_then(|d| {
        ledger
            .units()
            .ok()?
            .into_iter()
            .find(|u| u.spec.code == d.unit_code)
            .map(|u| u.spec.name)
    });
    let title = format!("{}人民调解纠纷台账", unit.unwrap_or_default());
    let note = format!(
        "筛选条件：{}　共 {} 件　导出日期：{}{}",
        describe_filter(filter),
        rows.len(),
        chinese_date(tiaojie_ledger::store::today()),
        if privacy.full_numbers {
            "　（含完整身份证号、电话，请妥善保管）"
        } else {
            "　（身份证号、电话已脱敏）"
        }
    );
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("台账").map_err(fail)?;
    write_sheet(ws, &title, &note, &rows, privacy).map_err(fail)?;
    Ok(Exported {
        bytes: wb.save_to_buffer().map_err(fail)?,
        cases: rows.len(),
    })
}

fn write_sheet(
    ws: &mut Worksheet,
    title: &str,
    note: &str,
    rows: &[SheetRow],
    privacy: Privacy,
) -> std::result::Result<(), XlsxError> {
    let last_col = (COLUMNS.len() - 1) as u16;
    let title_fmt = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::Center);
    ws.merge_range(0, 0, 0, last_col, title, &title_fmt)?;
    ws.merge_range(1, 0, 1, last_col, note, &Format::new())?;
    let head = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_background_color(Color::RGB(0xDDE5F0))
        .set_align(FormatAlign::Center)
        .set_text_wrap();
    let cell = Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter);
    let wrap = cell.clone().set_text_wrap();
    for (i, (name, width)) in COLUMNS.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, i as u16, *name, &head)?;
        ws.set_column_width(i as u16, *width)?;
    }
    for (n, r) in rows.iter().enumerate() {
        let y = HEADER_ROW + 1 + n as u32;
        let parties = ordered(&r.parties);
        let text: Vec<(u16, String)> = vec![
            (1, r.row.number.clone()),
            (2, r.row.received_on.to_string()),
            (3, r.row.unit_name.clone()),
            (4, names(&r.parties, true)),
            (5, names(&r.parties, false)),
            (
                6,
                details(&parties, |p| p.gender.clone().unwrap_or_default()),
            ),
            (
                7,
                details(&parties, |p| {
                    p.id_number
                        .as_deref()
                        .map(|i| privacy.id_number(i))
                        .unwrap_or_default()
                }),
            ),
            (
                8,
                details(&parties, |p| {
                    p.phone
                        .as_deref()
                        .map(|i| privacy.phone(i))
                        .unwrap_or_default()
                }),
            ),
            (
                9,
                details(&parties, |p| p.address.clone().unwrap_or_default()),
            ),
            (10, r.row.dispute_type.clone()),
            (11, r.row.source.clone()),
            (12, r.mediation_type.clone()),
            (13, r.facts.clone()),
            (14, r.requests.clone()),
            (17, yes_no(r.petition_risk).into()),
            (18, yes_no(r.criminal_risk).into()),
            (19, r.key_persons.clone()),
            (21, r.row.status.clone()),
            (22, r.mediator.clone().unwrap_or_default()),
            (24, r.last_session_result.clone().unwrap_or_default()),
            (25, r.agreement_form.clone().unwrap_or_default()),
            (27, r.agreement_on.clone().unwrap_or_default()),
            (
                28,
                r.row.closed_on.map(|d| d.to_string()).unwrap_or_default(),
            ),
            (29, r.closing_outcome.clone().unwrap_or_default()),
        ];
        ws.write_number_with_format(y, 0, (n + 1) as f64, &cell)?;
        for (col, t) in text {
            let f = if col == 13 || col == 14 { &wrap } else { &cell };
            ws.write_string_with_format(y, col, t, f)?;
        }
        ws.write_number_with_format(y, 15, yuan_number(r.amount_fen), &cell)?;
        ws.write_number_with_format(y, 16, r.people_involved as f64, &cell)?;
        ws.write_number_with_format(y, 23, r.sessions as f64, &cell)?;
        match r.agreement_amount_fen {
            Some(a) => ws.write_number_with_format(y, 26, yuan_number(a), &cell)?,
            None => ws.write_string_with_format(y, 26, "", &cell)?,
        };
        let grade = r.row.grade_name.clone().unwrap_or_default();
        let mut gf = cell.clone().set_align(FormatAlign::Center);
        if let Some(c) = rgb(r.row.grade_color.as_deref()) {
            gf = gf.set_background_color(c);
        }
        ws.write_string_with_format(y, 20, grade, &gf)?;
    }
    let last_row = HEADER_ROW + rows.len() as u32;
    ws.autofilter(HEADER_ROW, 0, last_row.max(HEADER_ROW), last_col)?;
    ws.set_freeze_panes(HEADER_ROW + 1, 2)?;
    Ok(())
}
