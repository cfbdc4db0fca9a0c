//! The feed half of the store contract (see `store_contract.rs`): who sees
//! which events, paging, and cursors under concurrent uploads.

use crate::support_store::*;
use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tiaojie_ledger::Event;
use tiaojie_server::store::{IncomingBatch, IncomingEvent, Reach, Verdict};
use tiaojie_sync::chain;
use uuid::Uuid;

fn ids(events: &[Event]) -> Vec<Uuid> {
    events.iter().map(|e| e.id).collect()
}

/// The ids of a device's events that `keep` selects, in order.
fn chain_ids(device: &Device, keep: impl Fn(&Event) -> bool) -> Vec<Uuid> {
    (1..=device.chain.len())
        .map(|s| device.chain.event(s))
        .filter(|e| keep(e))
        .map(|e| e.id)
        .collect()
}

fn all_of(device: &Device) -> Vec<Uuid> {
    chain_ids(device, |_| true)
}

const TREE: [&str; 4] = [DISTRICT, STATION, VILLAGE_A, VILLAGE_B];
const STATION_TREE: [&str; 3] = [STATION, VILLAGE_A, VILLAGE_B];

pub async fn feeds_reach_the_right_units(db: &Db) {
    let store = db.open().await;
    let w = World::new();
    for device in [&w.hub, &w.village_a, &w.village_b, &w.station] {
        w.upload(&*store, device).await;
    }
    let total: i64 = [&w.hub, &w.village_a, &w.village_b, &w.station]
        .iter()
        .map(|d| d.chain.len())
        .sum();
    assert_eq!(store.event_count().await.unwrap(), total);
    // Only the hub's own unit registrations build its tree.
    assert_eq!(store.units().await.unwrap(), TREE.map(unit).to_vec());

    let hub = all_of(&w.hub);
    let (a, b, station) = (
        all_of(&w.village_a),
        all_of(&w.village_b),
        all_of(&w.station),
    );
    let accepted = chain_ids(&w.station, |e| e.body.case_id() == Some(w.case_a));
    assert_eq!(accepted.len(), 1);

    // A village: the hub's events, and the station's answer on its case;
    // not its own events, not the other village's case.
    let village_a = feed_all(&*store, &[VILLAGE_A], w.village_a.id()).await;
    assert_eq!(ids(&village_a), [hub.clone(), accepted].concat());
    assert_eq!(kinds(&village_a).last(), Some(&"escalation_accepted"));
    assert!(village_a.iter().all(|e| e.body.case_id() != Some(w.case_b)));
    let village_b = feed_all(&*store, &[VILLAGE_B], w.village_b.id()).await;
    assert_eq!(ids(&village_b), hub);
    let second_b = feed_all(&*store, &[VILLAGE_B], Uuid::now_v7()).await;
    assert_eq!(ids(&second_b), [hub.clone(), b.clone()].concat());

    // The station sees both villages; a second station device sees the
    // first one's events too.
    let of_station = feed_all(&*store, &STATION_TREE, w.station.id()).await;
    assert_eq!(
        ids(&of_station),
        [hub.clone(), a.clone(), b.clone()].concat()
    );
    let second_station = feed_all(&*store, &STATION_TREE, Uuid::now_v7()).await;
    assert_eq!(
        ids(&second_station),
        [hub.clone(), a.clone(), b.clone(), station.clone()].concat()
    );
    let of_hub = feed_all(&*store, &TREE, w.hub.id()).await;
    assert_eq!(ids(&of_hub), [a, b, station].concat());
}

pub async fn case_events_follow_the_case_origin(db: &Db) {
    let store = db.open().await;
    let mut w = World::new();
    // The station's acceptance arrives before the case was opened at the
    // hub: it reaches the station's own subtree only.
    for device in [&w.hub, &w.station, &w.village_a, &w.village_b] {
        w.upload(&*store, device).await;
    }
    w.station
        .ledger
        .grade_case(w.case_a, "黄", "派出所复评", Some(day(3, 5)))
        .unwrap();
    w.station.take();
    w.upload(&*store, &w.station).await;

    let hub = all_of(&w.hub);
    let of_case_a = chain_ids(&w.station, |e| e.body.case_id() == Some(w.case_a));
    assert_eq!(of_case_a.len(), 2);
    let village_a = feed_all(&*store, &[VILLAGE_A], w.village_a.id()).await;
    assert_eq!(ids(&village_a), [hub.clone(), vec![of_case_a[1]]].concat());
    assert_eq!(kinds(&village_a).last(), Some(&"case_graded"));
    let village_b = feed_all(&*store, &[VILLAGE_B], w.village_b.id()).await;
    assert_eq!(ids(&village_b), hub);
    let second_station = feed_all(&*store, &STATION_TREE, Uuid::now_v7()).await;
    assert!(of_case_a.iter().all(|id| ids(&second_station).contains(id)));
}

