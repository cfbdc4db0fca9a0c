//! Bringing a village's existing ledger in: many cases in one transaction,
//! all of them or none, and the same rows twice make no second case.

use super::apply_case::next_number_seq;
use super::{Ledger, log, parse_uuid};
use crate::domain::intake::CaseIntake;
use crate::error::Result;
use crate::event::{CaseNumber, EventBody};
use chrono::Datelike;
use rusqlite::OptionalExtension;
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// One case to bring in.
#[derive(Debug, Clone)]
pub struct ImportCase {
    /// What identifies the row whatever file it comes in again: its case
    /// number in the old ledger, or its content.
    pub key: String,
    /// The number the case had in the ledger it comes from, if any; a case
    /// of this ledger with that number is the same case.
    pub original_number: Option<String>,
    pub intake: CaseIntake,
    /// A grade key or name of the scheme, with the reason to record.
    pub grade: Option<String>,
    pub grade_reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum ImportOutcome {
    Added {
        id: Uuid,
        number: String,
    },
    /// Already in this ledger (imported before, or exported from here).
    Existing {
        id: Uuid,
        number: String,
    },
}

/// The case id an imported row gets: the same row of the same unit always
/// gets the same id, so a second import finds the first.
pub fn import_case_id(unit: &str, key: &str) -> Uuid {
    let digest = Sha256::digest(format!("tiaojie-import\0{unit}\0{key}").as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    Uuid::new_v8(bytes)
}

impl Ledger {
    /// Opens every case of `items` in one transaction: if any of them is
    /// refused, the error names it (`rows[i].field`) and nothing is written.
    pub fn import_cases(&mut self, items: &[ImportCase]) -> Result<Vec<ImportOutcome>> {
        let today = super::actions::today();
        let device = self.device()?;
        let scheme = self.scheme()?;
        let short_name = super::actions::unit_short_name(self.conn(), &device.unit_code)?;
        // Check every row before writing any, so that the first error is not
        // the only one a person hears about when they fix the file.
        let mut checked = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let intake = item
                .intake
                .validate(today)
                .map_err(|e| e.within(&format!("rows[{i}]")))?;
            let grade = match item.grade.as_deref().map(str::trim) {
                Some(g) if !g.is_empty() => Some(
                    scheme
                        .resolve(g, "grade")
                        .map_err(|e| e.within(&format!("rows[{i}]")))?
                        .key
                        .clone(),
                ),
                _ => None,
            };
            let mediator = match item
                .intake
                .mediator
                .as_deref()
                .map(str::trim)
                .filter(|m| !m.is_empty())
            {
                Some(m) => Some(
                    self.resolve_mediator(m)
                        .map_err(|e| e.within(&format!("rows[{i}]")))?,
                ),
                None => None,
            };
            checked.push((intake, grade, mediator));
        }
        let tx = self.conn.transaction()?;
        let mut out = Vec::with_capacity(items.len());
        for (item, (intake, grade, mediator)) in items.iter().zip(checked) {
            let case_id = import_case_id(&device.unit_code, &item.key);
            // The same row imported before has the same id; a case of this
            // ledger with the row's old number is the same case only if it
            // was received the same day from the same people (a number alone
            // could be another laptop's).
            let mut existing: Option<(String, String)> = tx
                .query_row(
                    "SELECT id, number FROM cases WHERE id = ?1",
                    [case_id.to_string()],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            if existing.is_none()
                && let Some(number) = item.original_number.as_deref()
            {
                let mut names: Vec<&str> = intake.parties.iter().map(|p| p.name.as_str()).collect();
                names.sort_unstable();
                let found: Option<(String, String, String)> = tx
                    .query_row(
                        "SELECT c.id, c.received_on,
                                (SELECT group_concat(name, char(31)) FROM (SELECT name FROM parties WHERE case_id = c.id ORDER BY name))
                         FROM cases c WHERE c.number = ?1",
                        [number],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, Option<String>>(2)?.unwrap_or_default())),
                    )
                    .optional()?;
                if let Some((id, received, theirs)) = found
                    && received == intake.received_on.to_string()
                    && theirs == names.join("\u{1f}")
                {
                    existing = Some((id, number.to_string()));
                }
            }
            if let Some((id, number)) = existing {
                out.push(ImportOutcome::Existing {
                    id: parse_uuid(&id)?,
                    number,
                });
                continue;
            }
            let year = intake.received_on.year();
            let number = CaseNumber {
                short_name: short_name.clone(),
                year,
                lane: device.lane,
                seq: next_number_seq(&tx, &device.unit_code, year, device.lane)?,
            };
            let text = number.to_string();
            let received_on = intake.received_on;
            log::append(
                &tx,
                &mut self.clock,
                self.actor.clone(),
                EventBody::CaseOpened {
                    case_id,
                    number,
                    mediator,
                    intake,
                },
            )?;
            if let Some(grade) = grade {
                log::append(
                    &tx,
                    &mut self.clock,
                    self.actor.clone(),
                    EventBody::CaseGraded {
                        case_id,
                        grade,
                        reason: item.grade_reason.clone(),
                        on: received_on,
                    },
                )?;
            }
            out.push(ImportOutcome::Added {
                id: case_id,
                number: text,
            });
        }
        tx.commit()?;
        Ok(out)
    }
}
