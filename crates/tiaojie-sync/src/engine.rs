//! One sync of a ledger with its hub: upload this device's new events in
//! signed batches, then page through the unit feed. Both sides resume where
//! the other acknowledged, so a cut connection loses and repeats nothing:
//! the hub acknowledges only what it committed, and a feed page and its
//! cursor are saved in one local transaction.

use crate::client::HubClient;
use crate::error::{Result, SyncError};
use crate::frame;
use crate::keys::DeviceKey;
use crate::wire::{EnrollRequest, EnrollResponse, Quarantined};
use serde::Serialize;
use tiaojie_ledger::{Ledger, chain};

pub const KEY_URL: &str = "hub.url";
pub const KEY_HUB_ID: &str = "hub.id";
pub const KEY_DEVICE_KEY: &str = "device.key";
pub const KEY_CURSOR: &str = "hub.cursor";
pub const KEY_ACKED: &str = "hub.acked_seq";
pub const KEY_LAST_SYNC: &str = "hub.last_sync";

/// An upload request carries events up to this many bytes (before
/// compression) or this many events, as a stream of small signed batches
/// (`stream::FRAME_EVENT_BYTES`) that the hub stores one by one as they
/// arrive. Each request costs a round trip, which on a rural link is half
/// a second, so requests are as big as such a link carries in seconds:
/// 2 MiB of event JSON is 2,900 typical events, 160 KB on the wire for the
/// benchmark's text and perhaps 700 KB for real case text (20 s at 256
/// kbit/s). The hub's feed pages are as big (`Limits`).
pub const BATCH_BYTES: usize = 2 * 1024 * 1024;
pub const BATCH_EVENTS: u32 = 5_000;
/// Clocks further apart than this get a warning: the hybrid clock copes,
/// but dates people type default to the laptop's day.
pub const CLOCK_WARNING_MS: i64 = 5 * 60 * 1000;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Progress {
    pub events_up: u64,
    pub bytes_up: u64,
    /// This device's events the hub has not acknowledged yet.
    pub pending_up: u64,
    pub events_down: u64,
    pub bytes_down: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    #[serde(flatten)]
    pub progress: Progress,
    pub quarantined: Vec<Quarantined>,
    pub clock_offset_ms: i64,
    /// In Chinese, when this laptop's clock is far from the hub's.
    pub clock_warning: Option<String>,
    /// Set when this ledger turned out to be an old backup or a copy and
    /// was brought back in line with the hub.
    pub recovered: Option<tiaojie_ledger::store::RebaseReport>,
    /// In Chinese, what the recovery did.
    pub recovery_note: Option<String>,
}

/// How long to wait after `failures` failed syncs in a row: doubling from
/// 2 s up to 5 minutes, half of it random, so that many devices coming back
/// online together do not all call at once.
pub fn backoff(failures: u32) -> std::time::Duration {
    let base = 2_000u64
        .saturating_mul(1 << failures.saturating_sub(1).min(10))
        .min(300_000);
    // The clock's nanoseconds are random enough to spread devices apart.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::from(d.subsec_nanos()))
        .unwrap_or(0);
    std::time::Duration::from_millis(base / 2 + nanos % (base / 2 + 1))
}

/// How far this ledger knows its sync has come: the last of its own events
/// the hub acknowledged, and its place in the hub's feed. Both only grow.
pub fn progress_mark(ledger: &Ledger) -> Result<(i64, i64)> {
    let read = |key: &str| -> Result<i64> {
        Ok(ledger
            .sync_value(key)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0))
    };
    Ok((read(KEY_ACKED)?, read(KEY_CURSOR)?))
}

/// When to try again after a failed sync: at once while attempts move
/// data, with growing waits (`backoff`) only while nothing moves. A link
/// that drops every few seconds still carries most of what is sent; it is
/// not a link that is down.
///
/// Progress is read from the ledger (`progress_mark`). A cut upload shows
/// its progress one attempt late, when the next attempt asks the hub how
/// far it got: the first attempt after a cut waits `backoff(1)`, 1–2 s.
#[derive(Debug, Clone, Default)]
pub struct Retry {
    failures: u32,
    mark: (i64, i64),
}

impl Retry {
    /// Starting from where the ledger stands.
    pub fn new(mark: (i64, i64)) -> Self {
        Retry { failures: 0, mark }
    }

