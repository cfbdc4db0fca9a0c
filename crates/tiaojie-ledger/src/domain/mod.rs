//! The subject matter: forms, vocabularies and rules that need no storage.

pub mod attachment;
pub mod authority;
pub mod identity;
pub mod intake;
pub mod labels;
pub mod mask;
pub mod phrasing;
pub mod pin;
pub mod roles;
pub mod scheme;
pub mod unit;
