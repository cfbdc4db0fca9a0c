//! Measure 4: many devices. Real hubs (the hub's own router, served over
//! loopback HTTP in this process) and real device ledgers (in memory) that
//! enroll, work offline, then all sync at once through the sync engine: up,
//! then down again for what the others sent. One hub on SQLite; one and two
//! hub instances on one PostgreSQL database.

use crate::percentile;
use std::sync::Arc;
use std::time::Instant;
use tiaojie_ledger::Ledger;
use tiaojie_ledger::domain::unit::UnitSpec;
use tiaojie_server::serve;
use tiaojie_server::state::{AppState, Limits};
use tiaojie_server::store::HubStore;
use tokio::sync::Semaphore;

const STATION: &str = "430302001000";

fn village(i: usize) -> String {
    format!("430302001{:03}", i + 1)
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct FleetFigure {
    pub store: String,
    pub hubs: usize,
    pub devices: usize,
    pub at_once: usize,
    pub events_up: u64,
    pub events_down: u64,
    pub wall_s: f64,
    pub events_per_s: f64,
    pub sync_p50_ms: f64,
    pub sync_p99_ms: f64,
    pub errors: usize,
    pub first_error: Option<String>,
}

pub(crate) async fn start_hub(store: Arc<dyn HubStore>) -> (String, AppState) {
    let state = serve::state(store, Limits::default()).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let service = tiaojie_server::app(state.clone())
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, service).await });
    (format!("http://{addr}"), state)
}

/// Each device syncs once, `at_once` of them at a time; returns the wall
/// time, the latencies, (up, down) counts and the errors.
async fn sync_all(
    ledgers: Vec<Ledger>,
    at_once: usize,
) -> (Vec<Ledger>, f64, Vec<f64>, (u64, u64), Vec<String>) {
    let gate = Arc::new(Semaphore::new(at_once));
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for (i, mut ledger) in ledgers.into_iter().enumerate() {
        let gate = gate.clone();
        tasks.spawn(async move {
            let _permit = gate.acquire_owned().await.unwrap();
            let t = Instant::now();
            let result = match tiaojie_sync::engine::client(&ledger) {
                Ok(mut client) => {
                    tiaojie_sync::engine::sync_once(&mut ledger, &mut client, &mut |_| {}).await
                }
                Err(e) => Err(e),
            };
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            (i, ledger, ms, result.map_err(|e| e.to_string()))
        });
    }
    let mut out: Vec<Option<Ledger>> = Vec::new();
    let mut lat = Vec::new();
    let (mut up, mut down) = (0, 0);
    let mut errors = Vec::new();
    while let Some(done) = tasks.join_next().await {
        let (i, ledger, ms, result) = done.unwrap();
        if out.len() <= i {
            out.resize_with(i + 1, || None);
        }
        out[i] = Some(ledger);
        lat.push(ms);
        match result {
            Ok(r) => {
                up += r.progress.events_up;
                down += r.progress.events_down;
            }
            Err(e) => errors.push(e),
        }
    }
    let wall = started.elapsed().as_secs_f64();
    lat.sort_by(|a, b| a.partial_cmp(b).unwrap());
    (
        out.into_iter().map(Option::unwrap).collect(),
        wall,
        lat,
        (up, down),
        errors,
    )
}

/// `devices` laptops over `villages` villages, `cases` cases each, on
/// `stores.len()` hub instances (devices alternate between them).
pub async fn run(
    name: &str,
    stores: Vec<Arc<dyn HubStore>>,
    devices: usize,
    villages: usize,
    cases: usize,
    at_once: usize,
) -> FleetFigure {
    tiaojie_sync::client::tls_init();
    let mut hubs = Vec::new();
    for store in stores {
        hubs.push(start_hub(store).await);
    }
    let admin = &hubs[0].1;
    tiaojie_server::admin::add_unit(
        admin,
        UnitSpec::new(STATION, "双马派出所调解中心", Some("双马所"), 2, None),
    )
    .await
    .unwrap();
    for v in 0..villages {
        tiaojie_server::admin::add_unit(
            admin,
            UnitSpec::new(
                &village(v),
                &format!("第{}村调解室", v + 1),
                None,
                1,
                Some(STATION),
            ),
        )
        .await
        .unwrap();
    }
    // Enrollment and a day's offline work on every laptop.
    let mut ledgers = Vec::with_capacity(devices);
    for d in 0..devices {
        let unit = village(d % villages);
        let (code, _) = tiaojie_server::admin::create_enroll_code(admin.store.as_ref(), &unit, 72)
            .await
            .unwrap();
        let mut l = Ledger::open_in_memory().unwrap();
        l.init(
            UnitSpec::new(
                &unit,
                &format!("第{}村调解室", d % villages + 1),
                None,
                1,
                None,
            ),
            (d / villages) as u32,
        )
        .unwrap();
        let url = &hubs[d % hubs.len()].0;
        tiaojie_sync::engine::enroll_ledger(&mut l, url, &code, &format!("笔记本{d}"))
            .await
            .unwrap();
        for c in 0..cases {
            l.open_case(&crate::intake(d * cases + c)).unwrap();
        }
        ledgers.push(l);
    }
    eprintln!("fleet {name}: {devices} devices enrolled");
    // Everyone syncs at once: uploads (and what is there to download) ...
    let (ledgers, wall1, mut lat, (up1, down1), mut errors) = sync_all(ledgers, at_once).await;
    // ... then again, to take in what the others uploaded meanwhile.
    let (_ledgers, wall2, lat2, (up2, down2), errors2) = sync_all(ledgers, at_once).await;
    lat.extend(lat2);
    lat.sort_by(|a, b| a.partial_cmp(b).unwrap());
    errors.extend(errors2);
    let events = up1 + up2 + down1 + down2;
    FleetFigure {
        store: name.to_string(),
        hubs: hubs.len(),
        devices,
        at_once,
        events_up: up1 + up2,
        events_down: down1 + down2,
        wall_s: wall1 + wall2,
        events_per_s: events as f64 / (wall1 + wall2),
        sync_p50_ms: percentile(&lat, 0.5),
        sync_p99_ms: percentile(&lat, 0.99),
        errors: errors.len(),
        first_error: errors.first().cloned(),
    }
}
