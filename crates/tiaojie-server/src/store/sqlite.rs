//! The hub store in one SQLite file: for a small hub (a police station, a
//! township) on one machine. One connection behind a mutex is the single
//! writer; its blocking work runs on tokio's blocking pool.

mod feed;
mod ingest;
mod records;

use crate::error::{Result, ServerError};
use crate::store::{
    ChainRow, DeviceRecord, EnrollCode, FeedPage, FeedRequest, HubIdentity, HubStore,
    IncomingBatch, QuarantineRow, Waiting,
};
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use tiaojie_ledger::domain::unit::UnitSpec;
use tiaojie_sync::wire::{BatchAck, DeviceHead};
use uuid::Uuid;

const STEPS: &[M<'static>] = &[
    M::up(include_str!("../../migrations/sqlite/0001_hub.sql")),
    M::up(include_str!("../../migrations/sqlite/0002_retention.sql")),
    M::up(include_str!(
        "../../migrations/sqlite/0003_cases_by_key.sql"
    )),
    M::up(include_str!("../../migrations/sqlite/0004_committee.sql")),
];

fn migrations() -> Migrations<'static> {
    Migrations::from_slice(STEPS)
}

#[derive(Clone)]
pub struct SqliteStore {
    conn: Arc<Mutex<Connection>>,
    /// Uploads waiting for the connection: whoever gets it next stores them
    /// all in one transaction (one fsync) and answers each.
    waiting: Arc<Mutex<Vec<Waiting>>>,
    /// None for a database in memory (it has no WAL).
    checkpointer: Option<Arc<Checkpointer>>,
}

/// Copies the WAL back into the database file on a thread and connection of
/// its own, after commits: a passive checkpoint, which never blocks the
/// writer, so an upload's acknowledgement waits for its own commit and not
/// for the copying of earlier ones. It stops when the store is dropped.
struct Checkpointer {
    wake: std::sync::mpsc::SyncSender<()>,
}

impl Checkpointer {
    fn start(conn: Connection) -> Result<Self> {
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let (wake, woken) = std::sync::mpsc::sync_channel::<()>(1);
        std::thread::Builder::new()
            .name("hub-checkpoint".into())
            .spawn(move || {
                while woken.recv().is_ok() {
                    // A failed checkpoint leaves the WAL as it was; the next
                    // commit wakes the checkpointer again, and the writer's
                    // own bound still holds.
                    if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
                    {
                        tracing::warn!("同步中心的数据库检查点失败：{e}");
                    }
                }
            })
            .map_err(|e| ServerError::Config(format!("无法启动数据库检查点线程：{e}")))?;
        Ok(Checkpointer { wake })
    }

    /// After a commit: a checkpoint already asked for covers this one too.
    fn nudge(&self) {
        let _ = self.wake.try_send(());
    }
}

/// Where an encrypted hub database's passphrase comes from.
pub const PASSPHRASE_VAR: &str = "TIAOJIE_HUB_PASSPHRASE";

impl SqliteStore {
    /// Opens (creating if needed) the hub's database file: WAL journal, full
    /// fsync on commit, migrations applied; an encrypted one (with its key
    /// file beside it) takes its passphrase from `TIAOJIE_HUB_PASSPHRASE`.
    /// The WAL is copied back into the file by a checkpointer of its own
    /// (see `Checkpointer`), not by the upload that happens to cross its
    /// threshold.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let key = if tiaojie_ledger::vault::is_encrypted(path) {
            let passphrase = std::env::var(PASSPHRASE_VAR)
                .ok()
                .filter(|p| !p.is_empty())
                .ok_or_else(|| {
                    ServerError::Config(format!(
                        "同步中心的数据库 {} 已加密：请用环境变量 {PASSPHRASE_VAR} 提供口令",
                        path.display()
                    ))
                })?;
            Some(
                tiaojie_ledger::vault::unlock(path, &passphrase)
                    .map_err(|e| ServerError::Config(format!("无法打开同步中心的数据库：{e}")))?,
            )
        } else {
            None
        };
        let connect = || -> Result<Connection> {
            let conn = Connection::open(path)?;
            if let Some(key) = &key {
                key.apply_to(&conn)
                    .map_err(|e| ServerError::Config(format!("无法打开同步中心的数据库：{e}")))?;
            }
            Ok(conn)
        };
        let conn = connect()?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // The writer checkpoints only if the checkpointer falls far behind
        // (64k pages, 256 MiB of WAL at 4 KiB pages): the bound on the WAL.
        conn.pragma_update(None, "wal_autocheckpoint", 65_536)?;
        let mut store = Self::setup(conn)?;
        store.checkpointer = Some(Arc::new(Checkpointer::start(connect()?)?));
        Ok(store)
    }

    pub fn open_in_memory() -> Result<Self> {
        Self::setup(Connection::open_in_memory()?)
    }

    fn setup(mut conn: Connection) -> Result<Self> {
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // A purged case's bytes are overwritten, not just unlinked.
        conn.pragma_update(None, "secure_delete", "ON")?;
        // 64 MiB of pages kept in memory (SQLite's default is 2 MiB): the
        // log's indexes that every upload writes to, and the feed's pages.
        conn.pragma_update(None, "cache_size", -65_536)?;
        // Each upload of a group runs in a savepoint, whose journal of the
        // pages it changes is kept in memory rather than in a temporary file.
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        migrations().to_latest(&mut conn)?;
        Ok(SqliteStore {
            conn: Arc::new(Mutex::new(conn)),
            waiting: Arc::new(Mutex::new(Vec::new())),
            checkpointer: None,
        })
    }

    /// Runs `work` on the connection, off the async threads.
    async fn run<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || {
            // A panic inside a transaction rolled it back when it unwound,
            // so the connection behind a poisoned lock is still sound.
            let mut conn = conn.lock().unwrap_or_else(PoisonError::into_inner);
            work(&mut conn)
        })
        .await?
    }
}

