//! Storage faults: the disk fills up (a size limit the ledger is held to,
//! as `max_page_count`), a write is refused with a typed error, nothing of
//! it is kept, and once there is room the ledger goes on as before.

mod support;

use support::*;
use tiaojie_ledger::Ledger;
use tiaojie_ledger::store::queries::CaseFilter;

#[test]
fn a_full_disk_refuses_the_write_keeps_nothing_of_it_and_the_ledger_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite3");
    let mut l = village_file(&path);
    let size = l.stored_bytes().unwrap() + 256 * 1024;
    l.limit_size(size).unwrap();
    let mut written = 0u32;
    let err = loop {
        let mut i = intake(&format!("张{written}"), "李四", day(3, 2));
        i.facts = "围墙越界".repeat(200);
        match l.open_case(&i) {
            Ok(_) => written += 1,
            Err(e) => break e,
        }
        assert!(written < 10_000, "the limit never bit");
    };
    assert!(written > 3, "only {written} cases fit");
    assert_eq!(err.code(), "disk_full", "{err}");
    assert!(err.to_string().contains("磁盘空间不足"), "{err}");
    assert!(!err.is_user_error());
    // Exactly the cases acknowledged are there, each whole.
    let fingerprint = l.fingerprint().unwrap();
    assert_eq!(
        l.list_cases(&CaseFilter::default()).unwrap().total,
        u64::from(written)
    );
    assert!(l.verify_chain().unwrap().intact());
    l.refold().unwrap_or_else(|e| {
        // A refold may itself need room; then the projection is as it was.
        assert_eq!(e.code(), "disk_full");
    });
    assert_eq!(l.fingerprint().unwrap(), fingerprint);
    // Room again: the next case goes in and takes the next number.
    l.limit_size(1 << 30).unwrap();
    let next = l.open_case(&intake("王五", "赵六", day(3, 3))).unwrap();
    assert!(
        next.number.contains(&format!("第{}号", written + 1)),
        "{}",
        next.number
    );
    drop(l);
    let again = Ledger::open(&path).unwrap();
    assert_eq!(
        again.list_cases(&CaseFilter::default()).unwrap().total,
        u64::from(written) + 1
    );
    let ok: String = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    println!("disk full after {written} cases: refused, nothing half-written, usable again");
}
