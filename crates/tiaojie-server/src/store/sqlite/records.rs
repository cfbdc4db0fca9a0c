//! The hub's small tables in SQLite: identity, units, enrollment codes,
//! devices; and the text forms of times and ids.

use crate::error::{Result, ServerError};
use crate::store::{DeviceRecord, EnrollCode, HubIdentity};
use chrono::{DateTime, SecondsFormat, SubsecRound, Utc};
use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};
use tiaojie_ledger::domain::unit::UnitSpec;
use uuid::Uuid;

/// A time as stored: RFC 3339 in UTC, to the microsecond (as PostgreSQL
/// keeps it, so both stores give back the same values).
pub(super) fn ts(t: DateTime<Utc>) -> String {
    t.trunc_subsecs(6)
        .to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn conversion<E: std::error::Error + Send + Sync + 'static>(
    idx: usize,
    ty: Type,
    e: E,
) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(idx, ty, Box::new(e))
}

pub(super) fn get_ts(row: &Row<'_>, idx: usize) -> rusqlite::Result<DateTime<Utc>> {
    let text: String = row.get(idx)?;
    DateTime::parse_from_rfc3339(&text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| conversion(idx, Type::Text, e))
}

fn get_opt_ts(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    match row.get_ref(idx)?.as_str_or_null()? {
        None => Ok(None),
        Some(_) => get_ts(row, idx).map(Some),
    }
}

pub(super) fn get_uuid(row: &Row<'_>, idx: usize) -> rusqlite::Result<Uuid> {
    let text: String = row.get(idx)?;
    Uuid::parse_str(&text).map_err(|e| conversion(idx, Type::Text, e))
}

