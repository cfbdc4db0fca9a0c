//! A rogue but enrolled village laptop against real hub processes (SQLite
//! and PostgreSQL), with an honest village, a station and a district. The
//! rogue's owner controls the laptop: its events are written straight into
//! its own ledger file with the ledger's own types, correctly numbered,
//! chained and signed, and carried by `sync` or on a USB bundle. None of
//! them changes anything of another unit anywhere; the hub's quarantine
//! holds each with its reason; every chain verifies; the honest devices
//! keep syncing.

mod support;

use rusqlite::{Connection, params};
use serde_json::Value;
use support::hub::{Backend, Hub};
use support::*;
use tiaojie_ledger::domain::scheme::Scheme;
use tiaojie_ledger::domain::unit::{MediatorSpec, UnitSpec};
use tiaojie_ledger::event::{Event, EventBody, SCHEMA_VERSION, body};
use tiaojie_ledger::hlc::Hlc;
use tiaojie_ledger::{chain, domain::labels::MediatorRole};
use uuid::Uuid;

const VILLAGE_B: &str = "430302001002";

/// Appends an event to `db`'s own log as the device itself would, without
/// the ledger's checks: what the owner of a laptop can always do.
fn forge(db: &Db, hlc: Hlc, body: EventBody) -> Event {
    let conn = Connection::open(&db.path).unwrap();
    let (device, unit, seq, last_link): (String, String, i64, String) = conn
        .query_row(
            "SELECT device_id, unit_code, next_seq, last_link FROM device WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    let event = Event {
        id: Uuid::now_v7(),
        device: Uuid::parse_str(&device).unwrap(),
        seq,
        hlc,
        schema: SCHEMA_VERSION,
        unit,
        actor: Some("冒用者".into()),
        body,
    };
    let raw = serde_json::to_string(&event).unwrap();
    let prev = chain::from_hex(&last_link).unwrap_or(chain::GENESIS);
    let link = chain::to_hex(&chain::next(&prev, raw.as_bytes()));
    conn.execute(
        "INSERT INTO events (id, device, seq, hlc, schema, unit, actor, kind, case_id, raw, link, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, unhex(?11), 1772409600000)",
        params![
            event.id,
            event.device,
            seq,
            hlc.raw(),
            event.schema,
            event.unit,
            event.actor,
            event.body.kind(),
            event.body.case_id(),
            tiaojie_ledger::store::packed::pack(&raw),
            link
        ],
    )
    .unwrap();
    conn.execute(
        "UPDATE device SET next_seq = next_seq + 1, last_link = ?1, hlc = max(hlc, ?2) WHERE id = 1",
        params![link, hlc.raw()],
    )
    .unwrap();
    event
}

/// The raw event of `kind` in `db`'s log.
fn own_event(db: &Db, kind: &str) -> Event {
    let conn = Connection::open(&db.path).unwrap();
    let raw: Vec<u8> = conn
        .query_row(
            "SELECT raw FROM events WHERE kind = ?1 ORDER BY rowid LIMIT 1",
            [kind],
            |r| r.get(0),
        )
        .unwrap();
    serde_json::from_str(&tiaojie_ledger::store::packed::unpack(&raw).unwrap()).unwrap()
}

fn now() -> Hlc {
    Hlc::from_parts(chrono::Utc::now().timestamp_millis(), 0)
}

#[derive(Clone, Copy)]
enum Carrier {
    Network,
    Bundle,
}

fn carry(hub: &Hub, rogue: &Db, carrier: Carrier) -> Value {
    match carrier {
        Carrier::Network => rogue.ok(&["sync"]),
        Carrier::Bundle => {
            let stick = rogue.file("usb.tjbundle");
            let _ = std::fs::remove_file(&stick);
            rogue.ok(&["sync", "export-bundle", "--file", stick.to_str().unwrap()]);
            Db::new().ok(&[
                "sync",
                "import-bundle",
                "--file",
                stick.to_str().unwrap(),
                "--hub",
                &hub.url,
            ])
        }
    }
}

