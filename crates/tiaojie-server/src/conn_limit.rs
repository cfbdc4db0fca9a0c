//! A cap on the connections one client address holds open at once. Without
//! it, a few hundred connections that never finish their headers use up
//! the hub's file descriptors and nobody else gets in; with it, one address
//! gets its share and the rest are closed as they arrive.

use axum_server::accept::Accept;
use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

/// Open connections per client address.
#[derive(Debug, Clone, Default)]
pub struct Counts(Arc<Mutex<HashMap<IpAddr, usize>>>);

impl Counts {
    /// Takes a place for `ip` if it has fewer than `cap`.
    fn admit(&self, ip: IpAddr, cap: usize) -> Option<Place> {
        let mut counts = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let held = counts.entry(ip).or_insert(0);
        if *held >= cap {
            return None;
        }
        *held += 1;
        Some(Place {
            counts: self.clone(),
            ip,
        })
    }

    /// Connections held now by `ip`.
    pub fn held(&self, ip: IpAddr) -> usize {
        let counts = self.0.lock().unwrap_or_else(|e| e.into_inner());
        counts.get(&ip).copied().unwrap_or(0)
    }
}

/// One connection's place, given back when the connection is dropped.
#[derive(Debug)]
struct Place {
    counts: Counts,
    ip: IpAddr,
}

impl Drop for Place {
    fn drop(&mut self) {
        let mut counts = self.counts.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(held) = counts.get_mut(&self.ip) {
            *held = held.saturating_sub(1);
            if *held == 0 {
                counts.remove(&self.ip);
            }
        }
    }
}

/// An accepted TCP stream that holds its address's place while it lives.
#[derive(Debug)]
pub struct Counted {
    stream: TcpStream,
    _place: Option<Place>,
}

impl AsyncRead for Counted {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Counted {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

/// Admits a connection if its address holds fewer than `cap`, then hands
/// it to `inner` (plain HTTP, or TLS). Loopback is exempt unless
/// `limit_loopback` (the administrator's tools run on the hub's machine).
#[derive(Debug, Clone)]
pub struct PerAddress<A> {
    pub inner: A,
    pub cap: usize,
    pub limit_loopback: bool,
    pub counts: Counts,
}

impl<A, S> Accept<TcpStream, S> for PerAddress<A>
where
    A: Accept<Counted, S> + Clone + Send + 'static,
    A::Future: Send + 'static,
    A::Stream: Send + 'static,
    A::Service: Send + 'static,
    S: Send + 'static,
{
    type Stream = A::Stream;
    type Service = A::Service;
    type Future = Pin<Box<dyn Future<Output = io::Result<(A::Stream, A::Service)>> + Send>>;

    fn accept(&self, stream: TcpStream, service: S) -> Self::Future {
        let ip = stream.peer_addr().map(|a| a.ip());
        let place = match ip {
            Ok(ip) if ip.is_loopback() && !self.limit_loopback => Some(None),
            Ok(ip) => self.counts.admit(ip, self.cap).map(Some),
            Err(_) => None,
        };
        let Some(place) = place else {
            // Not a warning: an attacker would fill the log with them.
            tracing::debug!(ip = ?ip.ok(), cap = self.cap, "connection refused: too many from one address");
            return Box::pin(std::future::ready(Err(io::Error::other(
                "too many connections from one address",
            ))));
        };
        let inner = self.inner.clone();
        Box::pin(async move {
            inner
                .accept(
                    Counted {
                        stream,
                        _place: place,
                    },
                    service,
                )
                .await
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_given_back() {
        let counts = Counts::default();
        let ip: IpAddr = "10.1.2.3".parse().unwrap();
        let a = counts.admit(ip, 2).unwrap();
        let b = counts.admit(ip, 2).unwrap();
        assert!(counts.admit(ip, 2).is_none());
        assert_eq!(counts.held(ip), 2);
        drop(a);
        let c = counts.admit(ip, 2).unwrap();
        drop((b, c));
        assert_eq!(counts.held(ip), 0);
    }
}
