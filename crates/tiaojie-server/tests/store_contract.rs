//! The contract every hub store keeps, written once and run against SQLite
//! (a temporary file) and PostgreSQL (a schema of its own, dropped after;
//! `TIAOJIE_TEST_PG` names the database, `skip` leaves these out).

mod support_store;

use chrono::{Duration, SubsecRound, Utc};
use support_store::*;
use tiaojie_server::ServerError;
use tiaojie_server::store::{DeviceRecord, EnrollCode};
use uuid::Uuid;

#[path = "support_store/feed_contract.rs"]
mod feed_contract;
#[path = "support_store/ingest_contract.rs"]
mod ingest_contract;
use feed_contract::*;
use ingest_contract::*;

/// Runs each contract function once per store.
macro_rules! contract {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let db = crate::support_store::Db::sqlite();
                    crate::$name(&db).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let db = crate::support_store::Db::postgres(stringify!($name));
                    crate::$name(&db).await;
                }
            )*
        }
    };
}

contract!(
    identity_is_made_once_and_kept,
    enroll_codes_are_single_use,
    one_of_many_concurrent_redemptions_wins,
    devices_are_registered_and_revoked,
    uploads_are_stored_and_replays_change_nothing,
    a_changed_replay_or_a_gap_is_refused_and_writes_nothing,
    quarantined_events_do_not_block_the_chain,
    feeds_reach_the_right_units,
    case_events_follow_the_case_origin,
    feeds_page_by_count_and_by_size,
    concurrent_uploads_reach_a_polling_reader_once_each,
    eight_concurrent_uploaders_reach_a_polling_reader_once_each,
    uploads_stored_together_answer_each_on_its_own,
    a_case_is_its_openers_and_its_lines,
    a_full_quarantine_refuses_the_batch,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_instances_starting_together_migrate_once() {
    let db = Db::postgres("start_together");
    let (a, b, c, d) = tokio::join!(db.open(), db.open(), db.open(), db.open());
    let (ia, ib, ic, id) = tokio::join!(a.identity(), b.identity(), c.identity(), d.identity());
    let ids: Vec<_> = [ia, ib, ic, id]
        .into_iter()
        .map(|i| i.unwrap().hub_id)
        .collect();
    assert!(ids.iter().all(|i| *i == ids[0]), "{ids:?}");
}

async fn identity_is_made_once_and_kept(db: &Db) {
    let (first, second) = (db.open().await, db.open().await);
    let (a, b) = tokio::join!(first.identity(), second.identity());
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(
        (a.hub_id, a.secret, a.signing_seed),
        (b.hub_id, b.secret, b.signing_seed)
    );
    assert_ne!(a.secret, [0; 32]);
    assert_ne!(a.secret, a.signing_seed);
    drop((first, second));
    let again = db.open().await.identity().await.unwrap();
    assert_eq!(
        (again.hub_id, again.secret, again.signing_seed),
        (a.hub_id, a.secret, a.signing_seed)
    );
}

fn code(hash: &str, unit: &str, expires_in: Duration) -> EnrollCode {
    let now = Utc::now().trunc_subsecs(6);
    EnrollCode {
        code_hash: hash.into(),
        unit: unit.into(),
        created_at: now,
        expires_at: now + expires_in,
        used_at: None,
        used_by: None,
    }
}

fn new_device(unit: &str) -> DeviceRecord {
    Chain::new(Uuid::now_v7(), unit).record
}

async fn enroll_codes_are_single_use(db: &Db) {
    let store = db.open().await;
    let fresh = code("aa01", VILLAGE_A, Duration::hours(1));
    let spare = code("aa02", VILLAGE_A, Duration::hours(1));
    let expired = code("aa03", VILLAGE_B, Duration::minutes(-1));
    for c in [&fresh, &spare, &expired] {
        store.add_enroll_code(c).await.unwrap();
    }
    assert!(matches!(
        store.add_enroll_code(&fresh).await,
        Err(ServerError::Conflict(_))
    ));
    let now = Utc::now();

    // The device claims another unit: the code's unit is what counts.
    let laptop = new_device(VILLAGE_B);
    match store.redeem_enroll_code("ffff", &laptop, now).await {
        Err(ServerError::NotFound(m)) => assert!(m.starts_with("注册码无效"), "{m}"),
        other => panic!("unknown code: {other:?}"),
    }
    let enrolled = store
        .redeem_enroll_code(&fresh.code_hash, &laptop, now)
        .await
        .unwrap();
    assert_eq!(
        enrolled,
        DeviceRecord {
            unit: VILLAGE_A.into(),
            ..laptop.clone()
        }
    );
    assert_eq!(
        store.device(laptop.id).await.unwrap(),
        Some(enrolled.clone())
    );

    let other = new_device(VILLAGE_A);
    match store
        .redeem_enroll_code(&fresh.code_hash, &other, now)
        .await
    {
        Err(ServerError::Conflict(m)) => assert!(m.contains("已经用过"), "{m}"),
        other => panic!("used code: {other:?}"),
    }
    match store
        .redeem_enroll_code(&expired.code_hash, &other, now)
        .await
    {
        Err(ServerError::Gone(m)) => assert!(m.starts_with("注册码已过期"), "{m}"),
        other => panic!("expired code: {other:?}"),
    }
    match store
        .redeem_enroll_code(&spare.code_hash, &laptop, now)
        .await
    {
        Err(ServerError::Conflict(m)) => assert!(m.contains("已注册"), "{m}"),
        other => panic!("device enrolled twice: {other:?}"),
    }
    assert_eq!(store.device(other.id).await.unwrap(), None);

    let codes = store.enroll_codes().await.unwrap();
    let find = |hash: &str| codes.iter().find(|c| c.code_hash == hash).unwrap().clone();
    assert_eq!(
        find("aa01"),
        EnrollCode {
            used_at: Some(now.trunc_subsecs(6)),
            used_by: Some(laptop.id),
            ..fresh
        }
    );
    // A refused redemption leaves its code as it was.
    assert_eq!(find("aa02"), spare);
    assert_eq!(find("aa03"), expired);
    assert_eq!(store.devices().await.unwrap(), vec![enrolled]);
}

async fn one_of_many_concurrent_redemptions_wins(db: &Db) {
    let stores = [db.open().await, db.open().await];
    for round in 0..5 {
        let hash = format!("c{round}");
        stores[0]
            .add_enroll_code(&code(&hash, VILLAGE_A, Duration::hours(1)))
            .await
            .unwrap();
        let tasks: Vec<_> = (0..8)
            .map(|i| {
                let (store, hash) = (stores[i % 2].clone(), hash.clone());
                tokio::spawn(async move {
                    store
                        .redeem_enroll_code(&hash, &new_device(VILLAGE_A), Utc::now())
                        .await
                })
            })
            .collect();
        let mut winners = 0;
        for task in tasks {
            match task.await.unwrap() {
                Ok(_) => winners += 1,
                Err(ServerError::Conflict(m)) => assert!(m.contains("已经用过"), "{m}"),
                Err(e) => panic!("unexpected: {e:?}"),
            }
        }
        assert_eq!(winners, 1, "round {round}");
    }
    assert_eq!(stores[1].devices().await.unwrap().len(), 5);
}

async fn devices_are_registered_and_revoked(db: &Db) {
    let store = db.open().await;
    let hub = new_device(DISTRICT);
    store.ensure_device(&hub).await.unwrap();
    // Present already: nothing changes.
    store
        .ensure_device(&DeviceRecord {
            label: "别的名字".into(),
            ..hub.clone()
        })
        .await
        .unwrap();
    assert_eq!(store.device(hub.id).await.unwrap(), Some(hub.clone()));

    let first = Utc::now() - Duration::minutes(5);
    assert!(store.revoke_device(hub.id, first).await.unwrap());
    assert!(store.revoke_device(hub.id, Utc::now()).await.unwrap());
    assert!(!store.revoke_device(Uuid::now_v7(), first).await.unwrap());
    let revoked = store.device(hub.id).await.unwrap().unwrap();
    assert_eq!(revoked.revoked_at, Some(first.trunc_subsecs(6)));
    assert_eq!(store.devices().await.unwrap(), vec![revoked]);
}
