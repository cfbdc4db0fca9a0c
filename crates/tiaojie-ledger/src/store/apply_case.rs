//! Folding a case's own life: intake, grading, sessions, agreement,
//! performance, follow-up visits, closing.

use super::Cached;
use super::apply_admin::unit_level;
use crate::domain::intake::text;
use crate::domain::labels::{CaseStatus, ClosingOutcome, SessionResult};
use crate::error::{Entity, LedgerError, Result};
use crate::event::{CaseNumber, Event, body};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

/// The parts of a case the rules look at.
pub(super) struct CaseHead {
    pub unit: String,
    pub received_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub pending_escalation: Option<String>,
    pub has_agreement: bool,
}

impl CaseHead {
    pub fn load(conn: &Connection, id: Uuid) -> Result<CaseHead> {
        conn.row_cached(
            "SELECT unit, received_on, closed_on, pending_escalation,
                    EXISTS (SELECT 1 FROM agreements a WHERE a.case_id = cases.id)
             FROM cases WHERE id = ?1",
            [id.to_string()],
            |r| {
                Ok(CaseHead {
                    unit: r.get(0)?,
                    received_on: r.get(1)?,
                    closed_on: r.get(2)?,
                    pending_escalation: r.get(3)?,
                    has_agreement: r.get(4)?,
                })
            },
        )
        .optional()?
        .ok_or_else(|| LedgerError::not_found(Entity::Case, id))
    }

    /// The event's unit must own the case.
    pub fn owned_by(&self, conn: &Connection, unit: &str, action: &str) -> Result<()> {
        if self.unit == unit {
            return Ok(());
        }
        let owner: String = conn
            .query_row(
                "SELECT name FROM units WHERE code = ?1",
                [&self.unit],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or_else(|| self.unit.clone());
        Err(LedgerError::NotYours(format!(
            "该案件现由{owner}办理，本单位不能{action}"
        )))
    }

    pub fn open(&self, action: &str) -> Result<()> {
        match self.closed_on {
            Some(d) => Err(LedgerError::State(format!(
                "该案件已于 {d} 结案，不能{action}"
            ))),
            None => Ok(()),
        }
    }

    pub fn not_before_intake(&self, on: NaiveDate, field: &str) -> Result<()> {
        if on < self.received_on {
            return Err(LedgerError::invalid(
                field,
                format!("日期 {on} 早于受理日期 {}", self.received_on),
            ));
        }
        Ok(())
    }

    /// Ownership, open, and date: what almost every action on a case needs.
    pub fn check_action(
        &self,
        conn: &Connection,
        ev: &Event,
        on: NaiveDate,
        action: &str,
    ) -> Result<()> {
        self.owned_by(conn, &ev.unit, action)?;
        self.open(action)?;
        self.not_before_intake(on, "on")
    }
}

/// A grading (预警等级) of an open case this unit owns.
pub(super) fn graded(conn: &Connection, ev: &Event, payload: &body::CaseGraded) -> Result<()> {
    let body::CaseGraded {
        case_id,
        grade,
        reason,
        on,
    } = payload;
    let head = CaseHead::load(conn, *case_id)?;
    head.check_action(conn, ev, *on, "评定预警等级")?;
    let reason = text(reason, "reason", "评定理由", true)?;
    let known: bool = conn.row_cached(
        "SELECT EXISTS (SELECT 1 FROM grades WHERE key = ?1)",
        [grade],
        |r| r.get(0),
    )?;
    if !known {
        return Err(LedgerError::invalid(
            "grade",
            format!("预警等级“{grade}”不在当前方案中"),
        ));
    }
    conn.exec_cached(
        "UPDATE cases SET grade = ?2, graded_on = ?3 WHERE id = ?1",
        params![case_id.to_string(), grade, on],
    )?;
    conn.exec_cached(
        "INSERT INTO gradings (event_id, case_id, grade, reason, on_date, unit, actor, hlc)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            ev.id.to_string(),
            case_id.to_string(),
            grade,
            reason,
            on,
            ev.unit,
            ev.actor,
            ev.hlc.raw()
        ],
    )?;
    Ok(())
}

/// A mediation session.
pub(super) fn session_recorded(
    conn: &Connection,
    ev: &Event,
    payload: &body::SessionRecorded,
) -> Result<()> {
    let body::SessionRecorded {
        case_id,
        session_id,
        on,
        place,
        mediators,
        attendees,
        summary,
        result,
    } = payload;
    let head = CaseHead::load(conn, *case_id)?;
    head.check_action(conn, ev, *on, "登记调解")?;
    let place = text(place, "place", "调解地点", true)?;
    let summary = text(summary, "summary", "调解情况", true)?;
    conn.exec_cached(
        "INSERT INTO sessions (id, case_id, on_date, place, mediators, attendees, summary, result, unit)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            session_id.to_string(),
            case_id.to_string(),
            on,
            place,
            serde_json::to_string(mediators)?,
            text(attendees, "attendees", "参加人员", false)?,
            summary,
            result.key(),
            ev.unit
        ],
    )?;
    conn.exec_cached(
        "UPDATE cases SET sessions = sessions + 1, failed_sessions = failed_sessions + ?2,
             status = CASE status WHEN ?3 THEN ?4 ELSE status END WHERE id = ?1",
        params![
            case_id.to_string(),
            i64::from(*result == SessionResult::Failed),
            CaseStatus::Registered.key(),
            CaseStatus::Mediating.key()
        ],
    )?;
    Ok(())
}

