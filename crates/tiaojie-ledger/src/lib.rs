//! Tiaojie's dispute ledger: the domain of village dispute mediation, an
//! append-only event log in SQLite, the projection folded from it, and the
//! queries the app and the CLI ask. No transport lives here.

pub mod chain;
pub mod domain;
pub mod error;
pub mod event;
pub mod hlc;
pub mod location;
pub mod store;
pub mod typescript;
pub mod vault;

pub use error::{Entity, LedgerError, Result};
pub use event::{Event, EventBody};
pub use store::Ledger;
