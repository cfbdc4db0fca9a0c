//! The commands the window calls, one file per area, each a few lines: take
//! the state, call the ledger or the sync, map the error.

pub mod attachments;
pub mod cases;
pub mod handover;
pub mod paperwork;
pub mod people;
pub mod reference;
pub mod roster;
pub mod setup;
pub mod stats;
pub mod sync;
pub mod today;

/// An entry of a closed list as the UI offers it: its stable key (a
/// vocabulary's stored key, a document kind, an import field) and the
/// Chinese word shown.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct Choice<K> {
    pub key: K,
    pub label: &'static str,
}
