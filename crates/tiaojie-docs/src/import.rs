//! Bringing a village's existing Excel ledger in. First a plan: which column
//! is which field (guessed from the headers, adjustable), every row read and
//! checked, a preview, and the rows that fail with why. Then, only if no row
//! failed, every row goes in as events in one transaction. Rows already in
//! the ledger (imported before, or exported from it) are recognised and not
//! added twice.

use crate::error::{DocsError, Result};
use crate::xlsx::PARTY_SEPARATOR;
use calamine::{Data, Reader};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use tiaojie_ledger::Ledger;
use tiaojie_ledger::domain::intake::{CaseIntake, Fen, PartyInput, YuanText};
use tiaojie_ledger::domain::labels::{AgreementForm, ClosingOutcome};
use tiaojie_ledger::store::import::{ImportAgreement, ImportCase, ImportClosing, ImportOutcome};

macro_rules! fields {
    ($($variant:ident = $key:literal / $label:literal [$($alias:literal),*]),+ $(,)?) => {
        /// What a column of an imported ledger can hold.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ts_rs::TS)]
        #[serde(rename_all = "snake_case")]
        pub enum Field { $($variant),+ }

        impl Field {
            pub const ALL: &'static [Field] = &[$(Field::$variant),+];
            pub fn key(self) -> &'static str { match self { $(Field::$variant => $key),+ } }
            pub fn label(self) -> &'static str { match self { $(Field::$variant => $label),+ } }
            fn aliases(self) -> &'static [&'static str] {
                match self { $(Field::$variant => &[$label $(, $alias)*]),+ }
            }
        }
    };
}

fields!(
    Number = "number" / "案件编号" ["编号", "案号", "卷号", "协议编号"],
    ReceivedOn = "received_on" / "受理日期" ["登记日期", "受理时间", "登记时间", "日期"],
    Applicants = "applicants" / "申请人" ["申请人姓名", "当事人", "当事人姓名"],
    Respondents = "respondents" / "被申请人" ["被申请人姓名", "对方当事人"],
    Genders = "genders" / "当事人性别" ["性别"],
    IdNumbers = "id_numbers" / "当事人身份证号" ["身份证号", "身份证号码", "公民身份号码"],
    Phones = "phones" / "当事人联系电话" ["联系电话", "电话", "手机", "联系方式"],
    Addresses = "addresses" / "当事人住址" ["住址", "地址", "家庭住址"],
    DisputeType = "dispute_type" / "纠纷类型" ["类型", "纠纷类别", "案件类型"],
    Source = "source" / "纠纷来源" ["来源", "案件来源"],
    MediationType = "mediation_type" / "调解类型" [],
    Facts = "facts" / "纠纷简要情况" ["简要情况", "纠纷情况", "基本案情", "纠纷事实", "主要事实"],
    Requests = "requests" / "申请事项" ["请求事项"],
    Amount = "amount" / "涉及金额（元）" ["涉及金额", "涉案金额", "金额", "标的额"],
    PeopleInvolved = "people_involved" / "涉及人数" ["人数"],
    PetitionRisk = "petition_risk" / "是否涉访" ["涉访"],
    CriminalRisk = "criminal_risk" / "民转刑风险" ["民转刑", "是否民转刑"],
    KeyPersons = "key_persons" / "重点人员" [],
    Grade = "grade" / "风险等级" ["预警等级", "等级", "三色预警"],
    Mediator = "mediator" / "调解员" ["承办人", "承办调解员"],
    Status = "status" / "案件状态" ["状态", "办理状态"],
    AgreementForm = "agreement_form" / "协议形式" ["协议类型"],
    AgreementOn = "agreement_on" / "协议日期" ["达成协议日期", "协议签订日期"],
    AgreementAmount = "agreement_amount" / "协议金额（元）" ["协议金额"],
    ClosedOn = "closed_on" / "结案日期" ["结案时间", "办结日期", "办结时间"],
    ClosingOutcome = "closing_outcome" / "结案方式" ["办结方式"],
);

impl Field {
    pub fn parse(text: &str) -> Result<Field> {
        let t = normalize(text);
        Field::ALL
            .iter()
            .copied()
            .find(|f| f.key() == text.trim() || f.aliases().iter().any(|a| normalize(a) == t))
            .ok_or_else(|| {
                DocsError::invalid(
                    "mapping",
                    format!(
                        "没有“{}”这个字段（可选：{}）",
                        text.trim(),
                        Field::ALL
                            .iter()
                            .map(|f| f.label())
                            .collect::<Vec<_>>()
                            .join("、")
                    ),
                )
            })
    }
}

