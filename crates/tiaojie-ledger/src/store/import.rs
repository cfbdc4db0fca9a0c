//! Bringing a village's existing ledger in: many cases in one transaction,
//! all of them or none, and the same rows twice make no second case.

use super::apply_case::next_number_seq;
use super::{Ledger, log, parse_uuid};
use crate::domain::intake::{CaseIntake, Fen};
use crate::domain::labels::{AgreementForm, ClosingOutcome};
use crate::error::{LedgerError, Result};
use crate::event::{CaseNumber, EventBody, Term, body};
use chrono::{Datelike, NaiveDate};
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
    /// The agreement the old ledger records, if the case reached one.
    pub agreement: Option<ImportAgreement>,
    /// How and when the old ledger closed the case, if it did: a closed case
    /// comes in closed, not as an open one due for follow-up.
    pub closing: Option<ImportClosing>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportAgreement {
    pub on: NaiveDate,
    pub form: AgreementForm,
    pub amount: Fen,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportClosing {
    pub on: NaiveDate,
    pub outcome: ClosingOutcome,
}

/// The agreement's one term: an old ledger has the amount and the form, the
/// terms themselves are on the paper agreement.
pub const IMPORTED_TERMS: &str = "（由原台账导入，协议条款见纸质协议书）";

impl ImportCase {
    /// Checks the agreement and closing against the intake date and today,
    /// naming the field at fault (`agreement_on`, `closed_on`,
    /// `closing_outcome`), before anything is written.
    pub fn check_outcome(&self, received_on: NaiveDate, today: NaiveDate) -> Result<()> {
        let dated = |on: NaiveDate, field: &str, what: &str| -> Result<()> {
            if on < received_on {
                return Err(LedgerError::invalid(
                    field,
                    format!("{what} {on} 早于受理日期 {received_on}"),
                ));
            }
            if on > today {
                return Err(LedgerError::invalid(
                    field,
                    format!("{what} {on} 晚于今天（{today}）"),
                ));
            }
            Ok(())
        };
        if let Some(a) = &self.agreement {
            dated(a.on, "agreement_on", "协议日期")?;
            if a.amount.0 < 0 {
                return Err(LedgerError::invalid("agreement_amount", "协议金额不能为负"));
            }
        }
        if let Some(c) = &self.closing {
            dated(c.on, "closed_on", "结案日期")?;
            if let Some(a) = &self.agreement
                && a.on > c.on
            {
                return Err(LedgerError::invalid(
                    "agreement_on",
                    format!("协议日期 {} 晚于结案日期 {}", a.on, c.on),
                ));
            }
            if c.outcome == ClosingOutcome::Resolved && self.agreement.is_none() {
                return Err(LedgerError::invalid(
                    "closing_outcome",
                    "以“调解成功”结案的案件须有调解协议：请填写协议形式（书面协议或口头协议）和协议日期",
                ));
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
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
            item.check_outcome(intake.received_on, today)
                .map_err(|e| e.within(&format!("rows[{i}]")))?;
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
                EventBody::CaseOpened(body::CaseOpened {
                    case_id,
                    number,
                    mediator,
                    intake,
                }),
            )?;
            if let Some(grade) = grade {
                log::append(
                    &tx,
                    &mut self.clock,
                    self.actor.clone(),
                    EventBody::CaseGraded(body::CaseGraded {
                        case_id,
                        grade,
                        reason: item.grade_reason.clone(),
                        on: received_on,
                    }),
                )?;
            }
            if let Some(a) = &item.agreement {
                log::append(
                    &tx,
                    &mut self.clock,
                    self.actor.clone(),
                    EventBody::AgreementMade(body::AgreementMade {
                        case_id,
                        agreement_id: Uuid::now_v7(),
                        form: a.form,
                        on: a.on,
                        terms: vec![Term {
                            content: IMPORTED_TERMS.into(),
                            due: None,
                        }],
                        amount: a.amount,
                    }),
                )?;
            }
            if let Some(c) = &item.closing {
                log::append(
                    &tx,
                    &mut self.clock,
                    self.actor.clone(),
                    EventBody::CaseClosed(body::CaseClosed {
                        case_id,
                        on: c.on,
                        outcome: c.outcome,
                        note: "由原台账导入".into(),
                    }),
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
