//! Folding the events that shape the organisation: units, mediators, the
//! grading scheme, and screening reports.

use super::Cached;
use crate::domain::scheme::Scheme;
use crate::domain::unit::{MediatorSpec, UnitSpec};
use crate::error::{Entity, LedgerError, Result};
use crate::event::{Event, body};
use rusqlite::{Connection, OptionalExtension, params};

/// A unit's screening report (排查) for a period.
pub(super) fn screening_reported(
    conn: &Connection,
    ev: &Event,
    payload: &body::ScreeningReported,
) -> Result<()> {
    let body::ScreeningReported {
        round_id,
        period_start,
        period_end,
        on,
        found,
        note,
    } = payload;
    unit_level(conn, &ev.unit)?;
    if period_end < period_start {
        return Err(LedgerError::invalid(
            "period_end",
            "排查期间的结束日期早于开始日期",
        ));
    }
    if on < period_start {
        return Err(LedgerError::invalid("on", "上报日期早于排查期间开始"));
    }
    let dup: bool = conn.row_cached(
        "SELECT EXISTS (SELECT 1 FROM screenings WHERE unit = ?1 AND period_start = ?2 AND period_end = ?3)",
        params![ev.unit, period_start, period_end],
        |r| r.get(0),
    )?;
    if dup {
        return Err(LedgerError::State(format!(
            "本单位 {period_start} 至 {period_end} 的排查已经上报过"
        )));
    }
    conn.exec_cached(
        "INSERT INTO screenings (id, unit, period_start, period_end, on_date, found, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            round_id.to_string(),
            ev.unit,
            period_start,
            period_end,
            on,
            found,
            note
        ],
    )?;
    Ok(())
}

/// The level of a registered unit, or NotFound naming the code.
pub(crate) fn unit_level(conn: &Connection, code: &str) -> Result<u8> {
    conn.row_cached("SELECT level FROM units WHERE code = ?1", [code], |r| {
        r.get(0)
    })
    .optional()?
    .ok_or_else(|| LedgerError::not_found(Entity::Unit, code))
}

/// The chain of parents above `code`, nearest first.
pub(crate) fn ancestors(conn: &Connection, code: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "WITH RECURSIVE up(code, depth) AS (
             SELECT parent, 1 FROM units WHERE code = ?1 AND parent IS NOT NULL
             UNION ALL
             SELECT u.parent, up.depth + 1 FROM units u JOIN up ON u.code = up.code
             WHERE u.parent IS NOT NULL AND up.depth < 10
         )
         SELECT code FROM up ORDER BY depth",
    )?;
    let rows = stmt.query_map([code], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
}

/// Registers or updates a unit. A registration without a parent keeps the
/// parent already known: a device's `init` names only its own unit and must
/// not cut it out of the tree that other devices registered.
pub(super) fn register_unit(conn: &Connection, unit: &UnitSpec) -> Result<()> {
    unit.validate()?;
    let kept: Option<String> = conn
        .query_row(
            "SELECT parent FROM units WHERE code = ?1",
            [&unit.code],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    if let Some(parent) = unit.parent.as_ref().or(kept.as_ref()) {
        let parent_level = unit_level(conn, parent).map_err(|_| {
            LedgerError::invalid(
                "parent",
                format!("上级单位“{parent}”尚未登记，请先登记上级单位"),
            )
        })?;
        if parent_level <= unit.level {
            return Err(LedgerError::invalid(
                "parent",
                format!(
                    "上级单位的层级（{parent_level}）应高于本单位（{}）",
                    unit.level
                ),
            ));
        }
        if ancestors(conn, parent)?.contains(&unit.code) {
            return Err(LedgerError::invalid("parent", "上级关系形成了循环"));
        }
    }
    // A unit that already has subordinates cannot drop below them.
    let child_level: Option<u8> = conn.row_cached(
        "SELECT max(level) FROM units WHERE parent = ?1",
        [&unit.code],
        |r| r.get(0),
    )?;
    if let Some(cl) = child_level.filter(|cl| *cl >= unit.level) {
        return Err(LedgerError::invalid(
            "level",
            format!("该单位下属单位的层级为 {cl}，本单位层级应高于它"),
        ));
    }
    conn.exec_cached(
        "INSERT INTO units (code, name, short_name, level, parent, committee)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (code) DO UPDATE SET name = excluded.name, short_name = excluded.short_name,
             level = excluded.level, parent = coalesce(excluded.parent, units.parent),
             committee = excluded.committee",
        params![
            unit.code,
            unit.name,
            unit.short_name,
            unit.level,
            unit.parent,
            unit.committee
        ],
    )?;
    Ok(())
}

pub(super) fn register_mediator(conn: &Connection, m: &MediatorSpec) -> Result<()> {
    let m = m.clone().validate()?;
    unit_level(conn, &m.unit)
        .map_err(|_| LedgerError::invalid("unit", format!("单位“{}”尚未登记", m.unit)))?;
    conn.exec_cached(
        "INSERT INTO mediators (id, name, phone, unit, role, specialties, active) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, phone = excluded.phone, unit = excluded.unit,
             role = excluded.role, specialties = excluded.specialties, active = excluded.active",
        params![
            m.id.to_string(),
            m.name,
            m.phone,
            m.unit,
            m.role.key(),
            serde_json::to_string(&m.specialties)?,
            m.active
        ],
    )?;
    Ok(())
}

pub(super) fn configure_scheme(conn: &Connection, scheme: &Scheme) -> Result<()> {
    scheme.validate()?;
    let mut stmt = conn.prepare(
        "SELECT grade, count(*) FROM cases WHERE closed_on IS NULL AND grade IS NOT NULL GROUP BY grade ORDER BY grade",
    )?;
    let in_use = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
    for row in in_use {
        let (grade, n) = row?;
        if scheme.grade(&grade).is_none() {
            return Err(LedgerError::State(format!(
                "还有{n}件在办案件为“{grade}”等级，新方案不能删去这一等级"
            )));
        }
    }
    write_scheme(conn, scheme)
}

pub(super) fn write_scheme(conn: &Connection, scheme: &Scheme) -> Result<()> {
    conn.exec_cached("DELETE FROM grades", [])?;
    for g in &scheme.grades {
        conn.exec_cached(
            "INSERT INTO grades (key, name, cadence_days, rank, color) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![g.key, g.name, g.cadence_days, g.rank, g.color],
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Ledger;

    #[test]
    fn ancestors_nearest_first_and_levels_must_rise() {
        let mut l = Ledger::open_in_memory().unwrap();
        l.init(UnitSpec::new("430302000000", "区中心", None, 3, None), 0)
            .unwrap();
        l.add_unit(UnitSpec::new(
            "430302001000",
            "派出所",
            None,
            2,
            Some("430302000000"),
        ))
        .unwrap();
        l.add_unit(UnitSpec::new(
            "430302001001",
            "青山村",
            None,
            1,
            Some("430302001000"),
        ))
        .unwrap();
        assert_eq!(
            ancestors(l.conn(), "430302001001").unwrap(),
            vec!["430302001000", "430302000000"]
        );
        let err = l
            .add_unit(UnitSpec::new(
                "430302001002",
                "白石村",
                None,
                2,
                Some("430302001000"),
            ))
            .unwrap_err();
        assert_eq!(err.field(), Some("parent"));
        // A unit with subordinates cannot drop to their level.
        let err = l
            .add_unit(UnitSpec::new("430302001000", "派出所", None, 1, None))
            .unwrap_err();
        assert_eq!(err.field(), Some("level"));
    }
}
