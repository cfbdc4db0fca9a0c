//! Moving ledger events between devices and hubs: the wire types, the
//! signed batch and feed frames, the per-device hash chain, and (feature
//! `client`) the client that syncs a ledger with a hub.

pub mod bundle;
#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "client")]
pub mod engine;
pub mod error;
pub mod frame;
pub mod keys;
pub mod seal;
pub mod stream;
pub mod wire;

pub use error::{Result, SyncError};
pub use tiaojie_ledger::chain;
