use thiserror::Error;

#[derive(Debug, Error)]
pub enum DocsError {
    /// Something the person gave (a file, a template, an option) is wrong;
    /// `field` names it.
    #[error("{message}")]
    Invalid { field: String, message: String },

    #[error(transparent)]
    Ledger(#[from] tiaojie_ledger::LedgerError),

    #[error("读写文件失败：{0}")]
    Io(#[from] std::io::Error),

    #[error("生成文件失败：{0}")]
    Write(String),

    /// A made file could not be saved (the disk, the folder's rights).
    #[error("{0}")]
    Save(String),
}

impl DocsError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        DocsError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    /// Stable machine-readable code, as the ledger's.
    pub fn code(&self) -> &'static str {
        match self {
            DocsError::Invalid { .. } => "invalid_input",
            DocsError::Ledger(e) => e.code(),
            DocsError::Io(_) | DocsError::Save(_) => "io",
            DocsError::Write(_) => "write",
        }
    }

    pub fn is_user_error(&self) -> bool {
        match self {
            DocsError::Invalid { .. } => true,
            DocsError::Ledger(e) => e.is_user_error(),
            _ => false,
        }
    }

    pub fn field(&self) -> Option<&str> {
        match self {
            DocsError::Invalid { field, .. } => Some(field),
            DocsError::Ledger(e) => e.field(),
            _ => None,
        }
    }
}

pub type Result<T, E = DocsError> = std::result::Result<T, E>;
