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
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 8 * 1024 * 1024,
            feed_page_events: 2_000,
            feed_page_bytes: 2 * 1024 * 1024,
            token_ttl_secs: 3_600,
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
}