    /// After a sync that went through.
    pub fn succeeded(&mut self, mark: (i64, i64)) {
        self.failures = 0;
        self.mark = mark;
    }

    /// After a failed sync: whether it moved data, and how long to wait.
    pub fn failed(&mut self, mark: (i64, i64)) -> (bool, std::time::Duration) {
        let moved = mark.0 > self.mark.0 || mark.1 > self.mark.1;
        self.mark = (self.mark.0.max(mark.0), self.mark.1.max(mark.1));
        if moved {
            self.failures = 0;
            (true, std::time::Duration::ZERO)
        } else {
            self.failures += 1;
            (false, backoff(self.failures))
        }
    }

    /// Failed syncs in a row that moved nothing.
    pub fn failures(&self) -> u32 {
        self.failures
    }
}

/// A warning for a laptop whose clock is `offset_ms` behind the hub's (or
/// ahead, when negative) by more than five minutes.
pub fn clock_warning(offset_ms: i64) -> Option<String> {
    if offset_ms.abs() <= CLOCK_WARNING_MS {
        return None;
    }
    let minutes = offset_ms.abs() / 60_000;
    let amount = if minutes >= 24 * 60 {
        format!("{}天", minutes / (24 * 60))
    } else if minutes >= 60 {
        format!("{}小时", minutes / 60)
    } else {
        format!("{minutes}分钟")
    };
    let direction = if offset_ms > 0 { "慢" } else { "快" };
    Some(format!(
        "本机时钟比同步中心{direction}了约{amount}，请校准电脑的日期和时间（登记日期默认取本机日期）"
    ))
}

/// The hub a ledger is enrolled with.
pub struct Enrollment {
    pub url: String,
    pub key: DeviceKey,
}

pub fn enrollment(ledger: &Ledger) -> Result<Enrollment> {
    let url = ledger.sync_value(KEY_URL)?.ok_or(SyncError::NotEnrolled)?;
    let key = ledger
        .sync_value(KEY_DEVICE_KEY)?
        .ok_or(SyncError::NotEnrolled)?;
    Ok(Enrollment {
        url,
        key: DeviceKey::from_secret_text(&key)?,
    })
}

pub fn client(ledger: &Ledger) -> Result<HubClient> {
    let e = enrollment(ledger)?;
    HubClient::with_transport(
        &e.url,
        ledger.device()?.device_id,
        e.key,
        crate::client::DEFAULT_TIMEOUT,
        &transport(ledger)?,
    )
}

const KEY_CA: &str = "hub.ca_pem";
const KEY_HUB_PUBLIC: &str = "hub.public_key";
const KEY_CHECKPOINT: &str = "hub.checkpoint";

/// What the hub's last checkpoint says of this ledger's chain.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CheckpointCheck {
    pub seq: i64,
    pub at: chrono::DateTime<chrono::Utc>,
    /// The ledger's chain reaches the link the hub signed, at that sequence.
    pub matches: bool,
}

/// Checks this ledger's chain against the last checkpoint the hub signed:
/// `None` before any (or for a hub that signs none).
pub fn verify_checkpoint(ledger: &Ledger) -> Result<Option<CheckpointCheck>> {
    let Some(text) = ledger.sync_value(KEY_CHECKPOINT)?.filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let cp: crate::wire::Checkpoint = serde_json::from_str(&text)?;
    let public = ledger
        .sync_value(KEY_HUB_PUBLIC)?
        .ok_or_else(|| SyncError::Malformed("缺少同步中心的公钥，无法核对签收记录".into()))?;
    let signature = hex::decode(&cp.signature)
        .map_err(|_| SyncError::BadSignature("签收记录的签名格式不对".into()))?;
    crate::keys::verify(&public, &cp.message(), &signature)?;
    let mine = ledger.own_link(cp.seq)?;
    Ok(Some(CheckpointCheck {
        seq: cp.seq,
        at: cp.at,
        matches: mine.as_deref() == Some(cp.link.as_str()),
    }))
}