/// The agreement of a case: one per case.
pub(super) fn agreement_made(
    conn: &Connection,
    ev: &Event,
    payload: &body::AgreementMade,
) -> Result<()> {
    let body::AgreementMade {
        case_id,
        agreement_id,
        form,
        on,
        terms,
        amount,
    } = payload;
    let head = CaseHead::load(conn, *case_id)?;
    head.check_action(conn, ev, *on, "登记协议")?;
    if head.has_agreement {
        return Err(LedgerError::State(
            "该案件已登记调解协议，不能重复登记".into(),
        ));
    }
    if terms.is_empty() {
        return Err(LedgerError::invalid("terms", "协议至少要有一项内容"));
    }
    for (i, t) in terms.iter().enumerate() {
        text(
            &t.content,
            &format!("terms[{i}].content"),
            &format!("第{}项协议内容", i + 1),
            true,
        )?;
        if t.due.is_some_and(|d| d < *on) {
            return Err(LedgerError::invalid(
                format!("terms[{i}].due"),
                format!("第{}项的履行期限早于协议日期", i + 1),
            ));
        }
    }
    if amount.0 < 0 {
        return Err(LedgerError::invalid("amount", "协议金额不能为负"));
    }
    conn.exec_cached(
        "INSERT INTO agreements (id, case_id, form, on_date, terms, amount_fen) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![agreement_id.to_string(), case_id.to_string(), form.key(), on, serde_json::to_string(terms)?, amount.0],
    )?;
    conn.exec_cached(
        "UPDATE cases SET status = ?2, agreed_on = ?3 WHERE id = ?1",
        params![case_id.to_string(), CaseStatus::Agreed.key(), on],
    )?;
    Ok(())
}

/// How the agreement is being carried out.
pub(super) fn performance_recorded(
    conn: &Connection,
    ev: &Event,
    payload: &body::PerformanceRecorded,
) -> Result<()> {
    let body::PerformanceRecorded {
        case_id,
        on,
        note,
        fulfilled,
    } = payload;
    let head = CaseHead::load(conn, *case_id)?;
    head.check_action(conn, ev, *on, "登记履行情况")?;
    if !head.has_agreement {
        return Err(LedgerError::State(
            "该案件尚无调解协议，无从登记履行情况".into(),
        ));
    }
    conn.exec_cached(
        "INSERT INTO performances (event_id, case_id, on_date, note, fulfilled) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![ev.id.to_string(), case_id.to_string(), on, text(note, "note", "履行情况", true)?, fulfilled],
    )?;
    Ok(())
}

/// A follow-up visit (回访).
pub(super) fn follow_up_recorded(
    conn: &Connection,
    ev: &Event,
    payload: &body::FollowUpRecorded,
) -> Result<()> {
    let body::FollowUpRecorded {
        case_id,
        followup_id,
        on,
        visitor,
        performance,
        satisfaction,
        lawsuit,
        new_risk,
        measures,
    } = payload;
    let head = CaseHead::load(conn, *case_id)?;
    head.check_action(conn, ev, *on, "登记回访")?;
    conn.exec_cached(
        "INSERT INTO followups (id, case_id, on_date, visitor, performance, satisfaction, lawsuit, new_risk, measures, unit)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            followup_id.to_string(),
            case_id.to_string(),
            on,
            text(visitor, "visitor", "回访人", true)?,
            text(performance, "performance", "回访情况", false)?,
            satisfaction.map(|s| s.key()),
            lawsuit,
            text(new_risk, "new_risk", "新的风险", false)?,
            text(measures, "measures", "采取的措施", false)?,
            ev.unit
        ],
    )?;
    conn.exec_cached(
        "UPDATE cases SET last_visit_on = max(coalesce(last_visit_on, ?2), ?2) WHERE id = ?1",
        params![case_id.to_string(), on],
    )?;
    Ok(())
}

