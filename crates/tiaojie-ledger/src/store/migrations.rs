//! Schema migrations, embedded in the binary and applied atomically when a
//! ledger opens.

use rusqlite_migration::{M, Migrations};

const STEPS: &[M<'static>] = &[
    M::up(include_str!("../../migrations/0001_ledger.sql")),
    M::up(include_str!("../../migrations/0002_users.sql")),
    M::up(include_str!("../../migrations/0003_retention.sql")),
    M::up(include_str!("../../migrations/0004_indexes.sql")),
];

pub fn migrations() -> Migrations<'static> {
    Migrations::from_slice(STEPS)
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        super::migrations().validate().unwrap();
    }
}
