//! 今日工作: what needs doing today at this unit.

use crate::error::CmdResult;
use crate::state::AppState;
use chrono::NaiveDate;
use serde::Serialize;
use tauri::State;
use tiaojie_ledger::store::queries::{DueVisit, EscalationItem, ReferralItem, Scope};
use tiaojie_ledger::store::today as ledger_today;

/// How long a returned escalation stays on the list.
const RETURNS_SHOWN_DAYS: u64 = 14;

#[derive(Debug, Clone, Serialize)]
pub struct Today {
    pub on: NaiveDate,
    pub unit: String,
    pub due: Vec<DueVisit>,
    pub escalations_pending: Vec<EscalationItem>,
    pub escalations_returned: Vec<EscalationItem>,
    pub overdue_referrals: Vec<ReferralItem>,
}

#[tauri::command(rename_all = "snake_case")]
pub fn today(state: State<'_, AppState>, on: Option<NaiveDate>) -> CmdResult<Today> {
    let ledger = state.ledger()?;
    let on = on.unwrap_or_else(ledger_today);
    let unit = ledger.device()?.unit_code;
    let scope = Scope {
        unit: unit.clone(),
        subtree: false,
    };
    Ok(Today {
        on,
        due: ledger.due_visits(on, &scope)?,
        escalations_pending: ledger.escalations(&unit, "pending", false)?,
        escalations_returned: ledger.recent_returns(&unit, on, RETURNS_SHOWN_DAYS)?,
        overdue_referrals: ledger.overdue_referrals(on, &scope)?,
        unit,
    })
}