/// Closing a case.
pub(super) fn closed(conn: &Connection, ev: &Event, payload: &body::CaseClosed) -> Result<()> {
    let body::CaseClosed {
        case_id,
        on,
        outcome,
        note,
    } = payload;
    let head = CaseHead::load(conn, *case_id)?;
    head.check_action(conn, ev, *on, "结案")?;
    if head.pending_escalation.is_some() {
        return Err(LedgerError::State(
            "该案件已提请上交，须等上级受理或退回后才能结案".into(),
        ));
    }
    if *outcome == ClosingOutcome::Resolved && !head.has_agreement {
        return Err(LedgerError::State(
            "以“调解成功”结案须先登记调解协议".into(),
        ));
    }
    conn.exec_cached(
        "UPDATE cases SET status = ?2, closed_on = ?3, closing_outcome = ?4 WHERE id = ?1",
        params![
            case_id.to_string(),
            CaseStatus::Closed.key(),
            on,
            outcome.key()
        ],
    )?;
    let _ = text(note, "note", "结案说明", false)?;
    Ok(())
}

/// A new case: its number, its intake form and its parties.
pub(super) fn opened(conn: &Connection, ev: &Event, payload: &body::CaseOpened) -> Result<()> {
    let body::CaseOpened {
        case_id,
        number,
        mediator,
        intake,
    } = payload;
    let (case_id, mediator) = (*case_id, *mediator);
    let exists: bool = conn.row_cached(
        "SELECT EXISTS (SELECT 1 FROM cases WHERE id = ?1)",
        [case_id.to_string()],
        |r| r.get(0),
    )?;
    if exists {
        return Err(LedgerError::State(format!("案件 {case_id} 已经登记过")));
    }
    unit_level(conn, &ev.unit)?;
    text(&intake.facts, "facts", "纠纷简要情况", true)?;
    if intake.parties.is_empty() {
        return Err(LedgerError::invalid("parties", "请至少登记一位当事人"));
    }
    // Two devices that share a lane (a copied database) can both take the
    // same number; the later one in fold order moves to the next free one,
    // and its outcome says so.
    let mut number = number.clone();
    let taken = |n: &CaseNumber| -> Result<bool> {
        Ok(conn.row_cached(
            "SELECT EXISTS (SELECT 1 FROM cases WHERE origin_unit = ?1 AND number_year = ?2
                 AND number_lane = ?3 AND number_seq = ?4)",
            params![ev.unit, n.year, n.lane, n.seq],
            |r| r.get(0),
        )?)
    };
    if taken(&number)? {
        let original = number.to_string();
        number.seq = next_number_seq(conn, &ev.unit, number.year, number.lane)?;
        conn.exec_cached(
            "INSERT INTO outcomes (event_id, applied, reason) VALUES (?1, 1, ?2)",
            params![
                ev.id.to_string(),
                format!("案号{original}与其他案件重复，已改为{number}")
            ],
        )?;
    }
    // What the search finds a case by beside its number, facts and requests
    // (read from their own columns: see `queries::CASE_TEXT`).
    let mut search = intake.key_persons.clone();
    for p in &intake.parties {
        for part in [
            Some(&p.name),
            p.id_number.as_ref(),
            p.phone.as_ref(),
            p.address.as_ref(),
        ]
        .into_iter()
        .flatten()
        {
            search.push('\n');
            search.push_str(part);
        }
    }
    conn.exec_cached(
        "INSERT INTO cases (id, unit, origin_unit, number, number_year, number_lane, number_seq, received_on,
             dispute_type, source, mediation_type, facts, requests, amount_fen, people_involved, petition_risk,
             criminal_risk, key_persons, mediator, status, search, opened_hlc)
         VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
        params![
            case_id.to_string(),
            ev.unit,
            number.to_string(),
            number.year,
            number.lane,
            number.seq,
            intake.received_on,
            intake.dispute_type.key(),
            intake.source.key(),
            intake.mediation_type.key(),
            intake.facts,
            intake.requests,
            intake.amount.0,
            intake.people_involved,
            intake.petition_risk,
            intake.criminal_risk,
            intake.key_persons,
            mediator.map(|m| m.to_string()),
            CaseStatus::Registered.key(),
            search,
            ev.hlc.raw()
        ],
    )?;
    for (i, p) in intake.parties.iter().enumerate() {
        conn.exec_cached(
            "INSERT INTO parties (case_id, idx, side, name, gender, ethnicity, birth_date, age, occupation, phone, address, id_number)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                case_id.to_string(),
                i as i64,
                p.side.key(),
                p.name,
                p.gender.map(|g| g.key()),
                p.ethnicity,
                p.birth_date,
                p.age,
                p.occupation,
                p.phone,
                p.address,
                p.id_number
            ],
        )?;
    }
    Ok(())
}

/// The next free number in a unit's lane for a year.
pub(crate) fn next_number_seq(conn: &Connection, unit: &str, year: i32, lane: u32) -> Result<u32> {
    Ok(conn.row_cached(
        "SELECT coalesce(max(number_seq), 0) + 1 FROM cases WHERE origin_unit = ?1 AND number_year = ?2 AND number_lane = ?3",
        params![unit, year, lane],
        |r| r.get(0),
    )?)
}