pub(super) fn get_opt_uuid(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<Uuid>> {
    match row.get_ref(idx)?.as_str_or_null()? {
        None => Ok(None),
        Some(_) => get_uuid(row, idx).map(Some),
    }
}

fn get_key(row: &Row<'_>, idx: usize) -> rusqlite::Result<[u8; 32]> {
    let bytes: Vec<u8> = row.get(idx)?;
    bytes.try_into().map_err(|b: Vec<u8>| {
        rusqlite::Error::InvalidColumnType(idx, format!("{} 字节的密钥", b.len()), Type::Blob)
    })
}

fn load_identity(conn: &Connection) -> Result<Option<HubIdentity>> {
    Ok(conn
        .query_row(
            "SELECT hub_id, secret, signing_seed FROM hub_identity WHERE id = 1",
            [],
            |r| {
                Ok(HubIdentity {
                    hub_id: get_uuid(r, 0)?,
                    secret: get_key(r, 1)?,
                    signing_seed: get_key(r, 2)?,
                })
            },
        )
        .optional()?)
}

pub(super) fn identity(conn: &mut Connection) -> Result<HubIdentity> {
    if let Some(found) = load_identity(conn)? {
        return Ok(found);
    }
    let mut secret = [0u8; 32];
    let mut signing_seed = [0u8; 32];
    getrandom::fill(&mut secret).expect("the operating system has no random source");
    getrandom::fill(&mut signing_seed).expect("the operating system has no random source");
    // Another process on the same file may have made it meanwhile: the
    // first one stays.
    conn.execute(
        "INSERT INTO hub_identity (id, hub_id, secret, signing_seed) VALUES (1, ?1, ?2, ?3)
         ON CONFLICT (id) DO NOTHING",
        params![Uuid::now_v7().to_string(), &secret[..], &signing_seed[..]],
    )?;
    load_identity(conn)?.ok_or_else(|| ServerError::Config("无法建立中心身份".into()))
}

pub(super) fn units(conn: &Connection) -> Result<Vec<UnitSpec>> {
    let mut stmt = conn.prepare(
        "SELECT code, name, short_name, level, parent, committee FROM units
         ORDER BY level DESC, code",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(UnitSpec {
            code: r.get(0)?,
            name: r.get(1)?,
            short_name: r.get(2)?,
            level: r.get(3)?,
            parent: r.get(4)?,
            committee: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Takes a unit into the hub's tree, or updates it.
pub(super) fn upsert_unit(conn: &Connection, unit: &UnitSpec) -> Result<()> {
    conn.execute(
        "INSERT INTO units (code, name, short_name, level, parent, committee)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (code) DO UPDATE SET name = excluded.name, short_name = excluded.short_name,
             level = excluded.level, parent = excluded.parent, committee = excluded.committee",
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

pub(super) fn add_enroll_code(conn: &Connection, code: &EnrollCode) -> Result<()> {
    let added = conn.execute(
        "INSERT INTO enroll_codes (code_hash, unit, created_at, expires_at, used_at, used_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (code_hash) DO NOTHING",
        params![
            code.code_hash,
            code.unit,
            ts(code.created_at),
            ts(code.expires_at),
            code.used_at.map(ts),
            code.used_by.map(|u| u.to_string())
        ],
    )?;
    if added == 0 {
        return Err(ServerError::Conflict("注册码已存在".into()));
    }
    Ok(())
}

pub(super) fn enroll_codes(conn: &Connection) -> Result<Vec<EnrollCode>> {
    let mut stmt = conn.prepare(
        "SELECT code_hash, unit, created_at, expires_at, used_at, used_by FROM enroll_codes
         ORDER BY created_at, code_hash",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(EnrollCode {
            code_hash: r.get(0)?,
            unit: r.get(1)?,
            created_at: get_ts(r, 2)?,
            expires_at: get_ts(r, 3)?,
            used_at: get_opt_ts(r, 4)?,
            used_by: get_opt_uuid(r, 5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(super) fn redeem_enroll_code(
    conn: &mut Connection,
    code_hash: &str,
    device: &DeviceRecord,
    now: DateTime<Utc>,
) -> Result<DeviceRecord> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let code = tx
        .query_row(
            "SELECT unit, expires_at, used_at FROM enroll_codes WHERE code_hash = ?1",
            [code_hash],
            |r| Ok((r.get::<_, String>(0)?, get_ts(r, 1)?, get_opt_ts(r, 2)?)),
        )
        .optional()?;
    let (unit, expires_at, used_at) =
        code.ok_or_else(|| ServerError::NotFound(crate::store::common::CODE_UNKNOWN.into()))?;
    if used_at.is_some() {
        return Err(ServerError::Conflict(
            crate::store::common::CODE_USED.into(),
        ));
    }
    if now > expires_at {
        return Err(ServerError::Gone(crate::store::common::CODE_EXPIRED.into()));
    }
    let record = DeviceRecord {
        unit,
        ..device.clone()
    };
    if !insert_device(&tx, &record)? {
        return Err(ServerError::Conflict("该设备已注册，不能重复注册".into()));
    }
    tx.execute(
        "UPDATE enroll_codes SET used_at = ?2, used_by = ?3 WHERE code_hash = ?1",
        params![code_hash, ts(now), device.id.to_string()],
    )?;
    tx.commit()?;
    Ok(DeviceRecord {
        enrolled_at: record.enrolled_at.trunc_subsecs(6),
        revoked_at: record.revoked_at.map(|t| t.trunc_subsecs(6)),
        ..record
    })
}

/// Inserts a device; false if its id is taken.
fn insert_device(conn: &Connection, d: &DeviceRecord) -> Result<bool> {
    let added = conn.execute(
        "INSERT INTO devices (id, unit, public_key, label, enrolled_at, revoked_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (id) DO NOTHING",
        params![
            d.id.to_string(),
            d.unit,
            d.public_key,
            d.label,
            ts(d.enrolled_at),
            d.revoked_at.map(ts)
        ],
    )?;
    Ok(added == 1)
}

const DEVICE_COLUMNS: &str =
    "SELECT id, unit, public_key, label, enrolled_at, revoked_at FROM devices";

fn device_row(r: &Row<'_>) -> rusqlite::Result<DeviceRecord> {
    Ok(DeviceRecord {
        id: get_uuid(r, 0)?,
        unit: r.get(1)?,
        public_key: r.get(2)?,
        label: r.get(3)?,
        enrolled_at: get_ts(r, 4)?,
        revoked_at: get_opt_ts(r, 5)?,
    })
}

pub(super) fn device(conn: &Connection, id: Uuid) -> Result<Option<DeviceRecord>> {
    let sql = format!("{DEVICE_COLUMNS} WHERE id = ?1");
    Ok(conn
        .query_row(&sql, [id.to_string()], device_row)
        .optional()?)
}

pub(super) fn devices(conn: &Connection) -> Result<Vec<DeviceRecord>> {
    let mut stmt = conn.prepare(&format!("{DEVICE_COLUMNS} ORDER BY enrolled_at, id"))?;
    let rows = stmt.query_map([], device_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(super) fn ensure_device(conn: &Connection, device: &DeviceRecord) -> Result<()> {
    insert_device(conn, device)?;
    Ok(())
}

pub(super) fn revoke_device(conn: &Connection, id: Uuid, at: DateTime<Utc>) -> Result<bool> {
    // The first revocation's time stays.
    let changed = conn.execute(
        "UPDATE devices SET revoked_at = coalesce(revoked_at, ?2) WHERE id = ?1",
        params![id.to_string(), ts(at)],
    )?;
    Ok(changed == 1)
}