#[async_trait::async_trait]
impl HubStore for SqliteStore {
    async fn identity(&self) -> Result<HubIdentity> {
        self.run(records::identity).await
    }

    async fn units(&self) -> Result<Vec<UnitSpec>> {
        self.run(|c| records::units(c)).await
    }

    async fn add_enroll_code(&self, code: &EnrollCode) -> Result<()> {
        let code = code.clone();
        self.run(move |c| records::add_enroll_code(c, &code)).await
    }

    async fn enroll_codes(&self) -> Result<Vec<EnrollCode>> {
        self.run(|c| records::enroll_codes(c)).await
    }

    async fn redeem_enroll_code(
        &self,
        code_hash: &str,
        device: &DeviceRecord,
        now: DateTime<Utc>,
    ) -> Result<DeviceRecord> {
        let (code_hash, device) = (code_hash.to_string(), device.clone());
        self.run(move |c| records::redeem_enroll_code(c, &code_hash, &device, now))
            .await
    }

    async fn device(&self, id: Uuid) -> Result<Option<DeviceRecord>> {
        self.run(move |c| records::device(c, id)).await
    }

    async fn devices(&self) -> Result<Vec<DeviceRecord>> {
        self.run(|c| records::devices(c)).await
    }

    async fn ensure_device(&self, device: &DeviceRecord) -> Result<()> {
        let device = device.clone();
        self.run(move |c| records::ensure_device(c, &device)).await
    }

    async fn revoke_device(&self, id: Uuid, at: DateTime<Utc>) -> Result<bool> {
        self.run(move |c| records::revoke_device(c, id, at)).await
    }

    async fn head(&self, device_id: Uuid) -> Result<DeviceHead> {
        self.run(move |c| ingest::head(c, device_id)).await
    }

    /// Group commit: the upload joins the queue, and the next task to get
    /// the connection stores everything queued by then in one transaction.
    /// While one group's commit waits for the disk, the uploads arriving
    /// meanwhile gather into the next group.
    async fn ingest(&self, batch: &IncomingBatch) -> Result<BatchAck> {
        let (answer, answered) = tokio::sync::oneshot::channel();
        self.waiting
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((batch.clone(), answer));
        let waiting = Arc::clone(&self.waiting);
        let checkpointer = self.checkpointer.clone();
        self.run(move |c| {
            let group =
                std::mem::take(&mut *waiting.lock().unwrap_or_else(PoisonError::into_inner));
            // Empty: an earlier task took this upload into its group.
            if group.is_empty() {
                return Ok(());
            }
            let (batches, answers): (Vec<IncomingBatch>, Vec<_>) = group.into_iter().unzip();
            let refs: Vec<&IncomingBatch> = batches.iter().collect();
            crate::store::answer_group(answers, ingest::ingest_group(c, &refs, Utc::now()));
            if let Some(checkpointer) = checkpointer {
                checkpointer.nudge();
            }
            Ok(())
        })
        .await?;
        answered
            .await
            .unwrap_or_else(|_| Err(crate::store::unanswered()))
    }

    async fn feed(&self, request: &FeedRequest) -> Result<FeedPage> {
        let request = request.clone();
        self.run(move |c| feed::feed(c, &request)).await
    }

    async fn device_events(
        &self,
        device_id: Uuid,
        after_seq: i64,
        limit: u32,
    ) -> Result<Vec<(i64, Vec<u8>)>> {
        self.run(move |c| feed::device_events(c, device_id, after_seq, limit))
            .await
    }

    async fn quarantine(&self) -> Result<Vec<QuarantineRow>> {
        self.run(|c| feed::quarantine(c)).await
    }

    async fn heads(&self) -> Result<Vec<DeviceHead>> {
        self.run(|c| feed::heads(c)).await
    }

    async fn chain_rows(
        &self,
        device_id: Uuid,
        after_seq: i64,
        limit: u32,
    ) -> Result<Vec<ChainRow>> {
        self.run(move |c| feed::chain_rows(c, device_id, after_seq, limit))
            .await
    }

    async fn purged_cases(&self) -> Result<HashMap<Uuid, Uuid>> {
        self.run(|c| feed::purged_cases(c)).await
    }

    async fn event_count(&self) -> Result<i64> {
        self.run(|c| feed::event_count(c)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        migrations().validate().unwrap();
    }

    #[tokio::test]
    async fn a_new_store_starts_empty_with_a_zero_head() {
        let store = SqliteStore::open_in_memory().unwrap();
        assert_eq!(store.event_count().await.unwrap(), 0);
        let head = store.head(Uuid::nil()).await.unwrap();
        assert_eq!((head.acked_seq, head.last_hash.len()), (0, 64));
        assert!(head.last_hash.bytes().all(|b| b == b'0'));
    }
}
