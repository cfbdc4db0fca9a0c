//! Retention: a closed case past its period is purged. Its people's names,
//! ID and phone numbers leave the tables, the event log, the file and its
//! write-ahead log; the chain still verifies; the purge reaches the other
//! ledgers that hold the case; a case not yet due is refused and nothing
//! changes.

mod support;

use chrono::NaiveDate;
use support::*;
use tiaojie_ledger::domain::labels::ClosingOutcome;
use tiaojie_ledger::store::queries::CaseFilter;
use tiaojie_ledger::{EventBody, Ledger, LedgerError};
use uuid::Uuid;

const NAME: &str = "欧阳紫薇";
const OTHER: &str = "司马青云";
const ID_FIRST17: &str = "43030219610203004";

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A case received and closed in 2014, with the planted name and numbers.
fn old_case(l: &mut Ledger) -> Uuid {
    let mut i = intake(NAME, "慕容白", date(2014, 3, 2));
    i.parties[0].id_number = Some(id_number(ID_FIRST17));
    i.parties[0].phone = Some("13977775555".into());
    let case = l.open_case(&i).unwrap();
    l.close_case(
        case.id,
        ClosingOutcome::Withdrawn,
        &format!("{NAME}撤回申请"),
        Some(date(2014, 6, 1)),
    )
    .unwrap();
    case.id
}

fn file_holds(path: &std::path::Path, text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for suffix in ["", "-wal"] {
        let p = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
        if let Ok(bytes) = std::fs::read(&p)
            && bytes.windows(text.len()).any(|w| w == text.as_bytes())
        {
            found.push(p.display().to_string());
        }
    }
    found
}

#[test]
fn a_purged_case_leaves_no_personal_data_in_the_ledger_or_its_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("village.sqlite3");
    let mut l = village_file(&path);
    let old = old_case(&mut l);
    let recent = l.open_case(&intake(OTHER, "上官明", day(3, 1))).unwrap();
    let id = id_number(ID_FIRST17);
    assert!(
        !file_holds(&path, NAME).is_empty(),
        "the name is stored before"
    );

    let due = l.purge_candidates(10, date(2026, 12, 1)).unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].case_id, old);
    assert_eq!(due[0].expires_on, date(2024, 6, 1));
    assert!(
        l.purge_candidates(13, date(2026, 12, 1))
            .unwrap()
            .is_empty()
    );

    let events_before = l.events().unwrap().len();
    let report = l.purge_cases(&[old], 10, None).unwrap();
    assert_eq!(report.cases.len(), 1);
    assert_eq!(report.events_redacted, 2, "opened and closed");
    println!(
        "purged {} case, {} events stubbed",
        report.cases.len(),
        report.events_redacted
    );

    // Gone from the tables, the history and the log.
    let list = l.list_cases(&CaseFilter::default()).unwrap();
    assert_eq!(list.total, 1);
    assert_eq!(list.rows[0].id, recent.id);
    assert!(l.case_detail(old).is_err());
    let events = l.events().unwrap();
    assert_eq!(
        events.len(),
        events_before + 1,
        "one purge event, none removed"
    );
    let stubs = events
        .iter()
        .filter(|e| matches!(e.body, EventBody::Redacted(_)))
        .count();
    assert_eq!(stubs, 2);
    let log = serde_json::to_string(&events).unwrap();
    for planted in [NAME, id.as_str(), "13977775555", "慕容白"] {
        assert!(!log.contains(planted), "{planted} is still in the log");
    }
    assert!(log.contains(OTHER), "the recent case is untouched");

    // The chain verifies around the stubs.
    let chain = l.verify_chain().unwrap();
    assert!(chain.intact(), "{:?}", chain.broken);
    assert_eq!(chain.redacted, 2);

    // Folding again gives the same tables.
    let before = l.fingerprint().unwrap();
    l.refold().unwrap();
    assert_eq!(l.fingerprint().unwrap(), before);
    // Nor in the search index or the kept counts.
    assert_eq!(l.index_drift().unwrap(), 0);
    for planted in [NAME, id.as_str()] {
        let found = l.list_cases(&CaseFilter {
            text: Some(planted.into()),
            ..Default::default()
        });
        assert_eq!(found.unwrap().total, 0, "{planted} is still found");
    }
    drop(l);

    // Not in the file nor its write-ahead log either.
    for planted in [NAME, id.as_str(), "13977775555"] {
        let found = file_holds(&path, planted);
        assert!(found.is_empty(), "{planted} found in {found:?}");
    }
    assert!(!file_holds(&path, OTHER).is_empty());
}