/// A header as compared: no spaces, full-width brackets.
fn normalize(header: &str) -> String {
    header
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            c => c,
        })
        .collect()
}

/// How one column of the sheet is read.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ColumnMap {
    /// 0-based column index, and its letter as Excel shows it.
    pub column: usize,
    pub letter: String,
    pub header: String,
    pub field: Option<Field>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct RowError {
    /// The row number as Excel shows it.
    pub line: u32,
    /// The column (its header) or field at fault.
    pub column: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct PlannedRow {
    pub line: u32,
    /// The values read, by field, as the preview shows them.
    pub values: BTreeMap<Field, String>,
    pub errors: Vec<RowError>,
    #[serde(skip)]
    #[ts(skip)]
    case: Option<ImportCase>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ImportPlan {
    pub sheet: String,
    /// The header's row number as Excel shows it.
    pub header_line: u32,
    pub columns: Vec<ColumnMap>,
    pub rows: Vec<PlannedRow>,
    /// Every failed row's reasons, in order.
    pub errors: Vec<RowError>,
    pub failed_rows: usize,
}

impl ImportPlan {
    pub fn ok_rows(&self) -> usize {
        self.rows.len() - self.failed_rows
    }
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ImportReport {
    pub added: usize,
    pub existing: usize,
    pub outcomes: Vec<(u32, ImportOutcome)>,
}

fn letter(mut col: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "是" } else { "否" }.into(),
        Data::DateTime(dt) => dt
            .as_datetime()
            .map(|t| t.date().to_string())
            .unwrap_or_else(|| dt.to_string()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// Dates as village ledgers write them: 2026-03-05, 2026/3/5, 2026.3.5,
/// 2026年3月5日, 20260305.
pub fn parse_loose_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    let t = t.split([' ', 'T']).next().unwrap_or(t);
    let t = t.trim_end_matches('日');
    let unified: String = t
        .chars()
        .map(|c| {
            if matches!(c, '/' | '.' | '年' | '月') {
                '-'
            } else {
                c
            }
        })
        .collect();
    if let Ok(d) = NaiveDate::parse_from_str(&unified, "%Y-%m-%d") {
        return Some(d);
    }
    if unified.len() == 8 && unified.chars().all(|c| c.is_ascii_digit()) {
        return NaiveDate::parse_from_str(&unified, "%Y%m%d").ok();
    }
    None
}

fn parse_flag(text: &str) -> Option<bool> {
    match text.trim() {
        "" | "否" | "无" | "N" | "n" | "no" | "No" | "false" | "0" | "×" => Some(false),
        "是" | "有" | "Y" | "y" | "yes" | "Yes" | "true" | "1" | "√" => Some(true),
        _ => None,
    }
}

/// The words village ledgers use for how a case ended, beside the form's own.
fn closing_word(text: &str) -> &str {
    match text.trim() {
        "成功" | "调解成功" | "已调解成功" | "调处成功" => "调解成功",
        "不成功" | "调解不成功" | "失败" | "调解失败" | "调处不成" | "调解不成" => {
            "调解不成"
        }
        "撤回" | "申请人撤回" | "当事人撤回" | "撤销" => "当事人撤回",
        "移送" | "移交" | "转办" | "移送处理" | "移交处理" => "移送处理",
        t => t,
    }
}

fn agreement_word(text: &str) -> &str {
    match text.trim() {
        "书面" | "书面协议" | "书面调解协议" => "书面协议",
        "口头" | "口头协议" | "口头调解协议" => "口头协议",
        t => t,
    }
}

/// Whether a status cell says the case is closed.
fn says_closed(text: &str) -> bool {
    matches!(
        text.trim(),
        "已结案" | "结案" | "已办结" | "办结" | "已归档"
    )
}

fn split_names(text: &str) -> Vec<String> {
    text.split(['、', ',', '，', ';', '；', '/', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn split_details(text: &str) -> Vec<String> {
    if text.trim().is_empty() {
        return Vec::new();
    }
    text.split([';', '；'])
        .map(|s| s.trim().to_string())
        .collect()
}

/// The column (header) a ledger error's field comes from.
fn column_of(field: &str) -> String {
    let f = field.rsplit('.').next().unwrap_or(field);
    let f = f.split('[').next().unwrap_or(f);
    let by: Option<Field> = match f {
        "received_on" => Some(Field::ReceivedOn),
        "dispute_type" => Some(Field::DisputeType),
        "source" => Some(Field::Source),
        "mediation_type" => Some(Field::MediationType),
        "facts" => Some(Field::Facts),
        "requests" => Some(Field::Requests),
        "amount" => Some(Field::Amount),
        "people_involved" => Some(Field::PeopleInvolved),
        "key_persons" => Some(Field::KeyPersons),
        "id_number" => Some(Field::IdNumbers),
        "phone" => Some(Field::Phones),
        "address" => Some(Field::Addresses),
        "gender" => Some(Field::Genders),
        "name" | "parties" => Some(Field::Applicants),
        "grade" => Some(Field::Grade),
        "mediator" => Some(Field::Mediator),
        "agreement_on" => Some(Field::AgreementOn),
        "agreement_amount" => Some(Field::AgreementAmount),
        "closed_on" => Some(Field::ClosedOn),
        "closing_outcome" => Some(Field::ClosingOutcome),
        _ => None,
    };
    by.map(|f| f.label().to_string())
        .unwrap_or_else(|| field.to_string())
}

fn read_first_sheet(xlsx: &[u8]) -> Result<(String, calamine::Range<Data>)> {
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(xlsx.to_vec()))
        .map_err(|e| DocsError::invalid("file", format!("无法读取 Excel 文件：{e}")))?;
    let sheet = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| DocsError::invalid("file", "Excel 文件中没有工作表"))?;
    let range = book
        .worksheet_range(&sheet)
        .map_err(|e| DocsError::invalid("file", format!("无法读取工作表“{sheet}”：{e}")))?;
    Ok((sheet, range))
}

/// Reads `xlsx` and plans its import into `ledger`: finds the header row
/// (the first of the first 20 rows naming at least three known columns),
/// maps the columns (`mapping` overrides a guess: header → field, or
/// `None` to ignore the column), and checks every row.
pub fn plan_import(
    ledger: &Ledger,
    xlsx: &[u8],
    mapping: &BTreeMap<String, Option<Field>>,
) -> Result<ImportPlan> {
    crate::workbook_bounds::check(xlsx, &crate::workbook_bounds::BOUNDS)?;
    // A damaged file must not take the app down with it: should the reader
    // panic on some corner of the format, that is one more unreadable file.
    let read = std::panic::catch_unwind(|| read_first_sheet(xlsx)).unwrap_or_else(|_| {
        Err(DocsError::invalid(
            "file",
            "无法读取 Excel 文件：文件已损坏",
        ))
    });
    let (sheet, range) = read?;
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(cell_text).collect())
        .collect();
    let guess = |h: &str| -> Option<Field> {
        let n = normalize(h);
        Field::ALL
            .iter()
            .copied()
            .find(|f| f.aliases().iter().any(|a| normalize(a) == n))
    };
    let header_at = rows
        .iter()
        .take(20)
        .position(|r| r.iter().filter(|h| guess(h).is_some()).count() >= 3)
        .ok_or_else(|| {
            DocsError::invalid(
                "file",
                format!("工作表“{sheet}”前 20 行中找不到表头（需要至少三个可识别的列名，例如：受理日期、申请人、纠纷类型、纠纷简要情况）"),
            )
        })?;
    for h in mapping.keys() {
        if !rows[header_at].iter().any(|c| normalize(c) == normalize(h)) {
            return Err(DocsError::invalid(
                "mapping",
                format!("表头中没有“{h}”这一列"),
            ));
        }
    }
    let mut columns = Vec::new();
    let mut taken: BTreeMap<Field, String> = BTreeMap::new();
    for (i, h) in rows[header_at].iter().enumerate() {
        if h.is_empty() {
            continue;
        }
        let field = match mapping.iter().find(|(k, _)| normalize(k) == normalize(h)) {
            Some((_, f)) => *f,
            None => guess(h).filter(|f| !taken.contains_key(f)),
        };
        if let Some(f) = field
            && let Some(other) = taken.insert(f, h.clone())
        {
            return Err(DocsError::invalid(
                "mapping",
                format!("“{other}”和“{h}”两列都对应“{}”，请只保留一列", f.label()),
            ));
        }
        columns.push(ColumnMap {
            column: i,
            letter: letter(i + col0 as usize),
            header: h.clone(),
            field,
        });
    }
    for needed in [
        Field::ReceivedOn,
        Field::Applicants,
        Field::DisputeType,
        Field::Facts,
    ] {
        if !taken.contains_key(&needed) {
            return Err(DocsError::invalid(
                "mapping",
                format!("没有找到“{}”列，请在列对应中指定", needed.label()),
            ));
        }
    }
    let today = tiaojie_ledger::store::today();
    let scheme = ledger.scheme()?;
    let mut planned = Vec::new();
    let mut errors = Vec::new();
    let mut failed = 0;
    for (i, r) in rows.iter().enumerate().skip(header_at + 1) {
        if r.iter().all(String::is_empty) {
            continue;
        }
        let line = row0 + i as u32 + 1;
        let mut values = BTreeMap::new();
        for c in &columns {
            if let Some(f) = c.field {
                values.insert(f, r.get(c.column).cloned().unwrap_or_default());
            }
        }
        let (case, errs) = read_row(ledger, &scheme, &values, line, today);
        if !errs.is_empty() {
            failed += 1;
        }
        errors.extend(errs.iter().cloned());
        planned.push(PlannedRow {
            line,
            values,
            errors: errs,
            case,
        });
    }
    Ok(ImportPlan {
        sheet,
        header_line: row0 + header_at as u32 + 1,
        columns,
        rows: planned,
        errors,
        failed_rows: failed,
    })
}

fn read_row(
    ledger: &Ledger,
    scheme: &tiaojie_ledger::domain::scheme::Scheme,
    v: &BTreeMap<Field, String>,
    line: u32,
    today: NaiveDate,
) -> (Option<ImportCase>, Vec<RowError>) {
    let mut errs = Vec::new();
    let mut err = |f: Field, m: String| {
        errs.push(RowError {
            line,
            column: f.label().into(),
            message: m,
        })
    };
    let get = |f: Field| v.get(&f).map(String::as_str).unwrap_or("").trim();
    let received_on = match get(Field::ReceivedOn) {
        "" => {
            err(Field::ReceivedOn, "受理日期为空".into());
            None
        }
        t => match parse_loose_date(t) {
            Some(d) => Some(d.to_string()),
            None => {
                err(
                    Field::ReceivedOn,
                    format!("“{t}”不是日期（例如 2026-03-05）"),
                );
                None
            }
        },
    };
    let applicants = split_names(get(Field::Applicants));
    let respondents = split_names(get(Field::Respondents));
    if applicants.is_empty() {
        err(Field::Applicants, "申请人为空".into());
    }
    let count = applicants.len() + respondents.len();
    let mut detail = |f: Field| -> Vec<Option<String>> {
        let items = split_details(get(f));
        if items.is_empty() {
            return vec![None; count];
        }
        if items.len() != count {
            err(
                f,
                format!(
                    "有 {} 项，而当事人有 {count} 人：请按当事人顺序（先申请人后被申请人）用“{PARTY_SEPARATOR}”分隔",
                    items.len()
                ),
            );
            return vec![None; count];
        }
        items
            .into_iter()
            .map(|s| Some(s).filter(|s| !s.is_empty()))
            .collect()
    };
    let genders = detail(Field::Genders);
    let ids = detail(Field::IdNumbers);
    let phones = detail(Field::Phones);
    let addresses = detail(Field::Addresses);
    if ids.iter().flatten().any(|i| i.contains('*')) {
        err(
            Field::IdNumbers,
            "身份证号已脱敏（含 *），无法导入：请使用含完整号码的台账".into(),
        );
    }
    if phones.iter().flatten().any(|i| i.contains('*')) {
        err(
            Field::Phones,
            "联系电话已脱敏（含 *），无法导入：请使用含完整号码的台账".into(),
        );
    }
    let parties: Vec<PartyInput> = applicants
        .iter()
        .map(|n| ("applicant", n))
        .chain(respondents.iter().map(|n| ("respondent", n)))
        .enumerate()
        .map(|(i, (side, name))| PartyInput {
            side: Some(side.into()),
            name: name.clone(),
            gender: genders.get(i).cloned().flatten(),
            id_number: ids.get(i).cloned().flatten().filter(|s| !s.contains('*')),
            phone: phones
                .get(i)
                .cloned()
                .flatten()
                .filter(|s| !s.contains('*')),
            address: addresses.get(i).cloned().flatten(),
            ..Default::default()
        })
        .collect();
    let flag = |f: Field, errs: &mut Vec<RowError>| match parse_flag(get(f)) {
        Some(b) => b,
        None => {
            errs.push(RowError {
                line,
                column: f.label().into(),
                message: format!("“{}”应为“是”或“否”", get(f)),
            });
            false
        }
    };
    let petition_risk = flag(Field::PetitionRisk, &mut errs);
    let criminal_risk = flag(Field::CriminalRisk, &mut errs);
    let people_involved = match get(Field::PeopleInvolved) {
        "" => None,
        t => match t.parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => {
                errs.push(RowError {
                    line,
                    column: Field::PeopleInvolved.label().into(),
                    message: format!("“{t}”不是人数"),
                });
                None
            }
        },
    };
    let opt = |f: Field| Some(get(f).to_string()).filter(|s| !s.is_empty());
    let mediator = opt(Field::Mediator);
    if let Some(m) = &mediator
        && ledger.resolve_mediator(m).is_err()
    {
        errs.push(RowError {
            line,
            column: Field::Mediator.label().into(),
            message: format!("调解员“{m}”不在本机调解员名册中，请先在名册中添加"),
        });
    }
    let grade = opt(Field::Grade);
    if let Some(g) = &grade
        && let Err(e) = scheme.resolve(g, "grade")
    {
        errs.push(RowError {
            line,
            column: Field::Grade.label().into(),
            message: e.to_string(),
        });
    }
    let (agreement, closing) = read_outcome(&get, line, &mut errs);
    let intake = CaseIntake {
        received_on,
        dispute_type: get(Field::DisputeType).to_string(),
        source: opt(Field::Source).unwrap_or_else(|| "application".into()),
        mediation_type: opt(Field::MediationType),
        facts: get(Field::Facts).to_string(),
        requests: opt(Field::Requests),
        amount: opt(Field::Amount).map(YuanText),
        people_involved,
        petition_risk,
        criminal_risk,
        key_persons: opt(Field::KeyPersons),
        mediator,
        parties,
    };
    let number = opt(Field::Number);
    let key = match &number {
        Some(n) => format!("number:{n}"),
        None => {
            let canonical = serde_json::to_string(&intake).unwrap_or_default();
            format!("row:{}", hex::encode(Sha256::digest(canonical.as_bytes())))
        }
    };
    let case = ImportCase {
        key,
        original_number: number.map(|n| n.replace('(', "（").replace(')', "）").replace(' ', "")),
        intake,
        grade,
        grade_reason: "导入原台账时的风险等级".into(),
        agreement,
        closing,
    };
    // The ledger's own checks, when the row read cleanly so far (an error
    // above would be reported twice in other words).
    if errs.is_empty()
        && let Err(e) = case
            .intake
            .validate(today)
            .and_then(|valid| case.check_outcome(valid.received_on, today))
    {
        errs.push(RowError {
            line,
            column: e.field().map(column_of).unwrap_or_default(),
            message: e.to_string(),
        });
    }
    if !errs.is_empty() {
        return (None, errs);
    }
    (Some(case), errs)
}

/// The cell of `f` read with `parse`: None when it is empty, or when it
/// cannot be read, with the reason noted against the row.
fn cell<'a, T>(
    get: &impl Fn(Field) -> &'a str,
    f: Field,
    parse: impl FnOnce(&str) -> std::result::Result<T, String>,
    line: u32,
    errs: &mut Vec<RowError>,
) -> Option<T> {
    let text = get(f);
    if text.is_empty() {
        return None;
    }
    parse(text)
        .map_err(|message| {
            errs.push(RowError {
                line,
                column: f.label().into(),
                message,
            })
        })
        .ok()
}

/// The agreement and closing a row records, if any: a case the old ledger
/// closed comes in closed, with its agreement when it has one.
fn read_outcome<'a>(
    get: &impl Fn(Field) -> &'a str,
    line: u32,
    errs: &mut Vec<RowError>,
) -> (Option<ImportAgreement>, Option<ImportClosing>) {
    let before = errs.len();
    let date =
        |t: &str| parse_loose_date(t).ok_or_else(|| format!("“{t}”不是日期（例如 2026-03-05）"));
    let text = |e: tiaojie_ledger::LedgerError| e.to_string();
    let agreement_on = cell(get, Field::AgreementOn, date, line, errs);
    let closed_on = cell(get, Field::ClosedOn, date, line, errs);
    let form = cell(
        get,
        Field::AgreementForm,
        |t| AgreementForm::parse(agreement_word(t), "agreement_form").map_err(text),
        line,
        errs,
    );
    let amount = cell(
        get,
        Field::AgreementAmount,
        |t| Fen::parse_yuan(t, "agreement_amount").map_err(text),
        line,
        errs,
    );
    let outcome = cell(
        get,
        Field::ClosingOutcome,
        |t| ClosingOutcome::parse(closing_word(t), "closing_outcome").map_err(text),
        line,
        errs,
    );
    let closed_by_status = says_closed(get(Field::Status));
    let mut err = |f: Field, message: &str| {
        errs.push(RowError {
            line,
            column: f.label().into(),
            message: message.into(),
        })
    };
    // An agreement needs its form and a date; an old ledger without a
    // 协议日期 column dates it on the day the case closed.
    let agreement = match (form, agreement_on.or(closed_on)) {
        (Some(form), Some(on)) => Some(ImportAgreement {
            on,
            form,
            amount: amount.unwrap_or_default(),
        }),
        (Some(_), None) => {
            err(
                Field::AgreementOn,
                "有协议形式，但没有协议日期（也没有结案日期）",
            );
            None
        }
        (None, _) if agreement_on.is_some() || amount.is_some_and(|a| a.0 != 0) => {
            err(
                Field::AgreementForm,
                "有协议日期或协议金额，但没有协议形式（书面协议或口头协议）",
            );
            None
        }
        (None, _) => None,
    };
    let closing = match (closed_on, outcome) {
        (Some(on), Some(outcome)) => Some(ImportClosing { on, outcome }),
        // Closed with an agreement and no word on how: it was settled.
        (Some(on), None) if agreement.is_some() => Some(ImportClosing {
            on,
            outcome: ClosingOutcome::Resolved,
        }),
        (Some(_), None) => {
            err(Field::ClosingOutcome, "有结案日期，但没有结案方式");
            None
        }
        (None, Some(_)) => {
            err(Field::ClosedOn, "有结案方式，但没有结案日期");
            None
        }
        (None, None) if closed_by_status => {
            err(Field::ClosedOn, "案件状态为已结案，但没有结案日期");
            None
        }
        (None, None) => None,
    };
    if errs.len() > before {
        return (None, None);
    }
    (agreement, closing)
}

