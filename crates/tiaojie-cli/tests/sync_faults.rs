//! Sync under the faults of a rural network, against a real hub process:
//! connections cut and responses truncated by a proxy, latency and a thin
//! pipe, and the hub killed with SIGKILL in the middle of ingest. Nothing
//! acknowledged is lost, nothing arrives twice, every replica converges.

mod support;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use support::devices::*;
use support::hub::Backend;
use support::proxy::{FaultProxy, Faults};
use tiaojie_ledger::store::queries::CaseFilter;
use tiaojie_sync::client::HubClient;
use tiaojie_sync::engine;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_events_from_twenty_devices_through_cut_connections() {
    const VILLAGES: usize = 20;
    let hub = hub_with_tree(Backend::Sqlite, VILLAGES);
    let mut villages = Vec::new();
    for i in 0..VILLAGES {
        let mut d = device(&hub, &village_code(i), 1).await;
        work(&mut d, 100);
        villages.push(d);
    }
    let mut station = device(&hub, STATION, 2).await;
    let written: usize = villages
        .iter()
        .map(|d| d.ledger.own_events_after(0, 10_000).unwrap().len())
        .sum();
    assert!(written >= 10_000, "{written}");

    let target = hub.url.trim_start_matches("http://").parse().unwrap();
    let proxy = FaultProxy::start(
        target,
        // 256 kbit/s each way on every connection, 20 ms added per chunk.
        Faults {
            cut_ratio: 0.2,
            truncate_ratio: 0.05,
            latency: Duration::from_millis(20),
            bytes_per_sec: Some(32_000),
            cut_every: None,
        },
        7,
    );
    let started = Instant::now();
    let mut tasks = Vec::new();
    for mut d in villages {
        let url = proxy.url();
        tasks.push(tokio::spawn(async move {
            let failed = sync_until_done(&mut d, &url).await;
            (d, failed)
        }));
    }
    let mut villages = Vec::new();
    let mut failed_rounds = 0;
    for t in tasks {
        let (d, failed) = t.await.unwrap();
        failed_rounds += failed;
        villages.push(d);
    }
    // Everyone pulls once more so that all have what the others sent.
    failed_rounds += sync_until_done(&mut station, &proxy.url()).await;
    for d in villages.iter_mut() {
        failed_rounds += sync_until_done(d, &proxy.url()).await;
    }
    let stats = &proxy.stats;
    let (conns, cut, truncated) = (
        stats.connections.load(std::sync::atomic::Ordering::Relaxed),
        stats.cut.load(std::sync::atomic::Ordering::Relaxed),
        stats.truncated.load(std::sync::atomic::Ordering::Relaxed),
    );
    println!(
        "faults: {written} events from {VILLAGES} devices in {:.1?}; {conns} connections, {cut} cut, {truncated} truncated, {failed_rounds} failed sync rounds",
        started.elapsed()
    );
    assert!(
        cut >= 5 && failed_rounds >= 5,
        "the proxy should have broken some syncs ({cut} cut, {failed_rounds} failed)"
    );

    // Nothing lost, nothing twice: the hub holds exactly every event once,
    // and the station holds exactly what the hub holds.
    let all: usize = villages
        .iter()
        .map(|d| d.ledger.own_events_after(0, 10_000).unwrap().len())
        .sum::<usize>()
        + station.ledger.own_events_after(0, 10_000).unwrap().len();
    let hub_events = hub_event_count(&hub).await as usize;
    let hub_own = hub_events - all;
    assert_eq!(
        hub_own,
        VILLAGES + 2,
        "the hub's own events are its unit registrations"
    );
    let station_ids = event_ids(&station.ledger);
    assert_eq!(station_ids.len(), hub_events);
    for d in &villages {
        let own = event_ids(&d.ledger);
        // A village holds its own events and the hub's, nobody else's.
        assert_eq!(
            own.len(),
            d.ledger.own_events_after(0, 10_000).unwrap().len() + hub_own
        );
        assert!(own.is_subset(&station_ids));
        assert_eq!(
            village_cases(&d.ledger, &d.unit),
            village_cases(&station.ledger, &d.unit)
        );
        assert_eq!(engine::pending(&d.ledger).unwrap(), 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thin_slow_pipe_still_delivers_everything() {
    let hub = hub_with_tree(Backend::Sqlite, 1);
    let mut village = device(&hub, &village_code(0), 1).await;
    work(&mut village, 60);
    let mut station = device(&hub, STATION, 2).await;
    let target = hub.url.trim_start_matches("http://").parse().unwrap();
    // 256 kbit/s, 250 ms each way, 5% of connections cut.
    let proxy = FaultProxy::start(
        target,
        Faults {
            cut_ratio: 0.05,
            truncate_ratio: 0.0,
            latency: Duration::from_millis(250),
            bytes_per_sec: Some(32_000),
            cut_every: None,
        },
        11,
    );
    let started = Instant::now();
    sync_until_done(&mut village, &proxy.url()).await;
    sync_until_done(&mut station, &proxy.url()).await;
    println!(
        "thin pipe: {} bytes up, {} bytes down in {:.1?}",
        proxy
            .stats
            .bytes_up
            .load(std::sync::atomic::Ordering::Relaxed),
        proxy
            .stats
            .bytes_down
            .load(std::sync::atomic::Ordering::Relaxed),
        started.elapsed()
    );
    assert_eq!(
        village_cases(&village.ledger, &village.unit),
        village_cases(&station.ledger, &village.unit)
    );
    assert_eq!(
        station
            .ledger
            .list_cases(&CaseFilter::default())
            .unwrap()
            .total,
        60
    );
}

/// Uploads while the hub is killed with SIGKILL and restarted: every batch
/// the hub acknowledged before dying is there after the restart, and in the
/// end each event is there once.
async fn kill_nine_during_ingest(backend: Backend) {
    let mut hub = hub_with_tree(backend, 4);
    let mut villages = Vec::new();
    for i in 0..4 {
        let mut d = device(&hub, &village_code(i), 1).await;
        work(&mut d, 60);
        villages.push(d);
    }
    // Small batches, so that the kill lands between many acknowledgements.
    let acked: std::sync::Arc<std::sync::Mutex<BTreeMap<uuid::Uuid, i64>>> = Default::default();
    let url = hub.url.clone();
    let keys: Vec<(uuid::Uuid, tiaojie_sync::keys::DeviceKey)> = villages
        .iter()
        .map(|d| {
            (
                d.ledger.device().unwrap().device_id,
                engine::enrollment(&d.ledger).unwrap().key,
            )
        })
        .collect();
    let mut tasks = Vec::new();
    for d in villages {
        let (url, acked) = (url.clone(), acked.clone());
        tasks.push(tokio::spawn(async move {
            let id = d.ledger.device().unwrap().device_id;
            let key = engine::enrollment(&d.ledger).unwrap().key;
            let own = d.ledger.own_events_after(0, 10_000).unwrap();
            let record = move |seq: i64| {
                acked.lock().unwrap().insert(id, seq);
            };
            upload_all(&own, id, key, &url, 3, &record).await;
            d
        }));
    }
    // Kill once about a third is in, while batches are still arriving.
    let total_events: i64 = 4 * 301;
    let waited = Instant::now();
    loop {
        let done: i64 = acked.lock().unwrap().values().sum();
        if done * 3 >= total_events {
            break;
        }
        assert!(
            waited.elapsed() < Duration::from_secs(60),
            "uploads too slow to start"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let before: BTreeMap<uuid::Uuid, i64> = acked.lock().unwrap().clone();
    hub.kill9();
    let at_kill: BTreeMap<uuid::Uuid, i64> = acked.lock().unwrap().clone();
    tokio::time::sleep(Duration::from_millis(300)).await;
    hub.restart();
    // What the hub acknowledged before it died is there after the restart.
    for (id, key) in &keys {
        let Some(seq) = at_kill.get(id) else { continue };
        let mut client =
            HubClient::new(&hub.url, *id, key.clone(), Duration::from_secs(10)).unwrap();
        let head = client.head(*id).await.unwrap();
        assert!(
            head.acked_seq >= *seq,
            "device {id}: acknowledged {seq}, the hub has {}",
            head.acked_seq
        );
    }
    let mut villages = Vec::new();
    for t in tasks {
        villages.push(t.await.unwrap());
    }
    println!("kill -9: acknowledged before the kill {before:?}, at the kill {at_kill:?}");
    assert!(
        !at_kill.is_empty(),
        "the kill came before any acknowledgement"
    );
    let acked_at_kill: i64 = at_kill.values().sum();
    assert!(
        acked_at_kill < total_events,
        "the kill came after all uploads: {at_kill:?}"
    );
    // A station pulls everything: every event of every device, once.
    let mut station = device(&hub, STATION, 2).await;
    sync_until_done(&mut station, &hub.url).await;
    let station_ids = event_ids(&station.ledger);
    for d in &villages {
        for e in d.ledger.own_events_after(0, 10_000).unwrap() {
            let ev: tiaojie_ledger::Event = serde_json::from_slice(&e.raw).unwrap();
            assert!(
                station_ids.contains(&ev.id),
                "event {} of {} lost",
                e.seq,
                d.unit
            );
        }
        assert_eq!(
            village_cases(&d.ledger, &d.unit),
            village_cases(&station.ledger, &d.unit)
        );
    }
    let total: usize = villages
        .iter()
        .map(|d| d.ledger.own_events_after(0, 10_000).unwrap().len())
        .sum::<usize>()
        + station.ledger.own_events_after(0, 10_000).unwrap().len();
    assert_eq!(hub_event_count(&hub).await as usize, total + 4 + 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_nine_during_ingest_on_sqlite() {
    kill_nine_during_ingest(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_nine_during_ingest_on_postgres() {
    kill_nine_during_ingest(Backend::Postgres).await;
}
