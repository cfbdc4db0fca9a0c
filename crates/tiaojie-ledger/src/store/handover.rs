//! Hand-overs a person makes: escalating a case (上交) and answering one,
//! asking for support (请求支援) and answering it, referring to a department
//! (移送、转办) and recording what came back.

use super::actions::action_date;
use super::{Ledger, parse_uuid};
use crate::domain::labels::Department;
use crate::error::{Entity, LedgerError, Result};
use crate::event::{EventBody, body};
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};
use uuid::Uuid;

impl Ledger {
    pub fn escalate(
        &mut self,
        case_id: Uuid,
        to_unit: &str,
        reason: &str,
        on: Option<NaiveDate>,
    ) -> Result<Uuid> {
        let on = action_date(on)?;
        let escalation_id = Uuid::now_v7();
        self.commit(EventBody::EscalationRequested(body::EscalationRequested {
            case_id,
            escalation_id,
            to_unit: to_unit.trim().into(),
            reason: reason.into(),
            on,
        }))?;
        Ok(escalation_id)
    }

    fn pending_escalation_of(&self, case_id: Uuid) -> Result<Uuid> {
        let pending: Option<Option<String>> = self
            .conn()
            .query_row(
                "SELECT pending_escalation FROM cases WHERE id = ?1",
                [case_id.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        match pending {
            None => Err(LedgerError::not_found(Entity::Case, case_id)),
            Some(None) => Err(LedgerError::State("该案件没有待处理的上交请求".into())),
            Some(Some(id)) => parse_uuid(&id),
        }
    }

    pub fn accept_escalation(
        &mut self,
        case_id: Uuid,
        note: &str,
        on: Option<NaiveDate>,
    ) -> Result<()> {
        let on = action_date(on)?;
        let escalation_id = self.pending_escalation_of(case_id)?;
        self.commit(EventBody::EscalationAccepted(body::EscalationAccepted {
            case_id,
            escalation_id,
            note: note.into(),
            on,
        }))?;
        Ok(())
    }

    pub fn return_escalation(
        &mut self,
        case_id: Uuid,
        reason: &str,
        on: Option<NaiveDate>,
    ) -> Result<()> {
        let on = action_date(on)?;
        let escalation_id = self.pending_escalation_of(case_id)?;
        self.commit(EventBody::EscalationReturned(body::EscalationReturned {
            case_id,
            escalation_id,
            reason: reason.into(),
            on,
        }))?;
        Ok(())
    }

    pub fn request_support(
        &mut self,
        case_id: Uuid,
        to_unit: &str,
        matter: &str,
        on: Option<NaiveDate>,
    ) -> Result<Uuid> {
        let on = action_date(on)?;
        let support_id = Uuid::now_v7();
        self.commit(EventBody::SupportRequested(body::SupportRequested {
            case_id,
            support_id,
            to_unit: to_unit.trim().into(),
            matter: matter.into(),
            on,
        }))?;
        Ok(support_id)
    }

    /// Answers the oldest unanswered support request of the case addressed to
    /// this unit.
    pub fn answer_support(
        &mut self,
        case_id: Uuid,
        reply: &str,
        on: Option<NaiveDate>,
    ) -> Result<()> {
        let on = action_date(on)?;
        let unit = self.device()?.unit_code;
        let id: Option<String> = self
            .conn()
            .query_row(
                "SELECT id FROM supports WHERE case_id = ?1 AND to_unit = ?2 AND answered_on IS NULL ORDER BY id LIMIT 1",
                params![case_id.to_string(), unit],
                |r| r.get(0),
            )
            .optional()?;
        let support_id =
            parse_uuid(&id.ok_or_else(|| {
                LedgerError::State("该案件没有发给本单位、待答复的支援请求".into())
            })?)?;
        self.commit(EventBody::SupportAnswered(body::SupportAnswered {
            case_id,
            support_id,
            reply: reply.into(),
            on,
        }))?;
        Ok(())
    }

    pub fn refer(
        &mut self,
        case_id: Uuid,
        department: Department,
        receiver: &str,
        matter: &str,
        deadline: NaiveDate,
        on: Option<NaiveDate>,
    ) -> Result<Uuid> {
        let on = action_date(on)?;
        let referral_id = Uuid::now_v7();
        self.commit(EventBody::CaseReferred(body::CaseReferred {
            case_id,
            referral_id,
            department,
            receiver: receiver.into(),
            matter: matter.into(),
            deadline,
            on,
        }))?;
        Ok(referral_id)
    }

    /// Records what came back from the oldest open referral of the case.
    pub fn answer_referral(
        &mut self,
        case_id: Uuid,
        outcome: &str,
        on: Option<NaiveDate>,
    ) -> Result<()> {
        let on = action_date(on)?;
        let id: Option<String> = self
            .conn()
            .query_row(
                "SELECT id FROM referrals WHERE case_id = ?1 AND answered_on IS NULL ORDER BY id LIMIT 1",
                [case_id.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        let referral_id = parse_uuid(
            &id.ok_or_else(|| LedgerError::State("该案件没有待反馈的移送事项".into()))?,
        )?;
        self.commit(EventBody::ReferralAnswered(body::ReferralAnswered {
            case_id,
            referral_id,
            outcome: outcome.into(),
            on,
        }))?;
        Ok(())
    }
}
