//! Encryption at rest: names and ID numbers planted in 1,000 cases appear
//! nowhere in the ledger file, its WAL, its key file or its backup; a wrong
//! passphrase, another ledger's key and a 3-byte change to the file are all
//! refused or found; a plain ledger can be encrypted in place.

mod support;

use std::path::Path;
use support::*;
use tiaojie_ledger::Ledger;
use tiaojie_ledger::store::import::ImportCase;
use tiaojie_ledger::store::queries::CaseFilter;
use tiaojie_ledger::vault;

const PASS: &str = "青山村调解2026";

fn files_of(ledger: &Path) -> Vec<std::path::PathBuf> {
    let mut v = Vec::new();
    for suffix in ["", "-wal", "-shm", ".key"] {
        let mut n = ledger.as_os_str().to_owned();
        n.push(suffix);
        let p = std::path::PathBuf::from(n);
        if p.exists() {
            v.push(p);
        }
    }
    v
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn planted(i: usize) -> (String, String) {
    let name = format!("欧阳{}{}", ["青松", "白桦", "红梅", "翠竹"][i % 4], i);
    let id17 = format!(
        "4303021985{:02}{:02}{:03}",
        1 + i % 12,
        1 + i % 28,
        i % 1000
    );
    (name, id_number(&id17))
}

fn encrypted_ledger(path: &Path) -> Ledger {
    let key = vault::create(path, PASS).unwrap();
    let mut l = Ledger::open_encrypted(path, &key).unwrap();
    l.init(unit_alone(VILLAGE_A), 0).unwrap();
    l
}

#[test]
fn planted_names_and_id_numbers_are_nowhere_in_the_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite3");
    let mut l = encrypted_ledger(&path);
    let items: Vec<ImportCase> = (0..1000)
        .map(|i| {
            let (name, id) = planted(i);
            let mut intake = intake(&name, "李四", day(3, 2));
            intake.parties[0].id_number = Some(id);
            ImportCase {
                key: format!("r{i}"),
                original_number: None,
                intake,
                grade: Some("red".into()),
                grade_reason: "双方扬言动手".into(),
                agreement: None,
                closing: None,
            }
        })
        .collect();
    l.import_cases(&items).unwrap();
    // Some written one by one too, so that the WAL holds recent pages.
    for i in 1000..1010 {
        let (name, _) = planted(i);
        l.open_case(&intake(&name, "李四", day(3, 3))).unwrap();
    }
    assert!(l.encrypted());
    let backup = dir.path().join("backup.sqlite3");
    l.backup_to(&backup, Some(PASS)).unwrap();
    let mut files = files_of(&path);
    files.extend(files_of(&backup));
    assert!(
        files.iter().any(|f| f.to_string_lossy().ends_with("-wal")),
        "{files:?}"
    );
    assert!(
        files
            .iter()
            .any(|f| f.to_string_lossy().ends_with("backup.sqlite3.key"))
    );
    let mut scanned = 0usize;
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        scanned += bytes.len();
        for i in (0..1010).step_by(37).chain([0, 999, 1009]) {
            let (name, id) = planted(i);
            assert!(
                !contains(&bytes, name.as_bytes()),
                "{name} in {}",
                f.display()
            );
            if i < 1000 {
                assert!(!contains(&bytes, id.as_bytes()), "{id} in {}", f.display());
            }
        }
        assert!(!contains(&bytes, "扬言动手".as_bytes()), "{}", f.display());
        assert!(
            !contains(&bytes, b"SQLite format 3"),
            "{} is not encrypted",
            f.display()
        );
    }
    // The data is all there for whoever has the passphrase.
    drop(l);
    let key = vault::unlock(&path, PASS).unwrap();
    let l = Ledger::open_encrypted(&path, &key).unwrap();
    assert_eq!(l.list_cases(&CaseFilter::default()).unwrap().total, 1010);
    let found = l
        .list_cases(&CaseFilter {
            text: Some(planted(500).0),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(found.total, 1);
    assert!(l.check_file().unwrap().is_empty());
    let b = Ledger::open_encrypted(&backup, &vault::unlock(&backup, PASS).unwrap()).unwrap();
    assert_eq!(b.list_cases(&CaseFilter::default()).unwrap().total, 1010);
    println!(
        "encryption: {} files, {scanned} bytes scanned, no planted name or ID number found",
        files.len()
    );
}

#[test]
fn a_wrong_passphrase_another_key_and_a_changed_file_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite3");
    {
        let mut l = encrypted_ledger(&path);
        for i in 0..200 {
            l.open_case(&intake(&planted(i).0, "李四", day(3, 2)))
                .unwrap();
        }
    }
    let e = vault::unlock(&path, "青山村调解2025").unwrap_err();
    assert!(e.to_string().contains("口令不正确"), "{e}");
    let e = Ledger::open(&path).err().unwrap();
    assert_eq!(e.code(), "locked");
    let other = vault::DataKey::random().unwrap();
    let e = Ledger::open_encrypted(&path, &other).err().unwrap();
    assert_eq!(e.field(), Some("passphrase"), "{e}");

    // Three bytes changed in the middle of the file.
    let c = rusqlite::Connection::open(&path).unwrap();
    let key = vault::unlock(&path, PASS).unwrap();
    drop(c);
    {
        let l = Ledger::open_encrypted(&path, &key).unwrap();
        l.check_file().unwrap();
    }
    // Everything in the main file first, so that the change is what is read.
    {
        let l = Ledger::open_encrypted(&path, &key).unwrap();
        drop(l);
    }
    let mut bytes = std::fs::read(&path).unwrap();
    let at = bytes.len() / 2 + 100;
    for b in &mut bytes[at..at + 3] {
        *b ^= 0x5a;
    }
    std::fs::write(&path, &bytes).unwrap();
    let found = match Ledger::open_encrypted(&path, &key) {
        Err(e) => format!("refused at open: {e}"),
        Ok(l) => {
            let problems = l.check_file().unwrap();
            assert!(!problems.is_empty(), "a 3-byte change went unnoticed");
            format!("found by the check: {}", problems[0])
        }
    };
    println!("tamper: {found}");
}

