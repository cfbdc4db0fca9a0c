//! Measure 1: the hub's ingest against the ceiling of its database. The
//! ingest is what an upload does after the HTTP layer: check the batch's
//! signature, decompress it, parse and classify every event, store it in one
//! transaction per batch, committed (fsync) before the acknowledgement. The
//! ceiling is the same rows, parsed beforehand, written in the fastest way
//! the database has: SQLite, one prepared insert in one transaction;
//! PostgreSQL, one binary COPY.

use crate::percentile;
use std::time::Instant;
use tiaojie_ledger::Ledger;
use tiaojie_ledger::domain::unit::UnitSpec;
use tiaojie_ledger::store::import::ImportCase;
use tiaojie_server::ingest::{Admission, classify};
use tiaojie_server::store::postgres::PgStore;
use tiaojie_server::store::sqlite::SqliteStore;
use tiaojie_server::store::{DeviceRecord, HubStore};
use tiaojie_sync::engine::{BATCH_BYTES, BATCH_EVENTS};
use tiaojie_sync::frame;
use tiaojie_sync::keys::DeviceKey;
use uuid::Uuid;

/// One simulated device: its record at the hub and its batches, as the
/// client cuts them.
pub struct Device {
    pub record: DeviceRecord,
    pub batches: Vec<Vec<u8>>,
    pub events: usize,
}

/// One stored row, parsed once, for the ceiling.
struct Row {
    id: Uuid,
    device: Uuid,
    seq: i64,
    hlc: i64,
    kind: String,
    case_id: Option<Uuid>,
    bytes: Vec<u8>,
    link: String,
}

/// `devices` village laptops with `cases` imported cases each (two events
/// per case and the unit's registration).
pub fn devices(count: usize, cases: usize) -> Vec<Device> {
    (0..count)
        .map(|d| {
            let mut l = Ledger::open_in_memory().unwrap();
            l.init(
                UnitSpec::new(crate::VILLAGE, "青山村调解室", None, 1, None),
                d as u32 % 100,
            )
            .unwrap();
            let items: Vec<ImportCase> = (0..cases)
                .map(|i| {
                    let i = d * cases + i;
                    ImportCase {
                        key: format!("bench-{i}"),
                        original_number: None,
                        intake: crate::intake(i),
                        grade: Some("green".into()),
                        grade_reason: "排查".into(),
                        agreement: None,
                        closing: None,
                    }
                })
                .collect();
            l.import_cases(&items).unwrap();
            let key = DeviceKey::from_seed([d as u8 + 1; 32]);
            let device_id = l.device().unwrap().device_id;
            let events: Vec<Vec<u8>> = l
                .own_events_after(0, u32::MAX)
                .unwrap()
                .into_iter()
                .map(|e| e.raw)
                .collect();
            Device {
                record: DeviceRecord {
                    id: device_id,
                    unit: crate::VILLAGE.into(),
                    public_key: key.public_text(),
                    label: format!("村{d}"),
                    enrolled_at: chrono::Utc::now(),
                    revoked_at: None,
                },
                batches: cut(&key, device_id, &events),
                events: events.len(),
            }
        })
        .collect()
}

/// Signed batches as the client cuts them (by count and size).
pub fn cut(key: &DeviceKey, device: Uuid, events: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut prev = tiaojie_ledger::chain::GENESIS;
    let mut start = 0;
    while start < events.len() {
        let mut end = start;
        let mut size = 0;
        while end < events.len() && size < BATCH_BYTES && end - start < BATCH_EVENTS as usize {
            size += events[end].len();
            end += 1;
        }
        out.push(frame::encode_batch(
            key,
            device,
            start as i64 + 1,
            &prev,
            &events[start..end],
        ));
        for e in &events[start..end] {
            prev = tiaojie_ledger::chain::next(&prev, e);
        }
        start = end;
    }
    out
}

