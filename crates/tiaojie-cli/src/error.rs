//! The CLI's error: the ledger's own, or a mistake the CLI catches before the
//! ledger sees it (a file, a JSON document, a flag's text). The exit code
//! tells a script whether the person or the machine is to blame.

use std::fmt;
use tiaojie_ledger::LedgerError;

#[derive(Debug)]
pub enum CliError {
    Ledger(LedgerError),
    /// Input the CLI refused: wrong flag text, an unreadable or malformed file.
    Input {
        code: &'static str,
        message: String,
        field: Option<String>,
    },
    /// The machine failed (writing a file, creating a directory).
    Io(String),
    /// The ledger's records are not what was written (a broken hash chain).
    Integrity(String),
    /// The hub, the network or the sync refused; `exit` says whose fault.
    Remote {
        code: String,
        message: String,
        exit: u8,
    },
}

pub type CliResult<T> = Result<T, CliError>;

impl CliError {
    pub fn input(field: impl Into<String>, message: impl Into<String>) -> Self {
        CliError::Input {
            code: "invalid_input",
            message: message.into(),
            field: Some(field.into()),
        }
    }

    /// A JSON file that does not parse, with where it went wrong.
    pub fn json(path: &std::path::Path, e: &serde_json::Error) -> Self {
        let what = match e.classify() {
            serde_json::error::Category::Data => "内容与要求的格式不符",
            serde_json::error::Category::Eof => "内容不完整（意外结束）",
            _ => "不是有效的 JSON",
        };
        // serde_json's own text ends with " at line L column C"; the position
        // is given in Chinese instead.
        let detail = e.to_string();
        let detail = detail.split(" at line ").next().unwrap_or_default();
        let detail = detail
            .replace("unknown field", "不认识的字段")
            .replace(", expected one of ", "，可用的字段：")
            .replace("missing field", "缺少字段")
            .replace("invalid type: ", "类型不对：")
            .replace(", expected ", "，应为 ");
        CliError::Input {
            code: "invalid_json",
            message: format!(
                "文件“{}”第{}行第{}列：{what}（{detail}）",
                path.display(),
                e.line(),
                e.column()
            ),
            field: Some("file".into()),
        }
    }

    pub fn code(&self) -> &str {
        match self {
            CliError::Ledger(e) => e.code(),
            CliError::Input { code, .. } => code,
            CliError::Io(_) => "io",
            CliError::Integrity(_) => "chain_broken",
            CliError::Remote { code, .. } => code,
        }
    }

    pub fn field(&self) -> Option<&str> {
        match self {
            CliError::Ledger(e) => e.field(),
            CliError::Input { field, .. } => field.as_deref(),
            CliError::Io(_) | CliError::Integrity(_) | CliError::Remote { .. } => None,
        }
    }

    /// 2 when the person can fix it by changing the input, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Ledger(e) if e.is_user_error() => 2,
            CliError::Input { .. } => 2,
            CliError::Remote { exit, .. } => *exit,
            CliError::Ledger(_) | CliError::Io(_) | CliError::Integrity(_) => 1,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Ledger(e) => write!(f, "{e}"),
            CliError::Input { message, .. } => f.write_str(message),
            CliError::Io(message) => f.write_str(message),
            CliError::Integrity(message) => f.write_str(message),
            CliError::Remote { message, .. } => f.write_str(message),
        }
    }
}

impl From<LedgerError> for CliError {
    fn from(e: LedgerError) -> Self {
        CliError::Ledger(e)
    }
}

impl From<tiaojie_sync::SyncError> for CliError {
    fn from(e: tiaojie_sync::SyncError) -> Self {
        use tiaojie_sync::SyncError;
        let exit = match &e {
            SyncError::Ledger(inner) => return CliError::Ledger(clone_ledger_error(inner, &e)),
            SyncError::Hub { status, .. } if (400..500).contains(status) => 2,
            SyncError::NotEnrolled | SyncError::ChainMismatch { .. } | SyncError::Insecure(_) => 2,
            _ => 1,
        };
        CliError::Remote {
            code: e.code().to_string(),
            message: e.to_string(),
            exit,
        }
    }
}

/// Ledger errors are not Clone; a sync error wrapping one keeps its code and
/// message.
fn clone_ledger_error(inner: &LedgerError, outer: &tiaojie_sync::SyncError) -> LedgerError {
    match inner {
        LedgerError::Invalid { field, message } => {
            LedgerError::invalid(field.clone(), message.clone())
        }
        LedgerError::State(m) => LedgerError::State(m.clone()),
        LedgerError::NotYours(m) => LedgerError::NotYours(m.clone()),
        _ => LedgerError::State(outer.to_string()),
    }
}

impl From<tiaojie_server::ServerError> for CliError {
    fn from(e: tiaojie_server::ServerError) -> Self {
        let exit = if e.status().is_client_error() { 2 } else { 1 };
        let message = match &e {
            // The hub hides database internals from devices; the
            // administrator at the console needs them.
            tiaojie_server::ServerError::Sqlite(inner) => format!("数据库错误：{inner}"),
            tiaojie_server::ServerError::Postgres(inner) => format!("数据库错误：{inner}"),
            tiaojie_server::ServerError::Pool(inner) => format!("数据库连接错误：{inner}"),
            other => other.to_string(),
        };
        CliError::Remote {
            code: e.code().to_string(),
            message,
            exit,
        }
    }
}