pub async fn feeds_page_by_count_and_by_size(db: &Db) {
    let store = db.open().await;
    let mut w = World::new();
    for device in [&w.hub, &w.village_a, &w.village_b, &w.station] {
        w.upload(&*store, device).await;
    }
    let station = w.station.id();
    let whole = page(&*store, &STATION_TREE, station, 0, 1000).await;
    let n = whole.events.len();
    assert!(n > 12 && !whole.more, "{n}");

    // By count.
    let (mut after, mut got, mut pages) = (0, Vec::new(), 0);
    loop {
        let p = page(&*store, &STATION_TREE, station, after, 4).await;
        pages += 1;
        assert!(p.cursor > after);
        after = p.cursor;
        got.extend(p.events.clone());
        if !p.more {
            assert_eq!(p.events.len(), (n - 1) % 4 + 1);
            break;
        }
        assert_eq!(p.events.len(), 4);
    }
    assert_eq!(
        (got, pages, after),
        (whole.events.clone(), n.div_ceil(4), whole.cursor)
    );
    let past = page(&*store, &STATION_TREE, station, after, 4).await;
    assert_eq!(
        (past.events.len(), past.cursor, past.more),
        (0, after, false)
    );
    let exact = page(&*store, &STATION_TREE, station, 0, n as u32).await;
    assert_eq!((exact.events.len(), exact.more), (n, false));

    // By size: no event is added once the page holds `max_bytes`, and a
    // page always has one.
    let first = whole.events[0].len();
    let sized = |max_bytes| request(&STATION_TREE, station, 0, 100, max_bytes);
    let p = store.feed(&sized(first)).await.unwrap();
    assert_eq!((p.events.len(), p.more), (1, true));
    let p = store.feed(&sized(first + 1)).await.unwrap();
    assert_eq!((p.events.len(), p.more), (2, true));
    assert_eq!(p.events[..], whole.events[..2]);
    let p = store.feed(&sized(1)).await.unwrap();
    assert_eq!((p.events.len(), p.more), (1, true));
    let (mut after, mut got) = (0, Vec::new());
    loop {
        let p = store
            .feed(&request(&STATION_TREE, station, after, 100, 1))
            .await
            .unwrap();
        assert_eq!(p.events.len(), 1);
        (after, got) = (p.cursor, [got, p.events].concat());
        if !p.more {
            break;
        }
    }
    assert_eq!(got, whole.events);

    // A device's own events after the last one it may see do not make
    // `more` true.
    w.village_a
        .ledger
        .open_case(&intake("钱七", "孙八", day(3, 6)))
        .unwrap();
    w.village_a.take();
    w.upload(&*store, &w.village_a).await;
    let visible = feed_all(&*store, &[VILLAGE_A], w.village_a.id())
        .await
        .len() as u32;
    let p = page(&*store, &[VILLAGE_A], w.village_a.id(), 0, visible).await;
    assert_eq!((p.events.len() as u32, p.more), (visible, false));
    let p = page(&*store, &[VILLAGE_A], w.village_a.id(), 0, visible - 1).await;
    assert!(p.more);
    let b = page(
        &*store,
        &[VILLAGE_B],
        w.village_b.id(),
        0,
        w.hub.chain.len() as u32,
    )
    .await;
    assert_eq!((b.events.len() as i64, b.more), (w.hub.chain.len(), false));
}

