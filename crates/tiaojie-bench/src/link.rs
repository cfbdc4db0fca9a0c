//! Measure 3: sync over a poor link. A TCP proxy in this process plays a
//! rural mobile link: each direction carries at most `bytes_per_sec`
//! (bytes queue behind each other, as on a real link), every byte arrives
//! `one_way` later, and connections are cut at random bytes (on average once
//! per `DROP_SPAN / drop_ratio` bytes carried).
//! One device uploads its 10,000 events and downloads another device's
//! 10,000 through it, retrying as the app does after a failed sync; the
//! time is set against the pure transmission time of the bytes that had to
//! cross (the physical limit).

use crate::fleet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tiaojie_ledger::Ledger;
use tiaojie_ledger::domain::unit::UnitSpec;
use tiaojie_ledger::store::import::ImportCase;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Clone, Copy)]
pub struct LinkSpec {
    pub bytes_per_sec: u64,
    pub one_way: Duration,
    pub drop_ratio: f64,
}

#[derive(Default)]
struct Counters {
    up: AtomicU64,
    down: AtomicU64,
    connections: AtomicU64,
    cut: AtomicU64,
}

struct Proxy {
    url: String,
    counters: Arc<Counters>,
    faults_on: Arc<AtomicBool>,
}

/// xorshift64*, seeded: the same seed cuts at the same bytes.
fn next(state: &mut u64) -> u64 {
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    state.wrapping_mul(0x2545_F491_4F6C_DD1D)
}

/// The bytes over which a cut has a `drop_ratio` chance: a 5% drop ratio
/// cuts a connection once every 1.3 MB carried on average, wherever it falls
/// (a request, a response, between them).
const DROP_SPAN: f64 = 64.0 * 1024.0;

async fn start_proxy(target: String, spec: LinkSpec, seed: u64) -> Proxy {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let counters = Arc::new(Counters::default());
    let faults_on = Arc::new(AtomicBool::new(false));
    let (c, f) = (counters.clone(), faults_on.clone());
    tokio::spawn(async move {
        let mut rng = 0x9E37_79B9_7F4A_7C15u64 ^ seed.wrapping_mul(0xD1B5_4A32_D192_ED03);
        loop {
            let Ok((client, _)) = listener.accept().await else {
                break;
            };
            c.connections.fetch_add(1, Ordering::Relaxed);
            // Where this connection will be cut: cuts come at random bytes,
            // on average one per DROP_SPAN / drop_ratio bytes carried.
            let roll = ((next(&mut rng) >> 11) as f64 + 1.0) / (1u64 << 53) as f64;
            let cut_at = (f.load(Ordering::Relaxed) && spec.drop_ratio > 0.0)
                .then(|| (-roll.ln() * DROP_SPAN / spec.drop_ratio) as u64);
            let (target, c) = (target.clone(), c.clone());
            tokio::spawn(async move {
                let Ok(upstream) = TcpStream::connect(&target).await else {
                    return;
                };
                let (cr, cw) = client.into_split();
                let (ur, uw) = upstream.into_split();
                // The cut counts bytes both ways on this connection.
                let passed = Arc::new(AtomicU64::new(0));
                let gone = Arc::new(AtomicBool::new(false));
                let up = tokio::spawn(pump(
                    cr,
                    uw,
                    Cut {
                        at: cut_at,
                        passed: passed.clone(),
                        gone: gone.clone(),
                    },
                    spec,
                    c.clone(),
                    true,
                ));
                let down = tokio::spawn(pump(
                    ur,
                    cw,
                    Cut {
                        at: cut_at,
                        passed,
                        gone,
                    },
                    spec,
                    c,
                    false,
                ));
                let _ = tokio::join!(up, down);
            });
        }
    });
    Proxy {
        url,
        counters,
        faults_on,
    }
}

/// Where a connection is cut: at byte `at` of those it carries both ways
/// (`passed`); once the byte before it has arrived, the link is `gone` and
/// nothing more arrives either way. Bytes before the cut arrive, as on a
/// real link, however early the sender handed them over.
struct Cut {
    at: Option<u64>,
    passed: Arc<AtomicU64>,
    gone: Arc<AtomicBool>,
}

