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
        // An enrolled ledger folds again under the authority rules: once
        // every migration is done (the fold is the latest one's), as a
        // fold a download left pending is.
        M::up_with_hook(include_str!("../../migrations/0006_authority.sql"), |tx| {
            let enrolled: bool =
                tx.query_row("SELECT EXISTS (SELECT 1 FROM trusted_hubs)", [], |r| {
                    r.get(0)
                })?;
            if enrolled {
                tx.execute_batch(
                    "CREATE TABLE IF NOT EXISTS fold_pending (id INTEGER PRIMARY KEY CHECK (id = 1)) STRICT;
                     INSERT OR IGNORE INTO fold_pending (id) VALUES (1);",
                )?;
            }
            Ok(())
        }),
        // A lean file: the projection's tables keyed as they are read, the
        // search index without a copy of the text, the events packed.
        M::up_with_hook(include_str!("../../migrations/0007_lean.sql"), |tx| {
            super::packed::register_functions(tx)?;
            tx.execute_batch(include_str!("../../migrations/0007_events.sql"))?;
            Ok(super::fold::rebuild_derived(tx)?)
        }),
        M::up(include_str!("../../migrations/0008_committee.sql")),
        M::up(include_str!("../../migrations/0009_attachments.sql")),
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
                   (SELECT rowid FROM case_search WHERE search LIKE '%张三丰%')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let counted: i64 = conn
            .query_row("SELECT sum(n) FROM case_counts", [], |r| r.get(0))
            .unwrap();
        assert_eq!((found, counted), (1, 1));
    }

    #[test]
    fn a_ledger_of_version_6_is_packed_and_keeps_every_row_and_its_search() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        let m = super::migrations();
        m.to_version(&mut conn, 6).unwrap();
        let raw = r#"{"id":"e1","body":{"kind":"case_opened","facts":"宅基地围墙"}}"#;
        let (event, device, case) = (
            "01a2455f-64e8-7229-8418-209ab888e259",
            "01a2455f-64db-73cd-8127-1f4304914a4a",
            "0ca71a74-d873-87a1-bb67-8b3a0807b3d6",
        );
        let link = "ab".repeat(32);
        conn.execute_batch(&format!(
            "INSERT INTO events (id, device, seq, hlc, schema, unit, actor, kind, case_id, raw, link, received_at)
             VALUES ('{event}', '{device}', 1, 7, 2, 'u', NULL, 'case_opened', '{case}', '{raw}', '{link}',
                     '2026-03-02T08:00:01.5+00:00');
             INSERT INTO cases (id, unit, origin_unit, number, number_year, number_lane, number_seq,
                 received_on, dispute_type, source, mediation_type, facts, requests, amount_fen,
                 people_involved, petition_risk, criminal_risk, key_persons, status, search, opened_hlc)
             VALUES ('{case}', 'u', 'u', '（2026）青山村人调字第7号', 2026, 0, 7, '2026-03-01', 'neighbour',
                 'application', 'people', '宅基地围墙倒塌', '赔偿损失', 0, 2, 0, 0, '村支书',
                 'registered',
                 '（2026）青山村人调字第7号' || char(10) || '宅基地围墙倒塌' || char(10) || '赔偿损失'
                   || char(10) || '村支书' || char(10) || '张三丰' || char(10) || '430302196001010005',
                 7);
             INSERT INTO parties (case_id, idx, side, name, id_number) VALUES
                 ('{case}', 0, 'applicant', '张三丰', '430302196001010005'),
                 ('{case}', 1, 'respondent', '李四', NULL);
             INSERT INTO gradings VALUES ('e2', '{case}', 'red', '排查', '2026-03-01', 'u', NULL, 8);
             INSERT INTO outcomes VALUES ('{event}', 1, NULL), ('e2', 1, '案号重复，已改号'), ('e3', 0, '无权');"
        ))
        .unwrap();
        m.to_latest(&mut conn).unwrap();

        super::super::packed::register_functions(&conn).unwrap();
        let (json, at, ids, stored_link): (String, i64, String, Vec<u8>) = conn
            .query_row(
                "SELECT event_json(raw), received_at,
                        uuid_text(id) || ' ' || uuid_text(device) || ' ' || uuid_text(case_id), link
                 FROM events WHERE id = uuid_blob(?1)",
                [event],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        assert_eq!(json, raw, "the event's bytes are kept exactly");
        assert_eq!(ids, format!("{event} {device} {case}"));
        assert_eq!(stored_link, vec![0xab; 32]);
        let expected = chrono::DateTime::parse_from_rfc3339("2026-03-02T08:00:01.5+00:00").unwrap();
        assert_eq!(at, expected.timestamp_millis());
        let search: String = conn
            .query_row("SELECT search FROM cases", [], |r| r.get(0))
            .unwrap();
        assert_eq!(
            search, "村支书\n张三丰\n430302196001010005",
            "only what the row has nowhere else"
        );
        let found = |text: &str| -> i64 {
            conn.query_row(
                "SELECT count(*) FROM cases WHERE search_row IN
                   (SELECT rowid FROM case_search WHERE search LIKE ?1)",
                [format!("%{text}%")],
                |r| r.get(0),
            )
            .unwrap()
        };
        for text in [
            "人调字第7号",
            "围墙倒塌",
            "赔偿损失",
            "村支书",
            "张三丰",
            "196001010005",
        ] {
            assert_eq!(found(text), 1, "{text}");
        }
        assert_eq!(found("李四王五"), 0);
        conn.execute(
            "INSERT INTO case_search (case_search, rank) VALUES ('integrity-check', 1)",
            [],
        )
        .unwrap();
        let rows: (i64, i64, i64) = conn
            .query_row(
                "SELECT (SELECT count(*) FROM parties), (SELECT count(*) FROM gradings),
                        (SELECT count(*) FROM outcomes)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(
            rows,
            (2, 1, 2),
            "an outcome with nothing to say is not kept"
        );
        // The log is still append-only.
        assert!(conn.execute("UPDATE events SET seq = 2", []).is_err());
        assert!(conn.execute("DELETE FROM events", []).is_err());
    }
}
