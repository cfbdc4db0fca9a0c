//! The one `AppState`, made in `setup()`: the window's handle on the ledger
//! file, and the sync worker's status and trigger.

use crate::error::{CmdResult, CommandError};
use crate::sync_worker::SyncHandle;
use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use tiaojie_ledger::Ledger;
use tiaojie_ledger::vault::{self, DataKey};

/// The data key of an encrypted ledger once unlocked, shared with the
/// background threads that open the file themselves.
pub type KeyCell = Arc<Mutex<Option<DataKey>>>;

/// Opens the ledger file with the key if it has been unlocked; an encrypted
/// ledger not yet unlocked gives the `locked` error.
pub fn open_ledger(path: &Path, key: &KeyCell) -> tiaojie_ledger::Result<Ledger> {
    let key = key.lock().unwrap_or_else(|p| p.into_inner()).clone();
    match key {
        Some(k) => Ledger::open_encrypted(path, &k),
        None => Ledger::open(path),
    }
}

/// The ledger as the window holds it: open, or an encrypted file waiting
/// for its passphrase (nothing open at all, not a stand-in).
pub enum Held {
    Locked,
    Open(Ledger),
}

/// The open ledger while a command holds it: the lock on `Held`, which is
/// `Open` for as long as the guard lives (only `AppState` changes it, under
/// the same lock).
pub struct LedgerGuard<'a>(MutexGuard<'a, Held>);

impl Deref for LedgerGuard<'_> {
    type Target = Ledger;
    fn deref(&self) -> &Ledger {
        match &*self.0 {
            Held::Open(l) => l,
            Held::Locked => unreachable!("a guard is only made over an open ledger"),
        }
    }
}

impl DerefMut for LedgerGuard<'_> {
    fn deref_mut(&mut self) -> &mut Ledger {
        match &mut *self.0 {
            Held::Open(l) => l,
            Held::Locked => unreachable!("a guard is only made over an open ledger"),
        }
    }
}

pub struct AppState {
    ledger: Mutex<Held>,
    pub path: PathBuf,
    pub sync: SyncHandle,
    pub key: KeyCell,
    /// The signed-in user, once the ledger has users.
    pub session: Mutex<Option<tiaojie_ledger::store::users::Session>>,
}

impl AppState {
    /// `ledger` is the open ledger, or `None` for an encrypted one that
    /// waits for its passphrase.
    pub fn new(
        ledger: Option<Ledger>,
        path: PathBuf,
        sync: SyncHandle,
        key: KeyCell,
    ) -> CmdResult<Self> {
        Ok(AppState {
            ledger: Mutex::new(ledger.map_or(Held::Locked, Held::Open)),
            path,
            sync,
            key,
            session: Mutex::new(None),
        })
    }

    fn held(&self) -> MutexGuard<'_, Held> {
        // A panic while holding the lock leaves the ledger as SQLite left it
        // (transactions roll back), so the guard is still good to use.
        self.ledger.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn is_locked(&self) -> bool {
        matches!(*self.held(), Held::Locked)
    }

    pub fn is_encrypted(&self) -> bool {
        vault::is_encrypted(&self.path)
    }

    /// Opens the encrypted ledger with the person's passphrase.
    pub fn unlock(&self, passphrase: &str) -> CmdResult<()> {
        let key = vault::unlock(&self.path, passphrase)?;
        let mut ledger = Ledger::open_encrypted(&self.path, &key)?;
        ledger.set_actor(crate::commands::setup::saved_actor(&ledger));
        *self.key.lock().unwrap_or_else(|p| p.into_inner()) = Some(key);
        *self.held() = Held::Open(ledger);
        self.sync.request();
        Ok(())
    }

    /// Encrypts the ledger file, before it holds anything (first run).
    pub fn encrypt(&self, passphrase: &str) -> CmdResult<()> {
        let mut held = self.held();
        let Held::Open(ledger) = &*held else {
            return Err(CommandError::new("locked", "台账已加密，请先输入口令解锁"));
        };
        if ledger.device().is_ok() || self.is_encrypted() {
            return Err(CommandError::new(
                "invalid_state",
                "台账已经建立，不能在此时加密",
            ));
        }
        // The file must not be open while it is replaced: closed, under the
        // lock, until the encrypted file is open.
        *held = Held::Locked;
        let key = match vault::encrypt_file(&self.path, passphrase) {
            Ok(key) => key,
            Err(e) => {
                // Back to the plain file, so that the app goes on working.
                if let Ok(plain) = Ledger::open(&self.path) {
                    *held = Held::Open(plain);
                }
                return Err(e.into());
            }
        };
        *held = Held::Open(Ledger::open_encrypted(&self.path, &key)?);
        *self.key.lock().unwrap_or_else(|p| p.into_inner()) = Some(key);
        Ok(())
    }

    pub fn session(&self) -> Option<tiaojie_ledger::store::users::Session> {
        self.session
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The ledger, for a command that needs `p` of the signed-in user's role
    /// (single-user mode, before any user exists, allows everything).
    pub fn ledger_for(
        &self,
        p: tiaojie_ledger::domain::roles::Permission,
    ) -> CmdResult<LedgerGuard<'_>> {
        let ledger = self.ledger()?;
        ledger.require(self.session().as_ref(), p)?;
        Ok(ledger)
    }

    pub fn ledger(&self) -> CmdResult<LedgerGuard<'_>> {
        let held = self.held();
        match *held {
            Held::Open(_) => Ok(LedgerGuard(held)),
            Held::Locked => Err(CommandError::new("locked", "台账已加密，请先输入口令解锁")),
        }
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
        tiaojie_ledger::location::LEDGER_FILE
    };
    Ok(dir.join(name))
}
