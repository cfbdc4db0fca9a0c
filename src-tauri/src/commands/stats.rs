//! 统计 / 挂图作战.

use crate::error::CmdResult;
use crate::state::AppState;
use chrono::NaiveDate;
use serde::Deserialize;
use tauri::State;
use tiaojie_ledger::store::queries::Scope;
use tiaojie_ledger::store::{Stats, StatsFilter, UnitCell};

/// The statistics screen's choice: a unit (and below it), a range of
/// intake dates.
#[derive(Debug, Clone, Default, Deserialize, ts_rs::TS)]
#[serde(default)]
#[ts(optional_fields = nullable)]
pub struct StatsInput {
    pub unit: Option<String>,
    pub subtree: bool,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

#[tauri::command(rename_all = "snake_case")]
pub fn stats(state: State<'_, AppState>, filter: StatsInput) -> CmdResult<Stats> {
    let f = StatsFilter {
        scope: filter.unit.map(|unit| Scope {
            unit,
            subtree: filter.subtree,
        }),
        from: filter.from,
        to: filter.to,
    };
    Ok(state.ledger()?.stats(&f)?)
}

#[tauri::command(rename_all = "snake_case")]
pub fn unit_grid(state: State<'_, AppState>) -> CmdResult<Vec<UnitCell>> {
    Ok(state.ledger()?.unit_grid()?)
}
