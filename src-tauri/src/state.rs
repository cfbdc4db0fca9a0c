//! The one `AppState`, made in `setup()`: the window's handle on the ledger
//! file, and the sync worker's status and trigger.

use crate::error::{CmdResult, CommandError};
use crate::sync_worker::SyncHandle;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};
use tiaojie_ledger::Ledger;

pub struct AppState {
    ledger: Mutex<Ledger>,
    pub path: PathBuf,
    pub sync: SyncHandle,
}

impl AppState {
    pub fn new(ledger: Ledger, path: PathBuf, sync: SyncHandle) -> Self {
        AppState {
            ledger: Mutex::new(ledger),
            path,
            sync,
        }
    }

    pub fn ledger(&self) -> CmdResult<MutexGuard<'_, Ledger>> {
        // A panic while holding the lock leaves the ledger as SQLite left it
        // (transactions roll back), so the guard is still good to use.
        Ok(self
            .ledger
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()))
    }
}

/// Where the ledger file lives: `TIAOJIE_DB` if set (tests, a second
/// ledger), else the app data directory; debug builds use another file so
/// that development never touches real records.
pub fn ledger_path(data_dir: Option<PathBuf>) -> CmdResult<PathBuf> {
    if let Some(p) = std::env::var_os("TIAOJIE_DB") {
        return Ok(PathBuf::from(p));
    }
    let dir = data_dir.ok_or_else(|| CommandError::new("io", "找不到存放台账的数据目录"))?;
    std::fs::create_dir_all(&dir)
        .map_err(|e| CommandError::new("io", format!("无法创建数据目录 {}：{e}", dir.display())))?;
    let name = if cfg!(debug_assertions) {
        "ledger-dev.sqlite3"
    } else {
        "ledger.sqlite3"
    };
    Ok(dir.join(name))
}
