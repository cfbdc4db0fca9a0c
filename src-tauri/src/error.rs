//! Errors as the UI receives them: `{code, message, field}`, the message in
//! Chinese, `field` naming the form field at fault when there is one.

use serde::Serialize;
use tiaojie_ledger::LedgerError;
use tiaojie_sync::SyncError;

/// What every failed command rejects with: a stable code, the Chinese
/// message, and the form field it names, if one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct CommandError {
    pub code: String,
    pub message: String,
    pub field: Option<String>,
}

impl CommandError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        CommandError {
            code: code.into(),
            message: message.into(),
            field: None,
        }
    }
}

impl From<LedgerError> for CommandError {
    fn from(e: LedgerError) -> Self {
        CommandError {
            code: e.code().into(),
            message: e.to_string(),
            field: e.field().map(str::to_string),
        }
    }
}

impl From<SyncError> for CommandError {
    fn from(e: SyncError) -> Self {
        match e {
            SyncError::Ledger(inner) => inner.into(),
            other => CommandError {
                code: other.code().into(),
                message: other.to_string(),
                field: None,
            },
        }
    }
}

pub type CmdResult<T> = Result<T, CommandError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ledger_errors_keep_code_message_and_field() {
        let e: CommandError =
            LedgerError::invalid("parties[1].id_number", "第2位当事人的身份证号校验位不正确")
                .into();
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["code"], "invalid_input");
        assert_eq!(json["field"], "parties[1].id_number");
        assert!(json["message"].as_str().unwrap().contains("身份证号"));
        let e: CommandError = SyncError::NotEnrolled.into();
        assert_eq!((e.code.as_str(), e.field), ("not_enrolled", None));
        assert!(e.message.contains("注册"));
    }
}
