//! Sync on a link that drops every few seconds: a proxy cuts connections
//! at random bytes, on average once per 200 KB carried (both ways), as a
//! weak mobile signal in a hill village does. A laptop with 10,000 events
//! of its own runs `tiaojie sync loop` as a real process against a real
//! hub process, uploading them and downloading the 10,000 another laptop
//! of its village sent. Everything arrives exactly once, and the bytes the
//! link carried are at most 1.3 times those of the same sync on a clean
//! link: a cut wastes only the frame in flight, never the whole page.

mod support;

use std::sync::atomic::Ordering;
use support::devices::*;
use support::hub::Backend;
use support::proxy::{FaultProxy, Faults};
use tiaojie_ledger::Ledger;
use tiaojie_ledger::domain::intake::{CaseIntake, PartyInput};
use tiaojie_ledger::store::import::ImportCase;
use tiaojie_sync::engine;

/// Cases of two events each (opened and graded), written at once.
fn bulk(d: &mut Device, lane: &str, cases: usize) {
    let items: Vec<ImportCase> = (0..cases)
        .map(|i| ImportCase {
            key: format!("{lane}-{i}"),
            original_number: None,
            intake: CaseIntake {
                received_on: Some("2026-03-02".into()),
                dispute_type: "邻里".into(),
                source: "主动排查".into(),
                facts: format!(
                    "第{i}起（{lane}）：排水沟堵塞引发争执，双方多次口角，经村委会调解员上门了解情况"
                ),
                requests: Some(format!("疏通排水沟，赔偿损失{}元", 100 + i % 900)),
                parties: vec![
                    PartyInput {
                        name: format!("张{i}"),
                        phone: Some(format!("138{:08}", i)),
                        ..Default::default()
                    },
                    PartyInput {
                        name: format!("李{i}"),
                        ..Default::default()
                    },
                ],
                ..Default::default()
            },
            grade: Some("yellow".into()),
            grade_reason: "有激化可能".into(),
            agreement: None,
            closing: None,
        })
        .collect();
    d.ledger.import_cases(&items).unwrap();
}

/// One sync through a clean link: it must go through the first time.
async fn clean_sync(d: &mut Device, url: &str) {
    let key = engine::enrollment(&d.ledger).unwrap().key;
    let id = d.ledger.device().unwrap().device_id;
    let mut client =
        tiaojie_sync::client::HubClient::new(url, id, key, tiaojie_sync::client::DEFAULT_TIMEOUT)
            .unwrap();
    if let Err(e) = engine::sync_once(&mut d.ledger, &mut client, &mut |_| {}).await {
        panic!("a sync on a clean link failed: {e}");
    }
}

fn carried(p: &FaultProxy) -> (u64, u64) {
    (
        p.stats.bytes_up.load(Ordering::Relaxed),
        p.stats.bytes_down.load(Ordering::Relaxed),
    )
}

async fn harsh_link(backend: Backend, seed: u64) {
    const CASES: usize = 5_000;
    let hub = hub_with_tree(backend, 2);
    let (v0, v1) = (village_code(0), village_code(1));
    let target = hub.url.trim_start_matches("http://").parse().unwrap();

    // Another laptop of the village sends its events on a good line.
    let mut other = device(&hub, &v0, 1).await;
    bulk(&mut other, "other", CASES);
    sync_until_done(&mut other, &hub.url).await;
    let others = event_ids(&other.ledger);

    // The same sync on a clean link, for the bytes it takes: an upload of
    // as many events (from another village, so that the laptop below does
    // not download them) and a download of the other laptop's events.
    let clean = FaultProxy::start(target, Faults::default(), seed);
    let mut clean_up = device(&hub, &v1, 1).await;
    bulk(&mut clean_up, "clean", CASES);
    clean_sync(&mut clean_up, &clean.url()).await;
    let (up_clean, _) = carried(&clean);
    let mut clean_down = device(&hub, &v0, 1).await;
    clean_sync(&mut clean_down, &clean.url()).await;
    let (_, down_clean) = carried(&clean);
    assert!(clean_down.ledger.events().unwrap().len() >= 2 * CASES);

    // This laptop, through the harsh link, as the app runs it.
    let harsh = FaultProxy::start(
        target,
        Faults {
            cut_every: Some(200_000),
            // 256 kbit/s, the weak mobile signal of the issue: on a fast
            // link the hub's storing would lag the bytes carried.
            bytes_per_sec: Some(32_000),
            ..Default::default()
        },
        seed,
    );
    let mut me = device(&hub, &v0, 1).await;
    bulk(&mut me, "me", CASES);
    let own = me.ledger.own_events_after(0, u32::MAX).unwrap().len();
    me.ledger
        .set_sync_values(&[(engine::KEY_URL, harsh.url())])
        .unwrap();
    let before = hub_event_count(&hub).await;
    let (dir, path) = me.close();
    let run = support::run_in(&path, &["sync", "loop", "--interval", "0", "--rounds", "1"]);
    assert_eq!(run.code, 0, "sync loop failed:\n{}", run.stderr);
    let cuts = harsh.stats.cut.load(Ordering::Relaxed);
    let (up, down) = carried(&harsh);

    // Exactly once, both ways.
    let me = Ledger::open(&path).unwrap();
    assert_eq!(engine::pending(&me).unwrap(), 0);
    assert_eq!(
        hub_event_count(&hub).await - before,
        own as i64,
        "the hub holds each of this laptop's events once"
    );
    let mine = event_ids(&me);
    assert!(
        others.is_subset(&mine),
        "every event of the other laptop arrived"
    );
    assert_eq!(
        me.events().unwrap().len(),
        mine.len(),
        "no event twice in the ledger"
    );
    drop(dir);

    let ratio = (up + down) as f64 / (up_clean + down_clean) as f64;
    println!(
        "harsh link ({backend:?}, seed {seed}): {own} up, {} down; {cuts} cuts; \
         {up} + {down} bytes against {up_clean} + {down_clean} clean: {ratio:.2}×",
        others.len()
    );
    assert!(
        cuts >= 3,
        "the link should have dropped several times ({cuts})"
    );
    assert!(
        ratio <= 1.3,
        "bytes carried {ratio:.2}× those of a clean sync"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_that_drops_every_200_kb_wastes_little_on_sqlite() {
    harsh_link(Backend::Sqlite, 7).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_that_drops_every_200_kb_wastes_little_on_postgres() {
    harsh_link(Backend::Postgres, 12).await;
}
