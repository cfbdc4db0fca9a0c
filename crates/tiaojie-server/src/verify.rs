//! Re-walking the chains the hub holds: for every device, each stored
//! event (accepted or quarantined) in sequence order must be there and link
//! to the one before, and the device's head must be the last link. A stub
//! left by a retention purge keeps its stored link, which is taken as
//! written when its case's purge is on record. The first break of each
//! device is named by device and position.

use crate::error::Result;
use crate::store::HubStore;
use serde::Serialize;
use std::collections::HashMap;
use tiaojie_ledger::event::body;
use tiaojie_ledger::{Event, EventBody};
use tiaojie_sync::chain;
use uuid::Uuid;

const PAGE: u32 = 5_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeviceBreak {
    pub device_id: Uuid,
    pub seq: i64,
    pub message: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HubChainReport {
    pub devices: usize,
    /// Events checked, over all devices, up to each one's first break.
    pub checked: u64,
    /// Of those, stubs of purged cases.
    pub redacted: u64,
    pub broken: Vec<DeviceBreak>,
}

pub async fn verify_store(store: &dyn HubStore) -> Result<HubChainReport> {
    let purged = store.purged_cases().await?;
    let mut report = HubChainReport::default();
    for head in store.heads().await? {
        report.devices += 1;
        let mut link = chain::GENESIS;
        let mut expected = 1i64;
        let brk = |seq, message: String| DeviceBreak {
            device_id: head.device_id,
            seq,
            message,
        };
        let mut broken = None;
        'walk: loop {
            let rows = store.chain_rows(head.device_id, expected - 1, PAGE).await?;
            if rows.is_empty() {
                break;
            }
            for row in rows {
                if row.seq != expected {
                    broken = Some(brk(
                        expected,
                        format!("第 {expected} 条事件缺失（下一条是第 {} 条）", row.seq),
                    ));
                    break 'walk;
                }
                match next_link(&link, &row.bytes, &row.link, &purged) {
                    Ok((next, stub)) => {
                        link = next;
                        report.redacted += u64::from(stub);
                    }
                    Err(message) => {
                        broken = Some(brk(row.seq, format!("第 {} 条事件{message}", row.seq)));
                        break 'walk;
                    }
                }
                report.checked += 1;
                expected += 1;
            }
        }
        let broken = broken.or_else(|| {
            if expected - 1 != head.acked_seq {
                Some(brk(
                    expected,
                    format!(
                        "中心记录已收到 {} 条，实际只有 {} 条",
                        head.acked_seq,
                        expected - 1
                    ),
                ))
            } else if chain::to_hex(&link) != head.last_hash {
                Some(brk(
                    head.acked_seq,
                    "中心记录的最新哈希与事件不符".to_string(),
                ))
            } else {
                None
            }
        });
        report.broken.extend(broken);
    }
    Ok(report)
}

/// The link after a stored event, and whether it is a purge's stub; else
/// what is wrong with it.
fn next_link(
    prev: &chain::Link,
    bytes: &[u8],
    stored: &str,
    purged: &HashMap<Uuid, Uuid>,
) -> std::result::Result<(chain::Link, bool), String> {
    if let Ok(Event {
        body: EventBody::Redacted(body::Redacted {
            case_id, purged_by, ..
        }),
        ..
    }) = serde_json::from_slice::<Event>(bytes)
    {
        if purged.get(&case_id) != Some(&purged_by) {
            return Err("的内容被清除，但中心没有相应的清除记录".into());
        }
        return chain::from_hex(stored)
            .map(|l| (l, true))
            .ok_or_else(|| "已清除内容，且缺少写入时的哈希".into());
    }
    let next = chain::next(prev, bytes);
    if chain::to_hex(&next) != stored {
        return Err("与设备上传时的内容不同（哈希链在此断开）".into());
    }
    Ok((next, false))
}
