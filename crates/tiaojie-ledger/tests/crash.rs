//! kill -9 at 200 points while cases are being written: a writer process
//! opens cases as fast as it can and reports each one after its commit; the
//! test kills it at a random moment, 200 times over, and then checks the
//! file: SQLite's integrity check passes, every acknowledged case is there,
//! no case is half-written, the projection is what the log folds to, and the
//! hash chain is whole.
//!
//! This file has its own `main` (harness = false): run with
//! `TIAOJIE_CRASH_WRITER=<file>` it is the writer.

mod support;

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::*;
use tiaojie_ledger::Ledger;
use tiaojie_ledger::store::queries::CaseFilter;

const KILLS: u32 = 200;

fn writer(path: &str) {
    let mut l = Ledger::open(path).unwrap();
    if l.device().is_err() {
        l.init(unit_alone(VILLAGE_A), 0).unwrap();
    }
    let out = std::io::stdout();
    let mut n = 0u64;
    loop {
        n += 1;
        let c = l
            .open_case(&intake(&format!("张{n}"), "李四", day(3, 2)))
            .unwrap();
        let mut o = out.lock();
        writeln!(o, "{}", c.id).unwrap();
        o.flush().unwrap();
    }
}

fn main() {
    if let Ok(path) = std::env::var("TIAOJIE_CRASH_WRITER") {
        writer(&path);
        return;
    }
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite3");
    let me = std::env::current_exe().unwrap();
    let mut acked: HashSet<String> = HashSet::new();
    let spawn = || {
        Command::new(&me)
            .env("TIAOJIE_CRASH_WRITER", &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    // How long a writer takes to start and commit its first case: a few
    // milliseconds here, far more where starting a process is slow (under
    // Wine). The kills are spread over that time and 78 ms of writing.
    let startup = {
        let t = Instant::now();
        let mut child = spawn();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = lines.next().unwrap().unwrap();
        let startup = t.elapsed();
        child.kill().unwrap();
        child.wait().unwrap();
        acked.insert(first);
        acked.extend(lines.map_while(Result::ok).filter(|l| l.len() == 36));
        startup
    };
    let span = startup.as_micros() as u64 + 78_000;
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    for round in 0..KILLS {
        let mut child = spawn();
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        // From 2 ms after the start to 78 ms after the first commit: during
        // opening, the first commit, or in the middle of a run of them.
        std::thread::sleep(Duration::from_micros(2_000 + x % span));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let stdout = child.stdout.take().unwrap();
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if line.len() == 36 {
                acked.insert(line);
            }
        }
        if round % 50 == 49 {
            check(&path, &acked, round + 2);
        }
    }
    // One more kill than KILLS: the one that measured the start.
    let cases = check(&path, &acked, KILLS + 1);
    println!(
        "crash: {KILLS} kills, {} cases acknowledged, {cases} in the ledger, all whole ({:.1} s)",
        acked.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        acked.len() > KILLS as usize / 4,
        "too few writes to mean anything: {}",
        acked.len()
    );
    println!("test result: ok. 1 passed");
}

/// Everything that must hold after a crash; returns the number of cases.
fn check(path: &std::path::Path, acked: &HashSet<String>, kills: u32) -> u64 {
    let raw = rusqlite::Connection::open(path).unwrap();
    tiaojie_ledger::store::packed::register_functions(&raw).unwrap();
    let ok: String = raw
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    // A case is whole: its opening event, its row, both its parties.
    let half: i64 = raw
        .query_row(
            "SELECT count(*) FROM cases c WHERE (SELECT count(*) FROM parties p WHERE p.case_id = c.id) <> 2
               OR NOT EXISTS (SELECT 1 FROM events e WHERE e.case_id = uuid_blob(c.id) AND e.kind = 'case_opened')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(half, 0, "half-written cases");
    let opened: i64 = raw
        .query_row(
            "SELECT count(*) FROM events WHERE kind = 'case_opened'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    drop(raw);
    let mut l = Ledger::open(path).unwrap();
    let total = l.list_cases(&CaseFilter::default()).unwrap().total;
    assert_eq!(
        total as i64, opened,
        "a case without its row, or a row without its event"
    );
    for id in acked {
        l.case_row(id.parse().unwrap())
            .unwrap_or_else(|e| panic!("acknowledged case {id} lost: {e}"));
    }
    // Beyond those, at most one per kill: committed, then killed before it
    // was reported.
    assert!(
        total as usize <= acked.len() + kills as usize,
        "{total} cases, {} acknowledged, {kills} kills",
        acked.len()
    );
    assert!(l.verify_chain().unwrap().intact());
    let before = l.fingerprint().unwrap();
    l.refold().unwrap();
    assert_eq!(
        l.fingerprint().unwrap(),
        before,
        "the projection is not what the log folds to"
    );
    total
}