/// `count` batches of `per_batch` events of one device, reaching `reach`.
pub(crate) fn synthetic_batches(
    device: Uuid,
    count: usize,
    per_batch: usize,
    reach: Reach,
) -> Vec<IncomingBatch> {
    let (mut link, mut seq) = (chain::GENESIS, 0i64);
    (0..count)
        .map(|_| {
            let prev_hash = chain::to_hex(&link);
            let events = (0..per_batch)
                .map(|_| {
                    seq += 1;
                    let id = Uuid::now_v7();
                    let bytes = serde_json::to_vec(
                        &serde_json::json!({ "id": id, "device": device, "seq": seq }),
                    )
                    .unwrap();
                    link = chain::next(&link, &bytes);
                    let kind = "synthetic".to_string();
                    let verdict = Verdict::Accept {
                        id,
                        hlc: seq,
                        kind,
                        reach: reach.clone(),
                        unit: None,
                        purge: None,
                    };
                    IncomingEvent {
                        seq,
                        link: chain::to_hex(&link),
                        bytes,
                        verdict,
                    }
                })
                .collect();
            IncomingBatch {
                device_id: device,
                prev_hash,
                events,
                quarantine_bound: tiaojie_server::store::QuarantineBound {
                    events: 10_000,
                    bytes: 64 << 20,
                },
            }
        })
        .collect()
}

/// Two store instances upload at once while a reader pages through the
/// feed with its cursor: hub_seq must become visible in commit order, or
/// the reader steps over an event that commits late with a smaller number.
pub async fn concurrent_uploads_reach_a_polling_reader_once_each(db: &Db) {
    concurrent_uploads(db, 2, 1).await;
}

/// Eight uploaders at once, four on each of two hub instances: the uploads
/// of one instance share commits, the two instances take turns on the
/// log's order, and a reader polling all along gets every event once.
pub async fn eight_concurrent_uploaders_reach_a_polling_reader_once_each(db: &Db) {
    concurrent_uploads(db, 2, 4).await;
}

async fn concurrent_uploads(db: &Db, instances: usize, uploaders_each: usize) {
    let (batches, per_batch) = if db.is_postgres() { (200, 5) } else { (60, 5) };
    let mut writers = Vec::new();
    for _ in 0..instances {
        writers.push(db.open().await);
    }
    let reader_store = db.open().await;
    let finished = Arc::new(AtomicUsize::new(0));
    let uploaders = instances * uploaders_each;
    let mut expected = HashSet::new();
    let mut tasks = Vec::new();
    for store in writers {
        for _ in 0..uploaders_each {
            // Three devices per uploader, taking turns: two reach the reader.
            let reaches = [
                Reach::Unit(VILLAGE_A.into()),
                Reach::Everyone,
                Reach::Unit(VILLAGE_B.into()),
            ];
            let per_uploader = batches / uploaders_each;
            let mut lanes: Vec<_> = reaches
                .iter()
                .map(|r| {
                    synthetic_batches(Uuid::now_v7(), per_uploader / 3 + 1, per_batch, r.clone())
                        .into_iter()
                })
                .collect();
            let order: Vec<IncomingBatch> = (0..per_uploader)
                .filter_map(|i| lanes[i % 3].next())
                .collect();
            for batch in order.iter().filter(|b| !matches!(&b.events[0].verdict, Verdict::Accept { reach: Reach::Unit(u), .. } if u == VILLAGE_B)) {
                expected.extend(batch.events.iter().map(|e| e.bytes.clone()));
            }
            let (finished, store) = (Arc::clone(&finished), store.clone());
            tasks.push(tokio::spawn(async move {
                for batch in order {
                    assert_eq!(
                        store.ingest(&batch).await.unwrap().stored as usize,
                        per_batch
                    );
                }
                finished.fetch_add(1, Ordering::SeqCst);
            }));
        }
    }
    let reader = tokio::spawn(async move {
        let (mut cursor, mut seen, reader_id) = (0, Vec::new(), Uuid::now_v7());
        loop {
            let done = finished.load(Ordering::SeqCst) == uploaders;
            let p = reader_store
                .feed(&request(&[VILLAGE_A], reader_id, cursor, 7, usize::MAX))
                .await
                .unwrap();
            assert!(p.cursor >= cursor);
            assert_eq!(p.seqs.len(), p.events.len());
            assert!(p.seqs.windows(2).all(|w| w[0] < w[1]));
            assert!(p.seqs.iter().all(|&s| s > cursor && s <= p.cursor));
            cursor = p.cursor;
            seen.extend(p.events);
            if done && !p.more {
                return seen;
            }
        }
    });
    for task in tasks {
        task.await.unwrap();
    }
    let seen = reader.await.unwrap();
    let distinct: HashSet<Vec<u8>> = seen.iter().cloned().collect();
    assert_eq!(distinct.len(), seen.len(), "the reader got an event twice");
    assert_eq!(distinct.len(), expected.len(), "the reader missed events");
    assert_eq!(distinct, expected);
}
