//! The upload half of the store contract (see `store_contract.rs`): what
//! is stored, replays, refusals, quarantine.

use crate::support_store::*;
use tiaojie_server::ServerError;
use tiaojie_sync::chain;
use tiaojie_sync::wire::{BatchAck, Quarantined};
use uuid::Uuid;

pub async fn uploads_are_stored_and_replays_change_nothing(db: &Db) {
    let store = db.open().await;
    let mut village = Device::new(VILLAGE_A);
    let case = village
        .ledger
        .open_case(&intake("张三", "李四", day(3, 2)))
        .unwrap()
        .id;
    village
        .ledger
        .grade_case(case, "红", "有民转刑风险", Some(day(3, 2)))
        .unwrap();
    assert_eq!(village.take(), 7);
    let (chain, hub, id) = (&village.chain, Uuid::now_v7(), village.id());

    let unknown = store.head(id).await.unwrap();
    assert_eq!(
        (unknown.acked_seq, unknown.last_hash),
        (0, chain::to_hex(&chain::GENESIS))
    );
    let ack = |acked: i64, stored, duplicates| BatchAck {
        device_id: id,
        acked_seq: acked,
        last_hash: chain.link_hex(acked),
        stored,
        duplicates,
        quarantined: vec![],
        checkpoint: None,
    };
    assert_eq!(chain.upload(&*store, 1, 3, hub).await, ack(3, 3, 0));
    assert_eq!(chain.upload(&*store, 2, 7, hub).await, ack(7, 4, 2));
    let head = store.head(id).await.unwrap();
    assert_eq!((head.acked_seq, &head.last_hash), (7, &chain.link_hex(7)));

    assert_eq!(chain.upload(&*store, 1, 7, hub).await, ack(7, 0, 7));
    assert_eq!(chain.upload(&*store, 5, 6, hub).await, ack(7, 0, 2));
    assert_eq!(store.event_count().await.unwrap(), 7);
    assert_eq!(store.head(id).await.unwrap(), head);

    let all = store.device_events(id, 0, 100).await.unwrap();
    assert_eq!(
        all,
        (1..=7)
            .map(|s| (s, chain.wire[s as usize - 1].clone()))
            .collect::<Vec<_>>()
    );
    let middle = store.device_events(id, 2, 3).await.unwrap();
    assert_eq!(
        middle.iter().map(|(s, _)| *s).collect::<Vec<_>>(),
        vec![3, 4, 5]
    );
    assert!(
        store
            .device_events(Uuid::now_v7(), 0, 100)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(store.quarantine().await.unwrap().is_empty());
}

pub async fn a_changed_replay_or_a_gap_is_refused_and_writes_nothing(db: &Db) {
    let store = db.open().await;
    let mut village = Device::new(VILLAGE_A);
    village
        .ledger
        .open_case(&intake("张三", "李四", day(3, 2)))
        .unwrap();
    village
        .ledger
        .open_case(&intake("王五", "赵六", day(3, 2)))
        .unwrap();
    assert_eq!(village.take(), 7);
    let (chain, hub, id) = (&village.chain, Uuid::now_v7(), village.id());
    chain.upload(&*store, 1, 5, hub).await;

    let refused = |result: tiaojie_server::Result<BatchAck>| match result {
        Err(ServerError::ChainMismatch { head, detail }) => {
            assert_eq!((head.acked_seq, &head.last_hash), (5, &chain.link_hex(5)));
            detail
        }
        other => panic!("expected a chain mismatch, got {other:?}"),
    };
    // Event 4 changed after the hub stored it, sent again with a new one.
    let mut changed = chain.clone();
    let mut fourth = chain.event(4);
    fourth.actor = Some("冒名者".into());
    changed.wire[3] = serde_json::to_vec(&fourth).unwrap();
    let detail = refused(store.ingest(&changed.batch(3, 6, hub)).await);
    assert!(detail.contains("第4条"), "{detail}");
    // Event 6 skipped.
    let detail = refused(store.ingest(&chain.batch(7, 7, hub)).await);
    assert!(detail.contains("应从第6条开始"), "{detail}");
    // The device's chain forked at 5: its 6 does not follow the hub's 5.
    let mut forked = chain.clone();
    let mut fifth = chain.event(5);
    fifth.actor = Some("另一台".into());
    forked.wire[4] = serde_json::to_vec(&fifth).unwrap();
    let detail = refused(store.ingest(&forked.batch(6, 7, hub)).await);
    assert!(detail.contains("第6条的前一链接"), "{detail}");

    assert_eq!(store.event_count().await.unwrap(), 5);
    assert_eq!(store.head(id).await.unwrap().acked_seq, 5);
    assert!(store.quarantine().await.unwrap().is_empty());
    assert_eq!(store.device_events(id, 0, 100).await.unwrap().len(), 5);
    let ack = chain.upload(&*store, 6, 7, hub).await;
    assert_eq!((ack.stored, ack.acked_seq), (2, 7));
}

pub async fn quarantined_events_do_not_block_the_chain(db: &Db) {
    let store = db.open().await;
    let hub = Uuid::now_v7();
    let mut village = Device::new(VILLAGE_A);
    village.chain.upload(&*store, 1, 5, hub).await;
    village.chain.push_raw(b"not an event"); // 6
    let case = village
        .ledger
        .open_case(&intake("张三", "李四", day(3, 2)))
        .unwrap()
        .id;
    village.take(); // 7
    let mut foreign = village.chain.event(7);
    (foreign.id, foreign.unit) = (Uuid::now_v7(), VILLAGE_B.into());
    village.chain.push_event(foreign.clone()); // 8: signed for another unit
    let reused = village.chain.event(1);
    village.chain.push_event(reused.clone()); // 9: an id the hub holds
    village
        .ledger
        .grade_case(case, "红", "有民转刑风险", Some(day(3, 2)))
        .unwrap();
    assert_eq!(village.take(), 10);

    let ack = village.chain.upload(&*store, 6, 10, hub).await;
    assert_eq!((ack.acked_seq, ack.stored, ack.duplicates), (10, 2, 0));
    let seen: Vec<(i64, Option<Uuid>)> = ack
        .quarantined
        .iter()
        .map(|q| (q.seq, q.event_id))
        .collect();
    assert_eq!(
        seen,
        vec![(6, None), (8, Some(foreign.id)), (9, Some(reused.id))]
    );
    assert!(
        ack.quarantined[0].reason.contains("无法解析事件"),
        "{:?}",
        ack.quarantined
    );
    assert!(
        ack.quarantined[1].reason.contains("署名单位"),
        "{:?}",
        ack.quarantined
    );
    assert_eq!(ack.quarantined[2].reason, "事件编号重复");
    let rows = store.quarantine().await.unwrap();
    assert_eq!(
        rows.iter()
            .map(|r| (r.device_id, r.seq))
            .collect::<Vec<_>>(),
        vec![(village.id(), 6), (village.id(), 8), (village.id(), 9)]
    );
    let kept: Vec<i64> = store
        .device_events(village.id(), 0, 100)
        .await
        .unwrap()
        .iter()
        .map(|e| e.0)
        .collect();
    assert_eq!(kept, vec![1, 2, 3, 4, 5, 7, 10]);

    // A replay counts the quarantined ones as duplicates and reports none anew.
    let replay = village.chain.upload(&*store, 5, 10, hub).await;
    assert_eq!(
        (
            replay.acked_seq,
            replay.stored,
            replay.duplicates,
            replay.quarantined
        ),
        (10, 0, 6, vec![])
    );

    // Another device sending an event under an id the hub holds.
    let mut other = Device::new(VILLAGE_B);
    let mut copied = village.chain.event(7);
    (copied.device, copied.unit) = (other.id(), VILLAGE_B.into());
    other.chain.push_event(copied.clone());
    let ack = other.chain.upload(&*store, 1, 6, hub).await;
    assert_eq!(
        ack.quarantined,
        vec![Quarantined {
            seq: 6,
            event_id: Some(copied.id),
            reason: "事件编号重复".into()
        }]
    );
    assert_eq!(store.event_count().await.unwrap(), 7 + 5);

    village
        .ledger
        .escalate(case, STATION, "村级调解未果", Some(day(3, 3)))
        .unwrap();
    village.take();
    let ack = village.chain.upload(&*store, 11, 11, hub).await;
    assert_eq!((ack.acked_seq, ack.stored), (11, 1));
}

/// A case belongs to the device that opened it, and only the units on its
/// line (its origin and those above) may act on it: a village that copies
/// another's case, even stamped earlier, or grades it, is quarantined with
/// the reason, and its chain moves on.
pub async fn a_case_is_its_openers_and_its_lines(db: &Db) {
    let store = db.open().await;
    let mut w = World::new();
    for device in [&w.hub, &w.village_a, &w.village_b, &w.station] {
        w.upload(&*store, device).await;
    }
    let opened = (1..=w.village_a.chain.len())
        .map(|seq| w.village_a.chain.event(seq))
        .find(|e| e.body.kind() == "case_opened")
        .unwrap();
    let mut copy = opened.clone();
    copy.id = Uuid::now_v7();
    copy.hlc = tiaojie_ledger::hlc::Hlc::from_raw(opened.hlc.raw() - 1);
    (copy.device, copy.unit) = (w.village_b.id(), VILLAGE_B.into());
    let mut graded = copy.clone();
    graded.id = Uuid::now_v7();
    graded.body = tiaojie_ledger::EventBody::CaseGraded(tiaojie_ledger::event::body::CaseGraded {
        case_id: w.case_a,
        grade: "green".into(),
        reason: "已化解".into(),
        on: day(3, 5),
    });
    w.village_b.chain.push_event(copy.clone());
    w.village_b.chain.push_event(graded.clone());
    let ack = w.upload(&*store, &w.village_b).await;
    assert_eq!(ack.acked_seq, w.village_b.chain.len());
    let reasons: Vec<(Option<Uuid>, &str)> = ack
        .quarantined
        .iter()
        .map(|q| (q.event_id, q.reason.as_str()))
        .collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert_eq!(reasons[0].0, Some(copy.id));
    assert!(reasons[0].1.contains("已由另一台设备登记"), "{reasons:?}");
    assert_eq!(reasons[1].0, Some(graded.id));
    assert!(reasons[1].1.contains("无权办理"), "{reasons:?}");

    // The station, above the case's origin, may act on it.
    w.station
        .ledger
        .grade_case(w.case_a, "黄", "派出所复评", Some(day(3, 5)))
        .unwrap();
    w.station.take();
    let ack = w.upload(&*store, &w.station).await;
    assert_eq!((ack.stored, ack.quarantined.len()), (1, 0));
}

/// A device whose quarantine would pass its bound has the batch refused
/// whole, in words, and nothing of it is kept: a few kilobytes of upload
/// cannot fill the hub's disk with refused events.
pub async fn a_full_quarantine_refuses_the_batch(db: &Db) {
    let store = db.open().await;
    let hub = Uuid::now_v7();
    let mut village = Device::new(VILLAGE_A);
    village.chain.upload(&*store, 1, 5, hub).await;
    for _ in 0..3 {
        village.chain.push_raw(b"not an event");
    }
    let mut batch = village.chain.batch(6, 8, hub);
    batch.quarantine_bound = tiaojie_server::store::QuarantineBound {
        events: 2,
        bytes: 1 << 20,
    };
    match store.ingest(&batch).await {
        Err(ServerError::QuarantineFull(message)) => {
            assert!(message.contains("已达上限"), "{message}")
        }
        other => panic!("expected a full quarantine, got {other:?}"),
    }
    assert!(store.quarantine().await.unwrap().is_empty());
    assert_eq!(store.head(village.id()).await.unwrap().acked_seq, 5);
    // Within the bound the same batch goes through.
    batch.quarantine_bound.events = 3;
    let ack = store.ingest(&batch).await.unwrap();
    assert_eq!((ack.acked_seq, ack.quarantined.len()), (8, 3));
}

/// Uploads arriving at once may be stored together (one transaction, one
/// commit), yet each is answered on its own: a broken chain refuses that
/// upload alone, an event id two devices claim is stored once, and every
/// good upload is stored whole.
pub async fn uploads_stored_together_answer_each_on_its_own(db: &Db) {
    use crate::feed_contract::synthetic_batches;
    use tiaojie_server::store::{Reach, Verdict};
    let store = db.open().await;
    let per_batch = 4;
    let reach = Reach::Unit(VILLAGE_A.into());
    let mut uploads = Vec::new();
    for _ in 0..12 {
        uploads.push((
            "good",
            synthetic_batches(Uuid::now_v7(), 1, per_batch, reach.clone()).remove(0),
        ));
    }
    // The second batch of a device whose first never came: a gap.
    let gap = synthetic_batches(Uuid::now_v7(), 2, per_batch, reach.clone()).remove(1);
    uploads.insert(5, ("gap", gap));
    // Two devices claiming the same event ids (a copied ledger).
    let original = synthetic_batches(Uuid::now_v7(), 1, per_batch, reach.clone()).remove(0);
    let mut copy = synthetic_batches(Uuid::now_v7(), 1, per_batch, reach.clone()).remove(0);
    for (c, o) in copy.events.iter_mut().zip(&original.events) {
        if let (Verdict::Accept { id, .. }, Verdict::Accept { id: taken, .. }) =
            (&mut c.verdict, &o.verdict)
        {
            *id = *taken;
        }
    }
    uploads.insert(2, ("claim", original));
    uploads.insert(9, ("claim", copy));

    let tasks: Vec<_> = uploads
        .into_iter()
        .map(|(what, batch)| {
            let store = store.clone();
            tokio::spawn(async move { (what, store.ingest(&batch).await) })
        })
        .collect();
    let (mut claimed_stored, mut claimed_refused) = (0, 0);
    for task in tasks {
        match task.await.unwrap() {
            ("good", answer) => assert_eq!(answer.unwrap().stored as usize, per_batch),
            ("gap", answer) => assert!(
                matches!(answer, Err(ServerError::ChainMismatch { .. })),
                "{answer:?}"
            ),
            (_, answer) => {
                let ack = answer.unwrap();
                claimed_stored += ack.stored as usize;
                claimed_refused += ack.quarantined.len();
                assert!(ack.quarantined.iter().all(|q| q.reason == "事件编号重复"));
            }
        }
    }
    assert_eq!((claimed_stored, claimed_refused), (per_batch, per_batch));
    assert_eq!(
        store.event_count().await.unwrap() as usize,
        13 * per_batch,
        "twelve good uploads and one copy of the claimed events"
    );
}
