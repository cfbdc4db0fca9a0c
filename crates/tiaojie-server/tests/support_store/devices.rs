//! Devices that upload real batches: a ledger writes the events, a chain
//! holds the bytes the device signs, and each batch goes through the same
//! encode, verify and classify steps as an upload to the hub.

use chrono::{NaiveDate, SubsecRound, Utc};
use std::collections::HashSet;
use tiaojie_ledger::domain::identity::check_char;
use tiaojie_ledger::domain::intake::{CaseIntake, PartyInput};
use tiaojie_ledger::domain::unit::UnitSpec;
use tiaojie_ledger::{Event, Ledger};
use tiaojie_server::ingest::{Admission, classify};
use tiaojie_server::store::{DeviceRecord, HubStore, IncomingBatch};
use tiaojie_sync::chain::{self, Link};
use tiaojie_sync::frame;
use tiaojie_sync::keys::DeviceKey;
use tiaojie_sync::wire::BatchAck;
use uuid::Uuid;

pub const DISTRICT: &str = "430302000000";
pub const STATION: &str = "430302001000";
pub const VILLAGE_A: &str = "430302001001";
pub const VILLAGE_B: &str = "430302001002";

pub fn day(month: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, month, d).unwrap()
}

pub fn unit(code: &str) -> UnitSpec {
    match code {
        DISTRICT => UnitSpec::new(DISTRICT, "高新区矛盾纠纷调解中心", Some("高新区"), 3, None),
        STATION => UnitSpec::new(
            STATION,
            "双马派出所调解中心",
            Some("双马所"),
            2,
            Some(DISTRICT),
        ),
        // The seal's name travels with the unit and is kept by both stores.
        VILLAGE_A => UnitSpec::new(VILLAGE_A, "青山村调解室", None, 1, Some(STATION))
            .with_committee(Some("青山村人民调解委员会")),
        VILLAGE_B => UnitSpec::new(VILLAGE_B, "白石村调解室", None, 1, Some(STATION)),
        other => panic!("no test unit {other}"),
    }
}

pub fn intake(applicant: &str, respondent: &str, received: NaiveDate) -> CaseIntake {
    let first17 = "43030219800101001";
    CaseIntake {
        received_on: Some(received.to_string()),
        dispute_type: "邻里".into(),
        source: "当事人申请".into(),
        facts: format!("{applicant}与{respondent}因宅基地边界的围墙发生争执"),
        requests: Some("拆除越界围墙".into()),
        parties: vec![
            PartyInput {
                name: applicant.into(),
                id_number: Some(format!("{first17}{}", check_char(first17).unwrap())),
                phone: Some("13800138000".into()),
                ..Default::default()
            },
            PartyInput {
                name: respondent.into(),
                ..Default::default()
            },
        ],
        ..Default::default()
    }
}

/// A device's chain as the hub sees it: `wire[i]` is the event with seq i+1.
#[derive(Clone)]
pub struct Chain {
    pub key: DeviceKey,
    pub record: DeviceRecord,
    pub wire: Vec<Vec<u8>>,
}

impl Chain {
    pub fn new(id: Uuid, unit: &str) -> Chain {
        let key = DeviceKey::generate();
        let record = DeviceRecord {
            id,
            unit: unit.into(),
            public_key: key.public_text(),
            label: format!("{unit} 的笔记本"),
            enrolled_at: Utc::now().trunc_subsecs(6),
            revoked_at: None,
        };
        Chain {
            key,
            record,
            wire: Vec::new(),
        }
    }

    pub fn len(&self) -> i64 {
        self.wire.len() as i64
    }

    /// Appends an event as the next of this chain (its seq renumbered).
    pub fn push_event(&mut self, mut event: Event) {
        event.seq = self.len() + 1;
        self.wire.push(serde_json::to_vec(&event).unwrap());
    }

    pub fn push_raw(&mut self, bytes: &[u8]) {
        self.wire.push(bytes.to_vec());
    }

    pub fn event(&self, seq: i64) -> Event {
        serde_json::from_slice(&self.wire[seq as usize - 1]).unwrap()
    }

    /// The link after event `seq` (the genesis link for 0).
    pub fn link(&self, seq: i64) -> Link {
        self.wire[..seq as usize]
            .iter()
            .fold(chain::GENESIS, |l, e| chain::next(&l, e))
    }

    pub fn link_hex(&self, seq: i64) -> String {
        chain::to_hex(&self.link(seq))
    }

    /// Events `first..=last`, signed, verified and classified as the hub does.
    pub fn batch(&self, first: i64, last: i64, hub_id: Uuid) -> IncomingBatch {
        let events = &self.wire[first as usize - 1..last as usize];
        let bytes = frame::encode_batch(
            &self.key,
            self.record.id,
            first,
            &self.link(first - 1),
            events,
        );
        let batch = frame::decode_batch(&bytes, &self.record.public_key).unwrap();
        classify(&batch, &self.record, Admission::now(hub_id, 86_400))
    }

