//! Folding events into the projection, in (hlc, device, seq) order. The fold
//! is deterministic: the same set of events gives the same tables whatever
//! order they arrived in. An event that breaks a rule at its place in the
//! order does not take effect; its outcome row keeps the reason.

use super::Cached;
use super::{apply_admin, apply_case, apply_flow, attachments, parse_uuid, purge};
use crate::domain::authority::{self, Issuer};
use crate::domain::scheme::Scheme;
use crate::error::{LedgerError, Result};
use crate::event::{Event, EventBody};
use crate::hlc::Hlc;
use rusqlite::{Connection, OptionalExtension, params};
use std::fmt::Write;
use uuid::Uuid;

/// Projection tables, in the order they are cleared and fingerprinted, with
/// the key that orders their rows.
const PROJECTION: &[(&str, &str)] = &[
    ("outcomes", "event_id"),
    ("units", "code"),
    ("mediators", "id"),
    ("grades", "key"),
    ("cases", "id"),
    ("parties", "case_id, idx"),
    ("gradings", "event_id"),
    ("escalations", "id"),
    ("supports", "id"),
    ("referrals", "id"),
    ("sessions", "id"),
    ("agreements", "id"),
    ("performances", "event_id"),
    ("followups", "id"),
    ("screenings", "id"),
    ("attachments", "id"),
    ("purged_cases", "case_id"),
];

/// Checks an event against the state and makes its change. Errors that a
/// person caused mean "this event does not apply here".
pub(crate) fn apply(conn: &Connection, ev: &Event) -> Result<()> {
    use EventBody::*;
    authorise(conn, ev)?;
    match &ev.body {
        UnitRegistered(unit) => apply_admin::register_unit(conn, unit),
        MediatorRegistered(m) => apply_admin::register_mediator(conn, m),
        SchemeConfigured(scheme) => apply_admin::configure_scheme(conn, scheme),
        ScreeningReported(p) => apply_admin::screening_reported(conn, ev, p),
        CaseOpened(p) => apply_case::opened(conn, ev, p),
        CaseGraded(p) => apply_case::graded(conn, ev, p),
        SessionRecorded(p) => apply_case::session_recorded(conn, ev, p),
        AgreementMade(p) => apply_case::agreement_made(conn, ev, p),
        PerformanceRecorded(p) => apply_case::performance_recorded(conn, ev, p),
        FollowUpRecorded(p) => apply_case::follow_up_recorded(conn, ev, p),
        CaseClosed(p) => apply_case::closed(conn, ev, p),
        EscalationRequested(p) => apply_flow::escalation_requested(conn, ev, p),
        EscalationAccepted(p) => apply_flow::escalation_accepted(conn, ev, p),
        EscalationReturned(p) => apply_flow::escalation_returned(conn, ev, p),
        SupportRequested(p) => apply_flow::support_requested(conn, ev, p),
        SupportAnswered(p) => apply_flow::support_answered(conn, ev, p),
        CaseReferred(p) => apply_flow::referred(conn, ev, p),
        ReferralAnswered(p) => apply_flow::referral_answered(conn, ev, p),
        AttachmentAdded(p) => attachments::attachment_added(conn, ev, p),
        AttachmentRemoved(p) => attachments::attachment_removed(conn, ev, p),
        CasePurged(p) => purge::case_purged(conn, ev, p),
        Redacted(p) => purge::redacted(conn, ev, p),
    }
}

/// Whether the event's device may emit it at all (`domain::authority`):
/// settings only from a trusted hub, a roster and a case only from whoever
/// registered them first here.
fn authorise(conn: &Connection, ev: &Event) -> Result<()> {
    use EventBody::*;
    let refuse = |reason: String| Err(LedgerError::NotYours(reason));
    match &ev.body {
        UnitRegistered(_) | SchemeConfigured(_) | MediatorRegistered(_) => {
            let issuer = issuer(conn, ev.device)?;
            authority::may_emit(&ev.body, &ev.unit, issuer).or_else(refuse)?;
            if let (MediatorRegistered(m), Issuer::Device) = (&ev.body, issuer) {
                match first_roster_unit(conn, m.id)? {
                    Some(owner) if owner != ev.unit => {
                        return refuse(authority::mediator_taken(&owner));
                    }
                    _ => {}
                }
            }
            Ok(())
        }
        CaseOpened(opened) => match first_opener(conn, opened.case_id)? {
            Some(device) if device != ev.device.to_string() => {
                refuse(authority::case_taken(opened.case_id))
            }
            _ => Ok(()),
        },
        _ => Ok(()),
    }
}

