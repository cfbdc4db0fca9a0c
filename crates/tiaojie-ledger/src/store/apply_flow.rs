//! Folding the hand-overs between units: escalation (上交), support requests
//! (请求支援) and referrals to departments (移送、转办).

use super::Cached;
use super::apply_admin::{ancestors, unit_level};
use super::apply_case::CaseHead;
use crate::domain::intake::text;
use crate::error::{Entity, LedgerError, Result};
use crate::event::{Event, body};
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

/// A case handed up (上交) to a unit above its owner.
pub(super) fn escalation_requested(
    conn: &Connection,
    ev: &Event,
    payload: &body::EscalationRequested,
) -> Result<()> {
    let body::EscalationRequested {
        case_id,
        escalation_id,
        to_unit,
        reason,
        on,
    } = payload;
    let head = CaseHead::load(conn, *case_id)?;
    head.check_action(conn, ev, *on, "提请上交")?;
    if head.pending_escalation.is_some() {
        return Err(LedgerError::State(
            "该案件已提请上交，正等待上级答复".into(),
        ));
    }
    upper_unit(conn, &head.unit, to_unit)?;
    conn.exec_cached(
        "INSERT INTO escalations (id, case_id, from_unit, to_unit, reason, requested_on, status)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending')",
        params![
            escalation_id.to_string(),
            case_id.to_string(),
            head.unit,
            to_unit,
            text(reason, "reason", "上交理由", true)?,
            on
        ],
    )?;
    conn.exec_cached(
        "UPDATE cases SET pending_escalation = ?2 WHERE id = ?1",
        params![case_id.to_string(), escalation_id.to_string()],
    )?;
    Ok(())
}

/// The receiving unit takes over an escalated case.
pub(super) fn escalation_accepted(
    conn: &Connection,
    ev: &Event,
    payload: &body::EscalationAccepted,
) -> Result<()> {
    let body::EscalationAccepted {
        case_id,
        escalation_id,
        note,
        on,
    } = payload;
    let (head, to_unit) = pending_escalation(conn, ev, *case_id, *escalation_id, "受理")?;
    head.open("受理")?;
    head.not_before_intake(*on, "on")?;
    // Ownership moves with the case, and with it its follow-ups.
    conn.exec_cached(
        "UPDATE escalations SET status = 'accepted', answered_on = ?2, answer = ?3 WHERE id = ?1",
        params![
            escalation_id.to_string(),
            on,
            text(note, "note", "受理意见", false)?
        ],
    )?;
    conn.exec_cached(
        "UPDATE cases SET unit = ?2, pending_escalation = NULL WHERE id = ?1",
        params![case_id.to_string(), to_unit],
    )?;
    Ok(())
}

/// The receiving unit sends an escalated case back.
pub(super) fn escalation_returned(
    conn: &Connection,
    ev: &Event,
    payload: &body::EscalationReturned,
) -> Result<()> {
    let body::EscalationReturned {
        case_id,
        escalation_id,
        reason,
        on,
    } = payload;
    let (head, _) = pending_escalation(conn, ev, *case_id, *escalation_id, "退回")?;
    head.not_before_intake(*on, "on")?;
    conn.exec_cached(
        "UPDATE escalations SET status = 'returned', answered_on = ?2, answer = ?3 WHERE id = ?1",
        params![
            escalation_id.to_string(),
            on,
            text(reason, "reason", "退回理由", true)?
        ],
    )?;
    conn.exec_cached(
        "UPDATE cases SET pending_escalation = NULL WHERE id = ?1",
        [case_id.to_string()],
    )?;
    Ok(())
}

/// A request for support (请求支援) to a unit above.
pub(super) fn support_requested(
    conn: &Connection,
    ev: &Event,
    payload: &body::SupportRequested,
) -> Result<()> {
    let body::SupportRequested {
        case_id,
        support_id,
        to_unit,
        matter,
        on,
    } = payload;
    let head = CaseHead::load(conn, *case_id)?;
    head.check_action(conn, ev, *on, "请求支援")?;
    upper_unit(conn, &head.unit, to_unit)?;
    conn.exec_cached(
        "INSERT INTO supports (id, case_id, from_unit, to_unit, matter, requested_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            support_id.to_string(),
            case_id.to_string(),
            head.unit,
            to_unit,
            text(matter, "matter", "支援事项", true)?,
            on
        ],
    )?;
    Ok(())
}

