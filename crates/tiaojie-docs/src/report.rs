//! The monthly statistics report (月报) for a unit, or for a unit and every
//! unit below it, as the upper tiers ask for it: counts by type, source,
//! level, colour and outcome; agreements and amounts; satisfaction; 民转刑 and
//! group petitions prevented; screening rounds and nil reports; one line per
//! unit of the subtree.

use crate::error::{DocsError, Result};
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, XlsxError};
use tiaojie_ledger::Ledger;
use tiaojie_ledger::store::queries::Scope;
use tiaojie_ledger::store::{Count, Stats, StatsFilter};

/// The first and last day of a month given as `YYYY-MM`.
pub fn month_bounds(month: &str) -> Result<(NaiveDate, NaiveDate)> {
    let bad = || {
        DocsError::invalid(
            "month",
            format!("月份“{month}”格式不对，应为 YYYY-MM，例如 2026-03"),
        )
    };
    let first = NaiveDate::parse_from_str(&format!("{}-01", month.trim()), "%Y-%m-%d")
        .map_err(|_| bad())?;
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
    }
    .ok_or_else(bad)?;
    Ok((first, next.pred_opt().ok_or_else(bad)?))
}

/// The report's figures: the whole scope, and each unit in it.
pub struct MonthlyReport {
    pub title: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub total: Stats,
    pub units: Vec<(String, String, Stats)>,
}

/// The monthly report taken out by `session`: the export right, and the
/// report logged as `monthly_report` with its month. What the CLI's
/// `tiaojie report` and the app's 统计 both call.
pub fn monthly_report_for(
    ledger: &Ledger,
    session: Option<&tiaojie_ledger::store::users::Session>,
    unit: &str,
    subtree: bool,
    month: &str,
) -> Result<MonthlyReport> {
    ledger.require_logged(
        session,
        tiaojie_ledger::domain::roles::Permission::Export,
        "monthly_report",
        month,
    )?;
    monthly_report(ledger, unit, subtree, month)
}

pub fn monthly_report(
    ledger: &Ledger,
    unit: &str,
    subtree: bool,
    month: &str,
) -> Result<MonthlyReport> {
    let (from, to) = month_bounds(month)?;
    let units = ledger.units()?;
    let top = units
        .iter()
        .find(|u| u.spec.code == unit)
        .ok_or_else(|| DocsError::invalid("unit", format!("本机没有单位“{unit}”")))?;
    let filter = |unit: &str, subtree: bool| StatsFilter {
        scope: Some(Scope {
            unit: unit.to_string(),
            subtree,
        }),
        from: Some(from),
        to: Some(to),
    };
    let total = ledger.stats(&filter(unit, subtree))?;
    let mut per_unit = Vec::new();
    if subtree {
        // Every unit below, each counted with its own subtree, in code order.
        let mut below: Vec<&tiaojie_ledger::store::queries::UnitRow> = units
            .iter()
            .filter(|u| u.spec.parent.as_deref() == Some(unit))
            .collect();
        below.sort_by(|a, b| a.spec.code.cmp(&b.spec.code));
        per_unit.push((
            top.spec.code.clone(),
            format!("{}（本级）", top.spec.name),
            ledger.stats(&filter(unit, false))?,
        ));
        for u in below {
            per_unit.push((
                u.spec.code.clone(),
                u.spec.name.clone(),
                ledger.stats(&filter(&u.spec.code, true))?,
            ));
        }
    }
    Ok(MonthlyReport {
        title: format!(
            "{}{}人民调解工作月报（{}年{}月）",
            top.spec.name,
            if subtree { "及下辖单位" } else { "" },
            from.year(),
            from.month()
        ),
        from,
        to,
        total,
        units: per_unit,
    })
}

fn fail(e: XlsxError) -> DocsError {
    DocsError::Write(format!("Excel 文件生成失败：{e}"))
}

fn count_of(list: &[Count], label: &str) -> u64 {
    list.iter()
        .find(|c| c.label == label || c.key == label)
        .map(|c| c.count)
        .unwrap_or(0)
}

