//! The ledger table, intake, and what is done on one case.

use crate::error::CmdResult;
use crate::state::AppState;
use chrono::NaiveDate;
use tauri::State;
use tiaojie_ledger::domain::intake::CaseIntake;
use tiaojie_ledger::domain::labels::ClosingOutcome;
use tiaojie_ledger::domain::roles::Permission;
use tiaojie_ledger::store::queries::{CaseFilter, CaseRow, Page};
use tiaojie_ledger::store::{
    AgreementInput, CaseDetail, CaseRef, FollowUpInput, PartyRecord, SessionInput,
};
use uuid::Uuid;

#[tauri::command(rename_all = "snake_case")]
pub fn list_cases(state: State<'_, AppState>, mut filter: CaseFilter) -> CmdResult<Page<CaseRow>> {
    let ledger = state.ledger_for(Permission::HandleCases)?;
    ledger.restrict_search(state.session().as_ref(), &mut filter)?;
    Ok(ledger.list_cases(&filter)?)
}

#[tauri::command(rename_all = "snake_case")]
pub fn case_detail(state: State<'_, AppState>, case_id: Uuid) -> CmdResult<CaseDetail> {
    Ok(state.ledger_for(Permission::HandleCases)?.case_detail_as(
        state.session().as_ref(),
        case_id,
        false,
    )?)
}

/// Findings of earlier visits containing `typed`, for the visit form to
/// offer: this case's own first, then the ledger's most written.
#[tauri::command(rename_all = "snake_case")]
pub fn visit_wordings(
    state: State<'_, AppState>,
    case_id: Uuid,
    typed: String,
) -> CmdResult<Vec<String>> {
    Ok(state
        .ledger_for(Permission::HandleCases)?
        .visit_wordings(case_id, &typed)?)
}

/// Completions of the clause being typed in 纠纷简要情况 (`field` facts)
/// or 申请事项 (requests), in the unit's own phrasing, with the parties
/// `names` the form holds so far.
#[tauri::command(rename_all = "snake_case")]
pub fn intake_wordings(
    state: State<'_, AppState>,
    field: String,
    typed: String,
    names: Vec<String>,
) -> CmdResult<Vec<tiaojie_ledger::domain::phrasing::ClauseOffer>> {
    let text = tiaojie_ledger::store::wording::IntakeText::parse(&field)?;
    Ok(state
        .ledger_for(Permission::HandleCases)?
        .intake_wordings(text, &typed, &names)?)
}

/// The parties with their numbers in full, for a user allowed to see them;
/// written to the access log.
#[tauri::command(rename_all = "snake_case")]
pub fn reveal_numbers(state: State<'_, AppState>, case_id: Uuid) -> CmdResult<Vec<PartyRecord>> {
    Ok(state
        .ledger()?
        .case_detail_as(state.session().as_ref(), case_id, true)?
        .party_records)
}

#[tauri::command(rename_all = "snake_case")]
pub fn open_case(state: State<'_, AppState>, intake: CaseIntake) -> CmdResult<CaseRef> {
    let created = state
        .ledger_for(Permission::HandleCases)?
        .open_case(&intake)?;
    state.sync.request();
    Ok(created)
}

/// Runs an action on a case, asks for a sync, returns the case afresh.
pub fn act(
    state: &AppState,
    case_id: Uuid,
    action: impl FnOnce(&mut tiaojie_ledger::Ledger) -> tiaojie_ledger::Result<()>,
) -> CmdResult<CaseDetail> {
    let mut ledger = state.ledger_for(Permission::HandleCases)?;
    action(&mut ledger)?;
    state.sync.request();
    // ID and phone numbers as the screen shows them by default.
    Ok(ledger.case_detail_as(state.session().as_ref(), case_id, false)?)
}

#[tauri::command(rename_all = "snake_case")]
pub fn grade_case(
    state: State<'_, AppState>,
    case_id: Uuid,
    grade: String,
    reason: String,
    on: Option<NaiveDate>,
) -> CmdResult<CaseDetail> {
    act(&state, case_id, |l| {
        l.grade_case(case_id, &grade, &reason, on)
    })
}

#[tauri::command(rename_all = "snake_case")]
pub fn record_session(
    state: State<'_, AppState>,
    case_id: Uuid,
    input: SessionInput,
) -> CmdResult<CaseDetail> {
    act(&state, case_id, |l| {
        l.record_session(case_id, input).map(drop)
    })
}

#[tauri::command(rename_all = "snake_case")]
pub fn make_agreement(
    state: State<'_, AppState>,
    case_id: Uuid,
    input: AgreementInput,
) -> CmdResult<CaseDetail> {
    act(&state, case_id, |l| {
        l.make_agreement(case_id, input).map(drop)
    })
}

#[tauri::command(rename_all = "snake_case")]
pub fn record_performance(
    state: State<'_, AppState>,
    case_id: Uuid,
    note: String,
    fulfilled: bool,
    on: Option<NaiveDate>,
) -> CmdResult<CaseDetail> {
    act(&state, case_id, |l| {
        l.record_performance(case_id, &note, fulfilled, on)
    })
}

#[tauri::command(rename_all = "snake_case")]
pub fn follow_up(
    state: State<'_, AppState>,
    case_id: Uuid,
    input: FollowUpInput,
) -> CmdResult<CaseDetail> {
    act(&state, case_id, |l| l.follow_up(case_id, input).map(drop))
}

#[tauri::command(rename_all = "snake_case")]
pub fn close_case(
    state: State<'_, AppState>,
    case_id: Uuid,
    outcome: ClosingOutcome,
    note: String,
    on: Option<NaiveDate>,
) -> CmdResult<CaseDetail> {
    act(&state, case_id, |l| {
        l.close_case(case_id, outcome, &note, on)
    })
}
