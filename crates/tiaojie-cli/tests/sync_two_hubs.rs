//! Two hub processes on one PostgreSQL database take uploads at the same
//! time while a device pages through its feed, switching hubs at every page.
//! Sequence numbers commit out of order across transactions; the feed must
//! still never skip a committed event, nor send one twice.

mod support;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use support::devices::*;
use support::hub::Backend;
use tiaojie_sync::client::HubClient;
use tiaojie_sync::engine;
use uuid::Uuid;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hubs_on_one_postgres_never_skip_or_repeat_in_a_feed() {
    const VILLAGES: usize = 6;
    let hub1 = hub_with_tree(Backend::Postgres, VILLAGES);
    let hub2 = hub1.another();
    let mut villages = Vec::new();
    for i in 0..VILLAGES {
        let mut d = device(&hub1, &village_code(i), 1).await;
        work(&mut d, 40);
        villages.push(d);
    }
    let station = device(&hub1, STATION, 2).await;
    let expected: BTreeSet<Uuid> = {
        let mut all = BTreeSet::new();
        for d in &villages {
            all.extend(event_ids(&d.ledger).into_iter());
        }
        all
    };

    let done = Arc::new(AtomicBool::new(false));
    let mut uploads = Vec::new();
    for (i, d) in villages.iter().enumerate() {
        let own = d.ledger.own_events_after(0, 10_000).unwrap();
        let id = d.ledger.device().unwrap().device_id;
        let key = engine::enrollment(&d.ledger).unwrap().key;
        let url = if i % 2 == 0 {
            hub1.url.clone()
        } else {
            hub2.url.clone()
        };
        uploads.push(tokio::spawn(async move {
            upload_all(&own, id, key, &url, 4, &|_| {}).await
        }));
    }

    // The puller: one cursor, alternating hubs page by page.
    let station_id = station.ledger.device().unwrap().device_id;
    let key = engine::enrollment(&station.ledger).unwrap().key;
    let urls = [hub1.url.clone(), hub2.url.clone()];
    let flag = done.clone();
    let puller = tokio::spawn(async move {
        let mut clients: Vec<HubClient> = urls
            .iter()
            .map(|u| HubClient::new(u, station_id, key.clone(), Duration::from_secs(10)).unwrap())
            .collect();
        let mut seen: Vec<Uuid> = Vec::new();
        let mut cursor = 0i64;
        let mut pages = 0usize;
        let deadline = Instant::now() + Duration::from_secs(240);
        loop {
            assert!(Instant::now() < deadline, "the feed did not drain");
            let finished = flag.load(Ordering::SeqCst);
            let (header, events, _) = clients[pages % 2].feed(cursor, Some(37)).await.unwrap();
            pages += 1;
            for e in &events {
                let v: serde_json::Value = serde_json::from_slice(e).unwrap();
                seen.push(Uuid::parse_str(v["id"].as_str().unwrap()).unwrap());
            }
            assert!(header.cursor >= cursor);
            cursor = header.cursor;
            if finished && events.is_empty() && !header.more {
                return (seen, pages);
            }
            if events.is_empty() {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        }
    });
    for u in uploads {
        u.await.unwrap();
    }
    done.store(true, Ordering::SeqCst);
    let (seen, pages) = puller.await.unwrap();
    let unique: BTreeSet<Uuid> = seen.iter().copied().collect();
    println!("two hubs: {} events over {pages} feed pages", seen.len());
    assert_eq!(unique.len(), seen.len(), "an event came twice in one feed");
    // Every village event arrived; the rest are the hub's own unit events.
    let missing: Vec<&Uuid> = expected.difference(&unique).collect();
    assert!(
        missing.is_empty(),
        "{} events skipped by the feed, e.g. {:?}",
        missing.len(),
        missing.first()
    );
    assert_eq!(unique.len(), expected.len() + VILLAGES + 2);
    assert!(
        pages > 20,
        "the feed should have been read while uploads ran ({pages} pages)"
    );
}