    pub async fn upload(
        &self,
        store: &dyn HubStore,
        first: i64,
        last: i64,
        hub_id: Uuid,
    ) -> BatchAck {
        store
            .ingest(&self.batch(first, last, hub_id))
            .await
            .unwrap()
    }

    /// Uploads whatever the hub does not have yet.
    pub async fn upload_rest(&self, store: &dyn HubStore, hub_id: Uuid) -> BatchAck {
        let head = store.head(self.record.id).await.unwrap();
        self.upload(store, head.acked_seq + 1, self.len(), hub_id)
            .await
    }
}

/// A ledger of one unit that knows the whole unit tree, and its chain.
pub struct Device {
    pub ledger: Ledger,
    pub chain: Chain,
    taken: HashSet<Uuid>,
}

/// The unit tree as the hub's administrator registers it.
fn registered_tree() -> Vec<Event> {
    let mut admin = Ledger::open_in_memory().unwrap();
    admin.init(unit(DISTRICT), 0).unwrap();
    for c in [STATION, VILLAGE_A, VILLAGE_B] {
        admin.add_unit(unit(c)).unwrap();
    }
    admin.events().unwrap()
}

impl Device {
    /// A device of `code`: its chain starts with five events of its own
    /// unit (its registration and four monthly screening reports); the tree
    /// it knows came from the administrator.
    pub fn new(code: &str) -> Device {
        let mut ledger = Ledger::open_in_memory().unwrap();
        let mut own = unit(code);
        own.parent = None;
        let id = ledger.init(own, 0).unwrap().device_id;
        ledger.ingest(&registered_tree()).unwrap();
        for month in 1..=4 {
            let end = NaiveDate::from_ymd_opt(2026, month + 1, 1).unwrap() - chrono::Days::new(1);
            ledger
                .report_screening(day(month, 1), end, 0, "", Some(end))
                .unwrap();
        }
        Self::with_chain(ledger, id, code)
    }

    /// The hub's own device: it registers the whole tree itself.
    pub fn hub(code: &str) -> Device {
        let mut ledger = Ledger::open_in_memory().unwrap();
        let mut own = unit(code);
        own.parent = None;
        let id = ledger.init(own, 0).unwrap().device_id;
        for c in [DISTRICT, STATION, VILLAGE_A, VILLAGE_B] {
            ledger.add_unit(unit(c)).unwrap();
        }
        Self::with_chain(ledger, id, code)
    }

    fn with_chain(ledger: Ledger, id: Uuid, code: &str) -> Device {
        let mut device = Device {
            ledger,
            chain: Chain::new(id, code),
            taken: HashSet::new(),
        };
        device.take();
        device
    }

    pub fn id(&self) -> Uuid {
        self.chain.record.id
    }

    /// Moves the ledger's new events of this device onto its chain.
    pub fn take(&mut self) -> i64 {
        let mut fresh: Vec<Event> = (self.ledger.events().unwrap().into_iter())
            .filter(|e| e.device == self.id() && !self.taken.contains(&e.id))
            .collect();
        fresh.sort_by_key(|e| e.seq);
        for event in fresh {
            self.taken.insert(event.id);
            self.chain.push_event(event);
        }
        self.chain.len()
    }
}

/// A hub's district device, two villages and their station, with a case in
/// each village; village A's case is escalated to the station, which
/// accepts it.
pub struct World {
    pub hub: Device,
    pub village_a: Device,
    pub village_b: Device,
    pub station: Device,
    pub case_a: Uuid,
    pub case_b: Uuid,
}

impl World {
    pub fn new() -> World {
        let hub = Device::hub(DISTRICT);
        let mut village_a = Device::new(VILLAGE_A);
        let case_a = village_a
            .ledger
            .open_case(&intake("张三", "李四", day(3, 2)))
            .unwrap()
            .id;
        village_a
            .ledger
            .grade_case(case_a, "红", "双方多次发生推搡", Some(day(3, 2)))
            .unwrap();
        village_a
            .ledger
            .escalate(case_a, STATION, "村级调解未果", Some(day(3, 3)))
            .unwrap();
        village_a.take();
        let mut village_b = Device::new(VILLAGE_B);
        let case_b = village_b
            .ledger
            .open_case(&intake("王五", "赵六", day(3, 2)))
            .unwrap()
            .id;
        village_b.take();
        let mut station = Device::new(STATION);
        station
            .ledger
            .ingest(&village_a.ledger.events().unwrap())
            .unwrap();
        station
            .ledger
            .accept_escalation(case_a, "由所里牵头调解", Some(day(3, 4)))
            .unwrap();
        station.take();
        World {
            hub,
            village_a,
            village_b,
            station,
            case_a,
            case_b,
        }
    }

    /// The hub's own device id: its events reach everyone.
    pub fn hub_id(&self) -> Uuid {
        self.hub.id()
    }

    pub async fn upload(&self, store: &dyn HubStore, device: &Device) -> BatchAck {
        store.ensure_device(&device.chain.record).await.unwrap();
        device.chain.upload_rest(store, self.hub_id()).await
    }
}
