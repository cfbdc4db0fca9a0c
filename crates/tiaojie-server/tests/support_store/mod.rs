//! Shared set-up for the hub store contract: databases, devices with real
//! signed batches, and feed helpers.
#![allow(dead_code)]

mod db;
mod devices;

pub use db::Db;
pub use devices::*;

use tiaojie_ledger::Event;
use tiaojie_server::store::{FeedPage, FeedRequest, HubStore};
use uuid::Uuid;

pub fn request(
    units: &[&str],
    device_id: Uuid,
    after: i64,
    limit: u32,
    max_bytes: usize,
) -> FeedRequest {
    FeedRequest {
        units: units.iter().map(|u| u.to_string()).collect(),
        device_id,
        after,
        limit,
        max_bytes,
    }
}

pub async fn page(
    store: &dyn HubStore,
    units: &[&str],
    device_id: Uuid,
    after: i64,
    limit: u32,
) -> FeedPage {
    store
        .feed(&request(units, device_id, after, limit, usize::MAX))
        .await
        .unwrap()
}

/// Everything the feed holds for `device_id` of `units`, in one page.
pub async fn feed_all(store: &dyn HubStore, units: &[&str], device_id: Uuid) -> Vec<Event> {
    let page = page(store, units, device_id, 0, 100_000).await;
    assert!(!page.more);
    page.events
        .iter()
        .map(|b| serde_json::from_slice(b).unwrap())
        .collect()
}

pub fn kinds(events: &[Event]) -> Vec<&'static str> {
    events.iter().map(|e| e.body.kind()).collect()
}
