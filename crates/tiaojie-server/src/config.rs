//! The hub's configuration: a TOML file, with command-line values on top.

use crate::error::{Result, ServerError};
use crate::state::Limits;
use serde::Deserialize;
use std::path::Path;

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    #[serde(default = "default_listen")]
    pub listen: String,
    /// `sqlite:PATH` or `postgres://...`.
    #[serde(default = "default_database")]
    pub database: String,
    #[serde(default)]
    pub limits: LimitsConfig,
    /// HTTPS: the hub's certificate (PEM, with its chain) and private key.
    #[serde(default)]
    pub tls: Option<TlsConfig>,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TlsConfig {
    pub cert: std::path::PathBuf,
    pub key: std::path::PathBuf,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LimitsConfig {
    pub max_body_bytes: Option<usize>,
    pub feed_page_events: Option<u32>,
    pub feed_page_bytes: Option<usize>,
    pub token_ttl_secs: Option<u64>,
    pub auth_per_minute: Option<u32>,
    pub limit_loopback: Option<bool>,
    pub request_timeout_secs: Option<u64>,
    pub max_clock_ahead_secs: Option<u64>,
    pub header_timeout_secs: Option<u64>,
    pub connections_per_address: Option<usize>,
    pub quarantine_events_per_device: Option<u64>,
    pub quarantine_bytes_per_device: Option<u64>,
}

fn default_listen() -> String {
    "127.0.0.1:8600".into()
}

fn default_database() -> String {
    "sqlite:tiaojie-hub.sqlite3".into()
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            listen: default_listen(),
            database: default_database(),
            limits: LimitsConfig::default(),
            tls: None,
        }
    }
}

impl ServerConfig {
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            ServerError::Config(format!("无法读取配置文件 {}：{e}", path.display()))
        })?;
        toml::from_str(&text)
            .map_err(|e| ServerError::Config(format!("配置文件 {} 有误：{e}", path.display())))
    }

    pub fn limits(&self) -> Limits {
        let d = Limits::default();
        Limits {
            max_body_bytes: self.limits.max_body_bytes.unwrap_or(d.max_body_bytes),
            feed_page_events: self.limits.feed_page_events.unwrap_or(d.feed_page_events),
            // A page and the event that may pass its bound must decode on
            // the device (`frame::MAX_PAYLOAD`).
            feed_page_bytes: self
                .limits
                .feed_page_bytes
                .unwrap_or(d.feed_page_bytes)
                .min(tiaojie_sync::frame::MAX_PAYLOAD as usize - tiaojie_sync::frame::MAX_EVENT),
            token_ttl_secs: self.limits.token_ttl_secs.unwrap_or(d.token_ttl_secs),
            auth_per_minute: self.limits.auth_per_minute.unwrap_or(d.auth_per_minute),
            limit_loopback: self.limits.limit_loopback.unwrap_or(d.limit_loopback),
            request_timeout_secs: self
                .limits
                .request_timeout_secs
                .unwrap_or(d.request_timeout_secs),
            max_clock_ahead_secs: self
                .limits
                .max_clock_ahead_secs
                .unwrap_or(d.max_clock_ahead_secs),
            header_timeout_secs: self
                .limits
                .header_timeout_secs
                .unwrap_or(d.header_timeout_secs),
            connections_per_address: self
                .limits
                .connections_per_address
                .unwrap_or(d.connections_per_address),
            quarantine_events_per_device: self
                .limits
                .quarantine_events_per_device
                .unwrap_or(d.quarantine_events_per_device),
            quarantine_bytes_per_device: self
                .limits
                .quarantine_bytes_per_device
                .unwrap_or(d.quarantine_bytes_per_device),
        }
    }
}

/// Where a database URL points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    Sqlite(std::path::PathBuf),
    Postgres(String),
}

impl Database {
    pub fn parse(url: &str) -> Result<Self> {
        if let Some(path) = url.strip_prefix("sqlite:") {
            let path = path.strip_prefix("//").unwrap_or(path);
            if path.is_empty() {
                return Err(ServerError::Config(
                    "sqlite: 后面要写数据库文件的路径".into(),
                ));
            }
            Ok(Database::Sqlite(path.into()))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Database::Postgres(url.to_string()))
        } else {
            Err(ServerError::Config(format!(
                "无法识别的数据库地址“{url}”：应为 sqlite:路径 或 postgres://…"
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_files_and_urls() {
        let c: ServerConfig = toml::from_str(
            "listen = \"0.0.0.0:9000\"\ndatabase = \"postgres://h/db\"\n[limits]\nmax_body_bytes = 1024\n",
        )
        .unwrap();
        assert_eq!(c.limits().max_body_bytes, 1024);
        assert_eq!(
            c.limits().feed_page_events,
            Limits::default().feed_page_events
        );
        assert!(toml::from_str::<ServerConfig>("lisen = \"x\"").is_err());
        assert_eq!(
            Database::parse("sqlite:/a/b.db").unwrap(),
            Database::Sqlite("/a/b.db".into())
        );
        assert!(matches!(
            Database::parse("postgresql://x/y").unwrap(),
            Database::Postgres(_)
        ));
        assert!(Database::parse("mysql://x").is_err());
        assert!(Database::parse("sqlite:").is_err());
    }
}
