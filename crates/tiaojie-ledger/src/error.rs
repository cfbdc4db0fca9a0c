//! The ledger's one error type. Every variant that a person can cause carries a
//! Chinese message naming what is wrong; `code()` is the stable identifier the
//! CLI and the desktop UI match on.

use std::fmt;

/// Which record was not found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    Case,
    Unit,
    Mediator,
    Escalation,
    Support,
    Referral,
    Attachment,
    Ledger,
}

impl Entity {
    fn chinese(self) -> &'static str {
        match self {
            Entity::Case => "案件",
            Entity::Unit => "单位",
            Entity::Mediator => "调解员",
            Entity::Escalation => "上交记录",
            Entity::Support => "支援请求",
            Entity::Referral => "移送记录",
            Entity::Attachment => "附件",
            Entity::Ledger => "台账（尚未初始化）",
        }
    }
}

impl fmt::Display for Entity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.chinese())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    /// A field of the input is malformed or out of range.
    #[error("{message}")]
    Invalid { field: String, message: String },

    #[error("找不到{entity}：{key}")]
    NotFound { entity: Entity, key: String },

    /// The action is not allowed in the case's current state.
    #[error("{0}")]
    State(String),

    /// The ledger is encrypted and was opened without its key.
    #[error("{0}")]
    Locked(String),

    /// The record belongs to another unit.
    #[error("{0}")]
    NotYours(String),

    /// Stored bytes no longer match what was recorded of them.
    #[error("{0}")]
    Damaged(String),

    /// The same event id arrived with different content.
    #[error("事件 {0} 与已保存的同号事件内容不同")]
    EventMismatch(uuid::Uuid),

    #[error("台账文件迁移失败：{0}")]
    Migration(#[from] rusqlite_migration::Error),

    #[error("{}", sqlite_message(.0))]
    Sqlite(#[from] rusqlite::Error),

    #[error("数据格式错误：{0}")]
    Json(#[from] serde_json::Error),
}

impl LedgerError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        LedgerError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn not_found(entity: Entity, key: impl fmt::Display) -> Self {
        LedgerError::NotFound {
            entity,
            key: key.to_string(),
        }
    }

    /// Stable machine-readable code, part of the contract with the UI.
    pub fn code(&self) -> &'static str {
        match self {
            LedgerError::Invalid { .. } => "invalid_input",
            LedgerError::NotFound { .. } => "not_found",
            LedgerError::State(_) => "invalid_state",
            LedgerError::NotYours(_) => "not_yours",
            LedgerError::Locked(_) => "locked",
            LedgerError::Damaged(_) => "damaged",
            LedgerError::EventMismatch(_) => "event_mismatch",
            LedgerError::Migration(_) => "migration",
            LedgerError::Sqlite(e) if sqlite_code(e) == Some(rusqlite::ErrorCode::DiskFull) => {
                "disk_full"
            }
            LedgerError::Sqlite(e) if sqlite_code(e) == Some(rusqlite::ErrorCode::NotADatabase) => {
                "not_a_ledger"
            }
            LedgerError::Sqlite(e)
                if sqlite_code(e) == Some(rusqlite::ErrorCode::SystemIoFailure) =>
            {
                "io_failure"
            }
            LedgerError::Sqlite(_) => "database",
            LedgerError::Json(_) => "json",
        }
    }

    /// True when the person (not the machine) caused the error: bad input,
    /// a missing record, or an action the rules forbid.
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            LedgerError::Invalid { .. }
                | LedgerError::NotFound { .. }
                | LedgerError::State(_)
                | LedgerError::NotYours(_)
                | LedgerError::Locked(_)
                | LedgerError::Json(_)
        )
    }

    /// The same error, about an item of a list: `rows[3]` + `parties[0].name`
    /// gives `rows[3].parties[0].name`; a record not found becomes bad input
    /// of that item.
    pub fn within(self, prefix: &str) -> Self {
        match self {
            LedgerError::Invalid { field, message } => LedgerError::Invalid {
                field: format!("{prefix}.{field}"),
                message,
            },
            e @ LedgerError::NotFound { .. } => LedgerError::Invalid {
                field: prefix.to_string(),
                message: e.to_string(),
            },
            e => e,
        }
    }

    /// The same error naming `to` where it named `from`: for a caller that
    /// knows which of its inputs a shared check was about.
    pub fn field_renamed(self, from: &str, to: &str) -> Self {
        match self {
            LedgerError::Invalid { field, message } if field == from => LedgerError::Invalid {
                field: to.to_string(),
                message,
            },
            e => e,
        }
    }

    /// The field an `Invalid` error names, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            LedgerError::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }
}

fn sqlite_code(e: &rusqlite::Error) -> Option<rusqlite::ErrorCode> {
    e.sqlite_error_code()
}

/// What a person is told when the database itself fails: the common causes
/// in words, anything else with SQLite's own text.
fn sqlite_message(e: &rusqlite::Error) -> String {
    match sqlite_code(e) {
        Some(rusqlite::ErrorCode::DiskFull) => {
            "磁盘空间不足（或台账已达到设定的大小上限），本次操作没有保存：请清理磁盘后重试".into()
        }
        Some(rusqlite::ErrorCode::ReadOnly) => "台账文件只读，本次操作没有保存".into(),
        Some(rusqlite::ErrorCode::DatabaseBusy) | Some(rusqlite::ErrorCode::DatabaseLocked) => {
            "台账正被另一个程序使用，请稍后重试".into()
        }
        Some(rusqlite::ErrorCode::NotADatabase) => {
            "这不是台账文件，或文件已损坏、被改动，或口令不正确".into()
        }
        Some(rusqlite::ErrorCode::SystemIoFailure) => {
            "读写台账文件失败（磁盘故障？），本次操作没有保存".into()
        }
        _ => format!("数据库错误：{e}"),
    }
}

pub type Result<T, E = LedgerError> = std::result::Result<T, E>;
