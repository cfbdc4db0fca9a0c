//! How long registering a typical dispute takes a mediator. The steps a
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
    let mut runs = Vec::new();
    for run in 0..RUNS {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("app.sqlite3");
        drop(support::village_ledger(&db));
        let driver = TauriDriver::start(&display, &db);
        let d = Driver::start(&driver.url, &app_binary()).await;
        d.find("[data-testid=today]").await;
        let (tally, number) = typist::register_typical_dispute(&d).await;
        d.quit().await;
        eprintln!(
            "intake {}: {number}, the app's waits {:.0} ms, {tally:?}",
            run + 1,
            tally.app_ms
        );
        runs.push(tally);
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
    });
    support::report_figures(figures);
}
