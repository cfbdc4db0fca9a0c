//! The sync bar.

use crate::state::AppState;
use crate::sync_worker::SyncStatus;
use tauri::State;

#[tauri::command(rename_all = "snake_case")]
pub fn sync_status(state: State<'_, AppState>) -> SyncStatus {
    state.sync.status()
}

#[tauri::command(rename_all = "snake_case")]
pub fn sync_now(state: State<'_, AppState>) -> SyncStatus {
    state.sync.request();
    state.sync.status()
}