/// The reply of the unit a support request was sent to.
pub(super) fn support_answered(
    conn: &Connection,
    ev: &Event,
    payload: &body::SupportAnswered,
) -> Result<()> {
    let body::SupportAnswered {
        case_id,
        support_id,
        reply,
        on,
    } = payload;
    let head = CaseHead::load(conn, *case_id)?;
    let row: Option<(String, Option<String>)> = conn
        .query_row(
            "SELECT to_unit, answered_on FROM supports WHERE id = ?1 AND case_id = ?2",
            params![support_id.to_string(), case_id.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (to_unit, answered) =
        row.ok_or_else(|| LedgerError::not_found(Entity::Support, support_id))?;
    if to_unit != ev.unit {
        return Err(LedgerError::NotYours("这项支援请求不是发给本单位的".into()));
    }
    if answered.is_some() {
        return Err(LedgerError::State("这项支援请求已经答复过".into()));
    }
    head.not_before_intake(*on, "on")?;
    conn.exec_cached(
        "UPDATE supports SET reply = ?2, answered_on = ?3 WHERE id = ?1",
        params![
            support_id.to_string(),
            text(reply, "reply", "答复", true)?,
            on
        ],
    )?;
    Ok(())
}

/// A matter referred to a department (移送、转办).
pub(super) fn referred(conn: &Connection, ev: &Event, payload: &body::CaseReferred) -> Result<()> {
    let body::CaseReferred {
        case_id,
        referral_id,
        department,
        receiver,
        matter,
        deadline,
        on,
    } = payload;
    let head = CaseHead::load(conn, *case_id)?;
    head.check_action(conn, ev, *on, "移送")?;
    if deadline < on {
        return Err(LedgerError::invalid("deadline", "反馈期限早于移送日期"));
    }
    conn.exec_cached(
        "INSERT INTO referrals (id, case_id, department, receiver, matter, deadline, referred_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            referral_id.to_string(),
            case_id.to_string(),
            department.key(),
            text(receiver, "receiver", "接收单位", true)?,
            text(matter, "matter", "移送事项", true)?,
            deadline,
            on
        ],
    )?;
    Ok(())
}

/// What the department did with a referred matter.
pub(super) fn referral_answered(
    conn: &Connection,
    ev: &Event,
    payload: &body::ReferralAnswered,
) -> Result<()> {
    let body::ReferralAnswered {
        case_id,
        referral_id,
        outcome,
        on,
    } = payload;
    let head = CaseHead::load(conn, *case_id)?;
    head.owned_by(conn, &ev.unit, "登记移送结果")?;
    head.not_before_intake(*on, "on")?;
    let answered: Option<Option<String>> = conn
        .query_row(
            "SELECT answered_on FROM referrals WHERE id = ?1 AND case_id = ?2",
            params![referral_id.to_string(), case_id.to_string()],
            |r| r.get(0),
        )
        .optional()?;
    match answered {
        None => return Err(LedgerError::not_found(Entity::Referral, referral_id)),
        Some(Some(_)) => return Err(LedgerError::State("该移送事项已登记过结果".into())),
        Some(None) => {}
    }
    conn.exec_cached(
        "UPDATE referrals SET outcome = ?2, answered_on = ?3 WHERE id = ?1",
        params![
            referral_id.to_string(),
            text(outcome, "outcome", "办理结果", true)?,
            on
        ],
    )?;
    Ok(())
}

/// `to` must be registered and above `from` in the unit tree.
fn upper_unit(conn: &Connection, from: &str, to: &str) -> Result<()> {
    unit_level(conn, to).map_err(|_| LedgerError::not_found(Entity::Unit, to))?;
    if !ancestors(conn, from)?.iter().any(|a| a == to) {
        return Err(LedgerError::invalid(
            "to_unit",
            format!("单位“{to}”不是本案承办单位的上级，只能向上级调解中心上交或请求支援"),
        ));
    }
    Ok(())
}

/// The case and the receiving unit of a pending escalation addressed to the
/// event's unit.
fn pending_escalation(
    conn: &Connection,
    ev: &Event,
    case_id: Uuid,
    escalation_id: Uuid,
    action: &str,
) -> Result<(CaseHead, String)> {
    let head = CaseHead::load(conn, case_id)?;
    let row: Option<(String, String)> = conn
        .query_row(
            "SELECT to_unit, status FROM escalations WHERE id = ?1 AND case_id = ?2",
            params![escalation_id.to_string(), case_id.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (to_unit, status) =
        row.ok_or_else(|| LedgerError::not_found(Entity::Escalation, escalation_id))?;
    if to_unit != ev.unit {
        return Err(LedgerError::NotYours(format!(
            "这件上交案件不是交给本单位的，本单位不能{action}"
        )));
    }
    if status != "pending" {
        let done = if status == "accepted" {
            "受理"
        } else {
            "退回"
        };
        return Err(LedgerError::State(format!(
            "这次上交已经{done}，不能再{action}"
        )));
    }
    Ok((head, to_unit))
}
