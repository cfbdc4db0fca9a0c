//! Sync in the background: a thread of its own with its own handle on the
//! ledger file, so that typing never waits for the network. It syncs when
//! asked and every minute, backs off after failures, and tells the window
//! how it stands through the `sync-status` event.

use serde::Serialize;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tauri::{AppHandle, Emitter, Runtime};
use tiaojie_ledger::Ledger;
use tiaojie_sync::engine::{self, Progress};

pub const EVENT: &str = "sync-status";
const INTERVAL: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SyncStatus {
    pub enrolled: bool,
    pub hub_url: Option<String>,
    /// The last attempt reached the hub.
    pub online: bool,
    pub syncing: bool,
    pub pending: i64,
    pub last_sync: Option<String>,
    pub last_error: Option<String>,
    pub progress: Option<Progress>,
    pub clock_warning: Option<String>,
    pub recovery_note: Option<String>,
}

#[derive(Clone)]
pub struct SyncHandle {
    status: Arc<Mutex<SyncStatus>>,
    trigger: Sender<()>,
}

impl SyncHandle {
    pub fn status(&self) -> SyncStatus {
        self.status.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Asks for a sync now; returns at once.
    pub fn request(&self) {
        let _ = self.trigger.send(());
    }
}

/// Starts the worker on `path`.
pub fn start<R: Runtime>(
    app: AppHandle<R>,
    path: PathBuf,
    key: crate::state::KeyCell,
) -> SyncHandle {
    let (trigger, wake) = channel();
    let status = Arc::new(Mutex::new(SyncStatus::default()));
    let handle = SyncHandle {
        status: status.clone(),
        trigger,
    };
    std::thread::Builder::new()
        .name("sync".into())
        .spawn(move || run(app, path, key, status, wake))
        .expect("the sync thread starts");
    handle
}

fn publish<R: Runtime>(
    app: &AppHandle<R>,
    status: &Arc<Mutex<SyncStatus>>,
    change: impl FnOnce(&mut SyncStatus),
) {
    let snapshot = {
        let Ok(mut s) = status.lock() else { return };
        change(&mut s);
        s.clone()
    };
    let _ = app.emit(EVENT, snapshot);
}

fn run<R: Runtime>(
    app: AppHandle<R>,
    path: PathBuf,
    key: crate::state::KeyCell,
    status: Arc<Mutex<SyncStatus>>,
    wake: Receiver<()>,
) {
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        publish(&app, &status, |s| {
            s.last_error = Some("无法启动同步".into())
        });
        return;
    };
    let mut failures = 0u32;
    loop {
        let mut ledger = match crate::state::open_ledger(&path, &key) {
            Ok(l) => l,
            // Encrypted and not unlocked yet: wait to be asked again.
            Err(e) if e.code() == "locked" => {
                let _ = wake.recv_timeout(INTERVAL);
                continue;
            }
            Err(e) => {
                publish(&app, &status, |s| {
                    s.last_error = Some(format!("无法打开台账：{e}"))
                });
                return;
            }
        };
        let enrolled = engine::enrollment(&ledger).ok().map(|e| e.url);
        let pending = engine::pending(&ledger).unwrap_or(0);
        let last_sync = ledger.sync_value(engine::KEY_LAST_SYNC).ok().flatten();
        publish(&app, &status, |s| {
            s.enrolled = enrolled.is_some();
            s.hub_url = enrolled.clone();
            s.pending = pending;
            s.last_sync = last_sync;
        });
        if enrolled.is_some() {
            failures = match sync_round(&app, &status, &runtime, &mut ledger) {
                true => 0,
                false => failures + 1,
            };
        }
        drop(ledger);
        let wait = if failures == 0 {
            INTERVAL
        } else {
            engine::backoff(failures)
        };
        match wake.recv_timeout(wait) {
            Ok(()) | Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        // Requests that piled up while syncing need only one round.
        while wake.try_recv().is_ok() {}
    }
}

fn sync_round<R: Runtime>(
    app: &AppHandle<R>,
    status: &Arc<Mutex<SyncStatus>>,
    runtime: &tokio::runtime::Runtime,
    ledger: &mut Ledger,
) -> bool {
    publish(app, status, |s| {
        s.syncing = true;
        s.progress = Some(Progress::default());
    });
    let result = runtime.block_on(async {
        let mut client = engine::client(ledger)?;
        let app = app.clone();
        let status = status.clone();
        let mut on_progress =
            move |p: &Progress| publish(&app, &status, |s| s.progress = Some(p.clone()));
        engine::sync_once(ledger, &mut client, &mut on_progress).await
    });
    let pending = engine::pending(ledger).unwrap_or(0);
    let last_sync = ledger.sync_value(engine::KEY_LAST_SYNC).ok().flatten();
    let ok = result.is_ok();
    publish(app, status, |s| {
        s.syncing = false;
        s.progress = None;
        s.pending = pending;
        s.last_sync = last_sync;
        match result {
            Ok(report) => {
                s.online = true;
                s.last_error = None;
                s.clock_warning = report.clock_warning;
                if report.recovery_note.is_some() {
                    s.recovery_note = report.recovery_note;
                }
            }
            Err(e) => {
                s.online = !e.is_transient();
                s.last_error = Some(e.to_string());
            }
        }
    });
    ok
}
