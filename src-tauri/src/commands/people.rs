//! The people of earlier cases, for the intake form to fill in again.

use crate::error::CmdResult;
use crate::state::AppState;
use tauri::State;
use tiaojie_docs::mask::{mask_id_number, mask_phone};
use tiaojie_ledger::domain::roles::Permission;
use tiaojie_ledger::store::people::KnownParty;
use uuid::Uuid;

/// The people of this name who were parties here, numbers masked.
#[tauri::command(rename_all = "snake_case")]
pub fn known_parties(state: State<'_, AppState>, name: String) -> CmdResult<Vec<KnownParty>> {
    let mut found = state
        .ledger_for(Permission::HandleCases)?
        .known_parties(&name)?;
    for p in &mut found {
        p.id_number = p.id_number.as_deref().map(mask_id_number);
        p.phone = p.phone.as_deref().map(mask_phone);
    }
    Ok(found)
}

/// One of them in full, numbers included, to fill the form with: allowed
/// to whoever may see a case's full numbers, and logged as that is.
#[tauri::command(rename_all = "snake_case")]
pub fn known_party(state: State<'_, AppState>, case_id: Uuid, idx: u32) -> CmdResult<KnownParty> {
    let ledger = state.ledger_for(Permission::HandleCases)?;
    let p = ledger.party_of(case_id, idx)?;
    ledger.require_logged(
        state.session().as_ref(),
        Permission::ViewFullNumbers,
        "view_full_numbers",
        &p.number,
    )?;
    Ok(p)
}
