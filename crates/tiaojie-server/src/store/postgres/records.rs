//! The hub's small tables in PostgreSQL: identity, units, enrollment codes,
//! devices.

use crate::error::{Result, ServerError};
use crate::store::{DeviceRecord, EnrollCode, HubIdentity};
use chrono::{DateTime, SubsecRound, Utc};
use tiaojie_ledger::domain::unit::UnitSpec;
use tokio_postgres::{Client, GenericClient, Row};
use uuid::Uuid;

fn key(row: &Row, idx: usize) -> Result<[u8; 32]> {
    let bytes: Vec<u8> = row.try_get(idx)?;
    bytes
        .try_into()
        .map_err(|_| ServerError::Config("中心身份记录已损坏".into()))
}

async fn load_identity(client: &Client) -> Result<Option<HubIdentity>> {
    let row = client
        .query_opt(
            "SELECT hub_id, secret, signing_seed FROM hub_identity WHERE id = 1",
            &[],
        )
        .await?;
    row.map(|r| {
        Ok(HubIdentity {
            hub_id: r.try_get(0)?,
            secret: key(&r, 1)?,
            signing_seed: key(&r, 2)?,
        })
    })
    .transpose()
}

pub(super) async fn identity(client: &Client) -> Result<HubIdentity> {
    if let Some(found) = load_identity(client).await? {
        return Ok(found);
    }
    let mut secret = [0u8; 32];
    let mut signing_seed = [0u8; 32];
    getrandom::fill(&mut secret).expect("the operating system has no random source");
    getrandom::fill(&mut signing_seed).expect("the operating system has no random source");
    // Another instance may be making it at the same moment: the first
    // insert wins, the other waits for it and does nothing.
    client
        .execute(
            "INSERT INTO hub_identity (id, hub_id, secret, signing_seed) VALUES (1, $1, $2, $3)
             ON CONFLICT (id) DO NOTHING",
            &[&Uuid::now_v7(), &&secret[..], &&signing_seed[..]],
        )
        .await?;
    load_identity(client)
        .await?
        .ok_or_else(|| ServerError::Config("无法建立中心身份".into()))
}

pub(super) async fn units(client: &Client) -> Result<Vec<UnitSpec>> {
    let rows = client
        .query(
            "SELECT code, name, short_name, level, parent, committee FROM units
             ORDER BY level DESC, code",
            &[],
        )
        .await?;
    rows.iter()
        .map(|r| {
            let level: i16 = r.try_get(3)?;
            Ok(UnitSpec {
                code: r.try_get(0)?,
                name: r.try_get(1)?,
                short_name: r.try_get(2)?,
                level: u8::try_from(level)
                    .map_err(|_| ServerError::Config(format!("单位层级 {level} 无效")))?,
                parent: r.try_get(4)?,
                committee: r.try_get(5)?,
            })
        })
        .collect()
}

/// Takes a unit into the hub's tree, or updates it.
pub(super) async fn upsert_unit(client: &impl GenericClient, unit: &UnitSpec) -> Result<()> {
    client
        .execute(
            "INSERT INTO units (code, name, short_name, level, parent, committee)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (code) DO UPDATE SET name = excluded.name, short_name = excluded.short_name,
                 level = excluded.level, parent = excluded.parent, committee = excluded.committee",
            &[
                &unit.code,
                &unit.name,
                &unit.short_name,
                &i16::from(unit.level),
                &unit.parent,
                &unit.committee,
            ],
        )
        .await?;
    Ok(())
}

pub(super) async fn add_enroll_code(client: &Client, code: &EnrollCode) -> Result<()> {
    let added = client
        .execute(
            "INSERT INTO enroll_codes (code_hash, unit, created_at, expires_at, used_at, used_by)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code_hash) DO NOTHING",
            &[
                &code.code_hash,
                &code.unit,
                &code.created_at,
                &code.expires_at,
                &code.used_at,
                &code.used_by,
            ],
        )
        .await?;
    if added == 0 {
        return Err(ServerError::Conflict("注册码已存在".into()));
    }
    Ok(())
}

