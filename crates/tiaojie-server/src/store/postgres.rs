//! The hub store in PostgreSQL: for a hub that serves many devices, or runs
//! as several instances on one database. Migrations are applied on connect
//! under an advisory lock, so instances starting together take turns.

mod feed;
mod ingest;

/// The binary COPY that stores accepted events, and its columns' types in
/// order: the hub's own way in, and the benchmark's ceiling.
pub const EVENTS_COPY: &str = "COPY events (hub_seq, id, device_id, seq, hlc, kind, origin_unit, case_id, bytes, link, received_at)
     FROM STDIN BINARY";
pub const EVENTS_COPY_TYPES: [tokio_postgres::types::Type; 11] = {
    use tokio_postgres::types::Type;
    [
        Type::INT8,
        Type::UUID,
        Type::UUID,
        Type::INT8,
        Type::INT8,
        Type::TEXT,
        Type::TEXT,
        Type::UUID,
        Type::BYTEA,
        Type::TEXT,
        Type::TIMESTAMPTZ,
    ]
};
mod records;

use crate::error::{Result, ServerError};
use crate::store::{
    ChainRow, DeviceRecord, EnrollCode, FeedPage, FeedRequest, HubIdentity, HubStore,
    IncomingBatch, QuarantineRow, Waiting,
};
use chrono::{DateTime, Utc};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use std::collections::HashMap;
use std::sync::Arc;
use tiaojie_ledger::domain::unit::UnitSpec;
use tiaojie_sync::wire::{BatchAck, DeviceHead};
use tokio_postgres::NoTls;
use uuid::Uuid;

/// Numbered migrations, applied in order, each once.
const MIGRATIONS: &[(i32, &str)] = &[
    (1, include_str!("../../migrations/postgres/0001_hub.sql")),
    (
        2,
        include_str!("../../migrations/postgres/0002_retention.sql"),
    ),
    (
        3,
        include_str!("../../migrations/postgres/0003_committee.sql"),
    ),
];

/// Key of the advisory lock held while migrating ("tiaojie" in ASCII).
const MIGRATION_LOCK: i64 = 0x0074_6961_6f6a_6965;

const POOL_SIZE: usize = 16;

/// How many groups one instance stores at once. Two: while one group's
/// events are numbered, copied and committed (its commit waiting for the
/// disk), the next group is checked on another connection; the counter's
/// row lock still numbers them one after the other, as for two instances.
const WRITERS: usize = 2;

#[derive(Clone)]
pub struct PgStore {
    pool: Pool,
    /// Uploads waiting to be stored: whoever has the writer's turn next
    /// stores all of them in one transaction and answers each.
    waiting: Arc<std::sync::Mutex<Vec<Waiting>>>,
    /// Groups being stored at once by this hub instance (`WRITERS`).
    writers: Arc<tokio::sync::Semaphore>,
}

impl PgStore {
    /// Connects to `url` (`postgres://user@host:port/db`) and brings the
    /// schema up to date.
    pub async fn connect(url: &str) -> Result<Self> {
        Self::open(url, None).await
    }

    /// Like `connect`, with every table in `schema` (created if needed):
    /// several hubs, or tests, can share one database. The name must be
    /// lower-case letters, digits and underscores.
    pub async fn connect_in_schema(url: &str, schema: &str) -> Result<Self> {
        let valid = schema.len() <= 63
            && schema.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
            && schema
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid {
            return Err(ServerError::Config(format!(
                "数据库模式名“{schema}”无效（只能用小写字母、数字和下划线）"
            )));
        }
        Self::open(url, Some(schema)).await
    }

    async fn open(url: &str, schema: Option<&str>) -> Result<Self> {
        let mut config: tokio_postgres::Config = url.parse()?;
        if let Some(schema) = schema {
            // Set at connection start-up, so every pooled connection uses it.
            let options = match config.get_options() {
                Some(given) => format!("{given} -csearch_path={schema}"),
                None => format!("-csearch_path={schema}"),
            };
            config.options(options);
        }
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .build()
            .map_err(|e| ServerError::Config(format!("无法建立数据库连接池：{e}")))?;
        let store = PgStore {
            pool,
            waiting: Default::default(),
            writers: Arc::new(tokio::sync::Semaphore::new(WRITERS)),
        };
        store.migrate(schema).await?;
        Ok(store)
    }