/// The device's standing: a hub this ledger trusts, an enrolled device, or
/// the device of a ledger that trusts no hub.
fn issuer(conn: &Connection, device: Uuid) -> Result<Issuer> {
    let (is_hub, governed): (bool, bool) = conn.row_cached(
        "SELECT EXISTS (SELECT 1 FROM trusted_hubs WHERE device = ?1), EXISTS (SELECT 1 FROM trusted_hubs)",
        [device.to_string()],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(match (is_hub, governed) {
        (true, _) => Issuer::Hub,
        (false, true) => Issuer::Device,
        (false, false) => Issuer::Standalone,
    })
}

/// The device whose `case_opened` for the case arrived here first: arrival
/// order, not clock order, so that an early stamp wins nothing.
fn first_opener(conn: &Connection, case_id: Uuid) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT uuid_text(device) FROM events WHERE case_id = ?1 AND kind = 'case_opened' ORDER BY rowid LIMIT 1",
        )?
        .query_row([case_id], |r| r.get(0))
        .optional()?)
}

/// The unit named by the first registration of a mediator that arrived here.
fn first_roster_unit(conn: &Connection, mediator: Uuid) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT json_extract(event_json(raw), '$.body.unit') FROM events
             WHERE kind = 'mediator_registered' AND json_extract(event_json(raw), '$.body.id') = ?1
             ORDER BY rowid LIMIT 1",
        )?
        .query_row([mediator.to_string()], |r| r.get(0))
        .optional()?)
}

/// Folds one event, keeping a refusal as an outcome instead of an error.
pub(crate) fn fold_event(conn: &Connection, ev: &Event) -> Result<()> {
    // An event of a case already purged (an offline laptop's late visit
    // record) keeps no content either.
    if purge::stub_if_purged(conn, ev)? {
        return record_outcome(conn, ev, Some("该案件已按保管期限清除"));
    }
    conn.exec_cached("SAVEPOINT fold_one", [])?;
    match apply(conn, ev) {
        Ok(()) => {
            conn.exec_cached("RELEASE fold_one", [])?;
            record_outcome(conn, ev, None)
        }
        Err(e) if e.is_user_error() => {
            conn.execute_batch("ROLLBACK TO fold_one; RELEASE fold_one")?;
            record_outcome(conn, ev, Some(&e.to_string()))
        }
        Err(e) => {
            conn.execute_batch("ROLLBACK TO fold_one; RELEASE fold_one")?;
            Err(e)
        }
    }
}

/// Notes whether the event took effect and moves the fold position to it.
pub(crate) fn record_outcome(conn: &Connection, ev: &Event, refused: Option<&str>) -> Result<()> {
    // An event that simply took effect leaves no row (see `outcomes`); a
    // fold step may already have written a note for an applied one.
    if refused.is_some() {
        conn.exec_cached(
            "INSERT INTO outcomes (event_id, applied, reason) VALUES (?1, 0, ?2) ON CONFLICT (event_id) DO NOTHING",
            params![ev.id.to_string(), refused],
        )?;
    }
    conn.exec_cached(
        "UPDATE fold_state SET last_hlc = ?1, last_device = ?2, last_seq = ?3 WHERE id = 1",
        params![ev.hlc.raw(), ev.device.to_string(), ev.seq],
    )?;
    Ok(())
}

pub(crate) fn last_folded(conn: &Connection) -> Result<(Hlc, Uuid, i64)> {
    let (hlc, device, seq): (i64, String, i64) = conn.row_cached(
        "SELECT last_hlc, last_device, last_seq FROM fold_state WHERE id = 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let device = if device.is_empty() {
        Uuid::nil()
    } else {
        parse_uuid(&device)?
    };
    Ok((Hlc::from_raw(hlc), device, seq))
}

/// Inserts the default scheme into an empty projection.
pub(crate) fn seed_defaults(conn: &Connection) -> Result<()> {
    let empty: bool =
        conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM grades)", [], |r| r.get(0))?;
    if empty {
        apply_admin::write_scheme(conn, &Scheme::default())?;
    }
    Ok(())
}

/// Whether a download left the fold pending (see `fold_pending`).
pub(crate) fn pending(conn: &Connection) -> Result<bool> {
    Ok(
        conn.row_cached("SELECT EXISTS (SELECT 1 FROM fold_pending)", [], |r| {
            r.get(0)
        })?,
    )
}

pub(crate) fn mark_pending(conn: &Connection) -> Result<()> {
    conn.exec_cached("INSERT OR IGNORE INTO fold_pending (id) VALUES (1)", [])?;
    Ok(())
}

/// Folds everything again if a download left the fold pending; says
/// whether it did.
pub(crate) fn settle(conn: &Connection) -> Result<bool> {
    if !pending(conn)? {
        return Ok(false);
    }
    refold(conn)?;
    Ok(true)
}

/// Clears the projection and folds every event again in order. The search
/// index and the case counts, which triggers keep as cases change one by
/// one, are rebuilt once at the end instead.
pub(crate) fn refold(conn: &Connection) -> Result<()> {
    conn.execute("INSERT INTO projection_rebuild (id) VALUES (1)", [])?;
    for (table, _) in PROJECTION {
        conn.execute(&format!("DELETE FROM {table}"), [])?;
    }
    conn.execute(
        "UPDATE fold_state SET last_hlc = -1, last_device = '', last_seq = 0",
        [],
    )?;
    seed_defaults(conn)?;
    for ev in load_events(conn, None)? {
        fold_event(conn, &ev)?;
    }
    rebuild_derived(conn)?;
    conn.execute("DELETE FROM projection_rebuild", [])?;
    conn.execute("DELETE FROM fold_pending", [])?;
    Ok(())
}

