//! Documents, the Excel ledger in and out, the monthly report.

use super::{my_unit, unit_code};
use crate::cli::{DocArgs, ExportArgs, ImportArgs, ReportArgs};
use crate::error::{CliError, CliResult};
use crate::output::Output;
use serde_json::json;
use std::collections::BTreeMap;
use tiaojie_docs::case_file::{self, Which};
use tiaojie_docs::font::FontSource;
use tiaojie_docs::import::{Field, apply_import, plan_import};
use tiaojie_docs::{DocsError, Format, Templates};
use tiaojie_ledger::Ledger;

impl From<DocsError> for CliError {
    fn from(e: DocsError) -> Self {
        match e {
            DocsError::Ledger(l) => CliError::Ledger(l),
            DocsError::Invalid { field, message } => CliError::input(field, message),
            DocsError::Io(e) => CliError::Io(format!("读写文件失败：{e}")),
            DocsError::Write(m) | DocsError::Save(m) => CliError::Io(m),
        }
    }
}

type Session = tiaojie_ledger::store::users::Session;

pub fn doc(ledger: &Ledger, session: Option<&Session>, a: DocArgs, out: Output) -> CliResult<()> {
    let case_id = ledger.resolve_case(&a.case)?;
    let which = Which::parse(&a.kind)?;
    let format = Format::parse(&a.format)?;
    let templates = match &a.templates {
        Some(dir) => Templates::with_overrides(dir)?,
        None => Templates::builtin(),
    };
    let fonts = FontSource {
        path: a.font.clone(),
    };
    let file = case_file::make(
        ledger,
        session,
        &case_file::Request {
            case_id,
            which,
            format,
            full_numbers: a.full_numbers,
            templates: &templates,
            fonts: &fonts,
        },
    )?;
    let number = file.number;
    if which == Which::All {
        // Numbered in the case file's order, in the folder given.
        let mut made = Vec::new();
        for (i, m) in file.made.iter().enumerate() {
            let name = format!("{:02}-{}.{}", i + 1, m.kind.label(), format.extension());
            let path = a.out.join(name);
            tiaojie_docs::save_file(&path, &m.bytes)?;
            made.push(path.display().to_string());
        }
        let skipped: Vec<_> = file
            .skipped
            .iter()
            .map(|(k, why)| json!({"kind": k.key(), "label": k.label(), "reason": why}))
            .collect();
        let result = json!({"ok": true, "case": number, "files": made, "skipped": skipped});
        return out.emit(&result, |r| {
            let mut s = format!("已生成 {} 的卷宗文书 {} 份：\n", number, made.len());
            for f in r["files"].as_array().into_iter().flatten() {
                s.push_str(&format!("  {}\n", f.as_str().unwrap_or_default()));
            }
            for k in r["skipped"].as_array().into_iter().flatten() {
                s.push_str(&format!(
                    "  未生成{}：{}\n",
                    k["label"].as_str().unwrap_or_default(),
                    k["reason"].as_str().unwrap_or_default()
                ));
            }
            s
        });
    }
    let Some(m) = file.made.first() else {
        return Err(CliError::Io("没有生成文书".into()));
    };
    tiaojie_docs::save_file(&a.out, &m.bytes)?;
    let kind = m.kind;
    let result = json!({"ok": true, "case": number, "kind": kind.key(), "file": a.out.display().to_string(), "bytes": m.bytes.len()});
    out.emit(&result, |_| {
        format!("已生成{}（{}）：{}", kind.label(), number, a.out.display())
    })
}

pub fn export(
    ledger: &Ledger,
    session: Option<&Session>,
    a: ExportArgs,
    out: Output,
) -> CliResult<()> {
    let filter = super::report::filter_of(ledger, a.filter)?;
    let exported = tiaojie_docs::xlsx::export_ledger_for(ledger, session, &filter, a.full_numbers)?;
    let count = exported.cases;
    tiaojie_docs::save_file(&a.out, &exported.bytes)?;
    let result = json!({"ok": true, "cases": count, "file": a.out.display().to_string()});
    out.emit(&result, |_| {
        format!(
            "已导出台账 {count} 件：{}{}",
            a.out.display(),
            if a.full_numbers {
                "（含完整身份证号、电话，请妥善保管）"
            } else {
                ""
            }
        )
    })
}

