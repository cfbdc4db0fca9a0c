//! What the hub's administrator does: register units, hand out enrollment
//! codes, list and revoke devices. Units reach devices as events the hub
//! signs with its own key, through the same path as any device's batch.

use crate::error::{Result, ServerError};
use crate::ingest::{Admission, classify};
use crate::state::AppState;
use crate::store::{DeviceRecord, EnrollCode, HubStore};
use tiaojie_ledger::domain::unit::UnitSpec;
use tiaojie_ledger::event::SCHEMA_VERSION;
use tiaojie_ledger::hlc::Hlc;
use tiaojie_ledger::{Event, EventBody};
use tiaojie_sync::chain;
use tiaojie_sync::frame;
use tiaojie_sync::keys::DeviceKey;
use uuid::Uuid;

/// The author unit the hub's own events carry.
pub const HUB_UNIT: &str = "hub";
/// Characters of enrollment codes: no 0/O, 1/I/L, easy to read aloud.
const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// The hub's own device record, so its events go through the usual checks.
pub fn hub_device(state: &AppState) -> DeviceRecord {
    DeviceRecord {
        id: state.identity.hub_id,
        unit: HUB_UNIT.into(),
        public_key: state.hub_key.public_text(),
        label: "同步中心".into(),
        enrolled_at: chrono::DateTime::UNIX_EPOCH,
        revoked_at: None,
    }
}

/// `unit` and every unit below it.
pub async fn subtree(store: &dyn HubStore, unit: &str) -> Result<Vec<String>> {
    let units = store.units().await?;
    let mut out = vec![unit.to_string()];
    let mut i = 0;
    while i < out.len() && out.len() <= units.len() + 1 {
        let parent = out[i].clone();
        out.extend(
            units
                .iter()
                .filter(|u| u.parent.as_deref() == Some(&parent))
                .map(|u| u.code.clone()),
        );
        i += 1;
    }
    Ok(out)
}

/// Registers or updates a unit of the hub's tree and sends it to every device.
pub async fn add_unit(state: &AppState, unit: UnitSpec) -> Result<()> {
    unit.validate()
        .map_err(|e| ServerError::BadRequest(e.to_string()))?;
    let units = state.store.units().await?;
    if let Some(parent) = &unit.parent {
        let p = units.iter().find(|u| &u.code == parent).ok_or_else(|| {
            ServerError::BadRequest(format!("上级单位“{parent}”尚未登记，请先登记上级单位"))
        })?;
        if p.level <= unit.level {
            return Err(ServerError::BadRequest(format!(
                "上级单位的层级（{}）应高于本单位（{}）",
                p.level, unit.level
            )));
        }
    }
    publish(state, EventBody::UnitRegistered(unit)).await
}

/// Signs an event as the hub and stores it like any device's batch.
async fn publish(state: &AppState, body: EventBody) -> Result<()> {
    let hub = hub_device(state);
    state.store.ensure_device(&hub).await?;
    let head = state.store.head(hub.id).await?;
    let event = Event {
        id: Uuid::now_v7(),
        device: hub.id,
        seq: head.acked_seq + 1,
        hlc: Hlc::from_parts(chrono::Utc::now().timestamp_millis(), 0),
        schema: SCHEMA_VERSION,
        unit: HUB_UNIT.into(),
        actor: Some("管理员".into()),
        body,
    };
    let bytes = serde_json::to_vec(&event).map_err(|e| ServerError::BadRequest(e.to_string()))?;
    let prev = chain::from_hex(&head.last_hash).unwrap_or(chain::GENESIS);
    let encoded = frame::encode_batch(&state.hub_key, hub.id, event.seq, &prev, &[bytes]);
    let batch = frame::decode_batch(&encoded, &hub.public_key)?;
    let incoming = classify(&batch, &hub, Admission::under(hub.id, &state.limits));
    let ack = state.store.ingest(&incoming).await?;
    if let Some(q) = ack.quarantined.first() {
        return Err(ServerError::BadRequest(q.reason.clone()));
    }
    Ok(())
}

/// Makes a one-time enrollment code for `unit`, valid for `valid_hours`.
/// Returns the code; only its hash is stored.
pub async fn create_enroll_code(
    store: &dyn HubStore,
    unit: &str,
    valid_hours: u32,
) -> Result<(String, EnrollCode)> {
    if !store.units().await?.iter().any(|u| u.code == unit) {
        return Err(ServerError::NotFound(format!("单位“{unit}”尚未登记")));
    }
    if !(1..=24 * 30).contains(&valid_hours) {
        return Err(ServerError::BadRequest("有效期应为1小时至30天".into()));
    }
    let mut random = [0u8; 12];
    getrandom::fill(&mut random).expect("the operating system has no random source");
    let chars: String = random
        .iter()
        .map(|b| CODE_ALPHABET[*b as usize % CODE_ALPHABET.len()] as char)
        .collect();
    let code = format!("{}-{}-{}", &chars[..4], &chars[4..8], &chars[8..]);
    let now = chrono::Utc::now();
    let record = EnrollCode {
        code_hash: code_hash(&code),
        unit: unit.to_string(),
        created_at: now,
        expires_at: now + chrono::Duration::hours(i64::from(valid_hours)),
        used_at: None,
        used_by: None,
    };
    store.add_enroll_code(&record).await?;
    Ok((code, record))
}

/// Codes are compared without dashes, spaces or case.
pub fn code_hash(code: &str) -> String {
    let normal: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    hex::encode(chain::sha256(normal.as_bytes()))
}

/// The hub's signing key from its identity.
pub fn hub_key(seed: [u8; 32]) -> DeviceKey {
    DeviceKey::from_seed(seed)
}
