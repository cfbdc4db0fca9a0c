//! What every request handler shares.

use crate::store::{HubIdentity, HubStore};
use std::sync::Arc;
use tiaojie_sync::keys::DeviceKey;

/// Bounds a hub keeps to, from its configuration.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest request body, in bytes (larger: 413).
    pub max_body_bytes: usize,
    pub feed_page_events: u32,
    pub feed_page_bytes: usize,
    pub token_ttl_secs: u64,
    /// Longest a request may take, body included (a 256 kbit/s link moves
    /// an 8 MiB batch in about 4 minutes).
    pub request_timeout_secs: u64,
    /// Enrollment and sign-in requests per client address per minute.
    pub auth_per_minute: u32,
    /// Whether requests from the hub's own machine are limited too (off:
    /// the administrator's tools and the hub's own tests run there; behind
    /// a reverse proxy on the same machine, turn it on).
    pub limit_loopback: bool,
    /// How far ahead of the hub's clock an event may be stamped (further:
    /// quarantined), so that no device's clock wins the fold order forever.
    pub max_clock_ahead_secs: u64,
    /// How long a connection may take to send a request's headers (and a
    /// TLS handshake) before it is closed.
    pub header_timeout_secs: u64,
    /// Connections one client address may hold open at once (loopback
    /// exempt unless `limit_loopback`). Villages behind one carrier NAT
    /// share an address: this is far above what they need at once.
    pub connections_per_address: usize,
    /// What one device may have in quarantine, in events and in bytes:
    /// past it, its batches are refused until an administrator looks.
    pub quarantine_events_per_device: u64,
    pub quarantine_bytes_per_device: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 8 * 1024 * 1024,
            feed_page_events: 5_000,
            feed_page_bytes: 2 * 1024 * 1024,
            token_ttl_secs: 3_600,
            request_timeout_secs: 600,
            auth_per_minute: 30,
            limit_loopback: false,
            max_clock_ahead_secs: 24 * 3600,
            header_timeout_secs: 30,
            connections_per_address: 64,
            quarantine_events_per_device: 10_000,
            quarantine_bytes_per_device: 64 * 1024 * 1024,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn HubStore>,
    pub identity: HubIdentity,
    /// The key the hub signs its own events with.
    pub hub_key: DeviceKey,
    pub limits: Limits,
    pub auth_limiter: Arc<crate::ratelimit::RateLimiter>,
}
