//! The hub's HTTP interface, versioned under `/v1`.

mod enroll;
mod sync;

use crate::error::{Result, ServerError};
use crate::state::AppState;
use axum::extract::rejection::{BytesRejection, JsonRejection};
use axum::extract::{DefaultBodyLimit, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};
use tower_http::trace::TraceLayer;

pub fn app(state: AppState) -> Router {
    let limit = state.limits.max_body_bytes;
    // Enrollment and sign-in are limited per client address.
    let auth = Router::new()
        .route("/v1/enroll", post(enroll::enroll))
        .route("/v1/auth/challenge", get(enroll::challenge))
        .route("/v1/auth", post(enroll::auth))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::ratelimit::limit_auth,
        ));
    Router::new()
        .route("/healthz", get(health))
        .merge(auth)
        .route("/v1/devices/{id}/head", get(sync::head))
        .route("/v1/devices/{id}/events", get(sync::device_events))
        .route("/v1/batches", post(sync::upload))
        .route("/v1/sealed-batches", post(sync::upload_sealed))
        .route("/v1/batches/stream", post(sync::upload_stream))
        .route("/v1/feed", get(sync::feed))
        .route("/v1/feed/stream", get(sync::feed_stream))
        .fallback(|| async { ServerError::NotFound("没有这个接口".into()) })
        .layer(DefaultBodyLimit::max(limit))
        // A connection that trickles or stalls does not hold a worker forever.
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            std::time::Duration::from_secs(state.limits.request_timeout_secs.max(1)),
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

async fn health(State(state): State<AppState>) -> Result<Json<Value>> {
    let events = state.store.event_count().await?;
    Ok(Json(
        json!({ "status": "ok", "hub_id": state.identity.hub_id, "events": events }),
    ))
}

/// JSON bodies whose errors speak our format.
pub(crate) fn json_body<T>(body: std::result::Result<Json<T>, JsonRejection>) -> Result<T> {
    match body {
        Ok(Json(v)) => Ok(v),
        Err(JsonRejection::BytesRejection(r)) => Err(bytes_error(&r)),
        Err(e) => Err(ServerError::BadRequest(format!(
            "请求内容不是有效的 JSON：{}",
            e.body_text()
        ))),
    }
}

pub(crate) fn bytes_error(r: &BytesRejection) -> ServerError {
    if r.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        ServerError::TooLarge
    } else {
        ServerError::BadRequest(format!("读取请求失败：{}", r.body_text()))
    }
}