/// Writes the plan's rows into the ledger, all in one transaction; refuses,
/// writing nothing, if any row failed its checks.
pub fn apply_import(ledger: &mut Ledger, plan: &ImportPlan) -> Result<ImportReport> {
    if plan.failed_rows > 0 {
        return Err(DocsError::invalid(
            "rows",
            format!(
                "有 {} 行未通过检查（共 {} 行），没有导入任何数据：请改正后重新导入",
                plan.failed_rows,
                plan.rows.len()
            ),
        ));
    }
    let items: Vec<ImportCase> = plan.rows.iter().filter_map(|r| r.case.clone()).collect();
    let outcomes = ledger.import_cases(&items)?;
    let added = outcomes
        .iter()
        .filter(|o| matches!(o, ImportOutcome::Added { .. }))
        .count();
    Ok(ImportReport {
        added,
        existing: outcomes.len() - added,
        outcomes: plan.rows.iter().map(|r| r.line).zip(outcomes).collect(),
    })
}

#[cfg(test)]
mod tests {
    /// The plan names a column's field as the list of fields does: the
    /// screen matches the two (it showed "people" for 涉及人数 once).
    #[test]
    fn every_field_travels_under_its_key() {
        for f in Field::ALL {
            assert_eq!(serde_json::to_value(f).unwrap(), f.key(), "{f:?}");
            assert_eq!(serde_json::from_value::<Field>(f.key().into()).unwrap(), *f);
        }
    }

    use super::*;

    #[test]
    fn dates_as_villages_write_them() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 5);
        for t in [
            "2026-03-05",
            "2026/3/5",
            "2026.3.5",
            "2026年3月5日",
            "20260305",
            "2026-03-05 00:00:00",
        ] {
            assert_eq!(parse_loose_date(t), d, "{t}");
        }
        assert_eq!(parse_loose_date("三月五日"), None);
        assert_eq!(parse_loose_date("2026-13-05"), None);
    }

    #[test]
    fn headers_and_letters() {
        assert_eq!(Field::parse("涉及金额(元)").unwrap(), Field::Amount);
        assert_eq!(Field::parse(" 身份证号码 ").unwrap(), Field::IdNumbers);
        assert_eq!(Field::parse("facts").unwrap(), Field::Facts);
        assert!(Field::parse("天气").is_err());
        assert_eq!(letter(0), "A");
        assert_eq!(letter(25), "Z");
        assert_eq!(letter(26), "AA");
        assert_eq!(column_of("parties[1].id_number"), "当事人身份证号");
    }
}
