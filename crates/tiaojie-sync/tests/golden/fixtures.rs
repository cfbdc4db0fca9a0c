//! The fixed inputs of the golden tests. Changing any of them changes the
//! goldens: bless afterwards, and delete the `*_v1.bin` frames only if the
//! events in them changed.

use chrono::NaiveDate;
use tiaojie_ledger::domain::intake::{Fen, Intake, Party};
use tiaojie_ledger::domain::labels::{
    AgreementForm, DisputeType, Gender, MediationType, Side, Source,
};
use tiaojie_ledger::domain::unit::UnitSpec;
use tiaojie_ledger::event::{CaseNumber, Term, body};
use tiaojie_ledger::hlc::Hlc;
use tiaojie_ledger::{Event, EventBody};
use tiaojie_sync::keys::DeviceKey;
use uuid::Uuid;

pub const VILLAGE: &str = "430302001001";
pub const STATION: &str = "430302001000";

/// Ids in the UUIDv7 shape, all from 2026-11-18.
const fn id(n: u128) -> Uuid {
    Uuid::from_u128(0x01a1_ee56_5e00_7000_8000_0000_0000_0000 | n)
}

/// The village's laptop, which writes the batch.
pub const DEVICE_A: Uuid = id(0xa1);
/// The station's desktop.
pub const DEVICE_B: Uuid = id(0xb2);
pub const HUB: Uuid = id(0xc0);
const CASE: Uuid = id(0x100);
const MEDIATOR: Uuid = id(0x200);
const ESCALATION: Uuid = id(0x300);
const AGREEMENT: Uuid = id(0x400);

/// A chain link to put in messages that carry one.
pub const LINK: &str = "5d41402abc4b2a76b9719d911017c5925d41402abc4b2a76b9719d911017c592";
pub const CHALLENGE: &str = "Y2hhbGxlbmdlLTAwMDEtMjAyNi0xMS0xOA";

/// 2026-11-18 11:06:40 UTC.
const T0: i64 = 1_795_000_000_000;
const DAY: i64 = 86_400_000;

/// The key of `DEVICE_A`.
pub fn key() -> DeviceKey {
    DeviceKey::from_seed([7; 32])
}

fn date(month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, month, day).unwrap()
}

/// Where an event was written: its device, sequence number, clock, unit
/// and actor. Event `n` gets the id `0x1000 + n`.
struct Origin<'a>(u128, Uuid, i64, Hlc, &'a str, Option<&'a str>);

impl Origin<'_> {
    fn event(self, body: EventBody) -> Event {
        let Origin(n, device, seq, hlc, unit, actor) = self;
        Event {
            id: id(0x1000 + n),
            device,
            seq,
            hlc,
            schema: 1,
            unit: unit.into(),
            actor: actor.map(str::to_string),
            body,
        }
    }
}

pub fn village_unit() -> UnitSpec {
    UnitSpec {
        code: VILLAGE.into(),
        name: "青山村调解室".into(),
        short_name: "青山村".into(),
        level: 1,
        parent: Some(STATION.into()),
        committee: None,
    }
}

pub fn unit_registered() -> Event {
    Origin(1, DEVICE_A, 1, Hlc::from_parts(T0, 0), VILLAGE, None)
        .event(EventBody::UnitRegistered(village_unit()))
}

pub fn case_opened() -> Event {
    let applicant = Party {
        side: Side::Applicant,
        name: "张桂兰".into(),
        gender: Some(Gender::Female),
        ethnicity: Some("汉族".into()),
        birth_date: Some(NaiveDate::from_ymd_opt(1949, 12, 31).unwrap()),
        age: None,
        occupation: Some("农民".into()),
        phone: Some("13800138000".into()),
        address: Some("青山村三组12号".into()),
        id_number: Some("11010519491231002X".into()),
    };
    let respondent = Party {
        side: Side::Respondent,
        name: "李四".into(),
        gender: None,
        ethnicity: None,
        birth_date: None,
        age: Some(52),
        occupation: None,
        phone: Some("0731-88888888".into()),
        address: None,
        id_number: None,
    };
    let intake = Intake {
        received_on: date(11, 17),
        dispute_type: DisputeType::HouseSite,
        source: Source::Application,
        mediation_type: MediationType::People,
        facts: "张桂兰与李四因宅基地边界的围墙发生争执。\n围墙越界约0.3米，双方曾发生\"推搡\"。"
            .into(),
        requests: "拆除越界围墙，赔偿损失".into(),
        amount: Fen(300_050),
        people_involved: 3,
        petition_risk: true,
        criminal_risk: false,
        key_persons: "李四（情绪激动）".into(),
        parties: vec![applicant, respondent],
    };
    let origin = Origin(
        2,
        DEVICE_A,
        2,
        Hlc::from_parts(T0 + 1500, 0),
        VILLAGE,
        Some("王淑芬"),
    );
    origin.event(EventBody::CaseOpened(body::CaseOpened {
        case_id: CASE,
        number: CaseNumber {
            short_name: "青山村".into(),
            year: 2026,
            lane: 0,
            seq: 12,
        },
        mediator: Some(MEDIATOR),
        intake,
    }))
}

pub fn case_graded() -> Event {
    // Same millisecond as the intake: the counter orders them.
    let origin = Origin(
        3,
        DEVICE_A,
        3,
        Hlc::from_parts(T0 + 1500, 1),
        VILLAGE,
        Some("王淑芬"),
    );
    origin.event(EventBody::CaseGraded(body::CaseGraded {
        case_id: CASE,
        grade: "yellow".into(),
        reason: "双方情绪对立，有激化可能".into(),
        on: date(11, 18),
    }))
}

pub fn escalation_requested() -> Event {
    Origin(4, DEVICE_A, 4, Hlc::from_parts(T0 + DAY, 0), VILLAGE, None).event(
        EventBody::EscalationRequested(body::EscalationRequested {
            case_id: CASE,
            escalation_id: ESCALATION,
            to_unit: STATION.into(),
            reason: "三次调解未成，涉及宅基地确权".into(),
            on: date(11, 19),
        }),
    )
}

pub fn agreement_made() -> Event {
    let origin = Origin(
        5,
        DEVICE_B,
        9,
        Hlc::from_parts(T0 + 2 * DAY, 3),
        STATION,
        Some("赵所长"),
    );
    origin.event(EventBody::AgreementMade(body::AgreementMade {
        case_id: CASE,
        agreement_id: AGREEMENT,
        form: AgreementForm::Written,
        on: date(11, 20),
        terms: vec![
            Term {
                content: "李四于12月1日前拆除越界围墙".into(),
                due: Some(date(12, 1)),
            },
            Term {
                content: "双方就此纠纷互不追究".into(),
                due: None,
            },
        ],
        amount: Fen(80_000),
    }))
}

/// The village's first three events: one batch, one chain.
pub fn batch_events() -> Vec<Event> {
    vec![unit_registered(), case_opened(), case_graded()]
}

/// Everything, from both devices, in fold order: one feed page.
pub fn feed_events() -> Vec<Event> {
    vec![
        unit_registered(),
        case_opened(),
        case_graded(),
        escalation_requested(),
        agreement_made(),
    ]
}

/// The bytes a device writes, chains and signs for each event.
pub fn bytes(events: &[Event]) -> Vec<Vec<u8>> {
    events
        .iter()
        .map(|e| serde_json::to_vec(e).unwrap())
        .collect()
}
