//! The app's start, measured in the real window: a ledger of 100,000 cases,
//! the app started by tauri-driver under a virtual display as the window
//! tests do, the time until 今日工作 shows, and until the ledger table shows
//! its first rows after a click. Five starts; the figures go as JSON to
//! `TIAOJIE_BENCH_OUT` for `tiaojie-bench` to put into BENCHMARKS.md.
//!
//! `./scripts/bench` runs it (`cargo bench -p tiaojie-desktop --bench start`).
//! `TIAOJIE_BENCH_CASES` sets another ledger size.

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::Instant;
use support::webdriver::Driver;
use support::{Display, TauriDriver, app_binary};
use tiaojie_ledger::domain::intake::{CaseIntake, PartyInput};
use tiaojie_ledger::store::import::ImportCase;

const RUNS: usize = 5;

fn intake(i: usize) -> CaseIntake {
    let day =
        chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Days::new((i % 330) as u64);
    let name = |k: usize| {
        format!(
            "{}{}{}",
            ["张", "李", "王", "赵", "刘"][k % 5],
            "德明",
            k % 97
        )
    };
    CaseIntake {
        received_on: Some(day.to_string()),
        dispute_type: ["邻里", "婚姻家庭", "合同", "山林土地"][i % 4].into(),
        source: "当事人申请".into(),
        facts: format!(
            "{}与{}因宅基地边界的围墙和排水沟发生争执，第{i}号纠纷。",
            name(i),
            name(i + 7)
        ),
        parties: vec![
            PartyInput {
                side: Some("applicant".into()),
                name: name(i),
                ..Default::default()
            },
            PartyInput {
                side: Some("respondent".into()),
                name: name(i + 7),
                ..Default::default()
            },
        ],
        ..Default::default()
    }
}

/// A village ledger with `n` graded cases, as the app would have it after
/// its first run (standalone, the mediator's name set).
fn ledger(path: &std::path::Path, n: usize) {
    let mut l = support::village_ledger(path);
    for chunk in (0..n).collect::<Vec<_>>().chunks(20_000) {
        let items: Vec<ImportCase> = chunk
            .iter()
            .map(|&i| ImportCase {
                key: format!("start-{i}"),
                original_number: None,
                intake: intake(i),
                grade: Some(["red", "yellow", "green", "green"][i % 4].into()),
                grade_reason: "排查".into(),
                agreement: None,
                closing: None,
            })
            .collect();
        l.import_cases(&items).unwrap();
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    if !support::benchmarking() {
        return;
    }
    let cases: usize = std::env::var("TIAOJIE_BENCH_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("app.sqlite3");
    ledger(&db, cases);
    eprintln!("app start: ledger of {cases} cases ready");
    let display = Display::get();
    let driver = TauriDriver::start(&display, &db);
    let mut runs = Vec::new();
    for run in 0..RUNS {
        let started = Instant::now();
        let d = Driver::start(&driver.url, &app_binary()).await;
        d.find("[data-testid=today]").await;
        let today = started.elapsed();
        let clicked = Instant::now();
        d.click("[data-testid=menu-ledger]").await;
        d.find("[data-testid=case-row-link]").await;
        let ledger = clicked.elapsed();
        eprintln!(
            "app start {}: 今日工作 after {} ms, then the ledger's rows after {} ms",
            run + 1,
            today.as_millis(),
            ledger.as_millis()
        );
        runs.push(serde_json::json!({
            "to_today_ms": today.as_secs_f64() * 1000.0,
            "ledger_after_ms": ledger.as_secs_f64() * 1000.0,
        }));
        d.quit().await;
    }
    let figures = serde_json::json!({
        "cases": cases,
        "runs": runs,
    });
    support::report_figures(figures);
}
