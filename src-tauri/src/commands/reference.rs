//! The vocabularies of the forms, with their Chinese words, and the grading
//! scheme: what the UI's selects offer.

use super::Choice;
use crate::error::CmdResult;
use crate::state::AppState;
use serde::Serialize;
use tauri::State;
use tiaojie_ledger::domain::labels::*;
use tiaojie_ledger::domain::scheme::Scheme;

/// Every vocabulary of the forms with its words, and the unit's scheme.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Reference {
    pub dispute_types: Vec<Choice<DisputeType>>,
    pub sources: Vec<Choice<Source>>,
    pub mediation_types: Vec<Choice<MediationType>>,
    pub genders: Vec<Choice<Gender>>,
    pub sides: Vec<Choice<Side>>,
    pub roles: Vec<Choice<MediatorRole>>,
    pub departments: Vec<Choice<Department>>,
    pub session_results: Vec<Choice<SessionResult>>,
    pub agreement_forms: Vec<Choice<AgreementForm>>,
    pub satisfactions: Vec<Choice<Satisfaction>>,
    pub outcomes: Vec<Choice<ClosingOutcome>>,
    pub statuses: Vec<Choice<CaseStatus>>,
    pub attachment_kinds: Vec<Choice<AttachmentKind>>,
    pub scheme: Scheme,
}

macro_rules! choices {
    ($t:ty) => {
        <$t>::ALL
            .iter()
            .map(|v| Choice {
                key: *v,
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
        attachment_kinds: choices!(AttachmentKind),
        scheme: state.ledger()?.scheme()?,
    })
}