fn rows(devices: &[Device]) -> Vec<Row> {
    let mut out = Vec::new();
    for d in devices {
        for b in &d.batches {
            let batch = frame::decode_batch(b, &d.record.public_key).unwrap();
            let mut link = tiaojie_ledger::chain::from_hex(&batch.header.prev_hash).unwrap();
            for (i, bytes) in batch.events.iter().enumerate() {
                let ev: tiaojie_ledger::Event = serde_json::from_slice(bytes).unwrap();
                link = tiaojie_ledger::chain::next(&link, bytes);
                out.push(Row {
                    id: ev.id,
                    device: d.record.id,
                    seq: batch.header.first_seq + i as i64,
                    hlc: ev.hlc.raw(),
                    kind: ev.body.kind().to_string(),
                    case_id: ev.body.case_id(),
                    bytes: bytes.clone(),
                    link: tiaojie_ledger::chain::to_hex(&link),
                });
            }
        }
    }
    out
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct IngestFigure {
    pub store: &'static str,
    pub events: usize,
    pub batches: usize,
    pub uploaders: usize,
    pub ingest_events_per_s: f64,
    pub commit_p50_ms: f64,
    pub commit_p99_ms: f64,
    pub ceiling_events_per_s: f64,
    pub ratio: f64,
    /// Of the time in uploads, the part before the store: signature,
    /// decompression, parsing and classifying each event.
    pub checking_share: f64,
}

/// Uploads every device's batches through the hub's ingest, `uploaders` at
/// a time (one device's batches stay in order); returns the wall time in
/// seconds and, for each batch, its latency and the part of it spent
/// checking, decompressing and parsing, in ms.
async fn ingest_all(
    store: std::sync::Arc<dyn HubStore>,
    devices: &[Device],
    uploaders: usize,
) -> (f64, Vec<(f64, f64)>) {
    let hub_id = store.identity().await.unwrap().hub_id;
    for d in devices {
        store.ensure_device(&d.record).await.unwrap();
    }
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for lane in 0..uploaders {
        let store = store.clone();
        let mine: Vec<(DeviceRecord, Vec<Vec<u8>>)> = devices
            .iter()
            .enumerate()
            .filter(|(i, _)| i % uploaders == lane)
            .map(|(_, d)| (d.record.clone(), d.batches.clone()))
            .collect();
        tasks.spawn(async move {
            let mut latencies = Vec::new();
            for (record, batches) in mine {
                for b in batches {
                    let t = Instant::now();
                    let batch = frame::decode_batch(&b, &record.public_key).unwrap();
                    let incoming = classify(&batch, &record, Admission::now(hub_id, 86_400));
                    let checked = t.elapsed().as_secs_f64() * 1000.0;
                    let ack = store.ingest(&incoming).await.unwrap();
                    assert!(ack.quarantined.is_empty());
                    latencies.push((t.elapsed().as_secs_f64() * 1000.0, checked));
                }
            }
            latencies
        });
    }
    let mut latencies = Vec::new();
    while let Some(l) = tasks.join_next().await {
        latencies.extend(l.unwrap());
    }
    (started.elapsed().as_secs_f64(), latencies)
}

fn figure(
    store: &'static str,
    devices: &[Device],
    uploaders: usize,
    (wall, batches): (f64, Vec<(f64, f64)>),
    ceiling_s: f64,
) -> IngestFigure {
    let events: usize = devices.iter().map(|d| d.events).sum();
    let total: f64 = batches.iter().map(|b| b.0).sum();
    let checking: f64 = batches.iter().map(|b| b.1).sum();
    let mut lat: Vec<f64> = batches.iter().map(|b| b.0).collect();
    lat.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let ingest = events as f64 / wall;
    let ceiling = events as f64 / ceiling_s;
    IngestFigure {
        store,
        events,
        batches: lat.len(),
        uploaders,
        ingest_events_per_s: ingest,
        commit_p50_ms: percentile(&lat, 0.5),
        commit_p99_ms: percentile(&lat, 0.99),
        ceiling_events_per_s: ceiling,
        ratio: ingest / ceiling,
        checking_share: checking / total.max(f64::MIN_POSITIVE),
    }
}

/// The middle of `rounds` measurements by their ratio to the ceiling: each
/// round an ingest and its ceiling on fresh stores, one after the other, so
/// that a moment of a noisy machine moves one round and not the figure.
pub fn median_round(
    rounds: usize,
    mut measure: impl FnMut() -> Option<IngestFigure>,
) -> Option<IngestFigure> {
    let mut figures: Vec<IngestFigure> = (0..rounds.max(1)).filter_map(|_| measure()).collect();
    figures.sort_by(|a, b| a.ratio.total_cmp(&b.ratio));
    let middle = figures.len() / 2;
    (!figures.is_empty()).then(|| figures.swap_remove(middle))
}

pub fn sqlite(devices: &[Device], uploaders: usize) -> IngestFigure {
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let hub = dir.path().join("hub.sqlite3");
    let store: std::sync::Arc<dyn HubStore> = std::sync::Arc::new(SqliteStore::open(&hub).unwrap());
    let measured = rt.block_on(ingest_all(store, devices, uploaders));

    // The ceiling: a fresh hub file, the same rows in one transaction.
    let path = dir.path().join("ceiling.sqlite3");
    drop(SqliteStore::open(&path).unwrap());
    let rows = rows(devices);
    let mut c = rusqlite::Connection::open(&path).unwrap();
    c.pragma_update(None, "journal_mode", "WAL").unwrap();
    c.pragma_update(None, "synchronous", "FULL").unwrap();
    c.pragma_update(None, "secure_delete", "ON").unwrap();
    // The hub's own page cache (see `SqliteStore`).
    c.pragma_update(None, "cache_size", -65_536).unwrap();
    let started = Instant::now();
    let tx = c.transaction().unwrap();
    {
        let mut insert = tx
            .prepare(
                "INSERT INTO events (hub_seq, id, device_id, seq, hlc, kind, origin_unit, case_id, bytes, link, received_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )
            .unwrap();
        let now = chrono::Utc::now().to_rfc3339();
        for (i, r) in rows.iter().enumerate() {
            insert
                .execute(rusqlite::params![
                    i as i64 + 1,
                    r.id.to_string(),
                    r.device.to_string(),
                    r.seq,
                    r.hlc,
                    r.kind,
                    crate::VILLAGE,
                    r.case_id.map(|c| c.to_string()),
                    r.bytes,
                    r.link,
                    now
                ])
                .unwrap();
        }
    }
    tx.commit().unwrap();
    let ceiling = started.elapsed().as_secs_f64();
    figure("SQLite", devices, uploaders, measured, ceiling)
}

pub fn postgres(url: &str, devices: &[Device], uploaders: usize) -> Option<IngestFigure> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let tag = Uuid::now_v7().simple().to_string();
        let (a, b) = (format!("bench_a_{tag}"), format!("bench_b_{tag}"));
        let store = match PgStore::connect_in_schema(url, &a).await {
            Ok(s) => s,
            Err(e) => {
                eprintln!("PostgreSQL not reachable at {url}: {e}");
                return None;
            }
        };
        let store: std::sync::Arc<dyn HubStore> = std::sync::Arc::new(store);
        let measured = ingest_all(store, devices, uploaders).await;
        drop(PgStore::connect_in_schema(url, &b).await.unwrap());

        let rows = rows(devices);
        let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        client
            .batch_execute(&format!("SET search_path = {b}"))
            .await
            .unwrap();
        let started = Instant::now();
        let sink = client
            .copy_in(tiaojie_server::store::postgres::EVENTS_COPY)
            .await
            .unwrap();
        let writer = tokio_postgres::binary_copy::BinaryCopyInWriter::new(
            sink,
            &tiaojie_server::store::postgres::EVENTS_COPY_TYPES,
        );
        let mut writer = std::pin::pin!(writer);
        let now = chrono::Utc::now();
        let unit = crate::VILLAGE.to_string();
        for (i, r) in rows.iter().enumerate() {
            let hub_seq = i as i64 + 1;
            writer
                .as_mut()
                .write(&[
                    &hub_seq, &r.id, &r.device, &r.seq, &r.hlc, &r.kind, &unit, &r.case_id,
                    &r.bytes, &r.link, &now,
                ])
                .await
                .unwrap();
        }
        writer.finish().await.unwrap();
        let ceiling = started.elapsed().as_secs_f64();
        for schema in [&a, &b] {
            client
                .batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
                .await
                .unwrap();
        }
        Some(figure("PostgreSQL", devices, uploaders, measured, ceiling))
    })
}