pub(super) async fn enroll_codes(client: &Client) -> Result<Vec<EnrollCode>> {
    let rows = client
        .query(
            "SELECT code_hash, unit, created_at, expires_at, used_at, used_by FROM enroll_codes
             ORDER BY created_at, code_hash",
            &[],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(EnrollCode {
                code_hash: r.try_get(0)?,
                unit: r.try_get(1)?,
                created_at: r.try_get(2)?,
                expires_at: r.try_get(3)?,
                used_at: r.try_get(4)?,
                used_by: r.try_get(5)?,
            })
        })
        .collect()
}

pub(super) async fn redeem_enroll_code(
    client: &mut deadpool_postgres::Client,
    code_hash: &str,
    device: &DeviceRecord,
    now: DateTime<Utc>,
) -> Result<DeviceRecord> {
    let tx = client.transaction().await?;
    // The row lock makes a second redemption of the code wait, then see it used.
    let code = tx
        .query_opt(
            "SELECT unit, expires_at, used_at FROM enroll_codes WHERE code_hash = $1 FOR UPDATE",
            &[&code_hash],
        )
        .await?
        .ok_or_else(|| ServerError::NotFound(crate::store::common::CODE_UNKNOWN.into()))?;
    let (unit, expires_at, used_at): (String, DateTime<Utc>, Option<DateTime<Utc>>) =
        (code.try_get(0)?, code.try_get(1)?, code.try_get(2)?);
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
        enrolled_at: device.enrolled_at.trunc_subsecs(6),
        revoked_at: device.revoked_at.map(|t| t.trunc_subsecs(6)),
        ..device.clone()
    };
    if !insert_device(&*tx, &record).await? {
        return Err(ServerError::Conflict("该设备已注册，不能重复注册".into()));
    }
    tx.execute(
        "UPDATE enroll_codes SET used_at = $2, used_by = $3 WHERE code_hash = $1",
        &[&code_hash, &now, &device.id],
    )
    .await?;
    tx.commit().await?;
    Ok(record)
}

/// Inserts a device; false if its id is taken.
async fn insert_device(client: &impl GenericClient, d: &DeviceRecord) -> Result<bool> {
    let added = client
        .execute(
            "INSERT INTO devices (id, unit, public_key, label, enrolled_at, revoked_at)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING",
            &[
                &d.id,
                &d.unit,
                &d.public_key,
                &d.label,
                &d.enrolled_at,
                &d.revoked_at,
            ],
        )
        .await?;
    Ok(added == 1)
}

const DEVICE_COLUMNS: &str =
    "SELECT id, unit, public_key, label, enrolled_at, revoked_at FROM devices";

fn device_row(r: &Row) -> Result<DeviceRecord> {
    Ok(DeviceRecord {
        id: r.try_get(0)?,
        unit: r.try_get(1)?,
        public_key: r.try_get(2)?,
        label: r.try_get(3)?,
        enrolled_at: r.try_get(4)?,
        revoked_at: r.try_get(5)?,
    })
}

pub(super) async fn device(client: &Client, id: Uuid) -> Result<Option<DeviceRecord>> {
    let row = client
        .query_opt(&format!("{DEVICE_COLUMNS} WHERE id = $1"), &[&id])
        .await?;
    row.as_ref().map(device_row).transpose()
}

pub(super) async fn devices(client: &Client) -> Result<Vec<DeviceRecord>> {
    let rows = client
        .query(&format!("{DEVICE_COLUMNS} ORDER BY enrolled_at, id"), &[])
        .await?;
    rows.iter().map(device_row).collect()
}

pub(super) async fn ensure_device(client: &Client, device: &DeviceRecord) -> Result<()> {
    insert_device(client, device).await?;
    Ok(())
}

pub(super) async fn revoke_device(client: &Client, id: Uuid, at: DateTime<Utc>) -> Result<bool> {
    // The first revocation's time stays.
    let changed = client
        .execute(
            "UPDATE devices SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1",
            &[&id, &at],
        )
        .await?;
    Ok(changed == 1)
}
