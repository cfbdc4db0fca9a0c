//! Escalation, support requests and referrals.

use super::cases::act;
use crate::error::CmdResult;
use crate::state::AppState;
use chrono::NaiveDate;
use tauri::State;
use tiaojie_ledger::domain::labels::Department;
use tiaojie_ledger::store::CaseDetail;
use uuid::Uuid;

#[tauri::command(rename_all = "snake_case")]
pub fn escalate(
    state: State<'_, AppState>,
    case_id: Uuid,
    to_unit: String,
    reason: String,
    on: Option<NaiveDate>,
) -> CmdResult<CaseDetail> {
    act(&state, case_id, |l| {
        l.escalate(case_id, &to_unit, &reason, on).map(drop)
    })
}

#[tauri::command(rename_all = "snake_case")]
pub fn accept_escalation(
    state: State<'_, AppState>,
    case_id: Uuid,
    note: String,
    on: Option<NaiveDate>,
) -> CmdResult<CaseDetail> {
    // Checked, and released before `act` takes the ledger again.
    drop(state.ledger_for(tiaojie_ledger::domain::roles::Permission::AcceptEscalation)?);
    act(&state, case_id, |l| l.accept_escalation(case_id, &note, on))
}

#[tauri::command(rename_all = "snake_case")]
pub fn return_escalation(
    state: State<'_, AppState>,
    case_id: Uuid,
    reason: String,
    on: Option<NaiveDate>,
) -> CmdResult<CaseDetail> {
    // Checked, and released before `act` takes the ledger again.
    drop(state.ledger_for(tiaojie_ledger::domain::roles::Permission::AcceptEscalation)?);
    act(&state, case_id, |l| {
        l.return_escalation(case_id, &reason, on)
    })
}

#[tauri::command(rename_all = "snake_case")]
pub fn request_support(
    state: State<'_, AppState>,
    case_id: Uuid,
    to_unit: String,
    matter: String,
    on: Option<NaiveDate>,
) -> CmdResult<CaseDetail> {
    act(&state, case_id, |l| {
        l.request_support(case_id, &to_unit, &matter, on).map(drop)
    })
}

#[tauri::command(rename_all = "snake_case")]
pub fn answer_support(
    state: State<'_, AppState>,
    case_id: Uuid,
    reply: String,
    on: Option<NaiveDate>,
) -> CmdResult<CaseDetail> {
    act(&state, case_id, |l| l.answer_support(case_id, &reply, on))
}

#[tauri::command(rename_all = "snake_case")]
pub fn refer(
    state: State<'_, AppState>,
    case_id: Uuid,
    department: Department,
    receiver: String,
    matter: String,
    deadline: NaiveDate,
    on: Option<NaiveDate>,
) -> CmdResult<CaseDetail> {
    act(&state, case_id, |l| {
        l.refer(case_id, department, &receiver, &matter, deadline, on)
            .map(drop)
    })
}

#[tauri::command(rename_all = "snake_case")]
pub fn answer_referral(
    state: State<'_, AppState>,
    case_id: Uuid,
    outcome: String,
    on: Option<NaiveDate>,
) -> CmdResult<CaseDetail> {
    act(&state, case_id, |l| {
        l.answer_referral(case_id, &outcome, on)
    })
}
