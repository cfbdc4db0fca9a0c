//! A TCP proxy that misbehaves like a rural mobile network: it cuts
//! connections part way, truncates responses, adds latency and throttles
//! bandwidth. Each connection's fate is drawn from a seeded generator, so a
//! failing run can be repeated.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// Share of connections cut at a random byte (either direction).
    pub cut_ratio: f64,
    /// Share of connections whose responses stop short.
    pub truncate_ratio: f64,
    /// Added before every chunk forwarded, each way.
    pub latency: Duration,
    /// Throughput cap each way, bytes per second.
    pub bytes_per_sec: Option<u64>,
    /// Cut the link at random bytes, on average once per this many bytes
    /// carried (both ways and every connection counted, as on one mobile
    /// link), wherever the byte falls: a link that drops every few seconds.
    /// The connection carrying the byte is cut. Replaces `cut_ratio` when
    /// set.
    pub cut_every: Option<u64>,
}

#[derive(Debug, Default)]
pub struct Stats {
    pub connections: AtomicU64,
    pub cut: AtomicU64,
    pub truncated: AtomicU64,
    pub bytes_up: AtomicU64,
    pub bytes_down: AtomicU64,
}

pub struct FaultProxy {
    pub addr: SocketAddr,
    pub stats: Arc<Stats>,
    stop: Arc<AtomicBool>,
}

/// xorshift64*: small, seeded, good enough to spread fates.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[derive(Clone, Copy)]
enum Fate {
    Clean,
    /// Cut after this many bytes up (request) or down (response).
    CutUp(u64),
    CutDown(u64),
    /// Forward only this many response bytes, then close.
    Truncate(u64),
    /// Cut where the link's next cut falls.
    OnLink,
}

/// The link's cuts: at exponentially spaced bytes of everything it carries,
/// from a seeded generator, so that the number of cuts follows the bytes
/// carried and not how they were split into connections.
struct LinkCuts {
    state: std::sync::Mutex<(u64, u64, Rng)>,
    span: f64,
}

impl LinkCuts {
    fn new(span: u64, mut rng: Rng) -> LinkCuts {
        let first = Self::gap(&mut rng, span as f64);
        LinkCuts {
            state: std::sync::Mutex::new((0, first, rng)),
            span: span as f64,
        }
    }

    fn gap(rng: &mut Rng, span: f64) -> u64 {
        (-rng.unit().max(1e-12).ln() * span) as u64
    }

    /// `n` more bytes carried: how many of them pass before a cut, if one
    /// falls among them.
    fn carry(&self, n: u64) -> Option<u64> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let (carried, next, rng) = &mut *state;
        let before = *carried;
        *carried += n;
        if before + n < *next {
            return None;
        }
        let pass = next.saturating_sub(before);
        *next = before + pass + Self::gap(rng, self.span).max(1);
        Some(pass)
    }
}

impl FaultProxy {
    pub fn start(target: SocketAddr, faults: Faults, seed: u64) -> FaultProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        listener.set_nonblocking(true).unwrap();
        let stats = Arc::new(Stats::default());
        let stop = Arc::new(AtomicBool::new(false));
        let (s, st) = (stats.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut rng = Rng(seed | 1);
            let link = faults
                .cut_every
                .map(|span| Arc::new(LinkCuts::new(span, Rng(rng.next() | 1))));
            while !st.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((client, _)) => {
                        s.connections.fetch_add(1, Ordering::Relaxed);
                        let roll = rng.unit();
                        let at = rng.next() % 48_000;
                        let fate = if link.is_some() {
                            Fate::OnLink
                        } else if roll < faults.cut_ratio {
                            s.cut.fetch_add(1, Ordering::Relaxed);
                            if rng.next().is_multiple_of(2) {
                                Fate::CutUp(at)
                            } else {
                                Fate::CutDown(at)
                            }
                        } else if roll < faults.cut_ratio + faults.truncate_ratio {
                            s.truncated.fetch_add(1, Ordering::Relaxed);
                            Fate::Truncate(at % 2_000)
                        } else {
                            Fate::Clean
                        };
                        let (faults, s, link) = (faults.clone(), s.clone(), link.clone());
                        std::thread::spawn(move || serve(client, target, fate, link, faults, s));
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        std::thread::sleep(Duration::from_millis(2));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(10)),
                }
            }
        });
        FaultProxy { addr, stats, stop }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn serve(
    client: TcpStream,
    target: SocketAddr,
    fate: Fate,
    link: Option<Arc<LinkCuts>>,
    faults: Faults,
    stats: Arc<Stats>,
) {
    let Ok(upstream) = TcpStream::connect(target) else {
        let _ = client.shutdown(Shutdown::Both);
        return;
    };
    let (c2, u2) = (client.try_clone().unwrap(), upstream.try_clone().unwrap());
    let (up_limit, down_limit) = match fate {
        Fate::Clean => (None, None),
        Fate::CutUp(n) => (Some(Limit::Own(n)), None),
        Fate::CutDown(n) | Fate::Truncate(n) => (None, Some(Limit::Own(n))),
        Fate::OnLink => match link {
            Some(link) => (Some(Limit::Link(link.clone())), Some(Limit::Link(link))),
            None => (None, None),
        },
    };
    let f2 = faults.clone();
    let s2 = stats.clone();
    let up = std::thread::spawn(move || pump(c2, u2, up_limit, &f2, &s2, true));
    pump(upstream, client, down_limit, &faults, &stats, false);
    let _ = up.join();
}

/// Where a direction of a connection stops.
enum Limit {
    /// After this many bytes of its own.
    Own(u64),
    /// Where the link's next cut falls.
    Link(Arc<LinkCuts>),
}

/// Copies `from` to `to` until either closes or the limit is reached; then
/// closes both, which the other direction notices.
fn pump(
    mut from: TcpStream,
    mut to: TcpStream,
    limit: Option<Limit>,
    faults: &Faults,
    stats: &Stats,
    up: bool,
) {
    let counter = if up {
        &stats.bytes_up
    } else {
        &stats.bytes_down
    };
    let mut buf = [0u8; 4096];
    let mut passed = 0u64;
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let mut n = n as u64;
        let stop_here = match &limit {
            None => false,
            Some(Limit::Own(l)) => {
                let stop = passed + n >= *l;
                n = n.min(l.saturating_sub(passed));
                stop
            }
            Some(Limit::Link(link)) => match link.carry(n) {
                Some(pass) => {
                    n = pass;
                    stats.cut.fetch_add(1, Ordering::Relaxed);
                    true
                }
                None => false,
            },
        };
        if !faults.latency.is_zero() {
            std::thread::sleep(faults.latency);
        }
        if let Some(rate) = faults.bytes_per_sec {
            std::thread::sleep(Duration::from_micros(n * 1_000_000 / rate.max(1)));
        }
        if n > 0 && to.write_all(&buf[..n as usize]).is_err() {
            break;
        }
        counter.fetch_add(n, Ordering::Relaxed);
        passed += n;
        if stop_here {
            break;
        }
    }
    let _ = to.shutdown(Shutdown::Both);
    let _ = from.shutdown(Shutdown::Both);
}
