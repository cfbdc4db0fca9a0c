//! 文书与报表: documents of a case, the ledger to Excel, an old Excel ledger
//! in, the monthly report. Files go to a folder the person can find
//! (Documents/调解台账), and the system opens them for viewing or printing.

use super::Choice;
use crate::error::{CmdResult, CommandError};
use crate::state::AppState;
use base64::Engine;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tauri::{AppHandle, Manager, Runtime, State};
use tiaojie_docs::case_file::{self, Which};
use tiaojie_docs::font::FontSource;
use tiaojie_docs::import::{Field, ImportPlan, ImportReport, apply_import, plan_import};
use tiaojie_docs::{DocKind, DocsError, Format, Templates};
use tiaojie_ledger::domain::roles::Permission;
use tiaojie_ledger::store::queries::CaseFilter;
use uuid::Uuid;

impl From<DocsError> for CommandError {
    fn from(e: DocsError) -> Self {
        match e {
            DocsError::Ledger(l) => l.into(),
            other => CommandError {
                code: other.code().into(),
                message: other.to_string(),
                field: other.field().map(str::to_string),
            },
        }
    }
}

/// Where made files go: `TIAOJIE_OUTPUT_DIR` if set, else 调解台账 in the
/// person's Documents folder.
pub(crate) fn output_dir<R: Runtime>(app: &AppHandle<R>) -> CmdResult<PathBuf> {
    let dir = match std::env::var_os("TIAOJIE_OUTPUT_DIR") {
        Some(d) => PathBuf::from(d),
        None => app
            .path()
            .document_dir()
            .or_else(|_| app.path().home_dir())
            .map_err(|e| CommandError::new("io", format!("找不到“文档”文件夹：{e}")))?
            .join("调解台账"),
    };
    std::fs::create_dir_all(&dir)
        .map_err(|e| CommandError::new("io", format!("无法创建文件夹 {}：{e}", dir.display())))?;
    Ok(dir)
}

/// Characters a file name cannot hold on Windows.
pub(crate) fn file_safe(name: &str) -> String {
    name.chars()
        .map(|c| if r#"\/:*?"<>|"#.contains(c) { '_' } else { c })
        .collect()
}

fn templates() -> CmdResult<Templates> {
    Ok(match std::env::var_os("TIAOJIE_TEMPLATES") {
        Some(dir) => Templates::with_overrides(Path::new(&dir))?,
        None => Templates::builtin(),
    })
}

#[tauri::command]
pub fn document_kinds() -> Vec<Choice<&'static str>> {
    DocKind::ALL
        .iter()
        .map(|k| Choice {
            key: k.key(),
            label: k.label(),
        })
        .collect()
}

/// The documents made, and those left out with why.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct MadeDocuments {
    pub files: Vec<String>,
    /// Documents not made, with why (the case has no agreement yet, ...).
    pub skipped: Vec<(String, String)>,
    pub folder: String,
}

/// Makes documents of a case: one kind, or every kind the case has data
/// for (`kind` = "all"), as PDF or DOCX.
#[tauri::command(rename_all = "snake_case")]
pub fn make_documents<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    case_id: Uuid,
    kind: String,
    format: String,
    full_numbers: bool,
) -> CmdResult<MadeDocuments> {
    let which = Which::parse(&kind)?;
    let format = Format::parse(&format)?;
    let templates = templates()?;
    let fonts = FontSource::from_env();
    let ledger = state.ledger_for(Permission::Export)?;
    let session = state.session();
    let file = case_file::make(
        &ledger,
        session.as_ref(),
        &case_file::Request {
            case_id,
            which,
            format,
            full_numbers,
            templates: &templates,
            fonts: &fonts,
        },
    )?;
    let folder = output_dir(&app)?.join("文书").join(file_safe(&file.number));
    let mut made = MadeDocuments {
        files: Vec::new(),
        skipped: file
            .skipped
            .into_iter()
            .map(|(k, why)| (k.label().to_string(), why))
            .collect(),
        folder: folder.display().to_string(),
    };
    for m in file.made {
        let path = folder.join(format!("{}.{}", m.kind.label(), format.extension()));
        tiaojie_docs::save_file(&path, &m.bytes)?;
        made.files.push(path.display().to_string());
    }
    Ok(made)
}

/// A file written, and how many cases it holds.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct SavedFile {
    pub path: String,
    pub count: u64,
}

