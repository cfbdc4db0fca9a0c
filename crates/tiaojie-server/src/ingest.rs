//! Turning a verified batch into what the store keeps: each event is
//! parsed, checked against the device that signed it, and given its reach;
//! an event that fails is quarantined with the reason and does not hold up
//! the ones after it.

use crate::store::{DeviceRecord, IncomingBatch, IncomingEvent, PurgeClaim, Reach, Verdict};
use tiaojie_ledger::event::SCHEMA_VERSION;
use tiaojie_ledger::{Event, EventBody};
use tiaojie_sync::chain;
use tiaojie_sync::frame::Batch;

/// Classifies a batch signed by `origin`. `hub_id` is the hub's own device:
/// only its events reach every unit and change the hub's unit tree.
pub fn classify(batch: &Batch, origin: &DeviceRecord, hub_id: uuid::Uuid) -> IncomingBatch {
    let mut link = chain::from_hex(&batch.header.prev_hash).unwrap_or(chain::GENESIS);
    let events = batch
        .events
        .iter()
        .enumerate()
        .map(|(i, bytes)| {
            let seq = batch.header.first_seq + i as i64;
            link = chain::next(&link, bytes);
            IncomingEvent {
                seq,
                link: chain::to_hex(&link),
                bytes: bytes.clone(),
                verdict: verdict(bytes, seq, origin, origin.id == hub_id),
            }
        })
        .collect();
    IncomingBatch {
        device_id: batch.header.device_id,
        prev_hash: batch.header.prev_hash.clone(),
        events,
    }
}

fn verdict(bytes: &[u8], seq: i64, origin: &DeviceRecord, from_hub: bool) -> Verdict {
    let event: Event = match serde_json::from_slice(bytes) {
        Ok(e) => e,
        Err(e) => {
            let id = serde_json::from_slice::<serde_json::Value>(bytes)
                .ok()
                .and_then(|v| v["id"].as_str().and_then(|s| uuid::Uuid::parse_str(s).ok()));
            return Verdict::Quarantine {
                id,
                reason: format!("无法解析事件：{e}"),
            };
        }
    };
    let refuse = |reason: String| Verdict::Quarantine {
        id: Some(event.id),
        reason,
    };
    if event.device != origin.id {
        return refuse(format!(
            "事件的设备编号 {} 与签名设备 {} 不符",
            event.device, origin.id
        ));
    }
    if event.seq != seq {
        return refuse(format!(
            "事件序号 {} 与其在批次中的位置（第{seq}条）不符",
            event.seq
        ));
    }
    if event.schema == 0 || event.schema > SCHEMA_VERSION {
        return refuse(format!(
            "事件格式版本 {} 不受支持（中心支持 1 至 {SCHEMA_VERSION}）",
            event.schema
        ));
    }
    if !from_hub && event.unit != origin.unit {
        return refuse(format!(
            "事件署名单位 {} 与设备登记的单位 {} 不符",
            event.unit, origin.unit
        ));
    }
    let own = || Reach::Unit(origin.unit.clone());
    let (reach, unit) = match &event.body {
        EventBody::UnitRegistered(u) if from_hub => (Reach::Everyone, Some(u.clone())),
        EventBody::SchemeConfigured(_) | EventBody::MediatorRegistered(_) if from_hub => {
            (Reach::Everyone, None)
        }
        EventBody::UnitRegistered(_)
        | EventBody::SchemeConfigured(_)
        | EventBody::MediatorRegistered(_)
        | EventBody::ScreeningReported { .. } => (own(), None),
        EventBody::CaseOpened { case_id, .. } => (
            Reach::OpensCase {
                case_id: *case_id,
                origin: origin.unit.clone(),
            },
            None,
        ),
        body => {
            let case_id = body.case_id().expect("every other event belongs to a case");
            (
                Reach::OfCase {
                    case_id,
                    fallback: origin.unit.clone(),
                },
                None,
            )
        }
    };
    let purge = match &event.body {
        EventBody::CasePurged {
            case_id,
            on,
            retention_years,
        } => Some(Box::new(PurgeClaim {
            case_id: *case_id,
            unit: event.unit.clone(),
            on: *on,
            retention_years: *retention_years,
        })),
        _ => None,
    };
    Verdict::Accept {
        id: event.id,
        hlc: event.hlc.raw(),
        kind: event.body.kind().to_string(),
        reach,
        unit,
        purge,
    }
}
