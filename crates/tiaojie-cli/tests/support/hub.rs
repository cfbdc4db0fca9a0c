//! A real hub process for the sync tests: `tiaojie server` on a free
//! loopback port, on a temporary SQLite file or its own PostgreSQL schema,
//! killed (and its schema dropped) when the test ends.

use super::{Db, Run};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;
use tempfile::TempDir;

pub const PG_DEFAULT: &str = "postgres://postgres@127.0.0.1:5432/test";

pub fn pg_url() -> String {
    std::env::var("TIAOJIE_TEST_PG").unwrap_or_else(|_| PG_DEFAULT.to_string())
}

#[derive(Debug, Clone, Copy)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct Hub {
    child: Option<Child>,
    /// A TOML config file passed with `--config`, if any.
    config: Option<std::path::PathBuf>,
    pub url: String,
    pub database: String,
    listen: String,
    schema: Option<String>,
    /// Where the hub's log (RUST_LOG=info) goes, when kept.
    pub log: Option<std::path::PathBuf>,
    /// Environment for the hub and its admin commands (a passphrase).
    pub env: Vec<(String, String)>,
    _dir: TempDir,
}

fn psql(sql: &str) {
    let out = Command::new("psql")
        .args([&pg_url(), "-v", "ON_ERROR_STOP=1", "-q", "-c", sql])
        .output()
        .expect("psql must be installed for the PostgreSQL tests");
    assert!(
        out.status.success(),
        "psql {sql}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

impl Hub {
    pub fn start(backend: Backend) -> Hub {
        Self::start_with_config(backend, None)
    }

    /// A hub with `[limits]` and other settings from `config_toml`.
    pub fn start_with_config(backend: Backend, config_toml: Option<&str>) -> Hub {
        let dir = tempfile::tempdir().unwrap();
        let config = config_toml.map(|text| {
            let path = dir.path().join("hub.toml");
            std::fs::write(&path, text).unwrap();
            path
        });
        let (database, schema) = match backend {
            Backend::Sqlite => (
                format!("sqlite:{}", dir.path().join("hub.sqlite3").display()),
                None,
            ),
            Backend::Postgres => {
                let schema = format!("e2e_{}", uuid::Uuid::now_v7().simple());
                psql(&format!("CREATE SCHEMA {schema}"));
                let sep = if pg_url().contains('?') { '&' } else { '?' };
                (
                    format!("{}{sep}options=-csearch_path%3D{schema}", pg_url()),
                    Some(schema),
                )
            }
        };
        let mut hub = Hub {
            child: None,
            config,
            url: String::new(),
            database,
            listen: "127.0.0.1:0".into(),
            schema,
            log: None,
            env: Vec::new(),
            _dir: dir,
        };
        hub.spawn();
        hub
    }

    /// A hub on SQLite whose log, at info level, is kept in a file.
    pub fn start_logged() -> Hub {
        let mut hub = Hub::start(Backend::Sqlite);
        hub.kill9();
        hub.log = Some(hub._dir.path().join("hub.log"));
        hub.listen = "127.0.0.1:0".into();
        hub.spawn();
        hub
    }

    /// A second hub process on the same database.
    pub fn another(&self) -> Hub {
        let mut other = Hub {
            child: None,
            config: self.config.clone(),
            url: String::new(),
            database: self.database.clone(),
            listen: "127.0.0.1:0".into(),
            schema: None,
            log: None,
            env: self.env.clone(),
            _dir: tempfile::tempdir().unwrap(),
        };
        other.spawn();
        other
    }

    fn spawn(&mut self) {
        let mut command = Command::new(env!("CARGO_BIN_EXE_tiaojie"));
        command.env_remove("TIAOJIE_HUB_PASSPHRASE");
        command.args([
            "server",
            "--listen",
            &self.listen,
            "--database",
            &self.database,
        ]);
        if let Some(config) = &self.config {
            command.arg("--config").arg(config);
        }
        for (k, v) in &self.env {
            command.env(k, v);
        }
        let stderr = match &self.log {
            Some(path) => {
                command.env("RUST_LOG", "info");
                Stdio::from(
                    std::fs::OpenOptions::new()
                        .create(true)
                        .append(true)
                        .open(path)
                        .unwrap(),
                )
            }
            None => {
                command.env("RUST_LOG", "warn");
                Stdio::inherit()
            }
        };
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("start the hub");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            if let Some(Ok(line)) = lines.next() {
                let _ = tx.send(line);
            }
            // Keep draining so the hub never blocks on a full pipe.
            for _ in lines {}
        });
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the hub did not start within a minute");
        let rest = line
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line: {line}"));
        let addr = rest.split_whitespace().next().unwrap_or_default();
        let scheme = if rest.ends_with("(https)") {
            "https"
        } else {
            "http"
        };
        // A certificate names a host, not an address.
        self.url = match scheme {
            "https" => format!(
                "https://localhost:{}",
                addr.rsplit(':').next().unwrap_or_default()
            ),
            _ => format!("http://{addr}"),
        };
        // Restarts come back on the same port.
        self.listen = addr.to_string();
        self.child = Some(child);
    }

    /// `kill -9`: no shutdown, no flush.
    pub fn kill9(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// SIGTERM, as a service manager would send; waits for the exit.
    pub fn terminate(&mut self) -> std::process::ExitStatus {
        let mut c = self.child.take().expect("the hub is running");
        let ok = Command::new("kill")
            .args(["-TERM", &c.id().to_string()])
            .status()
            .unwrap();
        assert!(ok.success());
        c.wait().unwrap()
    }

    pub fn restart(&mut self) {
        self.kill9();
        self.spawn();
    }

    /// Runs one query on a PostgreSQL hub's schema; its rows, one per line.
    pub fn sql(&self, query: &str) -> String {
        let schema = self.schema.as_ref().expect("a PostgreSQL hub");
        let out = Command::new("psql")
            .args([&pg_url(), "-v", "ON_ERROR_STOP=1", "-qtA", "-c"])
            .arg(format!("SET search_path = {schema}; {query}"))
            .output()
            .expect("psql must be installed for the PostgreSQL tests");
        assert!(
            out.status.success(),
            "psql {query}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    }

    /// The hub's SQLite file, for tests that play with time in it.
    pub fn sqlite_path(&self) -> Option<std::path::PathBuf> {
        self.database.strip_prefix("sqlite:").map(Into::into)
    }

    pub fn admin_run(&self, args: &[&str]) -> Run {
        let mut command = Command::new(env!("CARGO_BIN_EXE_tiaojie"));
        command
            .arg("--json")
            .args(["admin", "--database", &self.database])
            .args(args)
            .env_remove("TIAOJIE_HUB_PASSPHRASE");
        for (k, v) in &self.env {
            command.env(k, v);
        }
        let out = command.output().expect("run tiaojie admin");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        }
    }

    pub fn admin(&self, args: &[&str]) -> Value {
        let r = self.admin_run(args);
        assert_eq!(r.code, 0, "admin {args:?}: {}\n{}", r.stderr, r.stdout);
        r.json()
    }

    pub fn add_unit(&self, code: &str, name: &str, level: u8, parent: Option<&str>) {
        let level = level.to_string();
        let mut args = vec![
            "unit", "add", "--code", code, "--name", name, "--level", &level,
        ];
        if let Some(p) = parent {
            args.extend(["--parent", p]);
        }
        self.admin(&args);
    }

    pub fn enroll_code(&self, unit: &str) -> String {
        self.admin(&["enroll-code", "--unit", unit])["code"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// A device ledger of `unit`, initialised and enrolled here.
    pub fn device(&self, unit: &str, name: &str, level: u8) -> Db {
        let db = super::initialised(unit, name, level);
        let code = self.enroll_code(unit);
        db.ok(&["sync", "enroll", "--hub", &self.url, "--code", &code]);
        db
    }
}

impl Drop for Hub {
    fn drop(&mut self) {
        self.kill9();
        if let Some(schema) = &self.schema {
            psql(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
        }
    }
}
