//! 调解员 and 组织机构.

use super::setup::UnitInput;
use crate::error::CmdResult;
use crate::state::AppState;
use tauri::State;
use tiaojie_ledger::domain::unit::MediatorSpec;
use tiaojie_ledger::store::MediatorInput;
use tiaojie_ledger::store::queries::UnitRow;
use uuid::Uuid;

#[tauri::command(rename_all = "snake_case")]
pub fn units(state: State<'_, AppState>) -> CmdResult<Vec<UnitRow>> {
    Ok(state.ledger()?.units()?)
}

#[tauri::command(rename_all = "snake_case")]
pub fn add_unit(state: State<'_, AppState>, unit: UnitInput) -> CmdResult<Vec<UnitRow>> {
    let mut ledger = state.ledger()?;
    ledger.add_unit(unit.spec())?;
    state.sync.request();
    Ok(ledger.units()?)
}

#[tauri::command(rename_all = "snake_case")]
pub fn mediators(state: State<'_, AppState>) -> CmdResult<Vec<MediatorSpec>> {
    Ok(state.ledger()?.mediators(None)?)
}

#[tauri::command(rename_all = "snake_case")]
pub fn add_mediator(
    state: State<'_, AppState>,
    input: MediatorInput,
) -> CmdResult<Vec<MediatorSpec>> {
    let mut ledger = state.ledger_for(tiaojie_ledger::domain::roles::Permission::ChangeRoster)?;
    ledger.add_mediator(input)?;
    state.sync.request();
    Ok(ledger.mediators(None)?)
}

#[tauri::command(rename_all = "snake_case")]
pub fn set_mediator_active(
    state: State<'_, AppState>,
    id: Uuid,
    active: bool,
) -> CmdResult<Vec<MediatorSpec>> {
    let mut ledger = state.ledger()?;
    ledger.set_mediator_active(id, active)?;
    state.sync.request();
    Ok(ledger.mediators(None)?)
}
