//! Retention end to end, with a real hub process: a village purges a case
//! closed long ago; after sync the hub's database, the station that held
//! the case and a station laptop set up afterwards hold none of its
//! personal data, and every chain still verifies. Once on SQLite and once
//! on PostgreSQL.

mod support;

use support::hub::{Backend, Hub};
use support::*;

const NAME: &str = "欧阳紫薇";
const PHONE: &str = "13977775555";

fn holds(path: &std::path::Path, text: &str) -> bool {
    ["", "-wal"].iter().any(|suffix| {
        std::fs::read(format!("{}{suffix}", path.display()))
            .is_ok_and(|b| b.windows(text.len()).any(|w| w == text.as_bytes()))
    })
}

fn hub_holds(hub: &Hub, text: &str) -> bool {
    match hub.sqlite_path() {
        Some(path) => holds(&path, text),
        None => {
            let n = hub.sql(&format!(
                "SELECT count(*) FROM events WHERE position(convert_to('{text}', 'UTF8') in bytes) > 0"
            ));
            n != "0"
        }
    }
}

fn purge_reaches_everyone(backend: Backend) {
    let hub = Hub::start(backend);
    hub.add_unit(DISTRICT, "青山区矛盾纠纷调解中心", 3, None);
    hub.add_unit(STATION, "青山派出所调解中心", 2, Some(DISTRICT));
    hub.add_unit(VILLAGE, "青山村调解室", 1, Some(STATION));
    let village = hub.device(VILLAGE, "青山村调解室", 1);
    let station = hub.device(STATION, "青山派出所调解中心", 2);

    let party = format!("name={NAME},phone={PHONE}");
    let old = add_dispute(
        &village,
        "宅基地边界纠纷",
        "2014-03-02",
        [&party, "name=慕容白"],
    );
    village.ok(&[
        "case",
        "close",
        &old,
        "--outcome",
        "当事人撤回",
        "--on",
        "2014-06-01",
    ]);
    let recent = add_dispute(&village, "排水沟纠纷", D, ["name=司马青云", "name=上官明"]);
    village.ok(&["sync"]);
    station.ok(&["sync"]);
    assert_eq!(station.ok(&["case", "show", &old])["number"], old.as_str());
    assert!(hub_holds(&hub, NAME), "the hub holds the case before");

    // Listed, refused without confirmation, then purged.
    let due = village.ok(&["purge", "--list"]);
    assert_eq!(due.as_array().unwrap().len(), 1, "{due}");
    assert_eq!(due[0]["number"], old.as_str());
    let (err, _) = village.refused(&["purge"]);
    assert_eq!(err["field"], "yes");
    assert_eq!(village.ok(&["case", "show", &old])["number"], old.as_str());
    let done = village.ok(&["purge", "--yes"]);
    assert_eq!(done["cases"][0], old.as_str());
    assert_eq!(done["events_redacted"], 2);
    village.refused(&["case", "show", &old]);
    village.ok(&["case", "show", &recent]);

    village.ok(&["sync"]);
    assert!(!hub_holds(&hub, NAME), "the hub still holds the name");
    assert!(!hub_holds(&hub, PHONE), "the hub still holds the phone");
    assert!(hub_holds(&hub, "司马青云"), "the other case is untouched");

    station.ok(&["sync"]);
    station.refused(&["case", "show", &old]);
    station.ok(&["case", "show", &recent]);
    for db in [&village, &station] {
        let log = serde_json::to_string(&db.events()).unwrap();
        assert!(!log.contains(NAME) && !log.contains(PHONE));
        assert!(
            !holds(&db.path, NAME),
            "{} holds the name",
            db.path.display()
        );
        let chain = db.ok(&["verify"]);
        assert!(chain["broken"].is_null(), "{chain}");
    }
    assert_eq!(village.ok(&["verify"])["redacted"], 2);

    // A station laptop set up afterwards gets the stubs only.
    let later = hub.device(STATION, "青山派出所调解中心", 2);
    later.ok(&["sync"]);
    later.refused(&["case", "show", &old]);
    later.ok(&["case", "show", &recent]);
    assert!(
        !serde_json::to_string(&later.events())
            .unwrap()
            .contains(NAME)
    );

    // The hub's own chains verify around the stubs; a changed byte in
    // one stored event is named by device and position.
    let checked = hub.admin(&["verify"]);
    assert!(
        checked["broken"].as_array().unwrap().is_empty(),
        "{checked}"
    );
    assert_eq!(checked["redacted"], 2, "{checked}");
    let target = "(SELECT max(hub_seq) FROM events WHERE kind = 'case_opened')";
    let (device, seq) = match hub.sqlite_path() {
        Some(path) => {
            let c = rusqlite::Connection::open(path).unwrap();
            let found: (String, i64) = c
                .query_row(
                    &format!("SELECT device_id, seq FROM events WHERE hub_seq = {target}"),
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .unwrap();
            c.execute(
                &format!("UPDATE events SET bytes = CAST(bytes || x'20' AS BLOB) WHERE hub_seq = {target}"),
                [],
            )
            .unwrap();
            found
        }
        None => {
            let row = hub.sql(&format!(
                "SELECT device_id || '|' || seq FROM events WHERE hub_seq = {target}"
            ));
            hub.sql(&format!(
                "UPDATE events SET bytes = bytes || '\\x20'::bytea WHERE hub_seq = {target}"
            ));
            let (d, s) = row.split_once('|').unwrap();
            (d.to_string(), s.parse().unwrap())
        }
    };
    let r = hub.admin_run(&["verify"]);
    assert_eq!(r.code, 1, "{}\n{}", r.stderr, r.stdout);
    assert!(r.stderr.contains(&device), "{}", r.stderr);
    assert!(r.stderr.contains(&format!("第 {seq} 条")), "{}", r.stderr);
    println!("hub verify: {checked}; a changed event found at {device} #{seq}");

    // Purging again finds nothing due.
    let again = village.ok(&["purge", "--yes"]);
    assert_eq!(again["cases"].as_array().unwrap().len(), 0);
    println!("purge reached the hub and 2 station ledgers; chains intact");
}

#[test]
fn a_purge_reaches_the_hub_and_every_ledger_on_sqlite() {
    purge_reaches_everyone(Backend::Sqlite);
}

#[test]
fn a_purge_reaches_the_hub_and_every_ledger_on_postgres() {
    purge_reaches_everyone(Backend::Postgres);
}
