//! Opening the store and running the hub until it is told to stop.

use crate::admin::{hub_device, hub_key};
use crate::config::{Database, ServerConfig};
use crate::conn_limit::{Counts, PerAddress};
use crate::error::{Result, ServerError};
use crate::routes::app;
use crate::state::{AppState, Limits};
use crate::store::HubStore;
use crate::store::postgres::PgStore;
use crate::store::sqlite::SqliteStore;
use axum_server::accept::DefaultAcceptor;
use std::sync::Arc;

pub async fn open_store(url: &str) -> Result<Arc<dyn HubStore>> {
    Ok(match Database::parse(url)? {
        Database::Sqlite(path) => Arc::new(SqliteStore::open(&path)?),
        Database::Postgres(url) => Arc::new(PgStore::connect(&url).await?),
    })
}

pub async fn state(store: Arc<dyn HubStore>, limits: Limits) -> Result<AppState> {
    let identity = store.identity().await?;
    let state = AppState {
        hub_key: hub_key(identity.signing_seed),
        identity,
        store,
        auth_limiter: Arc::new(crate::ratelimit::RateLimiter::new(limits.auth_per_minute)),
        limits,
    };
    state.store.ensure_device(&hub_device(&state)).await?;
    Ok(state)
}

/// Serves until Ctrl-C or SIGTERM, then finishes the requests under way.
/// Prints the bound address on stdout first (tests bind port 0 and read it).
pub async fn run(config: ServerConfig) -> Result<()> {
    let store = open_store(&config.database).await?;
    let state = state(store, config.limits()).await?;
    let listener = tokio::net::TcpListener::bind(&config.listen)
        .await
        .map_err(|e| ServerError::Config(format!("无法监听 {}：{e}", config.listen)))?;
    let addr = listener.local_addr()?;
    let service = app(state.clone()).into_make_service_with_connect_info::<std::net::SocketAddr>();
    let limits = state.limits.clone();
    let per_address = |inner| PerAddress {
        inner,
        cap: limits.connections_per_address,
        limit_loopback: limits.limit_loopback,
        counts: Counts::default(),
    };
    let handle = axum_server::Handle::new();
    let stopper = handle.clone();
    tokio::spawn(async move {
        shutdown().await;
        stopper.graceful_shutdown(Some(std::time::Duration::from_secs(30)));
    });
    let header_timeout = std::time::Duration::from_secs(limits.header_timeout_secs.max(1));
    match &config.tls {
        None => {
            println!("listening on {addr}");
            tracing::info!(%addr, hub = %state.identity.hub_id, tls = false, "hub started");
            let mut server = axum_server::from_tcp(listener.into_std()?)?
                .acceptor(per_address(DefaultAcceptor::new()))
                .handle(handle)
                .first_request_timeout(header_timeout);
            server
                .http_builder()
                .http1()
                .header_read_timeout(header_timeout);
            server.serve(service).await?;
        }
        Some(tls) => {
            let _ = rustls::crypto::ring::default_provider().install_default();
            let rustls_config =
                axum_server::tls_rustls::RustlsConfig::from_pem_file(&tls.cert, &tls.key)
                    .await
                    .map_err(|e| {
                        ServerError::Config(format!(
                            "无法读取证书 {} 或私钥 {}：{e}",
                            tls.cert.display(),
                            tls.key.display()
                        ))
                    })?;
            println!("listening on {addr} (https)");
            tracing::info!(%addr, hub = %state.identity.hub_id, tls = true, "hub started");
            // The TLS handshake has its own bound (ten seconds).
            let acceptor = axum_server::tls_rustls::RustlsAcceptor::new(rustls_config)
                .acceptor(per_address(DefaultAcceptor::new()));
            let mut server = axum_server::from_tcp(listener.into_std()?)?
                .acceptor(acceptor)
                .handle(handle)
                .first_request_timeout(header_timeout);
            server
                .http_builder()
                .http1()
                .header_read_timeout(header_timeout);
            server.serve(service).await?;
        }
    }
    tracing::info!("hub stopped");
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    // On Windows: the console window closed, Ctrl+Break, the user signing
    // out or the machine shutting down (a station PC running the hub).
    #[cfg(windows)]
    let term = async {
        use tokio::signal::windows::{ctrl_break, ctrl_close, ctrl_logoff, ctrl_shutdown};
        let (Ok(mut close), Ok(mut brk), Ok(mut logoff), Ok(mut down)) =
            (ctrl_close(), ctrl_break(), ctrl_logoff(), ctrl_shutdown())
        else {
            return std::future::pending::<()>().await;
        };
        tokio::select! {
            _ = close.recv() => {},
            _ = brk.recv() => {},
            _ = logoff.recv() => {},
            _ = down.recv() => {},
        }
    };
    #[cfg(not(any(unix, windows)))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
