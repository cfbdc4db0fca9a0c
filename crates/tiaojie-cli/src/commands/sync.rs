//! `tiaojie sync`: enroll this ledger with a hub and move its events.

use super::hub::runtime;
use crate::cli::{SyncArgs, SyncCommand};
use crate::error::{CliError, CliResult};
use crate::output::Output;
use serde_json::json;
use std::time::Duration;
use tiaojie_ledger::Ledger;
use tiaojie_ledger::store::users::Session;
use tiaojie_sync::engine::{self, SyncReport};

/// Uploads a bundle to `hub`; needs no ledger of its own.
pub fn import_bundle(file: &std::path::Path, hub: &str, out: Output) -> CliResult<()> {
    let bytes = std::fs::read(file)
        .map_err(|e| CliError::input("file", format!("无法读取同步包“{}”：{e}", file.display())))?;
    let acks = runtime()?.block_on(engine::import_bundle(hub, &bytes))?;
    let stored: u32 = acks.iter().map(|a| a.stored).sum();
    let duplicates: u32 = acks.iter().map(|a| a.duplicates).sum();
    let quarantined: Vec<_> = acks
        .iter()
        .flat_map(|a| a.quarantined.iter().cloned())
        .collect();
    let summary = json!({"batches": acks.len(), "stored": stored, "duplicates": duplicates, "quarantined": quarantined});
    out.emit(&summary, |_| {
        let mut s = format!("同步包已上传：新接收 {stored} 条，已有 {duplicates} 条\n");
        for q in &quarantined {
            s.push_str(&format!("第{}条未被接收：{}\n", q.seq, q.reason));
        }
        s
    })
}

pub fn run(
    ledger: &mut Ledger,
    session: Option<&Session>,
    args: SyncArgs,
    out: Output,
) -> CliResult<()> {
    match args.command.unwrap_or(SyncCommand::Once) {
        SyncCommand::ExportBundle { file } => {
            let (bytes, summary) = engine::export_bundle_for(ledger, session)?;
            std::fs::write(&file, &bytes)
                .map_err(|e| CliError::Io(format!("无法写入“{}”：{e}", file.display())))?;
            out.emit(&summary, |s| {
                format!(
                    "已写入同步包 {}：{} 条记录（第{}至{}条），{} 字节\n请拷到U盘，在任一联网电脑上运行 tiaojie sync import-bundle 导入",
                    file.display(),
                    s.events,
                    s.first_seq,
                    s.last_seq,
                    s.bytes
                )
            })
        }
        SyncCommand::ImportBundle { file, hub } => {
            let hub = match hub {
                Some(h) => h,
                None => engine::enrollment(ledger)?.url,
            };
            import_bundle(&file, &hub, out)
        }
        SyncCommand::Enroll {
            hub,
            code,
            label,
            ca,
            allow_http,
        } => {
            let device = ledger.device()?;
            let label = label.unwrap_or_else(|| format!("{} 的电脑", device.unit_code));
            let ca_pem = match &ca {
                Some(path) => Some(std::fs::read_to_string(path).map_err(|e| {
                    CliError::input("ca", format!("无法读取证书文件“{}”：{e}", path.display()))
                })?),
                None => None,
            };
            let transport = tiaojie_sync::client::Transport { ca_pem, allow_http };
            let response = runtime()?.block_on(engine::enroll_ledger_with(
                ledger, &hub, &code, &label, &transport,
            ))?;
            // The unit tree comes with the feed: take it now, so a laptop
            // enrolled in town can escalate once back in the village
            // without network. Enrolment stands if this fails.
            let pulled = runtime()?.block_on(async {
                let mut client = engine::client(ledger)?;
                engine::pull(ledger, &mut client, &mut |_| {}).await
            });
            let units: Vec<_> = ledger
                .units()?
                .into_iter()
                .map(|u| json!({"code": u.spec.code, "name": u.spec.name}))
                .collect();
            let mut summary = serde_json::to_value(&response)
                .map_err(|e| CliError::Io(format!("无法输出注册结果：{e}")))?;
            summary["units"] = json!(units);
            summary["units_error"] = json!(pulled.as_ref().err().map(|e| e.to_string()));
            out.emit(&summary, |_| {
                let mut s = format!(
                    "已注册到同步中心：本机属于 {}（{}）\n",
                    response.unit.name, response.unit.code
                );
                match &pulled {
                    Ok(_) => {
                        let names: Vec<_> = units
                            .iter()
                            .filter_map(|u| u["name"].as_str())
                            .collect();
                        s.push_str(&format!(
                            "已取回单位 {} 个：{}\n",
                            names.len(),
                            names.join("、")
                        ));
                    }
                    Err(e) => s.push_str(&format!(
                        "单位名单未能取回（{e}）：联网后运行一次 tiaojie sync 即可，取回前不能上交案件\n"
                    )),
                }
                s
            })?;
            Ok(())
        }
        SyncCommand::Once => {
            let report = runtime()?.block_on(once(ledger, out))?;
            out.emit(&report, report_text)?;
            Ok(())
        }
        SyncCommand::Loop { interval, rounds } => runtime()?.block_on(sync_loop(
            ledger,
            Duration::from_secs(interval),
            rounds,
            out,
        )),
        SyncCommand::Status => {
            let enrolled = engine::enrollment(ledger).ok().map(|e| e.url);
            let status = json!({
                "hub": enrolled,
                "pending": engine::pending(ledger)?,
                "last_sync": ledger.sync_value(engine::KEY_LAST_SYNC)?,
                "cursor": ledger.sync_value(engine::KEY_CURSOR)?,
            });
            out.emit(&status, |s| {
                format!(
                    "同步中心：{}\n待上传事件：{}\n上次同步：{}\n",
                    s["hub"].as_str().unwrap_or("未注册"),
                    s["pending"],
                    s["last_sync"].as_str().unwrap_or("从未同步")
                )
            })?;
            Ok(())
        }
    }
}