/// One direction of the link: a reader that stamps each chunk with the time
/// it would arrive, and a writer that delivers it then.
async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    cut: Cut,
    spec: LinkSpec,
    counters: Arc<Counters>,
    up: bool,
) {
    // Each chunk with the time it arrives and whether the link goes after it.
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(Instant, Vec<u8>, bool)>();
    let gone = cut.gone.clone();
    let writer = tokio::spawn(async move {
        while let Some((at, bytes, last)) = rx.recv().await {
            tokio::time::sleep_until(at.into()).await;
            if gone.load(Ordering::Relaxed) || to.write_all(&bytes).await.is_err() {
                break;
            }
            if last {
                // The link goes: nothing more either way.
                gone.store(true, Ordering::Relaxed);
                break;
            }
        }
        let _ = to.shutdown().await;
    });
    let mut free_at = Instant::now();
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        if cut.gone.load(Ordering::Relaxed) {
            break;
        }
        let before = cut.passed.fetch_add(n as u64, Ordering::Relaxed);
        let mut n = n;
        let cuts_here = cut.at.is_some_and(|c| before + n as u64 >= c);
        if let Some(c) = cut.at {
            n = n.min(c.saturating_sub(before) as usize);
        }
        let now = Instant::now();
        free_at = free_at.max(now)
            + Duration::from_micros(n as u64 * 1_000_000 / spec.bytes_per_sec.max(1));
        let counter = if up { &counters.up } else { &counters.down };
        counter.fetch_add(n as u64, Ordering::Relaxed);
        if cuts_here && cut.at.is_some_and(|c| before < c) {
            // Counted by the direction whose byte it was.
            counters.cut.fetch_add(1, Ordering::Relaxed);
        }
        if (n > 0 || cuts_here)
            && tx
                .send((free_at + spec.one_way, buf[..n].to_vec(), cuts_here))
                .is_err()
        {
            break;
        }
        if cuts_here {
            break;
        }
    }
    drop(tx);
    let _ = writer.await;
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct LinkFigure {
    pub events_up: u64,
    pub events_down: u64,
    pub bytes_up: u64,
    pub bytes_down: u64,
    /// Transmission time of the bytes a clean sync needs, each direction at
    /// the link's rate, one after the other as the sync runs them.
    pub limit_s: f64,
    pub wall_s: f64,
    pub ratio: f64,
    /// Bytes a clean sync of the same events carries, both ways.
    pub clean_bytes: u64,
    /// Bytes carried against those of the clean sync.
    pub bytes_ratio: f64,
    pub connections: u64,
    pub cut: u64,
    pub syncs: u32,
    pub retry_wait_s: f64,
}

fn village_ledger(lane: u32, cases: usize, offset: usize) -> Ledger {
    let mut l = Ledger::open_in_memory().unwrap();
    l.init(
        UnitSpec::new(crate::VILLAGE, "青山村调解室", None, 1, None),
        lane,
    )
    .unwrap();
    let items: Vec<ImportCase> = (0..cases)
        .map(|i| ImportCase {
            key: format!("link-{lane}-{i}"),
            original_number: None,
            intake: crate::intake(offset + i),
            grade: Some("yellow".into()),
            grade_reason: "排查".into(),
            agreement: None,
            closing: None,
        })
        .collect();
    l.import_cases(&items).unwrap();
    l
}

async fn code(state: &tiaojie_server::state::AppState) -> String {
    tiaojie_server::admin::create_enroll_code(state.store.as_ref(), crate::VILLAGE, 72)
        .await
        .unwrap()
        .0
}

