//! Finding and opening the ledger file.

use crate::error::{CliError, CliResult};
use std::path::{Path, PathBuf};
use tiaojie_ledger::Ledger;
use tiaojie_ledger::location;
use tiaojie_ledger::vault;

/// The ledger in the user's data folder (`tiaojie_ledger::location`):
/// on Windows the one the desktop app keeps.
pub fn default_path() -> CliResult<PathBuf> {
    let dir = location::default_dir_here().ok_or_else(|| {
        CliError::input(
            "db",
            "找不到用户数据目录，请用 --db 或环境变量 TIAOJIE_DB 指定台账文件",
        )
    })?;
    Ok(dir.join(location::LEDGER_FILE))
}

/// Opens the ledger at `path`. Only commands that start a ledger may create
/// the file; for the others a missing file is a mistake in `--db`, not a
/// reason to leave an empty ledger behind.
pub fn open(
    path: &Path,
    create: bool,
    encrypt_new: bool,
    actor: Option<String>,
) -> CliResult<Ledger> {
    if !path.exists() {
        if !create {
            return Err(CliError::Input {
                code: "not_found",
                message: format!(
                    "台账文件“{}”不存在，请先运行 tiaojie init（或用 --db 指定已有的台账文件）",
                    path.display()
                ),
                field: Some("db".into()),
            });
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| CliError::Io(format!("无法创建目录“{}”：{e}", dir.display())))?;
        }
    }
    let mut ledger = if !path.exists() && encrypt_new {
        let key = vault::create(path, &passphrase("TIAOJIE_PASSPHRASE")?)?;
        Ledger::open_encrypted(path, &key)?
    } else if vault::is_encrypted(path) {
        let key = vault::unlock(path, &passphrase("TIAOJIE_PASSPHRASE")?)?;
        Ledger::open_encrypted(path, &key)?
    } else {
        Ledger::open(path)?
    };
    ledger.set_actor(actor);
    Ok(ledger)
}

/// A passphrase from the environment variable `var` (the command line would
/// leave it in the shell's history and in the process list).
pub fn passphrase(var: &str) -> CliResult<String> {
    match std::env::var(var) {
        Ok(p) if !p.is_empty() => Ok(p),
        _ => Err(CliError::Input {
            code: "locked",
            message: format!("台账已加密（或要求加密）：请用环境变量 {var} 提供口令"),
            field: Some("passphrase".into()),
        }),
    }
}

/// A user's PIN from the environment variable `var`.
pub fn pin(var: &str) -> CliResult<String> {
    match std::env::var(var) {
        Ok(p) if !p.is_empty() => Ok(p),
        _ => Err(CliError::Input {
            code: "locked",
            message: format!("请用环境变量 {var} 提供 PIN"),
            field: Some("pin".into()),
        }),
    }
}
