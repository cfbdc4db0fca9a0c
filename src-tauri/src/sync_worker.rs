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

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
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
    /// While a link that keeps dropping still moves data: what has got
    /// through ("网络不稳定，已上传 120/500 条，正在继续"), shown instead of
    /// an error.
    pub unstable: Option<String>,
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
    let mut retry: Option<engine::Retry> = None;
    // Pending uploads when the present run of failed syncs began.
    let mut streak_total: Option<i64> = None;
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
        let mut wait = INTERVAL;
        if enrolled.is_some() {
            let mark = |l: &Ledger| engine::progress_mark(l).unwrap_or_default();
            let retry = retry.get_or_insert_with(|| engine::Retry::new(mark(&ledger)));
            let total = *streak_total.get_or_insert(pending);
            if sync_round(&app, &status, &runtime, &mut ledger) {
                retry.succeeded(mark(&ledger));
                streak_total = None;
                publish(&app, &status, |s| s.unstable = None);
            } else {
                let (moved, next) = retry.failed(mark(&ledger));
                wait = next;
                if moved {
                    let left = engine::pending(&ledger).unwrap_or(0);
                    publish(&app, &status, |s| {
                        s.last_error = None;
                        s.online = true;
                        s.unstable = Some(unstable_text(total, left));
                    });
                } else {
                    publish(&app, &status, |s| s.unstable = None);
                }
            }
        }
        drop(ledger);
        match wake.recv_timeout(wait) {
            Ok(()) | Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        // Requests that piled up while syncing need only one round.
        while wake.try_recv().is_ok() {}
    }
}

/// What the sync bar says while a dropping link still moves data.
fn unstable_text(total: i64, left: i64) -> String {
    if total > 0 {
        format!(
            "网络不稳定，已上传 {}/{total} 条，正在继续",
            (total - left).clamp(0, total)
        )
    } else {
        "网络不稳定，正在继续接收上级的记录".into()
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
