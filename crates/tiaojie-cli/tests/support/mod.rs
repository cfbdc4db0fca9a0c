//! Running the real `tiaojie` binary on temporary ledger files.

#![allow(dead_code)] // each test file uses a different part of this module

pub mod devices;
pub mod hub;
pub mod proxy;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use tempfile::TempDir;

/// A fixed past day the tests count from (action dates may not be in the
/// future).
pub const D: &str = "2026-03-02";

/// `D` plus `n` days, as text.
pub fn day(n: u64) -> String {
    let d = chrono::NaiveDate::parse_from_str(D, "%Y-%m-%d").unwrap() + chrono::Days::new(n);
    d.to_string()
}

/// A valid GB 11643 ID number from its first 17 digits.
pub fn id_number(first17: &str) -> String {
    let check = tiaojie_ledger::domain::identity::check_char(first17).unwrap();
    format!("{first17}{check}")
}

pub const DISTRICT: &str = "430302";
pub const STATION: &str = "430302001";
pub const VILLAGE: &str = "430302001001";

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}):\n{}", self.stdout))
    }
}

/// One ledger file in its own temporary directory.
pub struct Db {
    pub dir: TempDir,
    pub path: PathBuf,
}

impl Db {
    pub fn new() -> Db {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.sqlite3");
        Db { dir, path }
    }

    /// A file next to the ledger.
    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn run(&self, args: &[&str]) -> Run {
        run_in(&self.path, args)
    }

    /// Runs with `--json`, expects exit 0, returns the document.
    pub fn ok(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let r = self.run(&all);
        assert_eq!(
            r.code, 0,
            "tiaojie {args:?} failed:\n{}\n{}",
            r.stderr, r.stdout
        );
        r.json()
    }

    /// Runs with `--json`, expects exit 2 (bad input); returns the error
    /// object printed on stdout and the stderr text.
    pub fn refused(&self, args: &[&str]) -> (Value, String) {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let r = self.run(&all);
        assert_eq!(
            r.code, 2,
            "tiaojie {args:?} should be refused with 2:\n{}\n{}",
            r.stderr, r.stdout
        );
        assert!(r.stderr.starts_with("错误："), "stderr: {}", r.stderr);
        let doc = r.json();
        let err = doc["error"].clone();
        assert!(err.is_object(), "no error object: {doc}");
        assert_eq!(
            err["message"].as_str().map(|m| r.stderr.contains(m)),
            Some(true),
            "{doc} / {}",
            r.stderr
        );
        (err, r.stderr)
    }

    /// Follow-ups due on a day in this ledger's own unit.
    pub fn due(&self, on: &str) -> Vec<Value> {
        self.ok(&["due", "--on", on]).as_array().unwrap().clone()
    }

    /// Every event of the ledger, via `events export`.
    pub fn events(&self) -> Vec<Value> {
        let file = self.file("count.json");
        self.ok(&["events", "export", "--file", file.to_str().unwrap()]);
        let text = std::fs::read_to_string(&file).unwrap();
        serde_json::from_str::<Vec<Value>>(&text).unwrap()
    }

    pub fn export(&self, name: &str) -> PathBuf {
        let file = self.file(name);
        self.ok(&["events", "export", "--file", file.to_str().unwrap()]);
        file
    }

    pub fn import(&self, file: &Path) -> Value {
        self.ok(&["events", "import", "--file", file.to_str().unwrap()])
    }
}

pub fn run_in(db: &Path, args: &[&str]) -> Run {
    run_with(db, args, &[])
}

/// Runs the binary with extra environment variables (a passphrase, say).
pub fn run_with(db: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tiaojie"));
    cmd.arg("--db")
        .arg(db)
        .args(args)
        .env_remove("TIAOJIE_DB")
        .env_remove("TIAOJIE_ACTOR")
        .env_remove("TIAOJIE_PASSPHRASE")
        .env_remove("TIAOJIE_NEW_PASSPHRASE");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run tiaojie");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// A new ledger of `unit` that knows only its own unit.
pub fn initialised(unit: &str, name: &str, level: u8) -> Db {
    let db = Db::new();
    db.ok(&[
        "init",
        "--unit-code",
        unit,
        "--unit-name",
        name,
        "--level",
        &level.to_string(),
    ]);
    db
}

/// A village ledger with the district above the station above it.
pub fn village() -> Db {
    let db = initialised(VILLAGE, "青山村调解室", 1);
    db.ok(&[
        "unit",
        "add",
        "--code",
        DISTRICT,
        "--name",
        "青山区矛盾纠纷调解中心",
        "--level",
        "3",
    ]);
    db.ok(&[
        "unit",
        "add",
        "--code",
        STATION,
        "--name",
        "青山派出所调解中心",
        "--level",
        "2",
        "--parent",
        DISTRICT,
    ]);
    db.ok(&[
        "unit",
        "add",
        "--code",
        VILLAGE,
        "--name",
        "青山村调解室",
        "--level",
        "1",
        "--parent",
        STATION,
    ]);
    db.ok(&[
        "mediator",
        "add",
        "--name",
        "王建国",
        "--role",
        "村干部",
        "--phone",
        "13807320001",
    ]);
    db
}

/// A station ledger, before it has heard from anyone.
pub fn station() -> Db {
    let db = Db::new();
    db.ok(&[
        "init",
        "--unit-code",
        STATION,
        "--unit-name",
        "青山派出所调解中心",
        "--level",
        "2",
    ]);
    db
}

/// Registers a neighbours' dispute with `facts`, received on `received_on`,
/// between two parties given as `--party` specs; returns its number.
pub fn add_dispute(db: &Db, facts: &str, received_on: &str, parties: [&str; 2]) -> String {
    let doc = db.ok(&[
        "case",
        "add",
        "--type",
        "邻里",
        "--source",
        "当事人申请",
        "--facts",
        facts,
        "--received-on",
        received_on,
        "--party",
        parties[0],
        "--party",
        parties[1],
    ]);
    doc["number"].as_str().unwrap().to_string()
}

/// Registers a neighbours' dispute between 张三 and 李四 received on `D`;
/// returns (case id, case number).
pub fn open_case(db: &Db) -> (String, String) {
    let zhang = format!(
        "name=张三,id={},phone=13907321111,side=申请人,ethnicity=汉族",
        id_number("43030219800101001")
    );
    let li = format!(
        "name=李四，id={}，side=被申请人，address=青山村三组",
        id_number("43030219820202002")
    );
    let doc = db.ok(&[
        "case",
        "add",
        "--type",
        "邻里",
        "--source",
        "当事人申请",
        "--facts",
        "因宅前排水沟堵塞发生争执",
        "--requests",
        "请求疏通排水沟",
        "--amount",
        "800",
        "--mediator",
        "王建国",
        "--received-on",
        D,
        "--party",
        &zhang,
        "--party",
        &li,
    ]);
    assert_eq!(doc["ok"], true);
    (
        doc["case_id"].as_str().unwrap().to_string(),
        doc["number"].as_str().unwrap().to_string(),
    )
}
