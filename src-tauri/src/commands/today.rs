//! 今日工作: what needs doing today at this unit.

use crate::error::CmdResult;
use crate::state::AppState;
use chrono::NaiveDate;
use tauri::State;
use tiaojie_ledger::store::{Today, today as ledger_today};

#[tauri::command(rename_all = "snake_case")]
pub fn today(state: State<'_, AppState>, on: Option<NaiveDate>) -> CmdResult<Today> {
    Ok(state
        .ledger()?
        .today_list(on.unwrap_or_else(ledger_today))?)
}