/// Keeps a checkpoint from an acknowledgement, if it is the hub's and ours.
fn checkpoint_value(
    ledger: &Ledger,
    ack: &crate::wire::BatchAck,
    me: uuid::Uuid,
) -> Option<String> {
    let cp = ack.checkpoint.as_ref()?;
    let public = ledger.sync_value(KEY_HUB_PUBLIC).ok()??;
    let signature = hex::decode(&cp.signature).ok()?;
    if cp.device_id != me || crate::keys::verify(&public, &cp.message(), &signature).is_err() {
        return None;
    }
    serde_json::to_string(cp).ok()
}
const KEY_ALLOW_HTTP: &str = "hub.allow_http";

/// The transport settings saved when this ledger enrolled.
pub fn transport(ledger: &Ledger) -> Result<crate::client::Transport> {
    Ok(crate::client::Transport {
        ca_pem: ledger.sync_value(KEY_CA)?.filter(|p| !p.is_empty()),
        allow_http: ledger.sync_value(KEY_ALLOW_HTTP)?.as_deref() == Some("1"),
    })
}

/// Enrolls this ledger's device with the hub at `url` using a one-time code;
/// the key pair is made here and the private half never leaves the ledger.
pub async fn enroll_ledger(
    ledger: &mut Ledger,
    url: &str,
    code: &str,
    label: &str,
) -> Result<EnrollResponse> {
    enroll_ledger_with(
        ledger,
        url,
        code,
        label,
        &crate::client::Transport::default(),
    )
    .await
}

/// As `enroll_ledger`, over `transport` (a county CA, plain HTTP allowed),
/// which is kept for every later sync.
pub async fn enroll_ledger_with(
    ledger: &mut Ledger,
    url: &str,
    code: &str,
    label: &str,
    transport: &crate::client::Transport,
) -> Result<EnrollResponse> {
    let device = ledger.device()?;
    if ledger.sync_value(KEY_URL)?.is_some() {
        return Err(SyncError::Hub {
            status: 409,
            code: "already_enrolled".into(),
            message: "本机已经注册到同步中心".into(),
        });
    }
    let key = DeviceKey::generate();
    let request = EnrollRequest {
        code: code.trim().to_string(),
        device_id: device.device_id,
        public_key: key.public_text(),
        unit_code: device.unit_code.clone(),
        label: label.to_string(),
    };
    let response = crate::client::enroll_with(url, &request, transport).await?;
    ledger.set_sync_values(&[
        (KEY_CA, transport.ca_pem.clone().unwrap_or_default()),
        (
            KEY_ALLOW_HTTP,
            if transport.allow_http { "1" } else { "0" }.to_string(),
        ),
        (KEY_URL, url.trim_end_matches('/').to_string()),
        (KEY_HUB_ID, response.hub_id.to_string()),
        (
            KEY_HUB_PUBLIC,
            response.hub_public_key.clone().unwrap_or_default(),
        ),
        (KEY_DEVICE_KEY, key.secret_text()),
    ])?;
    ledger.trust_hub(response.hub_id)?;
    Ok(response)
}

/// Takes in the hub's feed without uploading anything: right after
/// enrolling, so that the unit tree (whom this laptop may escalate to) is
/// in the ledger before the laptop goes back to a village without network.
pub async fn pull(
    ledger: &mut Ledger,
    client: &mut HubClient,
    on_progress: &mut (dyn FnMut(&Progress) + Send),
) -> Result<SyncReport> {
    let mut report = signed_in(client).await?;
    download(ledger, client, &mut report, on_progress).await?;
    Ok(report)
}

/// Signs in to the hub; the report starts with how far this laptop's clock
/// is from the hub's.
async fn signed_in(client: &mut HubClient) -> Result<SyncReport> {
    client.authenticate().await?;
    Ok(SyncReport {
        clock_offset_ms: client.clock_offset_ms,
        clock_warning: clock_warning(client.clock_offset_ms),
        ..SyncReport::default()
    })
}

