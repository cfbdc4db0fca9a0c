//! The commands the window calls, one file per area, each a few lines: take
//! the state, call the ledger or the sync, map the error.

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
