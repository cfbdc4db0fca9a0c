//! 附件: photos and scans in the case file, through the same use cases as
//! `tiaojie case attach` (tiaojie_docs::media::attach_files) and the
//! ledger's attachment methods.

use crate::error::{CmdResult, CommandError};
use crate::state::AppState;
use base64::Engine;
use serde::Deserialize;
use tauri::{AppHandle, Runtime, State};
use tiaojie_ledger::domain::labels::AttachmentKind;
use tiaojie_ledger::domain::roles::Permission;
use tiaojie_ledger::store::attachments::AttachmentRecord;
use uuid::Uuid;

/// A file the person chose or dropped: its name and its bytes, base64.
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
pub struct FileUpload {
    pub name: String,
    pub content: String,
}

/// Adds the files to the case (all or none), returns the case's attachments.
#[tauri::command(rename_all = "snake_case")]
pub fn attach_files(
    state: State<'_, AppState>,
    case_id: Uuid,
    files: Vec<FileUpload>,
    kind: AttachmentKind,
    caption: String,
) -> CmdResult<Vec<AttachmentRecord>> {
    let engine = base64::engine::general_purpose::STANDARD;
    let files = files
        .into_iter()
        .map(|f| {
            engine
                .decode(f.content.as_bytes())
                .map(|bytes| (f.name.clone(), bytes))
                .map_err(|_| {
                    CommandError::new("invalid_input", format!("文件“{}”无法读取", f.name))
                })
        })
        .collect::<CmdResult<Vec<_>>>()?;
    let mut ledger = state.ledger_for(Permission::HandleCases)?;
    tiaojie_docs::media::attach_files(&mut ledger, case_id, &files, kind, &caption)?;
    state.sync.request();
    Ok(ledger.attachments(case_id)?)
}

/// The case's attachments, removed ones marked.
#[tauri::command(rename_all = "snake_case")]
pub fn attachments(state: State<'_, AppState>, case_id: Uuid) -> CmdResult<Vec<AttachmentRecord>> {
    Ok(state
        .ledger_for(Permission::HandleCases)?
        .attachments(case_id)?)
}

/// One attachment as a data URL for the viewer (checked against its hash).
#[tauri::command(rename_all = "snake_case")]
pub fn attachment_data(state: State<'_, AppState>, attachment_id: Uuid) -> CmdResult<String> {
    let ledger = state.ledger_for(Permission::HandleCases)?;
    let a = ledger.attachment(attachment_id)?;
    let bytes = ledger.attachment_bytes(&a)?;
    Ok(format!(
        "data:{};base64,{}",
        a.mime,
        base64::engine::general_purpose::STANDARD.encode(bytes)
    ))
}

/// Takes an attachment out of the case file, with why; returns the list.
#[tauri::command(rename_all = "snake_case")]
pub fn remove_attachment(
    state: State<'_, AppState>,
    attachment_id: Uuid,
    reason: String,
) -> CmdResult<Vec<AttachmentRecord>> {
    let mut ledger = state.ledger_for(Permission::HandleCases)?;
    ledger.remove_attachment(attachment_id, &reason)?;
    state.sync.request();
    let case_id = ledger.attachment(attachment_id)?.case_id;
    Ok(ledger.attachments(case_id)?)
}

/// Saves an attachment to the 调解台账 folder (附件/<case number>/) to open
/// or print it: the export right, logged as `export_attachment`.
#[tauri::command(rename_all = "snake_case")]
pub fn export_attachment<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    attachment_id: Uuid,
) -> CmdResult<super::paperwork::SavedFile> {
    let ledger = state.ledger_for(Permission::Export)?;
    let (a, bytes) = ledger.export_attachment(state.session().as_ref(), attachment_id)?;
    let number = ledger.case_row(a.case_id)?.number;
    let path = super::paperwork::output_dir(&app)?
        .join("附件")
        .join(super::paperwork::file_safe(&number))
        .join(super::paperwork::file_safe(&a.file_name));
    tiaojie_docs::save_file(&path, &bytes)?;
    Ok(super::paperwork::SavedFile {
        path: path.display().to_string(),
        count: 1,
    })
}