/// Uploads, then downloads, reporting progress as it goes.
pub async fn sync_once(
    ledger: &mut Ledger,
    client: &mut HubClient,
    on_progress: &mut (dyn FnMut(&Progress) + Send),
) -> Result<SyncReport> {
    let mut report = signed_in(client).await?;
    match upload(ledger, client, &mut report, on_progress).await {
        Err(SyncError::ChainMismatch { detail, .. }) => {
            let r = recover(ledger, client).await?;
            report.recovery_note = Some(format!(
                "{detail}。已从同步中心取回本机的{}条记录，本机另记的{}条已重新登记，没有丢失。\
                 如果这台电脑的台账是从别的电脑复制来的，请让上级为它另发注册码",
                r.restored, r.rewritten
            ));
            report.recovered = Some(r);
            upload(ledger, client, &mut report, on_progress).await?;
        }
        other => other?,
    }
    download(ledger, client, &mut report, on_progress).await?;
    ledger.set_sync_values(&[(KEY_LAST_SYNC, chrono::Utc::now().to_rfc3339())])?;
    Ok(report)
}

async fn upload(
    ledger: &mut Ledger,
    client: &mut HubClient,
    report: &mut SyncReport,
    on_progress: &mut (dyn FnMut(&Progress) + Send),
) -> Result<()> {
    let me = ledger.device()?;
    let local_max = me.next_seq - 1;
    let head = client.head(me.device_id).await?;
    if head.acked_seq > local_max {
        return Err(SyncError::ChainMismatch {
            seq: local_max + 1,
            detail: format!(
                "同步中心已有本机的{}条记录，而本机只有{}条：本机台账可能是从旧备份恢复的",
                head.acked_seq, local_max
            ),
        });
    }
    let mut acked = head.acked_seq;
    let mut prev_hex = ledger.own_link(acked)?.unwrap_or_default();
    if prev_hex != head.last_hash {
        return Err(SyncError::ChainMismatch {
            seq: acked,
            detail: format!(
                "本机第{acked}条记录与同步中心的不一致：本机台账可能是复制来的或从旧备份恢复的"
            ),
        });
    }
    // The hub may have more than this ledger heard of (an acknowledgement
    // lost on the way, a bundle carried by hand).
    ledger.set_sync_values(&[(KEY_ACKED, acked.to_string())])?;
    report.progress.pending_up = (local_max - acked).max(0) as u64;
    on_progress(&report.progress);
    let mut legacy = false;
    while acked < local_max {
        let mut events = Vec::new();
        let mut size = 0;
        for e in ledger.own_events_after(acked, BATCH_EVENTS)? {
            size += e.raw.len();
            events.push(e.raw);
            if size >= BATCH_BYTES {
                break;
            }
        }
        let prev = chain::from_hex(&prev_hex).unwrap_or(chain::GENESIS);
        let (sent, ack) = if legacy {
            let batch = frame::encode_batch(client.key(), me.device_id, acked + 1, &prev, &events);
            (batch.len(), client.upload(batch).await?)
        } else {
            let body = batch_stream(client.key(), me.device_id, acked + 1, prev, &events);
            let sent = body.len();
            match client.upload_stream(body).await {
                // A hub from before streams: one batch per request.
                Err(SyncError::Hub { status: 404, .. }) => {
                    legacy = true;
                    continue;
                }
                other => (sent, other?),
            }
        };
        report.progress.events_up += ack.acked_seq.saturating_sub(acked) as u64;
        report.progress.bytes_up += sent as u64;
        let checkpoint = checkpoint_value(ledger, &ack, me.device_id);
        report.quarantined.extend(ack.quarantined);
        acked = ack.acked_seq;
        prev_hex = ack.last_hash;
        let mut values = vec![(KEY_ACKED, acked.to_string())];
        if let Some(cp) = checkpoint {
            values.push((KEY_CHECKPOINT, cp));
        }
        ledger.set_sync_values(&values)?;
        report.progress.pending_up = (local_max - acked).max(0) as u64;
        on_progress(&report.progress);
    }
    Ok(())
}

/// Consecutive events of this device, from sequence number `first_seq`
/// after the link `prev`, as a stream of signed batches of
/// `stream::FRAME_EVENT_BYTES` each: the hub keeps each batch that arrives
/// whole, so a cut costs at most the one in flight.
pub fn batch_stream(
    key: &DeviceKey,
    device_id: uuid::Uuid,
    first_seq: i64,
    prev: chain::Link,
    events: &[Vec<u8>],
) -> Vec<u8> {
    let sizes: Vec<usize> = events.iter().map(Vec::len).collect();
    let mut body = Vec::new();
    let (mut start, mut prev) = (0, prev);
    for end in crate::stream::frame_ends(&sizes, crate::stream::FRAME_EVENT_BYTES) {
        let run = &events[start..end];
        let batch = frame::encode_batch(key, device_id, first_seq + start as i64, &prev, run);
        crate::stream::push_frame(&mut body, &batch);
        prev = run.iter().fold(prev, |link, e| chain::next(&link, e));
        start = end;
    }
    body
}

