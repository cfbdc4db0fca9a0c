//! Devices as the sync tests drive them: ledger files in this process,
//! enrolled with a real hub process, syncing with the library.

use super::hub::{Backend, Hub};
use std::collections::BTreeSet;
use std::time::Duration;
use tiaojie_ledger::Ledger;
use tiaojie_ledger::domain::intake::{CaseIntake, PartyInput};
use tiaojie_ledger::domain::unit::UnitSpec;
use tiaojie_ledger::store::FollowUpInput;
use tiaojie_ledger::store::queries::{CaseFilter, Scope};
use tiaojie_sync::client::HubClient;
use tiaojie_sync::engine;

pub const DISTRICT: &str = "430302000000";
pub const STATION: &str = "430302001000";

pub fn village_code(i: usize) -> String {
    format!("430302001{:03}", i + 1)
}

/// A hub with a district, a station and `villages` villages under it.
pub fn hub_with_tree(backend: Backend, villages: usize) -> Hub {
    let hub = Hub::start(backend);
    hub.add_unit(DISTRICT, "青山区矛盾纠纷调解中心", 3, None);
    hub.add_unit(STATION, "青山派出所调解中心", 2, Some(DISTRICT));
    for i in 0..villages {
        hub.add_unit(
            &village_code(i),
            &format!("第{}村调解室", i + 1),
            1,
            Some(STATION),
        );
    }
    hub
}

pub struct Device {
    pub ledger: Ledger,
    pub unit: String,
    _dir: tempfile::TempDir,
}

impl Device {
    /// The ledger's file.
    pub fn path(&self) -> std::path::PathBuf {
        self._dir.path().join("ledger.sqlite3")
    }

    /// Closes the ledger, keeping its file (for a process to open).
    pub fn close(self) -> (tempfile::TempDir, std::path::PathBuf) {
        let path = self.path();
        drop(self.ledger);
        (self._dir, path)
    }
}

pub async fn device(hub: &Hub, unit: &str, level: u8) -> Device {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::open(dir.path().join("ledger.sqlite3")).unwrap();
    ledger
        .init(
            UnitSpec::new(unit, &format!("单位{unit}"), None, level, None),
            0,
        )
        .unwrap();
    let code = hub.enroll_code(unit);
    engine::enroll_ledger(&mut ledger, &hub.url, &code, "测试设备")
        .await
        .unwrap();
    Device {
        ledger,
        unit: unit.to_string(),
        _dir: dir,
    }
}

/// Writes `cases` cases of five events each.
pub fn work(d: &mut Device, cases: usize) {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    for i in 0..cases {
        let intake = CaseIntake {
            received_on: Some(day.to_string()),
            dispute_type: "邻里".into(),
            source: "主动排查".into(),
            facts: format!("第{i}起：排水沟堵塞引发争执，双方多次口角"),
            parties: vec![
                PartyInput {
                    name: format!("张{i}"),
                    phone: Some("13800138000".into()),
                    ..Default::default()
                },
                PartyInput {
                    name: format!("李{i}"),
                    ..Default::default()
                },
            ],
            ..Default::default()
        };
        let case = d.ledger.open_case(&intake).unwrap();
        d.ledger
            .grade_case(case.id, "yellow", "有激化可能", Some(day))
            .unwrap();
        for visit in 1..=3 {
            let f = FollowUpInput {
                on: Some(day + chrono::Days::new(visit)),
                visitor: "网格员".into(),
                performance: "情况稳定".into(),
                ..Default::default()
            };
            d.ledger.follow_up(case.id, f).unwrap();
        }
    }
}

/// Syncs through `url` until a round succeeds; returns the failed attempts.
pub async fn sync_until_done(d: &mut Device, url: &str) -> u32 {
    let key = engine::enrollment(&d.ledger).unwrap().key;
    let device_id = d.ledger.device().unwrap().device_id;
    let mut failures = 0;
    loop {
        let mut client =
            HubClient::new(url, device_id, key.clone(), Duration::from_secs(20)).unwrap();
        match engine::sync_once(&mut d.ledger, &mut client, &mut |_| {}).await {
            Ok(_) => return failures,
            Err(e) => {
                assert!(
                    e.is_transient() || matches!(e, tiaojie_sync::SyncError::Malformed(_)),
                    "not a network fault: {e}"
                );
                failures += 1;
                assert!(failures < 500, "no progress after 500 attempts: {e}");
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    }
}

pub fn event_ids(l: &Ledger) -> BTreeSet<uuid::Uuid> {
    l.events().unwrap().iter().map(|e| e.id).collect()
}

pub fn village_cases(l: &Ledger, unit: &str) -> String {
    let f = CaseFilter {
        scope: Some(Scope {
            unit: unit.into(),
            subtree: false,
        }),
        limit: 1000,
        ..Default::default()
    };
    serde_json::to_string(&l.list_cases(&f).unwrap().rows).unwrap()
}

pub async fn hub_event_count(hub: &Hub) -> i64 {
    let health: serde_json::Value = reqwest_get_json(&format!("{}/healthz", hub.url)).await;
    health["events"].as_i64().unwrap()
}

pub async fn reqwest_get_json(url: &str) -> serde_json::Value {
    let http = tiaojie_sync::client::http_client(Duration::from_secs(10)).unwrap();
    let text = http.get(url).send().await.unwrap().text().await.unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Uploads `own` events (a device's, in order) to `url` in batches of
/// `per_batch`, retrying on errors until the hub has them all or the
/// deadline passes. `on_ack` sees every acknowledged sequence number.
pub async fn upload_all(
    own: &[tiaojie_ledger::store::OwnEvent],
    id: uuid::Uuid,
    key: tiaojie_sync::keys::DeviceKey,
    url: &str,
    per_batch: usize,
    on_ack: &(dyn Fn(i64) + Send + Sync),
) {
    let local_max = own.last().map_or(0, |e| e.seq);
    let deadline = std::time::Instant::now() + Duration::from_secs(180);
    loop {
        assert!(
            std::time::Instant::now() < deadline,
            "uploads did not finish"
        );
        let mut client = HubClient::new(url, id, key.clone(), Duration::from_secs(10)).unwrap();
        let attempt: Result<i64, tiaojie_sync::SyncError> = async {
            let head = client.head(id).await?;
            if head.acked_seq >= local_max {
                return Ok(head.acked_seq);
            }
            let events: Vec<_> = own
                .iter()
                .filter(|e| e.seq > head.acked_seq)
                .take(per_batch)
                .collect();
            let prev = tiaojie_ledger::chain::from_hex(&head.last_hash).unwrap();
            let raws: Vec<Vec<u8>> = events.iter().map(|e| e.raw.clone()).collect();
            let batch = tiaojie_sync::frame::encode_batch(
                client.key(),
                id,
                head.acked_seq + 1,
                &prev,
                &raws,
            );
            let ack = client.upload(batch).await?;
            on_ack(ack.acked_seq);
            Ok(ack.acked_seq)
        }
        .await;
        match attempt {
            Ok(seq) if seq >= local_max => return,
            Ok(_) => {}
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
}
