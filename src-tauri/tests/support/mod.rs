//! The real window under test: a virtual display (Xvfb) when there is no
//! display, tauri-driver on free ports with WebKitWebDriver behind it, and
//! the app on a ledger file of the test's own.
#![allow(dead_code)]

pub mod typist;
pub mod webdriver;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_for(what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !ready() {
        assert!(
            Instant::now() < deadline,
            "{what} did not come up within 30 s"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// An X display: the one in `DISPLAY`, or an Xvfb started for the test.
pub struct Display {
    child: Option<Child>,
    pub name: String,
}

impl Display {
    pub fn get() -> Display {
        if let Ok(name) = std::env::var("DISPLAY")
            && !name.is_empty()
        {
            return Display { child: None, name };
        }
        let n = (90..200)
            .find(|n| {
                !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
                    && !Path::new(&format!("/tmp/.X{n}-lock")).exists()
            })
            .unwrap();
        let name = format!(":{n}");
        let child = Command::new("Xvfb")
            .args([&name, "-screen", "0", "1366x900x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb must be installed (Debian package xvfb)");
        let socket = format!("/tmp/.X11-unix/X{n}");
        wait_for("Xvfb", || Path::new(&socket).exists());
        Display {
            child: Some(child),
            name,
        }
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// tauri-driver, which starts the app for each WebDriver session.
pub struct TauriDriver {
    child: Child,
    pub url: String,
}

/// Where the app run on the ledger `db` saves the files it makes.
pub fn output_dir(db: &Path) -> std::path::PathBuf {
    db.with_extension("output")
}

impl TauriDriver {
    /// The app it starts will use the ledger at `db`.
    pub fn start(display: &Display, db: &Path) -> TauriDriver {
        let (port, native) = (free_port(), free_port());
        let mut command = Command::new("tauri-driver");
        // Its own group, so that the WebKitWebDriver it starts goes with it.
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let child = command
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native.to_string(),
            ])
            .env("DISPLAY", &display.name)
            .env("TIAOJIE_DB", db)
            // Documents and exports go beside the ledger, not into $HOME.
            .env("TIAOJIE_OUTPUT_DIR", output_dir(db))
            // The web view's own storage too (the text size chosen, kept
            // per laptop): each test starts as a laptop of its own.
            .env("XDG_DATA_HOME", db.with_extension("webdata"))
            // Software rendering: a virtual display has no GPU.
            .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
            .env("LIBGL_ALWAYS_SOFTWARE", "1")
            .stdout(Stdio::null())
            // The app's own messages (a panic, say) come through here.
            .stderr(Stdio::inherit())
            .spawn()
            .expect("tauri-driver must be installed (cargo install tauri-driver)");
        wait_for("tauri-driver", || {
            std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
        });
        TauriDriver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        }
    }
}

impl Drop for TauriDriver {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.wait();
    }
}

pub fn app_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_tiaojie-desktop"))
}

/// Where screenshots go for people to look at: `test-output/screens/`.
pub fn screenshot_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../test-output/screens")
        .join(format!("{name}.png"))
}

/// A village ledger as the app leaves it after a standalone first run
/// without a passphrase: the unit, and the mediator using the laptop.
pub fn village_ledger(path: &Path) -> tiaojie_ledger::Ledger {
    let mut l = tiaojie_ledger::Ledger::open(path).unwrap();
    l.init(
        tiaojie_ledger::domain::unit::UnitSpec::new("430302001001", "青山村调解室", None, 1, None),
        0,
    )
    .unwrap();
    l.set_sync_values(&[("app.actor", "王秀英".to_string())])
        .unwrap();
    l
}

/// A red case of `l`'s unit received three days ago and graded two days
/// ago: its daily visit is overdue today.
pub fn red_case_overdue(
    l: &mut tiaojie_ledger::Ledger,
    applicant: &str,
    respondent: &str,
) -> tiaojie_ledger::store::CaseRef {
    let today = chrono::Local::now().date_naive();
    let party = |name: &str| tiaojie_ledger::domain::intake::PartyInput {
        name: name.into(),
        ..Default::default()
    };
    let case = l
        .open_case(&tiaojie_ledger::domain::intake::CaseIntake {
            received_on: Some((today - chrono::Days::new(3)).to_string()),
            dispute_type: "邻里".into(),
            source: "主动排查".into(),
            facts: format!("{applicant}与{respondent}因排水沟堵塞发生争吵"),
            parties: vec![party(applicant), party(respondent)],
            ..Default::default()
        })
        .unwrap();
    l.grade_case(
        case.id,
        "红色",
        "双方扬言动手",
        Some(today - chrono::Days::new(2)),
    )
    .unwrap();
    case
}

/// Whether a window benchmark should run: `cargo bench` passes `--bench`;
/// a test run of the benchmark targets only lists them.
pub fn benchmarking() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// A window benchmark's figures, with the build they were measured on, to
/// the file `TIAOJIE_BENCH_OUT` names (for `tiaojie-bench`), or printed.
pub fn report_figures(mut figures: serde_json::Value) {
    figures["build"] = (if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    })
    .into();
    match std::env::var_os("TIAOJIE_BENCH_OUT") {
        Some(out) => std::fs::write(out, figures.to_string()).unwrap(),
        None => println!("{figures}"),
    }
}
