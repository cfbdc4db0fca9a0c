//! `tiaojie server` and `tiaojie admin`: the hub, run and administered from
//! the command line. Neither touches a local ledger.

use crate::cli::{AdminArgs, AdminCommand, DeviceCommand, HubUnitCommand, ServerArgs};
use crate::error::{CliError, CliResult};
use crate::output::Output;
use serde_json::json;
use tiaojie_ledger::domain::unit::UnitSpec;
use tiaojie_server::config::ServerConfig;
use tiaojie_server::serve;
use tiaojie_server::state::Limits;

pub fn runtime() -> CliResult<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Io(format!("无法启动异步运行时：{e}")))
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tower_http=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

pub fn server(args: ServerArgs) -> CliResult<()> {
    let mut config = match &args.config {
        Some(path) => ServerConfig::load(path)?,
        None => ServerConfig::default(),
    };
    if let Some(listen) = args.listen {
        config.listen = listen;
    }
    if let Some(database) = args.database {
        config.database = database;
    }
    init_logging();
    runtime()?.block_on(serve::run(config))?;
    Ok(())
}

pub fn admin(args: AdminArgs, out: Output) -> CliResult<()> {
    if matches!(args.command, AdminCommand::EncryptDb) {
        return encrypt_db(&args.database, out);
    }
    runtime()?.block_on(async move {
        let store = serve::open_store(&args.database).await?;
        let state = serve::state(store, Limits::default()).await?;
        match args.command {
            AdminCommand::Unit(HubUnitCommand::Add { code, name, short_name, level, parent, committee }) => {
                let unit = UnitSpec::new(&code, &name, short_name.as_deref(), level, parent.as_deref())
                    .with_committee(committee.as_deref());
                tiaojie_server::admin::add_unit(&state, unit.clone()).await?;
                out.emit(&json!({"ok": true, "unit": unit}), |_| format!("已登记单位：{}（{}）", unit.name, unit.code))?;
            }
            AdminCommand::Unit(HubUnitCommand::List) => {
                let units = state.store.units().await?;
                out.emit(&units, |units| {
                    units
                        .iter()
                        .map(|u| {
                            format!(
                                "{}  {}（{}）  上级：{}\n",
                                u.code,
                                u.name,
                                tiaojie_ledger::domain::unit::level_label(u.level),
                                u.parent.as_deref().unwrap_or("无")
                            )
                        })
                        .collect()
                })?;
            }
            AdminCommand::EnrollCode(a) => {
                let (code, record) =
                    tiaojie_server::admin::create_enroll_code(state.store.as_ref(), &a.unit, a.hours).await?;
                let link = a.hub_url.as_deref().map(|hub| format!("tiaojie://enroll?hub={hub}&code={code}"));
                let qr = qr_text(link.as_deref().unwrap_or(&code));
                out.emit(
                    &json!({"code": code, "unit": record.unit, "expires_at": record.expires_at, "link": link}),
                    |_| {
                        format!(
                            "注册码：{code}\n单位：{}\n有效期至：{}（只能使用一次）\n{qr}",
                            record.unit,
                            record.expires_at.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M")
                        )
                    },
                )?;
            }
            AdminCommand::Verify => {
                let report = tiaojie_server::verify::verify_store(state.store.as_ref()).await?;
                if let Some(first) = report.broken.first() {
                    return Err(CliError::Integrity(format!(
                        "同步中心保存的设备 {} 的哈希链在第 {} 条记录处断开：{}（共 {} 台设备有问题）",
                        first.device_id,
                        first.seq,
                        first.message,
                        report.broken.len()
                    )));
                }
                out.emit(&report, |r| {
                    format!(
                        "同步中心的记录完好：{} 台设备共 {} 条记录的哈希链完整（其中 {} 条已按保管期限清除内容）",
                        r.devices, r.checked, r.redacted
                    )
                })?;
            }
            AdminCommand::Device(DeviceCommand::List) => {
                let devices = state.store.devices().await?;
                out.emit(&devices, |devices| {
                    devices
                        .iter()
                        .map(|d| {
                            let status = if d.revoked_at.is_some() { "已停用" } else { "正常" };
                            format!("{}  {}  {}  {}\n", d.id, d.unit, d.label, status)
                        })
                        .collect()
                })?;
            }
            AdminCommand::Device(DeviceCommand::Revoke { id }) => {
                let id = uuid::Uuid::parse_str(id.trim())
                    .map_err(|_| CliError::input("id", format!("设备编号“{id}”格式不对")))?;
                if !state.store.revoke_device(id, chrono::Utc::now()).await? {
                    return Err(CliError::input("id", format!("没有编号为 {id} 的设备")));
                }
                out.emit(&json!({"ok": true, "revoked": id}), |_| format!("已停用设备 {id}"))?;
            }
            AdminCommand::Quarantine => {
                let rows = state.store.quarantine().await?;
                out.emit(&rows, |rows| {
                    if rows.is_empty() {
                        return "没有被隔离的事件\n".into();
                    }
                    rows.iter().map(|q| format!("{} 第{}条：{}\n", q.device_id, q.seq, q.reason)).collect()
                })?;
            }
            AdminCommand::EncryptDb => unreachable!("handled before the store is opened"),
        }
        Ok::<(), CliError>(())
    })
}

/// A QR code drawn with block characters, two rows per line.
fn qr_text(content: &str) -> String {
    let Ok(code) = qrcode::QrCode::new(content.as_bytes()) else {
        return String::new();
    };
    let width = code.width();
    let dark = |x: isize, y: isize| {
        x >= 0
            && y >= 0
            && (x as usize) < width
            && (y as usize) < width
            && code[(x as usize, y as usize)] == qrcode::Color::Dark
    };
    let mut out = String::new();
    let quiet = 2isize;
    let mut y = -quiet;
    while y < width as isize + quiet {
        for x in -quiet..width as isize + quiet {
            out.push(match (dark(x, y), dark(x, y + 1)) {
                (true, true) => '█',
                (true, false) => '▀',
                (false, true) => '▄',
                (false, false) => ' ',
            });
        }
        out.push('\n');
        y += 2;
    }
    out
}

/// Encrypts the hub's SQLite file in place (the hub must be stopped).
fn encrypt_db(database: &str, out: Output) -> CliResult<()> {
    let path = match tiaojie_server::config::Database::parse(database)? {
        tiaojie_server::config::Database::Sqlite(p) => p,
        tiaojie_server::config::Database::Postgres(_) => {
            return Err(CliError::input(
                "database",
                "PostgreSQL 数据库请使用数据库自身的加密（加密卷）和 TLS 连接，见 docs/security.md",
            ));
        }
    };
    let pass = crate::db::passphrase(tiaojie_server::store::sqlite::PASSPHRASE_VAR)?;
    tiaojie_ledger::vault::encrypt_file(&path, &pass)?;
    let key = tiaojie_ledger::vault::key_path(&path);
    out.emit(
        &json!({"ok": true, "database": path.display().to_string(), "key_file": key.display().to_string()}),
        |_| {
            format!(
                "同步中心数据库已加密：{}\n密钥文件：{}（启动中心时需设置 {}）",
                path.display(),
                key.display(),
                tiaojie_server::store::sqlite::PASSPHRASE_VAR
            )
        },
    )
}
