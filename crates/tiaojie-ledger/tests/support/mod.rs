//! Shared set-up for the ledger's integration tests: a three-level unit tree
//! and devices at each level.
#![allow(dead_code)]

use chrono::NaiveDate;
use tiaojie_ledger::Ledger;
use tiaojie_ledger::domain::identity::check_char;
use tiaojie_ledger::domain::intake::{CaseIntake, PartyInput};
use tiaojie_ledger::domain::unit::UnitSpec;

pub const DISTRICT: &str = "430302000000";
pub const STATION: &str = "430302001000";
pub const VILLAGE_A: &str = "430302001001";
pub const VILLAGE_B: &str = "430302001002";

pub fn day(month: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, month, d).unwrap()
}

pub fn id_number(first17: &str) -> String {
    format!("{first17}{}", check_char(first17).unwrap())
}

fn unit(code: &str) -> UnitSpec {
    match code {
        DISTRICT => UnitSpec::new(DISTRICT, "高新区矛盾纠纷调解中心", Some("高新区"), 3, None),
        STATION => UnitSpec::new(
            STATION,
            "双马派出所调解中心",
            Some("双马所"),
            2,
            Some(DISTRICT),
        ),
        VILLAGE_A => UnitSpec::new(VILLAGE_A, "青山村调解室", None, 1, Some(STATION)),
        VILLAGE_B => UnitSpec::new(VILLAGE_B, "白石村调解室", None, 1, Some(STATION)),
        other => panic!("no test unit {other}"),
    }
}

/// A ledger file at `path` for village A, alone (no unit tree).
pub fn village_file(path: &std::path::Path) -> Ledger {
    let mut l = Ledger::open(path).unwrap();
    l.init(unit_alone(VILLAGE_A), 0).unwrap();
    l
}

/// `code`'s unit with no parent, as a device's first event registers it.
pub fn unit_alone(code: &str) -> UnitSpec {
    let mut u = unit(code);
    u.parent = None;
    u
}

/// A device of `code` whose ledger knows the whole tree.
pub fn device(code: &str) -> Ledger {
    let mut l = Ledger::open_in_memory().unwrap();
    let mut own = unit(code);
    own.parent = None;
    l.init(own, 0).unwrap();
    for c in [DISTRICT, STATION, VILLAGE_A, VILLAGE_B] {
        l.add_unit(unit(c)).unwrap();
    }
    l
}

pub fn intake(applicant: &str, respondent: &str, received: NaiveDate) -> CaseIntake {
    CaseIntake {
        received_on: Some(received.to_string()),
        dispute_type: "邻里".into(),
        source: "当事人申请".into(),
        facts: format!("{applicant}与{respondent}因宅基地边界的围墙发生争执"),
        requests: Some("拆除越界围墙".into()),
        amount: None,
        parties: vec![
            PartyInput {
                name: applicant.into(),
                id_number: Some(id_number("43030219800101001")),
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

/// Moves every event of `from` into `to`.
pub fn sync(from: &Ledger, to: &mut Ledger) {
    to.ingest(&from.events().unwrap()).unwrap();
}