async fn once(ledger: &mut Ledger, out: Output) -> CliResult<SyncReport> {
    let mut client = engine::client(ledger)?;
    let mut progress = |p: &engine::Progress| {
        if !out.json {
            eprintln!(
                "上传 {} 条（{} 字节），下载 {} 条（{} 字节）",
                p.events_up, p.bytes_up, p.events_down, p.bytes_down
            );
        }
    };
    Ok(engine::sync_once(ledger, &mut client, &mut progress).await?)
}

fn report_text(r: &SyncReport) -> String {
    let mut s = format!(
        "同步完成：上传 {} 条，下载 {} 条\n",
        r.progress.events_up, r.progress.events_down
    );
    for q in &r.quarantined {
        s.push_str(&format!("第{}条未被同步中心接收：{}\n", q.seq, q.reason));
    }
    if let Some(n) = &r.recovery_note {
        s.push_str(&format!("注意：{n}\n"));
    }
    if let Some(w) = &r.clock_warning {
        s.push_str(&format!("注意：{w}\n"));
    }
    s
}

/// Syncs every `interval`. After a failed sync that still moved data (a
/// link that drops every few seconds) it goes on at once; only while
/// nothing moves does it wait, with exponential backoff and jitter (2 s
/// doubling up to 5 minutes), so that many devices coming back online
/// together do not all call at once.
async fn sync_loop(
    ledger: &mut Ledger,
    interval: Duration,
    rounds: Option<u32>,
    out: Output,
) -> CliResult<()> {
    let mut retry = engine::Retry::new(engine::progress_mark(ledger)?);
    let mut done = 0u32;
    loop {
        match once(ledger, out).await {
            Ok(report) => {
                retry.succeeded(engine::progress_mark(ledger)?);
                done += 1;
                out.emit(&report, report_text)?;
                if rounds.is_some_and(|r| done >= r) {
                    return Ok(());
                }
                tokio::time::sleep(interval).await;
            }
            Err(e) => {
                let (moved, wait) = retry.failed(engine::progress_mark(ledger)?);
                if moved {
                    eprintln!(
                        "网络不稳定（{e}），已有进展，继续同步：待上传 {} 条",
                        engine::pending(ledger)?
                    );
                } else {
                    eprintln!("同步失败（{e}），{} 秒后重试", wait.as_secs());
                }
                tokio::time::sleep(wait).await;
            }
        }
    }
}