fn unit_name(db: &Db, code: &str) -> String {
    db.ok(&["unit", "list"])
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["code"] == code)
        .map(|u| u["name"].as_str().unwrap().to_string())
        .unwrap_or_default()
}

fn attacks(backend: Backend, carrier: Carrier) {
    let hub = Hub::start(backend);
    hub.add_unit(DISTRICT, "青山区矛盾纠纷调解中心", 3, None);
    hub.add_unit(STATION, "青山派出所调解中心", 2, Some(DISTRICT));
    hub.add_unit(VILLAGE, "青山村调解室", 1, Some(STATION));
    hub.add_unit(VILLAGE_B, "白石村调解室", 1, Some(STATION));
    let honest = hub.device(VILLAGE, "青山村调解室", 1);
    let rogue = hub.device(VILLAGE_B, "白石村调解室", 1);
    let station = hub.device(STATION, "青山派出所调解中心", 2);
    let district = hub.device(DISTRICT, "青山区矛盾纠纷调解中心", 3);

    honest.ok(&["mediator", "add", "--name", "王建国", "--role", "村干部"]);
    let (case_id, number) = open_case(&honest);
    honest.ok(&[
        "case",
        "grade",
        &number,
        "--grade",
        "红",
        "--reason",
        "双方扬言动手",
        "--on",
        D,
    ]);
    honest.ok(&["sync"]);
    for db in [&station, &district, &rogue] {
        db.ok(&["sync"]);
    }
    let scheme_before = station.ok(&["scheme", "show"]);

    // Through its own ledger the rogue gets nowhere: refused, nothing written.
    let (err, _) = rogue.refused(&[
        "unit",
        "add",
        "--code",
        STATION,
        "--name",
        "被改名的派出所",
        "--level",
        "2",
        "--parent",
        DISTRICT,
    ]);
    assert_eq!(err["code"], "not_yours", "{err}");

    // So it writes its events itself.
    let stolen: Uuid = case_id.parse().unwrap();
    let opened = own_event(&honest, "case_opened");
    let mut scheme = Scheme::default();
    for g in &mut scheme.grades {
        g.cadence_days = 365;
    }
    scheme.grades[0].name = "不要紧".into();
    let forged = [
        forge(
            &rogue,
            now(),
            EventBody::UnitRegistered(UnitSpec::new(
                STATION,
                "被改名的派出所",
                None,
                2,
                Some(DISTRICT),
            )),
        ),
        forge(
            &rogue,
            now(),
            EventBody::UnitRegistered(UnitSpec::new(VILLAGE_B, "白石村", None, 3, Some(DISTRICT))),
        ),
        forge(&rogue, now(), EventBody::SchemeConfigured(scheme)),
        forge(
            &rogue,
            now(),
            EventBody::MediatorRegistered(MediatorSpec {
                id: Uuid::now_v7(),
                name: "冒名调解员".into(),
                phone: None,
                unit: VILLAGE.into(),
                role: MediatorRole::VillageCadre,
                specialties: vec![],
                active: true,
            }),
        ),
        // The honest village's red case, opened again one tick earlier.
        forge(
            &rogue,
            Hlc::from_raw(opened.hlc.raw() - 1),
            opened.body.clone(),
        ),
        forge(
            &rogue,
            now(),
            EventBody::CaseGraded(body::CaseGraded {
                case_id: stolen,
                grade: "green".into(),
                reason: "已化解".into(),
                on: D.parse().unwrap(),
            }),
        ),
        // A clock near the end of time, to win the fold order forever.
        forge(
            &rogue,
            Hlc::from_raw(i64::MAX - 1),
            EventBody::UnitRegistered(UnitSpec::new(VILLAGE_B, "白石村调解室", None, 1, None)),
        ),
    ];
    // An event past the size bound (an older ledger's): quarantined, not
    // holding up the rest.
    let mut huge = opened.body.clone();
    if let EventBody::CaseOpened(body::CaseOpened {
        case_id, intake, ..
    }) = &mut huge
    {
        *case_id = Uuid::now_v7();
        intake.parties[0].address = Some("很".repeat(200_000));
    }
    let huge = forge(&rogue, now(), huge);
    // Its own unit's name is its own to change.
    let after = forge(
        &rogue,
        now(),
        EventBody::UnitRegistered(UnitSpec::new(
            VILLAGE_B,
            "白石村人民调解委员会",
            None,
            1,
            None,
        )),
    );

    let carried = carry(&hub, &rogue, carrier);
    let quarantined = hub.admin(&["quarantine"]);
    let reasons: Vec<(i64, String)> = quarantined
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            (
                q["seq"].as_i64().unwrap(),
                q["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let reason = |e: &Event| {
        reasons
            .iter()
            .find(|(seq, _)| *seq == e.seq)
            .map(|(_, r)| r.clone())
            .unwrap_or_else(|| panic!("{} not quarantined: {reasons:?} / {carried}", e.body.kind()))
    };
    assert!(reason(&forged[0]).contains("管理员"));
    assert!(reason(&forged[1]).contains("上下级"));
    assert!(reason(&forged[2]).contains("预警等级方案"));
    assert!(reason(&forged[3]).contains("本单位的调解员"));
    assert!(reason(&forged[4]).contains("已由另一台设备登记"));
    assert!(reason(&forged[5]).contains("无权办理"));
    assert!(reason(&forged[6]).contains("超前"));
    assert!(reason(&huge).contains("过大"));
    // The last one went through: the chain moved on past every refusal.
    assert!(
        reasons.iter().all(|(seq, _)| *seq != after.seq),
        "{reasons:?}"
    );

    // The honest devices keep syncing, and see nothing of it.
    honest.ok(&[
        "case",
        "grade",
        &number,
        "--grade",
        "黄",
        "--reason",
        "已缓和",
        "--on",
        D,
    ]);
    honest.ok(&["sync"]);
    for db in [&station, &district, &honest] {
        db.ok(&["sync"]);
        assert_eq!(unit_name(db, STATION), "青山派出所调解中心");
        assert_eq!(db.ok(&["scheme", "show"]), scheme_before);
        let case = db.ok(&["case", "show", &number]);
        assert_eq!(case["unit"], VILLAGE, "{case}");
        assert_eq!(case["grade"], "yellow", "{case}");
        assert!(
            !case.to_string().contains("冒用者"),
            "the rogue shows in the case: {case}"
        );
        assert!(db.ok(&["verify"])["broken"].is_null());
    }
    assert_eq!(unit_name(&station, VILLAGE_B), "白石村人民调解委员会");
    // Its events carried in a file are refused by an enrolled ledger.
    let file = rogue.export("rogue-events.json");
    let (err, _) = station.refused(&["events", "import", "--file", file.to_str().unwrap()]);
    assert_eq!(err["code"], "not_yours");
    let verified = hub.admin_run(&["verify"]);
    assert_eq!(verified.code, 0, "{}\n{}", verified.stdout, verified.stderr);
}

#[test]
fn a_rogue_laptop_changes_nothing_of_others_over_the_network_sqlite() {
    attacks(Backend::Sqlite, Carrier::Network);
}

#[test]
fn a_rogue_laptop_changes_nothing_of_others_on_a_usb_bundle_sqlite() {
    attacks(Backend::Sqlite, Carrier::Bundle);
}

#[test]
fn a_rogue_laptop_changes_nothing_of_others_over_the_network_postgres() {
    attacks(Backend::Postgres, Carrier::Network);
}

#[test]
fn a_rogue_laptop_changes_nothing_of_others_on_a_usb_bundle_postgres() {
    attacks(Backend::Postgres, Carrier::Bundle);
}