/// Encrypting replaces the file: with the app (or any program) holding it
/// open, its later records would go to the replaced file and be lost, so
/// encryption is refused and changes nothing until the file is free.
#[test]
fn a_ledger_another_program_holds_open_is_not_encrypted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite3");
    let mut app = village_file(&path);
    app.open_case(&intake("欧阳青松", "李四", day(3, 2)))
        .unwrap();
    let before = files_of(&path);
    let err = vault::encrypt_file(&path, PASS).unwrap_err();
    assert!(err.to_string().contains("另一个程序"), "{err}");
    assert!(!vault::is_encrypted(&path));
    assert_eq!(files_of(&path), before, "nothing written beside the ledger");
    assert!(!dir.path().join("ledger.sqlite3.encrypted").exists());
    // The app goes on writing, and nothing it writes is lost.
    app.open_case(&intake("王五", "赵六", day(3, 3))).unwrap();
    drop(app);
    let key = vault::encrypt_file(&path, PASS).unwrap();
    let l = Ledger::open_encrypted(&path, &key).unwrap();
    assert_eq!(l.list_cases(&CaseFilter::default()).unwrap().total, 2);
}

#[test]
fn a_plain_ledger_is_encrypted_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite3");
    {
        let mut l = village_file(&path);
        l.open_case(&intake("欧阳青松", "李四", day(3, 2))).unwrap();
    }
    assert!(contains(&std::fs::read(&path).unwrap(), b"SQLite format 3"));
    let key = vault::encrypt_file(&path, PASS).unwrap();
    for f in files_of(&path) {
        assert!(
            !contains(&std::fs::read(&f).unwrap(), "欧阳青松".as_bytes()),
            "{}",
            f.display()
        );
    }
    assert_eq!(Ledger::open(&path).err().unwrap().code(), "locked");
    let l = Ledger::open_encrypted(&path, &key).unwrap();
    assert_eq!(l.list_cases(&CaseFilter::default()).unwrap().total, 1);
    assert!(l.verify_chain().unwrap().intact());
    assert!(vault::encrypt_file(&path, PASS).is_err());
}
