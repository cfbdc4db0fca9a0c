//! A write the operating system refuses. The writer runs as a child process
//! under a file-size limit (`prlimit --fsize`, with SIGXFSZ ignored, so a
//! write past the limit fails with EFBIG instead of killing it); it adds
//! cases until a write fails and reports what it was told. The ledger must
//! refuse that change with a typed error, keep nothing of it, and go on as
//! before once the limit is gone.
//!
//! This file has its own `main` (harness = false): with
//! `TIAOJIE_WRITE_FAULT=<file>` it is the writer.

mod support;

use std::process::Command;
use support::*;
use tiaojie_ledger::Ledger;
use tiaojie_ledger::store::queries::CaseFilter;

fn writer(path: &str) {
    let mut l = Ledger::open(path).unwrap();
    let mut added = 0u32;
    loop {
        let mut i = intake(&format!("张{added}"), "李四", day(3, 2));
        i.facts = "围墙越界，双方争执".repeat(300);
        match l.open_case(&i) {
            Ok(_) => added += 1,
            Err(e) => {
                println!("{added}\t{}\t{}", e.code(), e);
                return;
            }
        }
        if added > 100_000 {
            println!("{added}\tnone\tno write ever failed");
            return;
        }
    }
}

fn main() {
    if let Ok(path) = std::env::var("TIAOJIE_WRITE_FAULT") {
        writer(&path);
        return;
    }
    if cfg!(not(unix)) {
        // A per-process file-size limit is a Unix thing (RLIMIT_FSIZE);
        // Windows has no such limit to put the writer under.
        println!("write_fault: 0 passed (a file-size limit exists on Unix only)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite3");
    {
        let mut l = village_file(&path);
        l.open_case(&intake("欧阳", "李四", day(3, 1))).unwrap();
    }
    let size = |p: &std::path::Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let wal = dir.path().join("ledger.sqlite3-wal");
    // Room for a few more cases beyond what the files hold now.
    let limit = size(&path).max(size(&wal)) + 200 * 1024;
    let me = std::env::current_exe().unwrap();
    let out = Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; exec prlimit --fsize=\"$1\" -- \"$2\"")
        .arg("sh")
        .arg(limit.to_string())
        .arg(&me)
        .env("TIAOJIE_WRITE_FAULT", &path)
        .output()
        .expect("sh and prlimit (util-linux) are needed");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "the writer died: {:?}\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let fields: Vec<&str> = stdout.trim().splitn(3, '\t').collect();
    assert_eq!(fields.len(), 3, "{stdout}");
    let added: u64 = fields[0].parse().unwrap();
    let code = fields[1];
    assert!(
        ["disk_full", "io_failure"].contains(&code),
        "the refused write gave {code}: {}",
        fields[2]
    );
    assert!(added > 0, "no write succeeded before the limit: {stdout}");

    // Exactly what was acknowledged is there, whole; the ledger goes on.
    let mut l = Ledger::open(&path).unwrap();
    assert_eq!(
        l.list_cases(&CaseFilter::default()).unwrap().total,
        1 + added
    );
    assert!(l.verify_chain().unwrap().intact());
    assert!(l.check_file().unwrap().is_empty());
    let before = l.fingerprint().unwrap();
    l.refold().unwrap();
    assert_eq!(l.fingerprint().unwrap(), before);
    l.open_case(&intake("王五", "赵六", day(3, 3))).unwrap();
    assert_eq!(
        l.list_cases(&CaseFilter::default()).unwrap().total,
        2 + added
    );
    println!(
        "write fault: {added} cases written, then refused with {code} ({}); nothing half-written, the ledger went on",
        fields[2]
    );
    println!("test result: ok. 1 passed");
}