/// Takes this device's events back from the hub and moves what only this
/// ledger has behind them (see `Ledger::rebase_own`).
async fn recover(
    ledger: &mut Ledger,
    client: &mut HubClient,
) -> Result<tiaojie_ledger::store::RebaseReport> {
    let mut hub = Vec::new();
    let mut after = 0;
    loop {
        let (header, events) = client.own_events(after).await?;
        hub.extend(events);
        after = header.cursor;
        if !header.more {
            break;
        }
    }
    let local = ledger.own_events_after(0, u32::MAX)?;
    let same = hub
        .iter()
        .zip(local.iter())
        .take_while(|(h, l)| **h == l.raw)
        .count();
    Ok(ledger.rebase_own(same as i64 + 1, &hub[same..])?)
}

/// Takes in the hub's feed. Each frame is kept with its cursor as it
/// arrives; the fold that frames of older events need is done once when the
/// download ends, whichever way it ends (see `Ledger::settle`).
async fn download(
    ledger: &mut Ledger,
    client: &mut HubClient,
    report: &mut SyncReport,
    on_progress: &mut (dyn FnMut(&Progress) + Send),
) -> Result<()> {
    let taken = download_frames(ledger, client, report, on_progress).await;
    let settled = ledger.settle();
    taken?;
    settled?;
    Ok(())
}

async fn download_frames(
    ledger: &mut Ledger,
    client: &mut HubClient,
    report: &mut SyncReport,
    on_progress: &mut (dyn FnMut(&Progress) + Send),
) -> Result<()> {
    let mut cursor: i64 = ledger
        .sync_value(KEY_CURSOR)?
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    loop {
        let mut resp = match client.feed_stream(cursor).await {
            // A hub from before streams: page by page.
            Err(SyncError::Hub { status: 404, .. }) => {
                return download_pages(ledger, client, report, on_progress, cursor).await;
            }
            other => other?,
        };
        // Every frame that arrives whole is kept with its cursor at once: a
        // cut loses only the frame in flight.
        let mut frames = crate::stream::Deframer::new();
        let mut more = None;
        while let Some(chunk) = crate::client::next_chunk(&mut resp).await? {
            report.progress.bytes_down += chunk.len() as u64;
            frames.push(&chunk);
            while let Some(bytes) = frames.next_frame()? {
                let (header, events) = frame::decode_feed(&bytes)?;
                ledger.ingest_raw_deferred(&events, &[(KEY_CURSOR, header.cursor.to_string())])?;
                cursor = header.cursor;
                more = Some(header.more);
                report.progress.events_down += events.len() as u64;
                on_progress(&report.progress);
            }
        }
        match more {
            Some(false) if frames.partial() == 0 => return Ok(()),
            Some(true) if frames.partial() == 0 => {}
            _ => {
                return Err(SyncError::Network(
                    "下载在中途断开（已收到的记录已保存）".into(),
                ));
            }
        }
    }
}

/// The feed a page per request, from a hub that has no stream.
async fn download_pages(
    ledger: &mut Ledger,
    client: &mut HubClient,
    report: &mut SyncReport,
    on_progress: &mut (dyn FnMut(&Progress) + Send),
    mut cursor: i64,
) -> Result<()> {
    loop {
        let (header, events, size) = client.feed(cursor, None).await?;
        ledger.ingest_raw_deferred(&events, &[(KEY_CURSOR, header.cursor.to_string())])?;
        cursor = header.cursor;
        report.progress.events_down += events.len() as u64;
        report.progress.bytes_down += size as u64;
        on_progress(&report.progress);
        if !header.more {
            return Ok(());
        }
    }
}

/// Events written here that the hub has not acknowledged, as far as this
/// ledger knows.
pub fn pending(ledger: &Ledger) -> Result<i64> {
    let acked: i64 = ledger
        .sync_value(KEY_ACKED)?
        .and_then(|a| a.parse().ok())
        .unwrap_or(0);
    Ok((ledger.device()?.next_seq - 1 - acked).max(0))
}