    async fn migrate(&self, schema: Option<&str>) -> Result<()> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await?;
        if let Some(schema) = schema {
            tx.batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {schema}"))
                .await?;
        }
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                 version INTEGER PRIMARY KEY,
                 applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
             )",
        )
        .await?;
        let applied: i32 = tx
            .query_one(
                "SELECT coalesce(max(version), 0) FROM schema_migrations",
                &[],
            )
            .await?
            .try_get(0)?;
        let known = MIGRATIONS.last().map_or(0, |(v, _)| *v);
        if applied > known {
            return Err(ServerError::Config(format!(
                "数据库结构版本（{applied}）比本程序（{known}）新，请升级程序"
            )));
        }
        for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > applied) {
            tx.batch_execute(sql).await?;
            tx.execute(
                "INSERT INTO schema_migrations (version) VALUES ($1)",
                &[version],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn client(&self) -> Result<deadpool_postgres::Client> {
        Ok(self.pool.get().await?)
    }
}

#[async_trait::async_trait]
impl HubStore for PgStore {
    async fn identity(&self) -> Result<HubIdentity> {
        records::identity(&**self.client().await?).await
    }

    async fn units(&self) -> Result<Vec<UnitSpec>> {
        records::units(&**self.client().await?).await
    }

    async fn add_enroll_code(&self, code: &EnrollCode) -> Result<()> {
        records::add_enroll_code(&**self.client().await?, code).await
    }

    async fn enroll_codes(&self) -> Result<Vec<EnrollCode>> {
        records::enroll_codes(&**self.client().await?).await
    }

    async fn redeem_enroll_code(
        &self,
        code_hash: &str,
        device: &DeviceRecord,
        now: DateTime<Utc>,
    ) -> Result<DeviceRecord> {
        records::redeem_enroll_code(&mut self.client().await?, code_hash, device, now).await
    }

    async fn device(&self, id: Uuid) -> Result<Option<DeviceRecord>> {
        records::device(&**self.client().await?, id).await
    }

    async fn devices(&self) -> Result<Vec<DeviceRecord>> {
        records::devices(&**self.client().await?).await
    }

    async fn ensure_device(&self, device: &DeviceRecord) -> Result<()> {
        records::ensure_device(&**self.client().await?, device).await
    }

    async fn revoke_device(&self, id: Uuid, at: DateTime<Utc>) -> Result<bool> {
        records::revoke_device(&**self.client().await?, id, at).await
    }

    async fn head(&self, device_id: Uuid) -> Result<DeviceHead> {
        ingest::head(&**self.client().await?, device_id).await
    }

    /// Group commit: the upload joins the queue, and a task of its own
    /// (which a dropped request does not cancel) waits for the writer's
    /// turn and stores everything queued by then in one transaction.
    async fn ingest(&self, batch: &IncomingBatch) -> Result<BatchAck> {
        let (answer, answered) = tokio::sync::oneshot::channel();
        self.waiting
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((batch.clone(), answer));
        let store = self.clone();
        tokio::spawn(async move {
            let Ok(_turn) = store.writers.acquire().await else {
                return;
            };
            let group = std::mem::take(
                &mut *store
                    .waiting
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner),
            );
            // Empty: an earlier task took this upload into its group.
            if group.is_empty() {
                return;
            }
            let (batches, answers): (Vec<IncomingBatch>, Vec<_>) = group.into_iter().unzip();
            let refs: Vec<&IncomingBatch> = batches.iter().collect();
            let stored = match store.client().await {
                Ok(mut client) => ingest::ingest_group(&mut client, &refs, Utc::now()).await,
                Err(e) => Err(e),
            };
            crate::store::answer_group(answers, stored);
        });
        answered
            .await
            .unwrap_or_else(|_| Err(crate::store::unanswered()))
    }

    async fn feed(&self, request: &FeedRequest) -> Result<FeedPage> {
        feed::feed(&self.client().await?, request).await
    }

    async fn device_events(
        &self,
        device_id: Uuid,
        after_seq: i64,
        limit: u32,
    ) -> Result<Vec<(i64, Vec<u8>)>> {
        feed::device_events(&**self.client().await?, device_id, after_seq, limit).await
    }

    async fn quarantine(&self) -> Result<Vec<QuarantineRow>> {
        feed::quarantine(&**self.client().await?).await
    }

    async fn heads(&self) -> Result<Vec<DeviceHead>> {
        feed::heads(&**self.client().await?).await
    }

    async fn chain_rows(
        &self,
        device_id: Uuid,
        after_seq: i64,
        limit: u32,
    ) -> Result<Vec<ChainRow>> {
        feed::chain_rows(&**self.client().await?, device_id, after_seq, limit).await
    }

    async fn purged_cases(&self) -> Result<HashMap<Uuid, Uuid>> {
        feed::purged_cases(&**self.client().await?).await
    }

    async fn event_count(&self) -> Result<i64> {
        feed::event_count(&**self.client().await?).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_from_one_without_gaps() {
        for (i, (version, sql)) in MIGRATIONS.iter().enumerate() {
            assert_eq!(*version, i as i32 + 1);
            assert!(!sql.trim().is_empty());
        }
    }

    #[tokio::test]
    async fn schema_names_are_checked_before_connecting() {
        for bad in ["", "Public", "a-b", "x; DROP TABLE events", "1abc"] {
            let refused =
                PgStore::connect_in_schema("postgres://nobody@127.0.0.1:1/none", bad).await;
            assert!(
                matches!(refused, Err(ServerError::Config(_))),
                "{bad:?} accepted"
            );
        }
    }
}
