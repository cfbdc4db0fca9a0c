//! The sync bar.

use crate::error::{CmdResult, CommandError};
use crate::state::AppState;
use crate::sync_worker::SyncStatus;
use serde::Serialize;
use tauri::{AppHandle, Runtime, State};
use tiaojie_ledger::domain::roles::Permission;

#[tauri::command(rename_all = "snake_case")]
pub fn sync_status(state: State<'_, AppState>) -> SyncStatus {
    state.sync.status()
}

#[tauri::command(rename_all = "snake_case")]
pub fn sync_now(state: State<'_, AppState>) -> SyncStatus {
    state.sync.request();
    state.sync.status()
}

/// The USB exchange file written: where, how many records, how large.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct SavedBundle {
    pub path: String,
    pub events: usize,
    pub bytes: usize,
}

/// What this laptop wrote and the hub has not acknowledged, sealed to the
/// hub, in a file to carry on a USB stick to a computer that has network
/// (`tiaojie sync import-bundle` there): for a village without a link.
#[tauri::command(rename_all = "snake_case")]
pub fn export_bundle<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<SavedBundle> {
    let ledger = state.ledger_for(Permission::Export)?;
    if tiaojie_sync::engine::pending(&ledger)? == 0 {
        return Err(CommandError::new(
            "nothing_to_export",
            "本机的记录都已上传到同步中心，不需要交换文件",
        ));
    }
    let (bytes, summary) =
        tiaojie_sync::engine::export_bundle_for(&ledger, state.session().as_ref())?;
    let unit = ledger.device()?.unit_code;
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let path =
        super::paperwork::output_dir(&app)?.join(format!("交换文件-{unit}-{stamp}.tjbundle"));
    tiaojie_docs::save_file(&path, &bytes)?;
    Ok(SavedBundle {
        path: path.display().to_string(),
        events: summary.events,
        bytes: summary.bytes,
    })
}
