//! The vocabularies of the forms, with their Chinese words, and the grading
//! scheme: what the UI's selects offer.

use crate::error::CmdResult;
use crate::state::AppState;
use serde::Serialize;
use tauri::State;
use tiaojie_ledger::domain::labels::*;
use tiaojie_ledger::domain::scheme::Scheme;

#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    pub key: &'static str,
    pub label: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Reference {
    pub dispute_types: Vec<Choice>,
    pub sources: Vec<Choice>,
    pub mediation_types: Vec<Choice>,
    pub genders: Vec<Choice>,
    pub sides: Vec<Choice>,
    pub roles: Vec<Choice>,
    pub departments: Vec<Choice>,
    pub session_results: Vec<Choice>,
    pub agreement_forms: Vec<Choice>,
    pub satisfactions: Vec<Choice>,
    pub outcomes: Vec<Choice>,
    pub statuses: Vec<Choice>,
    pub scheme: Scheme,
}

macro_rules! choices {
    ($t:ty) => {
        <$t>::ALL
            .iter()
            .map(|v| Choice {
                key: v.key(),
                label: v.label(),
            })
            .collect()
    };
}

#[tauri::command(rename_all = "snake_case")]
pub fn reference(state: State<'_, AppState>) -> CmdResult<Reference> {
    Ok(Reference {
        dispute_types: choices!(DisputeType),
        sources: choices!(Source),
        mediation_types: choices!(MediationType),
        genders: choices!(Gender),
        sides: choices!(Side),
        roles: choices!(MediatorRole),
        departments: choices!(Department),
        session_results: choices!(SessionResult),
        agreement_forms: choices!(AgreementForm),
        satisfactions: choices!(Satisfaction),
        outcomes: choices!(ClosingOutcome),
        statuses: choices!(CaseStatus),
        scheme: state.ledger()?.scheme()?,
    })
}