/// Writes this device's events that the hub has not acknowledged (as far as
/// this ledger knows) into a bundle for a USB stick.
pub fn export_bundle(ledger: &Ledger) -> Result<(Vec<u8>, crate::bundle::BundleSummary)> {
    let e = enrollment(ledger)?;
    let acked: i64 = ledger
        .sync_value(KEY_ACKED)?
        .and_then(|a| a.parse().ok())
        .unwrap_or(0);
    let hub = ledger
        .sync_value(KEY_HUB_PUBLIC)?
        .filter(|k| !k.is_empty())
        .ok_or_else(|| {
            SyncError::Malformed(
                "本机注册时没有取得同步中心的公钥，无法加密同步包：请让上级重新发注册码".into(),
            )
        })?;
    crate::bundle::write(ledger, &e.key, acked, &hub)
}

/// A bundle taken off the laptop by `session`: the export right, and the
/// access log names the records it carries. What the CLI's `sync
/// export-bundle` and the app's 导出U盘交换文件 both call.
pub fn export_bundle_for(
    ledger: &Ledger,
    session: Option<&tiaojie_ledger::store::users::Session>,
) -> Result<(Vec<u8>, crate::bundle::BundleSummary)> {
    ledger.require(session, tiaojie_ledger::domain::roles::Permission::Export)?;
    let (bytes, summary) = export_bundle(ledger)?;
    if let Some(s) = session {
        let what = format!("第{}至{}条记录", summary.first_seq, summary.last_seq);
        ledger.log_access(s, "export_bundle", &what)?;
    }
    Ok((bytes, summary))
}

/// Uploads every batch of a bundle to the hub at `url`, in order.
pub async fn import_bundle(url: &str, bytes: &[u8]) -> Result<Vec<crate::wire::BatchAck>> {
    let mut acks = Vec::new();
    for batch in crate::bundle::read(bytes)? {
        acks.push(crate::client::upload_carried(url, batch).await?);
    }
    Ok(acks)
}

#[cfg(test)]
mod tests {
    use super::{Retry, backoff, clock_warning};
    use std::time::Duration;

    #[test]
    fn backoff_grows_and_is_capped() {
        assert!(backoff(1) <= Duration::from_secs(2) && backoff(1) >= Duration::from_secs(1));
        assert!(backoff(4) >= Duration::from_secs(8));
        assert!(backoff(30) <= Duration::from_secs(300) && backoff(30) >= Duration::from_secs(150));
    }

    #[test]
    fn retries_at_once_while_data_moves_and_backs_off_only_when_nothing_does() {
        let mut r = Retry::new((10, 100));
        // Nothing moved: the waits grow.
        let (moved, first) = r.failed((10, 100));
        assert!(!moved && first >= Duration::from_secs(1));
        let (_, second) = r.failed((10, 100));
        assert!(second >= Duration::from_secs(2));
        assert_eq!(r.failures(), 2);
        // Uploads acknowledged, or feed pages kept: at once, count reset.
        assert_eq!(r.failed((15, 100)), (true, Duration::ZERO));
        assert_eq!(r.failures(), 0);
        assert_eq!(r.failed((15, 120)), (true, Duration::ZERO));
        // A smaller mark (read before a head answered) is not progress.
        let (moved, wait) = r.failed((14, 120));
        assert!(!moved && wait >= Duration::from_secs(1));
        r.succeeded((20, 130));
        assert_eq!(r.failures(), 0);
        assert!(!r.failed((20, 130)).0);
    }

    #[test]
    fn warns_only_past_five_minutes_and_says_which_way() {
        assert_eq!(clock_warning(0), None);
        assert_eq!(clock_warning(5 * 60 * 1000), None);
        assert_eq!(clock_warning(-5 * 60 * 1000), None);
        let slow = clock_warning(5 * 60 * 1000 + 1).unwrap();
        assert!(slow.contains("慢") && slow.contains("5分钟"), "{slow}");
        let fast = clock_warning(-3 * 24 * 3600 * 1000).unwrap();
        assert!(fast.contains("快") && fast.contains("3天"), "{fast}");
        assert!(clock_warning(2 * 3600 * 1000).unwrap().contains("2小时"));
    }
}
