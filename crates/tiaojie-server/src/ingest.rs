//! Turning a verified batch into what the store keeps: each event is
//! parsed, checked against the device that signed it, and given its reach;
//! an event that fails is quarantined with the reason and does not hold up
//! the ones after it.

use crate::store::{
    DeviceRecord, IncomingBatch, IncomingEvent, PurgeClaim, QuarantineBound, Reach, Verdict,
};
use tiaojie_ledger::domain::authority::{self, Issuer};
use tiaojie_ledger::event::{SCHEMA_VERSION, body};
use tiaojie_ledger::{Event, EventBody};
use tiaojie_sync::chain;
use tiaojie_sync::frame::{Batch, MAX_EVENT};

/// What a batch is admitted against: the hub's own device, whose events
/// carry its administrator's authority, reach every unit and change the
/// hub's unit tree; and the latest clock stamp the hub takes.
#[derive(Debug, Clone, Copy)]
pub struct Admission {
    pub hub_id: uuid::Uuid,
    /// Milliseconds since the epoch: an event stamped later is refused, so
    /// that no clock wins the fold order forever.
    pub latest_stamp_ms: i64,
    pub quarantine_bound: QuarantineBound,
}

impl Admission {
    /// Stamps up to `ahead_secs` past the hub's clock now.
    pub fn now(hub_id: uuid::Uuid, ahead_secs: u64) -> Self {
        let ahead_ms = i64::try_from(ahead_secs.saturating_mul(1000)).unwrap_or(i64::MAX);
        let d = crate::state::Limits::default();
        Admission {
            hub_id,
            latest_stamp_ms: chrono::Utc::now()
                .timestamp_millis()
                .saturating_add(ahead_ms),
            quarantine_bound: QuarantineBound {
                events: d.quarantine_events_per_device,
                bytes: d.quarantine_bytes_per_device,
            },
        }
    }

    /// Admission under a hub's limits.
    pub fn under(hub_id: uuid::Uuid, limits: &crate::state::Limits) -> Self {
        Admission {
            quarantine_bound: QuarantineBound {
                events: limits.quarantine_events_per_device,
                bytes: limits.quarantine_bytes_per_device,
            },
            ..Self::now(hub_id, limits.max_clock_ahead_secs)
        }
    }
}

/// Classifies a batch signed by `origin` (decoded and checked by
/// `frame::decode_batch`, which computed its links).
pub fn classify(batch: &Batch, origin: &DeviceRecord, admission: Admission) -> IncomingBatch {
    let hub_id = admission.hub_id;
    let events = batch
        .events
        .iter()
        .zip(&batch.links)
        .enumerate()
        .map(|(i, (bytes, link))| {
            let seq = batch.header.first_seq.saturating_add(i as i64);
            IncomingEvent {
                seq,
                link: chain::to_hex(link),
                bytes: bytes.clone(),
                verdict: verdict(bytes, seq, origin, &admission, origin.id == hub_id),
            }
        })
        .collect();
    IncomingBatch {
        device_id: batch.header.device_id,
        prev_hash: batch.header.prev_hash.clone(),
        events,
        quarantine_bound: admission.quarantine_bound,
    }
}

fn verdict(
    bytes: &[u8],
    seq: i64,
    origin: &DeviceRecord,
    admission: &Admission,
    from_hub: bool,
) -> Verdict {
    if bytes.len() > MAX_EVENT {
        return Verdict::Quarantine {
            id: None,
            reason: format!(
                "单个事件过大（{} KB，最多 {} KB）",
                bytes.len() / 1024,
                MAX_EVENT / 1024
            ),
        };
    }
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
    if event.hlc.millis() > admission.latest_stamp_ms {
        return refuse(format!(
            "事件时间 {} 超前于同步中心的时钟，请核对这台电脑的日期和时间",
            event.hlc.to_datetime().format("%Y-%m-%d %H:%M")
        ));
    }
    let issuer = if from_hub {
        Issuer::Hub
    } else {
        Issuer::Device
    };
    if let Err(reason) = authority::may_emit(&event.body, &event.unit, issuer) {
        return refuse(reason);
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
        | EventBody::ScreeningReported(_) => (own(), None),
        EventBody::CaseOpened(body::CaseOpened { case_id, .. }) => (
            Reach::OpensCase {
                case_id: *case_id,
                origin: origin.unit.clone(),
            },
            None,
        ),
        body => match body.case_id() {
            Some(case_id) => (
                Reach::OfCase {
                    case_id,
                    unit: event.unit.clone(),
                    from_hub,
                },
                None,
            ),
            None => return refuse(format!("事件类型 {} 不属于任何案件", body.kind())),
        },
    };
    let purge = match &event.body {
        EventBody::CasePurged(body::CasePurged {
            case_id,
            on,
            retention_years,
        }) => Some(Box::new(PurgeClaim {
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