pub fn import(ledger: &mut Ledger, a: ImportArgs, out: Output) -> CliResult<()> {
    if let Ok(meta) = std::fs::metadata(&a.file) {
        tiaojie_docs::workbook_bounds::check_size(
            meta.len(),
            &tiaojie_docs::workbook_bounds::BOUNDS,
        )?;
    }
    let bytes = std::fs::read(&a.file)
        .map_err(|e| CliError::input("file", format!("无法读取文件“{}”：{e}", a.file.display())))?;
    let mut mapping: BTreeMap<String, Option<Field>> = BTreeMap::new();
    for m in &a.map {
        let (header, field) = m.split_once('=').ok_or_else(|| {
            CliError::input("map", format!("“{m}”应写成 表头=字段，如 基本案情=facts"))
        })?;
        let field = match field.trim() {
            "ignore" | "忽略" | "" => None,
            f => Some(Field::parse(f)?),
        };
        mapping.insert(header.trim().to_string(), field);
    }
    let plan = plan_import(ledger, &bytes, &mapping)?;
    if !out.json {
        eprintln!(
            "工作表“{}”，表头在第 {} 行。列对应：",
            plan.sheet, plan.header_line
        );
        for c in &plan.columns {
            eprintln!(
                "  {} 列“{}” → {}",
                c.letter,
                c.header,
                c.field.map(|f| f.label()).unwrap_or("（不导入）")
            );
        }
        eprintln!(
            "共 {} 行：通过检查 {} 行，未通过 {} 行。",
            plan.rows.len(),
            plan.ok_rows(),
            plan.failed_rows
        );
    }
    if plan.failed_rows > 0 {
        let mut lines: Vec<String> = plan
            .errors
            .iter()
            .take(50)
            .map(|e| format!("第 {} 行〔{}〕{}", e.line, e.column, e.message))
            .collect();
        if plan.errors.len() > 50 {
            lines.push(format!("……共 {} 处问题", plan.errors.len()));
        }
        return Err(CliError::Input {
            code: "import_rejected",
            message: format!(
                "有 {} 行未通过检查，没有导入任何数据：\n{}",
                plan.failed_rows,
                lines.join("\n")
            ),
            field: Some("rows".into()),
        });
    }
    if a.dry_run {
        let result =
            json!({"ok": true, "dry_run": true, "rows": plan.rows.len(), "columns": plan.columns});
        return out.emit(&result, |_| {
            format!(
                "检查通过：{} 行可以导入（未导入，去掉 --dry-run 即导入）",
                plan.rows.len()
            )
        });
    }
    let report = apply_import(ledger, &plan)?;
    out.emit(&report, |r| {
        format!(
            "已导入 {} 件；{} 件台账中已有，未重复导入。",
            r.added, r.existing
        )
    })
}

pub fn report(
    ledger: &Ledger,
    session: Option<&Session>,
    a: ReportArgs,
    out: Output,
) -> CliResult<()> {
    let unit = match &a.unit {
        Some(u) => unit_code(ledger, u)?,
        None => my_unit(ledger)?,
    };
    let r = tiaojie_docs::report::monthly_report_for(ledger, session, &unit, a.subtree, &a.month)?;
    let bytes = tiaojie_docs::report::report_xlsx(&r)?;
    tiaojie_docs::save_file(&a.out, &bytes)?;
    let result = json!({"ok": true, "title": r.title, "cases": r.total.total, "file": a.out.display().to_string()});
    out.emit(&result, |_| {
        format!("已生成《{}》：{}", r.title, a.out.display())
    })
}
