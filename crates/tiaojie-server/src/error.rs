//! The hub's errors. Each maps to an HTTP status and a stable code; the
//! message shown to the device is Chinese and never carries internals
//! (those go to the log).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tiaojie_sync::wire::{DeviceHead, ErrorBody, ErrorDetail};

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The request is malformed: bad JSON, a frame that does not decode.
    #[error("{0}")]
    BadRequest(String),

    /// No valid token, or a signature that does not verify.
    #[error("{0}")]
    Unauthorized(String),

    /// Authenticated, but not allowed (a revoked device, another unit's data).
    #[error("{0}")]
    Forbidden(String),

    #[error("{0}")]
    NotFound(String),

    /// The device's chain does not continue the hub's record.
    #[error("{detail}")]
    ChainMismatch { head: DeviceHead, detail: String },

    /// A one-time thing used twice, or an id that exists already.
    #[error("{0}")]
    Conflict(String),

    /// An enrollment code past its time.
    #[error("{0}")]
    Gone(String),

    #[error("请求内容过大")]
    TooLarge,

    /// A device's quarantine is at its bound: its batches wait for an
    /// administrator.
    #[error("{0}")]
    QuarantineFull(String),

    #[error("请求过于频繁，请稍后再试")]
    TooMany,

    #[error("数据库错误")]
    Sqlite(#[from] rusqlite::Error),

    #[error("数据库错误")]
    Postgres(#[from] tokio_postgres::Error),

    #[error("数据库连接池错误")]
    Pool(#[from] deadpool_postgres::PoolError),

    #[error("数据库迁移失败")]
    Migration(#[from] rusqlite_migration::Error),

    /// A blocking task died (a panic in the SQLite worker).
    #[error("服务器内部错误")]
    Join(#[from] tokio::task::JoinError),

    #[error("配置错误：{0}")]
    Config(String),

    #[error("读写文件失败：{0}")]
    Io(#[from] std::io::Error),
}

impl ServerError {
    pub fn status(&self) -> StatusCode {
        match self {
            ServerError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ServerError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ServerError::Forbidden(_) | ServerError::QuarantineFull(_) => StatusCode::FORBIDDEN,
            ServerError::NotFound(_) => StatusCode::NOT_FOUND,
            ServerError::ChainMismatch { .. } | ServerError::Conflict(_) => StatusCode::CONFLICT,
            ServerError::Gone(_) => StatusCode::GONE,
            ServerError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ServerError::TooMany => StatusCode::TOO_MANY_REQUESTS,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ServerError::BadRequest(_) => "bad_request",
            ServerError::Unauthorized(_) => "unauthorized",
            ServerError::Forbidden(_) => "forbidden",
            ServerError::NotFound(_) => "not_found",
            ServerError::ChainMismatch { .. } => "chain_mismatch",
            ServerError::Conflict(_) => "conflict",
            ServerError::Gone(_) => "gone",
            ServerError::TooLarge => "too_large",
            ServerError::QuarantineFull(_) => "quarantine_full",
            ServerError::TooMany => "too_many_requests",
            ServerError::Config(_) => "config",
            _ => "internal",
        }
    }
}

impl From<tiaojie_sync::SyncError> for ServerError {
    fn from(e: tiaojie_sync::SyncError) -> Self {
        match e {
            tiaojie_sync::SyncError::BadSignature(m) => {
                ServerError::Unauthorized(format!("签名无效：{m}"))
            }
            other => ServerError::BadRequest(other.to_string()),
        }
    }
}

/// A message as the hub's log keeps it: anything quoted (a value from a
/// request, which may be a name) and any long run of digits (an ID or phone
/// number) is left out. The device itself still gets the whole message.
pub fn scrub(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut quote: Option<char> = None;
    let mut digits = String::new();
    let flush = |digits: &mut String, out: &mut String| {
        if digits.chars().count() >= 7 {
            out.push('#');
        } else {
            out.push_str(digits);
        }
        digits.clear();
    };
    for c in message.chars() {
        if let Some(close) = quote {
            if c == close {
                out.push('…');
                out.push(c);
                quote = None;
            }
            continue;
        }
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        flush(&mut digits, &mut out);
        out.push(c);
        match c {
            '"' => quote = Some('"'),
            '“' => quote = Some('”'),
            '\'' => quote = Some('\''),
            '「' => quote = Some('」'),
            _ => {}
        }
    }
    flush(&mut digits, &mut out);
    out
}

impl IntoResponse for ServerError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %scrub(&format!("{self:?}")), "request failed");
        } else {
            tracing::info!(code = self.code(), message = %scrub(&self.to_string()), "request refused");
        }
        let head = match &self {
            ServerError::ChainMismatch { head, .. } => Some(head.clone()),
            _ => None,
        };
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code().to_string(),
                message: self.to_string(),
                head,
            },
        };
        (status, Json(body)).into_response()
    }
}

pub type Result<T, E = ServerError> = std::result::Result<T, E>;

#[cfg(test)]
mod scrub_tests {
    #[test]
    fn quoted_values_and_long_numbers_stay_out_of_the_log() {
        let m = super::scrub(
            "无法解析事件：invalid type: string \"张三\", expected u32 at 430302198001010012 “李四”",
        );
        assert!(
            !m.contains("张三") && !m.contains("李四") && !m.contains("4303021980"),
            "{m}"
        );
        assert!(m.contains("invalid type") && m.contains("u32"), "{m}");
        assert_eq!(super::scrub("第 12 条"), "第 12 条");
    }
}