/// The ledger as filtered in the ledger screen, to an Excel file.
#[tauri::command(rename_all = "snake_case")]
pub fn export_ledger<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    filter: CaseFilter,
    full_numbers: bool,
) -> CmdResult<SavedFile> {
    let ledger = state.ledger_for(Permission::Export)?;
    let exported = tiaojie_docs::xlsx::export_ledger_for(
        &ledger,
        state.session().as_ref(),
        &filter,
        full_numbers,
    )?;
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let path = output_dir(&app)?.join(format!("台账-{stamp}.xlsx"));
    tiaojie_docs::save_file(&path, &exported.bytes)?;
    Ok(SavedFile {
        path: path.display().to_string(),
        count: exported.cases as u64,
    })
}

#[tauri::command(rename_all = "snake_case")]
pub fn monthly_report<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    month: String,
    unit: Option<String>,
    subtree: bool,
) -> CmdResult<SavedFile> {
    let ledger = state.ledger_for(Permission::Export)?;
    let unit = match unit {
        Some(u) => u,
        None => ledger.device()?.unit_code,
    };
    let r = tiaojie_docs::report::monthly_report_for(
        &ledger,
        state.session().as_ref(),
        &unit,
        subtree,
        &month,
    )?;
    let bytes = tiaojie_docs::report::report_xlsx(&r)?;
    let path = output_dir(&app)?.join(format!("{}.xlsx", file_safe(&r.title)));
    tiaojie_docs::save_file(&path, &bytes)?;
    Ok(SavedFile {
        path: path.display().to_string(),
        count: r.total.total,
    })
}

#[derive(Debug, Clone, Default, Deserialize, ts_rs::TS)]
#[serde(default)]
pub struct ImportInput {
    /// The file's bytes, base64.
    pub content: String,
    /// Header → field key, or "" to leave the column out.
    pub mapping: BTreeMap<String, String>,
}

/// Which column is which field: header → field, `None` to leave it out.
type Mapping = BTreeMap<String, Option<Field>>;

fn decode(input: &ImportInput) -> CmdResult<(Vec<u8>, Mapping)> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(input.content.as_bytes())
        .map_err(|_| CommandError::new("invalid_input", "文件内容无法读取"))?;
    let mut mapping = BTreeMap::new();
    for (h, f) in &input.mapping {
        let field = if f.is_empty() {
            None
        } else {
            Some(Field::parse(f)?)
        };
        mapping.insert(h.clone(), field);
    }
    Ok((bytes, mapping))
}

#[tauri::command]
pub fn import_fields() -> Vec<Choice<&'static str>> {
    Field::ALL
        .iter()
        .map(|f| Choice {
            key: f.key(),
            label: f.label(),
        })
        .collect()
}

/// Reads and checks an Excel ledger without writing anything: the column
/// mapping, a preview, and every failed row with why.
#[tauri::command(rename_all = "snake_case")]
pub fn import_preview(state: State<'_, AppState>, input: ImportInput) -> CmdResult<ImportPlan> {
    let (bytes, mapping) = decode(&input)?;
    let ledger = state.ledger()?;
    Ok(plan_import(&ledger, &bytes, &mapping)?)
}

/// Checks the file again and, if every row passes, brings all of it in.
#[tauri::command(rename_all = "snake_case")]
pub fn import_apply(state: State<'_, AppState>, input: ImportInput) -> CmdResult<ImportReport> {
    let (bytes, mapping) = decode(&input)?;
    let mut ledger = state.ledger_for(Permission::HandleCases)?;
    let plan = plan_import(&ledger, &bytes, &mapping)?;
    let report = apply_import(&mut ledger, &plan)?;
    state.sync.request();
    Ok(report)
}

/// Opens a made file or its folder with the system's program (to view or
/// print it).
#[tauri::command(rename_all = "snake_case")]
pub fn open_path(path: String) -> CmdResult<()> {
    let p = PathBuf::from(&path);
    if !p.exists() {
        return Err(CommandError::new(
            "not_found",
            format!("文件不存在：{path}"),
        ));
    }
    let mut cmd = if cfg!(target_os = "windows") {
        let mut c = std::process::Command::new("explorer");
        c.arg(&p);
        c
    } else if cfg!(target_os = "macos") {
        let mut c = std::process::Command::new("open");
        c.arg(&p);
        c
    } else {
        let mut c = std::process::Command::new("xdg-open");
        c.arg(&p);
        c
    };
    cmd.spawn()
        .map(|_| ())
        .map_err(|e| CommandError::new("io", format!("无法打开 {path}：{e}")))
}
