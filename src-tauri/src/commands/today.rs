//! 今日工作: what needs doing today at this unit.

use crate::error::CmdResult;
use crate::state::AppState;
use chrono::NaiveDate;
use tauri::State;
use tiaojie_ledger::store::{Today, today as ledger_today};

/// 今日工作 on `on` (today by default); with `mediator`, only the visits
/// of the cases that mediator handles.
#[tauri::command(rename_all = "snake_case")]
pub fn today(
    state: State<'_, AppState>,
    on: Option<NaiveDate>,
    mediator: Option<String>,
) -> CmdResult<Today> {
    let mediator = mediator.filter(|m| !m.trim().is_empty());
    Ok(state
        .ledger()?
        .today_list(on.unwrap_or_else(ledger_today), mediator.as_deref())?)
}
