//! Errors of encoding, decoding and talking to a hub. Messages are Chinese:
//! they reach the person at the sync bar.

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// Bytes that are not a well-formed frame, or exceed a size bound.
    #[error("数据格式错误：{0}")]
    Malformed(String),

    #[error("签名无效：{0}")]
    BadSignature(String),

    /// The device's event chain does not continue the hub's record: a
    /// restored backup or a copied ledger.
    #[error("本机台账与中心记录不一致（第{seq}条起）：{detail}")]
    ChainMismatch { seq: i64, detail: String },

    /// The hub answered with an error.
    #[error("{message}")]
    Hub {
        status: u16,
        code: String,
        message: String,
    },

    /// The hub could not be reached or the connection broke.
    #[error("无法连接同步中心：{0}")]
    Network(String),

    #[error("尚未注册到同步中心，请先输入中心地址和注册码")]
    NotEnrolled,

    /// A hub address or certificate that would not protect the data.
    #[error("{0}")]
    Insecure(String),

    #[error(transparent)]
    Ledger(#[from] tiaojie_ledger::LedgerError),

    #[error("数据格式错误：{0}")]
    Json(#[from] serde_json::Error),

    #[error("读写文件失败：{0}")]
    Io(#[from] std::io::Error),
}

impl SyncError {
    pub fn code(&self) -> &str {
        match self {
            SyncError::Malformed(_) => "malformed",
            SyncError::BadSignature(_) => "bad_signature",
            SyncError::ChainMismatch { .. } => "chain_mismatch",
            SyncError::Hub { code, .. } => code,
            SyncError::Network(_) => "network",
            SyncError::NotEnrolled => "not_enrolled",
            SyncError::Insecure(_) => "insecure",
            SyncError::Ledger(e) => e.code(),
            SyncError::Json(_) => "json",
            SyncError::Io(_) => "io",
        }
    }

    /// Worth trying again later: the network or a busy hub, not bad data.
    pub fn is_transient(&self) -> bool {
        match self {
            SyncError::Network(_) => true,
            SyncError::Hub { status, .. } => *status >= 500 || *status == 429 || *status == 408,
            _ => false,
        }
    }
}

pub type Result<T, E = SyncError> = std::result::Result<T, E>;
