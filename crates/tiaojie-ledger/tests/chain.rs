//! The hash chain over a device's own events: with 10,000 events in the
//! ledger file, changing, deleting or moving any one of them (tried at the
//! ends and at positions spread through the log) is found, at its position.

mod support;

use rusqlite::Connection;
use std::path::Path;
use support::*;
use tiaojie_ledger::Ledger;
use tiaojie_ledger::store::import::ImportCase;
use tiaojie_ledger::store::verify::BreakKind;

const EVENTS: i64 = 10_000;

/// A ledger file with exactly `EVENTS` events of its own.
fn ledger_file(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("ledger.sqlite3");
    let mut l = village_file(&path);
    let have = l.device().unwrap().next_seq - 1;
    // Each imported row is two events (opened, graded).
    let rows = (EVENTS - have) / 2;
    let items: Vec<ImportCase> = (0..rows)
        .map(|i| ImportCase {
            key: format!("row-{i}"),
            original_number: None,
            intake: intake(
                &format!("张{i}"),
                &format!("李{i}"),
                day(3, 1 + (i % 28) as u32),
            ),
            grade: Some("green".into()),
            grade_reason: "排查".into(),
            agreement: None,
            closing: None,
        })
        .collect();
    l.import_cases(&items).unwrap();
    let mut seq = l.device().unwrap().next_seq - 1;
    while seq < EVENTS {
        // A nil screening report (零上报) tops the log up to the count.
        l.report_screening(day(3, 1), day(3, 15), 0, "", Some(day(3, 16)))
            .unwrap();
        seq += 1;
    }
    assert_eq!(l.device().unwrap().next_seq - 1, EVENTS);
    assert!(l.verify_chain().unwrap().intact());
    drop(l);
    // Everything in the main file, so that a plain copy is the whole ledger.
    let c = Connection::open(&path).unwrap();
    c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
    path
}

/// A copy of the ledger with `tamper` done to it behind the ledger's back.
fn tampered(original: &Path, n: usize, tamper: impl FnOnce(&Connection, &str)) -> Ledger {
    let path = original.with_file_name(format!("t{n}.sqlite3"));
    std::fs::copy(original, &path).unwrap();
    let c = Connection::open(&path).unwrap();
    // The events are stored packed: read and write them as the ledger does.
    tiaojie_ledger::store::packed::register_functions(&c).unwrap();
    c.execute_batch("DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;")
        .unwrap();
    let device: String = c
        .query_row("SELECT device_id FROM device", [], |r| r.get(0))
        .unwrap();
    tamper(&c, &device);
    c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
    drop(c);
    Ledger::open(&path).unwrap()
}

#[test]
fn any_one_changed_deleted_or_moved_event_of_ten_thousand_is_found_where_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let file = ledger_file(dir.path());
    // The ends, and positions spread through the log (a fixed pseudo-random
    // walk, so that a failure can be rerun).
    let mut positions = vec![1, 2, EVENTS / 2, EVENTS - 1, EVENTS];
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..12 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        positions.push(1 + (x % (EVENTS as u64 - 1)) as i64);
    }
    let mut n = 0;
    for &k in &positions {
        n += 1;
        let l = tampered(&file, n, |c, d| {
            // One character of the event's text changed.
            c.execute(
                "UPDATE events SET raw = event_pack(replace(event_json(raw), '\"seq\":', '\"seq\": '))
                 WHERE device = uuid_blob(?1) AND seq = ?2",
                rusqlite::params![d, k],
            )
            .unwrap();
        });
        let r = l.verify_chain().unwrap();
        let b = r
            .broken
            .unwrap_or_else(|| panic!("change at {k} not found"));
        assert_eq!((b.seq, b.kind), (k, BreakKind::Modified), "{}", b.message);
        assert_eq!(r.checked, (k - 1) as u64);

        n += 1;
        let l = tampered(&file, n, |c, d| {
            c.execute(
                "DELETE FROM events WHERE device = uuid_blob(?1) AND seq = ?2",
                rusqlite::params![d, k],
            )
            .unwrap();
        });
        let b = l
            .verify_chain()
            .unwrap()
            .broken
            .unwrap_or_else(|| panic!("deletion at {k} not found"));
        assert_eq!((b.seq, b.kind), (k, BreakKind::Missing), "{}", b.message);

        if k < EVENTS {
            n += 1;
            // Event k moved one place later (k and k+1 swap places).
            let l = tampered(&file, n, |c, d| {
                c.execute_batch(&format!(
                    "UPDATE events SET seq = -1 WHERE device = uuid_blob('{d}') AND seq = {k};
                     UPDATE events SET seq = {k} WHERE device = uuid_blob('{d}') AND seq = {};
                     UPDATE events SET seq = {} WHERE device = uuid_blob('{d}') AND seq = -1;",
                    k + 1,
                    k + 1
                ))
                .unwrap();
            });
            let b = l
                .verify_chain()
                .unwrap()
                .broken
                .unwrap_or_else(|| panic!("move at {k} not found"));
            assert_eq!((b.seq, b.kind), (k, BreakKind::Reordered), "{}", b.message);
        }
    }
    // The untouched file is still whole.
    let l = Ledger::open(&file).unwrap();
    let r = l.verify_chain().unwrap();
    assert!(r.intact());
    assert_eq!(r.checked, EVENTS as u64);
    println!("chain: {EVENTS} events, {n} tampered copies, every one found at its position");
}
