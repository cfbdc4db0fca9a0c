//! How long registering a typical dispute, and recording a visit from
//! 今日工作, take a mediator. The steps a
//! person takes are done in the real window (tests/support/typist.rs, the
//! same steps the window test checks), counted as the operators of the
//! keystroke-level model, with the app's own waits measured. Three runs on
//! a fresh ledger each; the figures go as JSON to `TIAOJIE_BENCH_OUT` for
//! `tiaojie-bench` to put into BENCHMARKS.md, which turns the operators
//! into seconds for typists of three speeds.
//!
//! `./scripts/bench` runs it (`cargo bench -p tiaojie-desktop --bench intake`).

#[path = "../tests/support/mod.rs"]
mod support;

use support::webdriver::Driver;
use support::{Display, TauriDriver, app_binary, typist};

const RUNS: usize = 3;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    if !support::benchmarking() {
        return;
    }
    let display = Display::get();
    let (mut runs, mut known_runs, mut typed_visits, mut taken_visits) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for run in 0..RUNS {
        // The typical dispute on a fresh ledger, then again: its parties
        // are known to the ledger now.
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("app.sqlite3");
        drop(support::village_ledger(&db));
        let driver = TauriDriver::start(&display, &db);
        let d = Driver::start(&driver.url, &app_binary()).await;
        d.find("[data-testid=today]").await;
        let (tally, number) = typist::register_typical_dispute(&d).await;
        eprintln!("intake {}: {number}, {tally:?}", run + 1);
        runs.push(tally);
        d.click("[data-testid=intake-view-case]").await;
        d.find("[data-testid=case-number]").await;
        let (tally, number) = typist::register_known_dispute(&d).await;
        eprintln!("intake of known parties {}: {number}, {tally:?}", run + 1);
        known_runs.push(tally);
        d.quit().await;

        // Two visits due on 今日工作: one finding typed in full, the next
        // taken from what its last visit found.
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("app.sqlite3");
        let [never, yesterday] = typist::village_with_visits_due(&db);
        let driver = TauriDriver::start(&display, &db);
        let d = Driver::start(&driver.url, &app_binary()).await;
        d.wait_any_text("[data-testid=today-due-row]", &yesterday)
            .await;
        let typed = typist::record_visit(&d, &never, false).await;
        let taken = typist::record_visit(&d, &yesterday, true).await;
        eprintln!("visits {}: typed {typed:?}, taken {taken:?}", run + 1);
        typed_visits.push(typed);
        taken_visits.push(taken);
        d.quit().await;
    }
    let figures = serde_json::json!({
        "dispute": {
            "type": typist::DISPUTE_TYPE,
            "facts": typist::FACTS,
            "requests": typist::REQUESTS,
            "parties": typist::PARTIES.iter().map(|p| serde_json::json!({
                "name": p.name,
                "id_number": p.id_number,
                "phone": p.phone,
                "address": format!("（村名）{}", p.address_after_village),
            })).collect::<Vec<_>>(),
        },
        "runs": runs,
        "known_runs": known_runs,
        "visit": {
            "finding": typist::FINDING,
            "typed": typed_visits,
            "taken": taken_visits,
        },
    });
    support::report_figures(figures);
}