/// The report as an .xlsx file: a summary sheet and a sheet per unit line.
pub fn report_xlsx(r: &MonthlyReport) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let title = Format::new()
        .set_bold()
        .set_font_size(15)
        .set_align(FormatAlign::Center);
    let head = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_background_color(Color::RGB(0xDDE5F0))
        .set_align(FormatAlign::Center);
    let cell = Format::new().set_border(FormatBorder::Thin);
    let section = Format::new().set_bold();
    {
        let ws = wb.add_worksheet();
        ws.set_name("月报").map_err(fail)?;
        ws.set_column_width(0, 28).map_err(fail)?;
        ws.set_column_width(1, 14).map_err(fail)?;
        ws.merge_range(0, 0, 0, 1, &r.title, &title).map_err(fail)?;
        ws.write_string(1, 0, format!("统计期间：{} 至 {}", r.from, r.to))
            .map_err(fail)?;
        let s = &r.total;
        let mut y = 3u32;
        let mut put = |ws: &mut rust_xlsxwriter::Worksheet,
                       label: &str,
                       value: f64|
         -> std::result::Result<(), XlsxError> {
            ws.write_string_with_format(y, 0, label, &cell)?;
            ws.write_number_with_format(y, 1, value, &cell)?;
            y += 1;
            Ok(())
        };
        let mut run = |ws: &mut rust_xlsxwriter::Worksheet| -> std::result::Result<(), XlsxError> {
            ws.write_string_with_format(2, 0, "项目", &head)?;
            ws.write_string_with_format(2, 1, "数量", &head)?;
            put(ws, "受理纠纷（件）", s.total as f64)?;
            put(ws, "已结案（件）", s.closed as f64)?;
            put(ws, "在办（件）", s.open as f64)?;
            put(ws, "调解成功（件）", s.resolved as f64)?;
            put(ws, "达成协议（件）", s.agreements as f64)?;
            put(
                ws,
                "协议涉及金额（元）",
                s.agreement_amount_fen as f64 / 100.0,
            )?;
            put(ws, "涉访纠纷（件）", s.petition_risk as f64)?;
            put(ws, "民转刑风险纠纷（件）", s.criminal_risk as f64)?;
            put(ws, "防止民转刑（件）", s.criminal_prevented as f64)?;
            put(ws, "防止群体性上访（件）", s.petitions_prevented as f64)?;
            put(ws, "排查次数", s.screenings as f64)?;
            put(ws, "其中零上报", s.nil_reports as f64)?;
            Ok(())
        };
        run(ws).map_err(fail)?;
        let mut y = 17u32;
        let groups: [(&str, &[Count]); 7] = [
            ("按纠纷类型", &s.by_type),
            ("按纠纷来源", &s.by_source),
            ("按调解层级", &s.by_level),
            ("按风险等级", &s.by_grade),
            ("按案件状态", &s.by_status),
            ("按结案方式", &s.by_outcome),
            ("回访满意度", &s.satisfaction),
        ];
        for (name, counts) in groups {
            ws.write_string_with_format(y, 0, name, &section)
                .map_err(fail)?;
            y += 1;
            if counts.is_empty() {
                ws.write_string_with_format(y, 0, "（无）", &cell)
                    .map_err(fail)?;
                ws.write_number_with_format(y, 1, 0.0, &cell)
                    .map_err(fail)?;
                y += 1;
            }
            for c in counts {
                ws.write_string_with_format(y, 0, &c.label, &cell)
                    .map_err(fail)?;
                ws.write_number_with_format(y, 1, c.count as f64, &cell)
                    .map_err(fail)?;
                y += 1;
            }
            y += 1;
        }
    }
    if !r.units.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name("分单位").map_err(fail)?;
        let headers = [
            "单位代码",
            "单位名称",
            "受理",
            "结案",
            "调解成功",
            "达成协议",
            "协议金额（元）",
            "红色",
            "黄色",
            "绿色",
            "排查次数",
            "零上报",
        ];
        ws.merge_range(0, 0, 0, (headers.len() - 1) as u16, &r.title, &title)
            .map_err(fail)?;
        for (i, h) in headers.iter().enumerate() {
            ws.write_string_with_format(1, i as u16, *h, &head)
                .map_err(fail)?;
            ws.set_column_width(i as u16, if i == 1 { 24 } else { 11 })
                .map_err(fail)?;
        }
        for (n, (code, name, s)) in r.units.iter().enumerate() {
            let y = 2 + n as u32;
            ws.write_string_with_format(y, 0, code, &cell)
                .map_err(fail)?;
            ws.write_string_with_format(y, 1, name, &cell)
                .map_err(fail)?;
            let nums = [
                s.total as f64,
                s.closed as f64,
                s.resolved as f64,
                s.agreements as f64,
                s.agreement_amount_fen as f64 / 100.0,
                count_of(&s.by_grade, "red") as f64,
                count_of(&s.by_grade, "yellow") as f64,
                count_of(&s.by_grade, "green") as f64,
                s.screenings as f64,
                s.nil_reports as f64,
            ];
            for (i, v) in nums.iter().enumerate() {
                ws.write_number_with_format(y, 2 + i as u16, *v, &cell)
                    .map_err(fail)?;
            }
        }
    }
    wb.save_to_buffer().map_err(fail)
}
