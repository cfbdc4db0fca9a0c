//! The log as sync sees it: own events with their chain links and original
//! bytes, pages taken in together with their cursor.

mod support;

use support::*;
use tiaojie_ledger::chain;

#[test]
fn own_events_are_chained_over_their_original_bytes() {
    let mut l = device(VILLAGE_A);
    l.open_case(&intake("张三", "李四", day(3, 1))).unwrap();
    let own = l.own_events_after(0, 100).unwrap();
    assert_eq!(own.len(), l.events().unwrap().len());
    let mut link = chain::GENESIS;
    for (i, e) in own.iter().enumerate() {
        assert_eq!(e.seq, i as i64 + 1);
        link = chain::next(&link, &e.raw);
        assert_eq!(e.link, chain::to_hex(&link));
        assert_eq!(l.own_link(e.seq).unwrap().as_deref(), Some(e.link.as_str()));
    }
    assert_eq!(
        l.own_events_after(3, 2)
            .unwrap()
            .iter()
            .map(|e| e.seq)
            .collect::<Vec<_>>(),
        vec![4, 5]
    );
    assert_eq!(l.own_link(0).unwrap(), Some(chain::to_hex(&chain::GENESIS)));
    assert_eq!(l.own_link(999).unwrap(), None);
}

#[test]
fn a_page_and_its_cursor_are_saved_together_or_not_at_all() {
    let mut village = device(VILLAGE_A);
    village
        .open_case(&intake("张三", "李四", day(3, 1)))
        .unwrap();
    let raws: Vec<Vec<u8>> = village
        .own_events_after(0, 100)
        .unwrap()
        .into_iter()
        .map(|e| e.raw)
        .collect();
    let mut station = device(STATION);
    let before = station.events().unwrap().len();
    let mut bad = raws.clone();
    bad.push(b"{not json".to_vec());
    assert!(station.ingest_raw(&bad, &[("cursor", "9".into())]).is_err());
    assert_eq!(station.events().unwrap().len(), before);
    assert_eq!(station.sync_value("cursor").unwrap(), None);
    let report = station
        .ingest_raw(&raws, &[("cursor", "7".into())])
        .unwrap();
    assert_eq!(report.inserted, raws.len());
    assert_eq!(station.sync_value("cursor").unwrap().as_deref(), Some("7"));
    // The bytes are kept as written, so the station could pass them on.
    let case_id = village
        .events()
        .unwrap()
        .last()
        .unwrap()
        .body
        .case_id()
        .unwrap();
    assert_eq!(station.case_events(case_id).unwrap().len(), 1);
}

#[test]
fn a_ledger_restored_from_a_backup_refuses_its_own_later_events() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite3");
    let backup = dir.path().join("backup.sqlite3");
    let mut live = tiaojie_ledger::Ledger::open(&path).unwrap();
    live.init(
        tiaojie_ledger::domain::unit::UnitSpec::new(VILLAGE_A, "青山村调解室", None, 1, None),
        0,
    )
    .unwrap();
    // Closing checkpoints the WAL into the file, which is then copied whole.
    drop(live);
    std::fs::copy(&path, &backup).unwrap();
    let mut live = tiaojie_ledger::Ledger::open(&path).unwrap();
    live.open_case(&intake("张三", "李四", day(3, 1))).unwrap();
    let later = live.events().unwrap().last().unwrap().clone();
    let mut restored = tiaojie_ledger::Ledger::open(&backup).unwrap();
    let err = restored.ingest(std::slice::from_ref(&later)).unwrap_err();
    assert_eq!(err.code(), "invalid_state");
    assert!(err.to_string().contains("旧备份"), "{err}");
    // Another device takes the same event in, and the live one has it already.
    let mut station = device(STATION);
    assert_eq!(
        station
            .ingest(std::slice::from_ref(&later))
            .unwrap()
            .inserted,
        1
    );
    assert_eq!(
        live.ingest(std::slice::from_ref(&later))
            .unwrap()
            .duplicates,
        1
    );
}

#[test]
fn a_download_folds_older_events_once_at_the_end_or_before_the_next_write() {
    use tiaojie_ledger::store::queries::CaseFilter;
    // Another laptop's work, stamped before this laptop's own.
    let mut other = device(VILLAGE_B);
    other.open_case(&intake("王五", "赵六", day(3, 1))).unwrap();
    let older: Vec<Vec<u8>> = other
        .events()
        .unwrap()
        .iter()
        .map(|e| serde_json::to_vec(e).unwrap())
        .collect();
    let cases = |l: &tiaojie_ledger::Ledger| l.list_cases(&CaseFilter::default()).unwrap().total;

    for write_first in [false, true] {
        let mut l = device(VILLAGE_A);
        l.open_case(&intake("张三", "李四", day(3, 2))).unwrap();
        // Half the feed, then the rest: kept at once, folded later.
        let (a, b) = older.split_at(older.len() / 2);
        assert!(!l.ingest_raw_deferred(a, &[]).unwrap().refolded);
        assert!(!l.ingest_raw_deferred(b, &[]).unwrap().refolded);
        assert_eq!(cases(&l), 1, "the fold waits for the end of the download");
        if write_first {
            // A new event is checked against the state as it is.
            l.open_case(&intake("孙七", "周八", day(3, 3))).unwrap();
            assert_eq!(cases(&l), 3);
            assert!(!l.settle().unwrap(), "nothing left to fold");
        } else {
            assert!(l.settle().unwrap());
            assert_eq!(cases(&l), 2);
            assert!(!l.settle().unwrap());
        }
    }
}
