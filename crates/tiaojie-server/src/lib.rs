//! The hub of an upper tier (a police station, a township, a district): it
//! enrolls devices, stores the signed batches they upload, and serves each
//! unit the feed of its subtree.

pub mod admin;
pub mod auth;
pub mod config;
pub mod conn_limit;
pub mod error;
pub mod ingest;
pub mod ratelimit;
pub mod routes;
pub mod serve;
pub mod state;
pub mod store;
pub mod verify;

pub use error::{Result, ServerError};
pub use routes::app;
