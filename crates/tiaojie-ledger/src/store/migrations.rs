//! Schema migrations, embedded in the binary and applied atomically when a
//! ledger opens.

use rusqlite_migration::{M, Migrations};

pub fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("../../migrations/0001_ledger.sql")),
        M::up(include_str!("../../migrations/0002_users.sql")),
        M::up(include_str!("../../migrations/0003_retention.sql")),
        // The search index and the case counts, filled from the cases there are.
        M::up_with_hook(include_str!("../../migrations/0004_indexes.sql"), |tx| {
            Ok(super::fold::rebuild_derived(tx)?)
        }),
        M::up(include_str!("../../migrations/0005_people.sql")),
        // An enrolled ledger folds again under the authority rules.
        M::up_with_hook(include_str!("../../migrations/0006_authority.sql"), |tx| {
            let enrolled: bool =
                tx.query_row("SELECT EXISTS (SELECT 1 FROM trusted_hubs)", [], |r| {
                    r.get(0)
                })?;
            if enrolled {
                super::fold::refold(tx)
                    .map_err(|e| rusqlite_migration::HookError::Hook(e.to_string()))?;
            }
            Ok(())
        }),
    ])
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        super::migrations().validate().unwrap();
    }

    #[test]
    fn the_search_index_and_counts_are_filled_from_cases_already_there() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        let m = super::migrations();
        m.to_version(&mut conn, 3).unwrap();
        conn.execute(
            "INSERT INTO cases (id, unit, origin_unit, number, number_year, number_lane, number_seq,
                 received_on, dispute_type, source, mediation_type, facts, requests, amount_fen,
                 people_involved, petition_risk, criminal_risk, key_persons, status, search, opened_hlc)
             VALUES ('c1', 'u', 'u', 'n1', 2026, 0, 1, '2026-03-01', 'neighbour', 'applied', 'people',
                 '', '', 0, 2, 0, 0, '', 'registered', '张三丰与李四', 1)",
            [],
        )
        .unwrap();
        m.to_latest(&mut conn).unwrap();
        let found: i64 = conn
            .query_row(
                "SELECT count(*) FROM cases WHERE search_row IN
                   (SELECT rowid FROM case_search WHERE case_search MATCH '\"张三丰\"')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let counted: i64 = conn
            .query_row("SELECT sum(n) FROM case_counts", [], |r| r.get(0))
            .unwrap();
        assert_eq!((found, counted), (1, 1));
    }
}
