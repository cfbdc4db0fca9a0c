//! The databases the contract runs against: a SQLite file in a temporary
//! directory, or a PostgreSQL schema of its own that is dropped afterwards.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use tiaojie_server::store::HubStore;
use tiaojie_server::store::postgres::PgStore;
use tiaojie_server::store::sqlite::SqliteStore;

const DEFAULT_PG: &str = "postgres://postgres@127.0.0.1:5432/test";

enum Kind {
    Sqlite(tempfile::TempDir),
    Postgres { url: String, schema: String },
}

/// One hub database; `open` gives a new store instance on it each time.
pub struct Db {
    kind: Kind,
}

impl Db {
    pub fn sqlite() -> Db {
        Db {
            kind: Kind::Sqlite(tempfile::tempdir().unwrap()),
        }
    }

    /// A fresh schema in the test database (`TIAOJIE_TEST_PG`, or the local
    /// server).
    pub fn postgres(test: &str) -> Db {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let url = std::env::var("TIAOJIE_TEST_PG").unwrap_or_else(|_| DEFAULT_PG.into());
        let short: String = test.chars().take(32).collect();
        let schema = format!(
            "tj_{short}_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        Db {
            kind: Kind::Postgres { url, schema },
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self.kind, Kind::Postgres { .. })
    }

    pub async fn open(&self) -> Arc<dyn HubStore> {
        match &self.kind {
            Kind::Sqlite(dir) => {
                Arc::new(SqliteStore::open(dir.path().join("hub.sqlite3")).unwrap())
            }
            Kind::Postgres { url, schema } => {
                Arc::new(PgStore::connect_in_schema(url, schema).await.unwrap())
            }
        }
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        let Kind::Postgres { url, schema } = &self.kind else {
            return;
        };
        let (url, sql) = (
            url.clone(),
            format!("SET lock_timeout = '10s'; DROP SCHEMA IF EXISTS {schema} CASCADE"),
        );
        // Drop may run inside the test's runtime: use a thread of our own.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async {
                let (client, connection) =
                    tokio_postgres::connect(&url, tokio_postgres::NoTls).await?;
                tokio::spawn(connection);
                client.batch_execute(&sql).await
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("could not drop test schema {schema}: {dropped:?}");
        }
    }
}
