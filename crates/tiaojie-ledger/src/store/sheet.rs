//! The ledger as the upper tiers keep it in Excel: one row per case with its
//! intake, parties, agreement and outcome, for the export.

use super::queries::{CaseFilter, CaseRow};
use super::{Ledger, parse_uuid};
use crate::domain::labels::{
    AgreementForm, ClosingOutcome, Gender, Labelled, MediationType, SessionResult, Side, printed,
};
use crate::error::Result;
use rusqlite::params_from_iter;
use serde::Serialize;
use std::collections::HashMap;

/// A party as stored, with the closed vocabularies as printed.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct SheetParty {
    pub side: String,
    pub name: String,
    pub gender: Option<String>,
    pub ethnicity: Option<String>,
    pub birth_date: Option<String>,
    pub age: Option<u32>,
    pub occupation: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub id_number: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SheetRow {
    #[serde(flatten)]
    pub row: CaseRow,
    pub mediation_type: String,
    pub facts: String,
    pub requests: String,
    pub amount_fen: i64,
    pub people_involved: u32,
    pub petition_risk: bool,
    pub criminal_risk: bool,
    pub key_persons: String,
    pub mediator: Option<String>,
    pub sessions: u32,
    pub last_session_result: Option<String>,
    pub agreement_form: Option<String>,
    pub agreement_on: Option<String>,
    pub agreement_amount_fen: Option<i64>,
    pub closing_outcome: Option<String>,
    pub parties: Vec<SheetParty>,
}

/// A stored key, when there is one, as printed.
fn label<T: Labelled>(key: Option<String>) -> Option<String> {
    key.map(|k| printed::<T>(&k))
}

const PAGE: u32 = 1000;

impl Ledger {
    /// Every case the filter selects (paging ignored), in its order.
    pub fn sheet(&self, filter: &CaseFilter) -> Result<Vec<SheetRow>> {
        let mut out = Vec::new();
        let mut f = filter.clone();
        f.offset = 0;
        f.limit = PAGE;
        loop {
            let page = self.list_cases(&f)?;
            let n = page.rows.len() as u32;
            out.extend(self.sheet_rows(page.rows)?);
            if n < PAGE {
                break;
            }
            f.offset += PAGE;
        }
        Ok(out)
    }

    fn sheet_rows(&self, rows: Vec<CaseRow>) -> Result<Vec<SheetRow>> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<String> = rows.iter().map(|r| r.id.to_string()).collect();
        let marks = vec!["?"; ids.len()].join(", ");
        type Extra = (
            String,
            String,
            String,
            i64,
            u32,
            bool,
            bool,
            String,
            Option<String>,
            u32,
        );
        type Agreed = (
            Option<String>,
            Option<String>,
            Option<i64>,
            Option<String>,
            Option<String>,
        );
        let mut extra: HashMap<String, (Extra, Agreed)> = HashMap::new();
        {
            let mut stmt = self.conn().prepare(&format!(
                "SELECT c.id, c.mediation_type, c.facts, c.requests, c.amount_fen, c.people_involved,
                        c.petition_risk, c.criminal_risk, c.key_persons, m.name, c.sessions,
                        a.form, a.on_date, a.amount_fen, c.closing_outcome,
                        (SELECT s.result FROM sessions s WHERE s.case_id = c.id ORDER BY s.on_date DESC, s.id DESC LIMIT 1)
                 FROM cases c LEFT JOIN mediators m ON m.id = c.mediator
                 LEFT JOIN agreements a ON a.case_id = c.id
                 WHERE c.id IN ({marks})"
            ))?;
            let found = stmt.query_map(params_from_iter(ids.iter()), |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    (
                        (
                            r.get(1)?,
                            r.get(2)?,
                            r.get(3)?,
                            r.get(4)?,
                            r.get(5)?,
                            r.get(6)?,
                            r.get(7)?,
                            r.get(8)?,
                            r.get(9)?,
                            r.get(10)?,
                        ),
                        (r.get(11)?, r.get(12)?, r.get(13)?, r.get(14)?, r.get(15)?),
                    ),
                ))
            })?;
            for f in found {
                let (id, v) = f?;
                extra.insert(id, v);
            }
        }
        let mut parties: HashMap<String, Vec<SheetParty>> = HashMap::new();
        {
            let mut stmt = self.conn().prepare(&format!(
                "SELECT case_id, side, name, gender, ethnicity, birth_date, age, occupation, phone, address, id_number
                 FROM parties WHERE case_id IN ({marks}) ORDER BY case_id, idx"
            ))?;
            let found = stmt.query_map(params_from_iter(ids.iter()), |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    SheetParty {
                        side: printed::<Side>(&r.get::<_, String>(1)?),
                        name: r.get(2)?,
                        gender: label::<Gender>(r.get(3)?),
                        ethnicity: r.get(4)?,
                        birth_date: r.get(5)?,
                        age: r.get(6)?,
                        occupation: r.get(7)?,
                        phone: r.get(8)?,
                        address: r.get(9)?,
                        id_number: r.get(10)?,
                    },
                ))
            })?;
            for f in found {
                let (id, p) = f?;
                parties.entry(id).or_default().push(p);
            }
        }
        rows.into_iter()
            .map(|row| {
                let id = row.id.to_string();
                parse_uuid(&id)?;
                let (
                    (
                        mt,
                        facts,
                        requests,
                        amount_fen,
                        people_involved,
                        petition_risk,
                        criminal_risk,
                        key_persons,
                        mediator,
                        sessions,
                    ),
                    (af, aon, aamount, outcome, last),
                ) = extra.remove(&id).unwrap_or_default();
                Ok(SheetRow {
                    mediation_type: printed::<MediationType>(&mt),
                    facts,
                    requests,
                    amount_fen,
                    people_involved,
                    petition_risk,
                    criminal_risk,
                    key_persons,
                    mediator,
                    sessions,
                    last_session_result: label::<SessionResult>(last),
                    agreement_form: label::<AgreementForm>(af),
                    agreement_on: aon,
                    agreement_amount_fen: aamount,
                    closing_outcome: label::<ClosingOutcome>(outcome),
                    parties: parties.remove(&id).unwrap_or_default(),
                    row,
                })
            })
            .collect()
    }
}