pub fn run(events: usize, spec: LinkSpec, seed: u64) -> LinkFigure {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        tiaojie_sync::client::tls_init();
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(
            tiaojie_server::store::sqlite::SqliteStore::open(dir.path().join("link.sqlite3"))
                .unwrap(),
        );
        let (hub_url, state) = fleet::start_hub(store).await;
        tiaojie_server::admin::add_unit(
            &state,
            UnitSpec::new(crate::VILLAGE, "青山村调解室", None, 1, None),
        )
        .await
        .unwrap();
        // The other laptop of the village, on a good line, uploads first.
        let cases = events / 2;
        let mut other = village_ledger(1, cases, 0);
        tiaojie_sync::engine::enroll_ledger(&mut other, &hub_url, &code(&state).await, "另一台")
            .await
            .unwrap();
        let mut c = tiaojie_sync::engine::client(&other).unwrap();
        tiaojie_sync::engine::sync_once(&mut other, &mut c, &mut |_| {})
            .await
            .unwrap();

        // This one works over the poor link.
        let proxy = start_proxy(
            hub_url.trim_start_matches("http://").to_string(),
            spec,
            seed,
        )
        .await;
        let mut me = village_ledger(2, cases, cases);
        tiaojie_sync::engine::enroll_ledger(&mut me, &proxy.url, &code(&state).await, "本机")
            .await
            .unwrap();
        let (up0, down0) = (
            proxy.counters.up.load(Ordering::Relaxed),
            proxy.counters.down.load(Ordering::Relaxed),
        );
        proxy.faults_on.store(true, Ordering::Relaxed);
        let started = Instant::now();
        let mut syncs = 0u32;
        let mut waited = Duration::ZERO;
        let mark = |l: &Ledger| tiaojie_sync::engine::progress_mark(l).unwrap();
        // What the app does after a failed sync: at once while data moves,
        // growing waits while nothing does.
        let mut retry = tiaojie_sync::engine::Retry::new(mark(&me));
        loop {
            syncs += 1;
            let mut client = tiaojie_sync::engine::client(&me).unwrap();
            match tiaojie_sync::engine::sync_once(&mut me, &mut client, &mut |_| {}).await {
                Ok(_) => break,
                Err(e) => {
                    let (moved, wait) = retry.failed(mark(&me));
                    eprintln!(
                        "link: sync {syncs} failed ({e}); moved data: {moved}; retrying in {wait:?}"
                    );
                    waited += wait;
                    tokio::time::sleep(wait).await;
                }
            }
            assert!(syncs < 1_000, "the sync never got through");
        }
        let wall = started.elapsed().as_secs_f64();
        let bytes_up = proxy.counters.up.load(Ordering::Relaxed) - up0;
        let bytes_down = proxy.counters.down.load(Ordering::Relaxed) - down0;
        // Counted over whole events: events taken in by a failed try count
        // in the sync that finished them.
        let pending = tiaojie_sync::engine::pending(&me).unwrap();
        assert_eq!(pending, 0);
        let have = me.events().unwrap().len() as u64;
        let own = me.device().unwrap().next_seq as u64 - 1;
        let got = have - own;
        // The limit: the bytes of one clean sync of the same events.
        let mut clean = village_ledger(3, cases, 2 * cases);
        let clean_proxy = start_proxy(
            hub_url.trim_start_matches("http://").to_string(),
            LinkSpec {
                drop_ratio: 0.0,
                one_way: Duration::ZERO,
                bytes_per_sec: u64::MAX / 2_000_000,
            },
            seed,
        )
        .await;
        tiaojie_sync::engine::enroll_ledger(
            &mut clean,
            &clean_proxy.url,
            &code(&state).await,
            "对照",
        )
        .await
        .unwrap();
        let (u0, d0) = (
            clean_proxy.counters.up.load(Ordering::Relaxed),
            clean_proxy.counters.down.load(Ordering::Relaxed),
        );
        let mut client = tiaojie_sync::engine::client(&clean).unwrap();
        tiaojie_sync::engine::sync_once(&mut clean, &mut client, &mut |_| {})
            .await
            .unwrap();
        let clean_up = clean_proxy.counters.up.load(Ordering::Relaxed) - u0;
        // The clean device downloads both others: scale to one.
        let clean_down = (clean_proxy.counters.down.load(Ordering::Relaxed) - d0) / 2;
        let limit = (clean_up + clean_down) as f64 / spec.bytes_per_sec as f64;
        LinkFigure {
            events_up: own,
            events_down: got,
            bytes_up,
            bytes_down,
            limit_s: limit,
            wall_s: wall,
            ratio: wall / limit,
            clean_bytes: clean_up + clean_down,
            bytes_ratio: (bytes_up + bytes_down) as f64 / (clean_up + clean_down).max(1) as f64,
            connections: proxy.counters.connections.load(Ordering::Relaxed),
            cut: proxy.counters.cut.load(Ordering::Relaxed),
            syncs,
            retry_wait_s: waited.as_secs_f64(),
        }
    })
}
