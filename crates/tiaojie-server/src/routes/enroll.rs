//! Enrollment and authentication.

use super::json_body;
use crate::admin::code_hash;
use crate::auth::{check_challenge, issue_challenge, issue_token, now_ms};
use crate::error::{Result, ServerError};
use crate::state::AppState;
use crate::store::DeviceRecord;
use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use tiaojie_sync::keys;
use tiaojie_sync::wire::{
    AuthRequest, AuthResponse, Challenge, EnrollRequest, EnrollResponse, auth_message,
};

pub async fn enroll(
    State(state): State<AppState>,
    body: std::result::Result<Json<EnrollRequest>, JsonRejection>,
) -> Result<Json<EnrollResponse>> {
    let req = json_body(body)?;
    let key = keys::unb64(&req.public_key, "公钥")?;
    if key.len() != 32 {
        return Err(ServerError::BadRequest("公钥长度不对".into()));
    }
    let hash = code_hash(&req.code);
    let codes = state.store.enroll_codes().await?;
    let code = codes
        .iter()
        .find(|c| c.code_hash == hash)
        .ok_or_else(|| ServerError::NotFound(crate::store::common::CODE_UNKNOWN.into()))?;
    if code.unit != req.unit_code {
        return Err(ServerError::BadRequest(format!(
            "这个注册码属于单位 {}，而本机台账属于单位 {}，请向上级核对",
            code.unit, req.unit_code
        )));
    }
    let device = DeviceRecord {
        id: req.device_id,
        unit: code.unit.clone(),
        public_key: req.public_key.trim().to_string(),
        label: req.label.chars().take(60).collect(),
        enrolled_at: chrono::Utc::now(),
        revoked_at: None,
    };
    let device = state
        .store
        .redeem_enroll_code(&hash, &device, chrono::Utc::now())
        .await?;
    let unit = state
        .store
        .units()
        .await?
        .into_iter()
        .find(|u| u.code == device.unit)
        .ok_or_else(|| ServerError::NotFound(format!("单位“{}”不存在", device.unit)))?;
    tracing::info!(device = %device.id, unit = %device.unit, "device enrolled");
    Ok(Json(EnrollResponse {
        device_id: device.id,
        unit,
        hub_id: state.identity.hub_id,
        hub_public_key: Some(state.hub_key.public_text()),
    }))
}

pub async fn challenge(State(state): State<AppState>) -> Json<Challenge> {
    Json(Challenge {
        challenge: issue_challenge(&state.identity.secret, now_ms()),
    })
}

pub async fn auth(
    State(state): State<AppState>,
    body: std::result::Result<Json<AuthRequest>, JsonRejection>,
) -> Result<Json<AuthResponse>> {
    let req = json_body(body)?;
    let now = now_ms();
    check_challenge(&state.identity.secret, &req.challenge, now)?;
    let device = state
        .store
        .device(req.device_id)
        .await?
        .ok_or_else(|| ServerError::Unauthorized("设备未注册，请先用注册码注册".into()))?;
    let signature = keys::unb64(&req.signature, "签名")?;
    keys::verify(
        &device.public_key,
        &auth_message(&req.challenge),
        &signature,
    )?;
    if device.revoked_at.is_some() {
        return Err(ServerError::Forbidden(
            "该设备已被停用，请联系上级管理员".into(),
        ));
    }
    let ttl = state.limits.token_ttl_secs;
    // How far the hub has the device's events, which it asks next: one
    // round trip fewer on a link where each costs half a second.
    let head = state.store.head(device.id).await?;
    Ok(Json(AuthResponse {
        token: issue_token(&state.identity.secret, device.id, now, ttl),
        expires_in_secs: ttl,
        hub_time_ms: now,
        head: Some(head),
    }))
}