#[test]
fn a_case_not_due_or_still_open_is_refused_and_nothing_changes() {
    let mut l = device(VILLAGE_A);
    let old = old_case(&mut l);
    let open = l.open_case(&intake(OTHER, "上官明", day(3, 1))).unwrap();
    let before = l.fingerprint().unwrap();
    let count = l.events().unwrap().len();

    let err = l.purge_cases(&[old], 15, None).unwrap_err();
    assert!(matches!(err, LedgerError::State(_)));
    assert!(err.to_string().contains("2029-06-01"), "{err}");
    let err = l.purge_cases(&[old, open.id], 10, None).unwrap_err();
    assert!(err.to_string().contains("尚未结案"), "{err}");
    assert!(err.to_string().contains(&open.number), "{err}");
    let err = l.purge_cases(&[old], 0, None).unwrap_err();
    assert_eq!(err.field(), Some("retention_years"));
    assert!(l.purge_cases(&[], 10, None).is_err());

    assert_eq!(l.events().unwrap().len(), count);
    assert_eq!(l.fingerprint().unwrap(), before);
}

#[test]
fn only_the_owning_unit_purges() {
    let mut village = device(VILLAGE_A);
    let old = old_case(&mut village);
    let mut station = device(STATION);
    sync(&village, &mut station);
    let err = station.purge_cases(&[old], 10, None).unwrap_err();
    assert!(matches!(err, LedgerError::NotYours(_)), "{err}");
}

#[test]
fn the_purge_reaches_other_ledgers_and_late_events_are_stubbed() {
    let mut village = device(VILLAGE_A);
    let old = old_case(&mut village);
    let mut station = device(STATION);
    sync(&village, &mut station);
    assert!(station.case_detail(old).is_ok());

    // An event of the case written before the purge that reaches the
    // station only after it (here: the village's closing, re-sent).
    let late = village.case_events(old).unwrap();
    village.purge_cases(&[old], 10, None).unwrap();
    let purge: Vec<_> = village
        .events()
        .unwrap()
        .into_iter()
        .filter(|e| matches!(e.body, EventBody::CasePurged(_)))
        .collect();
    assert_eq!(purge.len(), 1);
    station.ingest(&purge).unwrap();
    assert!(station.case_detail(old).is_err());
    let log = serde_json::to_string(&station.events().unwrap()).unwrap();
    assert!(!log.contains(NAME));

    // The originals and the stubs both count as what the station has.
    let report = station.ingest(&late).unwrap();
    assert_eq!(report.duplicates, late.len());
    let stubs = village.case_events(old).unwrap();
    let mut fresh = device(DISTRICT);
    fresh.ingest(&village.events().unwrap()).unwrap();
    let before = fresh.fingerprint().unwrap();
    assert_eq!(fresh.ingest(&stubs).unwrap().duplicates, stubs.len());
    assert_eq!(fresh.ingest(&late).unwrap().duplicates, late.len());
    assert!(fresh.case_detail(old).is_err());
    assert_eq!(fresh.fingerprint().unwrap(), before);
}

#[test]
fn recovery_from_the_hub_keeps_the_links_of_stubs_it_can_and_refuses_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("village.sqlite3");
    let mut l = village_file(&path);
    let backup = dir.path().join("before.sqlite3");
    l.backup_to(&backup, None).unwrap();
    let kept = l.device().unwrap().next_seq - 1;
    let old = old_case(&mut l);
    l.purge_cases(&[old], 10, None).unwrap();
    // What the hub holds of this device: the same stubs, byte for byte.
    let hub: Vec<Vec<u8>> = l
        .own_events_after(0, u32::MAX)
        .unwrap()
        .into_iter()
        .map(|e| e.raw)
        .collect();

    // A ledger that still has the events takes their links from itself.
    let head = l.verify_chain().unwrap().head;
    let report = l.rebase_own(1, &hub).unwrap();
    assert_eq!(report.restored, hub.len());
    let chain = l.verify_chain().unwrap();
    assert!(chain.intact(), "{:?}", chain.broken);
    assert_eq!((chain.redacted, chain.head), (2, head));

    // One restored from before the case cannot, and says so.
    let mut restored = Ledger::open(&backup).unwrap();
    let before = restored.fingerprint().unwrap();
    let err = restored
        .rebase_own(kept + 1, &hub[kept as usize..])
        .unwrap_err();
    assert!(err.to_string().contains("从备份恢复"), "{err}");
    assert_eq!(restored.fingerprint().unwrap(), before);
}