/// Fills the search index and the case counts from the cases as they are.
/// The index is made anew from its own definition: with `secure_delete`,
/// the pages of the old one are overwritten, so a purged case's text does
/// not stay behind in them.
pub(crate) fn rebuild_derived(conn: &Connection) -> rusqlite::Result<()> {
    let definition: String = conn.query_row(
        "SELECT sql FROM sqlite_master WHERE name = 'case_search'",
        [],
        |r| r.get(0),
    )?;
    conn.execute_batch(&format!(
        "DROP TABLE case_search;
         {definition};
         INSERT INTO case_search (case_search, rank) VALUES ('secure-delete', 1);
         UPDATE cases SET search_row = rowid;
         INSERT INTO case_search (case_search) VALUES ('rebuild');
         DELETE FROM case_counts;
         INSERT INTO case_counts {RECOUNT_SQL};"
    ))
}

/// The rows `case_counts` holds, counted from the cases themselves.
pub(crate) const RECOUNT_SQL: &str =
    "SELECT unit, received_on, coalesce(grade, ''), dispute_type, source, status,
            coalesce(closing_outcome, ''), closed_on IS NOT NULL, petition_risk, criminal_risk, count(*)
     FROM cases GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10";

pub(crate) fn load_events(conn: &Connection, case_id: Option<Uuid>) -> Result<Vec<Event>> {
    let sql = "SELECT raw FROM events WHERE (?1 IS NULL OR case_id = ?1) ORDER BY hlc, device, seq";
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([case_id], |r| r.get::<_, Vec<u8>>(0))?;
    let mut out = Vec::new();
    for raw in rows {
        out.push(serde_json::from_str(&super::packed::unpack(&raw?)?)?);
    }
    Ok(out)
}

pub(crate) fn fingerprint(conn: &Connection) -> Result<String> {
    let mut out = String::new();
    for (table, key) in PROJECTION {
        let _ = writeln!(out, "## {table}");
        let mut stmt = conn.prepare(&format!("SELECT * FROM {table} ORDER BY {key}"))?;
        // `search_row` is where the case sits in the search index, which
        // depends on the order this ledger happened to fold in.
        let columns: Vec<usize> = (0..stmt.column_count())
            .filter(|&i| stmt.column_name(i).is_ok_and(|n| n != "search_row"))
            .collect();
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let cells: Vec<String> = columns
                .iter()
                .map(|&i| match row.get_ref(i) {
                    Ok(rusqlite::types::ValueRef::Text(t)) => {
                        format!("{:?}", String::from_utf8_lossy(t))
                    }
                    Ok(v) => format!("{v:?}"),
                    Err(e) => format!("<{e}>"),
                })
                .collect();
            let _ = writeln!(out, "{}", cells.join(" | "));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use crate::Ledger;
    use crate::domain::unit::UnitSpec;

    fn ledger() -> Ledger {
        let mut l = Ledger::open_in_memory().unwrap();
        l.init(
            UnitSpec::new("430302000000", "高新区调解中心", None, 3, None),
            0,
        )
        .unwrap();
        l.add_unit(UnitSpec::new(
            "430302001000",
            "双马派出所调解中心",
            None,
            2,
            Some("430302000000"),
        ))
        .unwrap();
        l
    }

    #[test]
    fn folding_again_from_the_start_gives_the_same_projection() {
        let mut l = ledger();
        let before = l.fingerprint().unwrap();
        assert!(before.contains("双马派出所调解中心"));
        l.refold().unwrap();
        assert_eq!(l.fingerprint().unwrap(), before);
    }

    #[test]
    fn the_event_log_is_append_only() {
        let l = ledger();
        let conn = l.conn();
        assert!(conn.execute("UPDATE events SET unit = 'x'", []).is_err());
        assert!(conn.execute("DELETE FROM events", []).is_err());
        assert_eq!(l.events().unwrap().len(), 2);
    }

    #[test]
    fn a_refused_remote_event_is_kept_with_its_reason() {
        let a = ledger();
        let mut events = a.events().unwrap();
        let mut b = Ledger::open_in_memory().unwrap();
        // The same unit registered again with itself as an ancestor's parent.
        let mut bad = events[1].clone();
        bad.id = uuid::Uuid::now_v7();
        bad.seq = 3;
        bad.hlc = crate::hlc::Hlc::from_raw(bad.hlc.raw() + 1);
        bad.body = crate::EventBody::UnitRegistered(UnitSpec::new(
            "430302000000",
            "高新区调解中心",
            None,
            3,
            Some("430302001000"),
        ));
        events.push(bad.clone());
        b.ingest(&events).unwrap();
        let (applied, reason): (bool, Option<String>) = b
            .conn()
            .query_row(
                "SELECT applied, reason FROM outcomes WHERE event_id = ?1",
                [bad.id.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert!(!applied);
        assert!(reason.unwrap().contains("层级"));
    }
}
