//! Challenges and tokens. Both are stateless: an HMAC under the hub's secret
//! (shared through the database by every hub instance) proves that a hub
//! issued them and when they expire, by the hub's clock.
//!
//! A device proves it holds its key by signing a fresh challenge; it gets a
//! token for an hour and sends it as `Authorization: Bearer`. Every request
//! also looks up the device, so a revoked device is refused at once.

use crate::error::{Result, ServerError};
use crate::state::AppState;
use crate::store::DeviceRecord;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use uuid::Uuid;

pub const CHALLENGE_TTL_MS: i64 = 2 * 60 * 1000;

fn mac(secret: &[u8; 32], parts: &[&str]) -> String {
    let mut m =
        <Hmac<Sha256> as KeyInit>::new_from_slice(secret).expect("HMAC takes any key length");
    for p in parts {
        m.update(p.as_bytes());
        m.update(b"\n");
    }
    B64.encode(m.finalize().into_bytes())
}

fn same(a: &str, b: &str) -> bool {
    // Constant time, so a forger learns nothing from timing.
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

pub fn issue_challenge(secret: &[u8; 32], now_ms: i64) -> String {
    let mut nonce = [0u8; 16];
    getrandom::fill(&mut nonce).expect("the operating system has no random source");
    let expiry = (now_ms + CHALLENGE_TTL_MS).to_string();
    let nonce = B64.encode(nonce);
    let tag = mac(secret, &["challenge", &expiry, &nonce]);
    format!("c1.{expiry}.{nonce}.{tag}")
}

pub fn check_challenge(secret: &[u8; 32], challenge: &str, now_ms: i64) -> Result<()> {
    let bad = || ServerError::Unauthorized("认证挑战无效，请重新同步".into());
    let parts: Vec<&str> = challenge.split('.').collect();
    let [version, expiry, nonce, tag] = parts.as_slice() else {
        return Err(bad());
    };
    if *version != "c1" || !same(tag, &mac(secret, &["challenge", expiry, nonce])) {
        return Err(bad());
    }
    let expiry: i64 = expiry.parse().map_err(|_| bad())?;
    if now_ms > expiry {
        return Err(ServerError::Unauthorized(
            "认证挑战已过期，请重新同步".into(),
        ));
    }
    Ok(())
}

pub fn issue_token(secret: &[u8; 32], device: Uuid, now_ms: i64, ttl_secs: u64) -> String {
    let expiry = (now_ms + ttl_secs as i64 * 1000).to_string();
    let device = device.to_string();
    let tag = mac(secret, &["token", &device, &expiry]);
    format!("t1.{device}.{expiry}.{tag}")
}

/// The device a token was issued to, if it is genuine and unexpired.
pub fn check_token(secret: &[u8; 32], token: &str, now_ms: i64) -> Result<Uuid> {
    let bad = || ServerError::Unauthorized("登录凭证无效，请重新同步".into());
    let parts: Vec<&str> = token.split('.').collect();
    let [version, device, expiry, tag] = parts.as_slice() else {
        return Err(bad());
    };
    if *version != "t1" || !same(tag, &mac(secret, &["token", device, expiry])) {
        return Err(bad());
    }
    let expiry: i64 = expiry.parse().map_err(|_| bad())?;
    if now_ms > expiry {
        return Err(ServerError::Unauthorized(
            "登录凭证已过期，请重新同步".into(),
        ));
    }
    Uuid::parse_str(device).map_err(|_| bad())
}

/// A request from an enrolled, unrevoked device with a valid token.
pub struct AuthedDevice(pub DeviceRecord);

impl FromRequestParts<AppState> for AuthedDevice {
    type Rejection = ServerError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        match bearer_device(&parts.headers, state).await? {
            Some(device) => Ok(AuthedDevice(device)),
            None => Err(ServerError::Unauthorized("缺少登录凭证".into())),
        }
    }
}

/// The device of the request's bearer token: None without a token; an
/// error for a bad token or a revoked device.
pub async fn bearer_device(
    headers: &axum::http::HeaderMap,
    state: &AppState,
) -> Result<Option<DeviceRecord>> {
    let Some(value) = headers.get(axum::http::header::AUTHORIZATION) else {
        return Ok(None);
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(|| ServerError::Unauthorized("登录凭证格式不对".into()))?;
    let device_id = check_token(&state.identity.secret, token.trim(), now_ms())?;
    let device = state
        .store
        .device(device_id)
        .await?
        .ok_or_else(|| ServerError::Unauthorized("设备未注册".into()))?;
    if device.revoked_at.is_some() {
        return Err(ServerError::Forbidden(
            "该设备已被停用，请联系上级管理员".into(),
        ));
    }
    Ok(Some(device))
}

pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_challenges_verify_and_expire() {
        let secret = [3u8; 32];
        let device = Uuid::now_v7();
        let t = issue_token(&secret, device, 1_000, 60);
        assert_eq!(check_token(&secret, &t, 2_000).unwrap(), device);
        assert!(check_token(&secret, &t, 61_001).is_err());
        assert!(check_token(&[4u8; 32], &t, 2_000).is_err());
        let forged = t.replace(&device.to_string(), &Uuid::now_v7().to_string());
        assert!(check_token(&secret, &forged, 2_000).is_err());
        let c = issue_challenge(&secret, 1_000);
        check_challenge(&secret, &c, 1_000 + CHALLENGE_TTL_MS).unwrap();
        assert!(check_challenge(&secret, &c, 1_001 + CHALLENGE_TTL_MS).is_err());
        assert!(check_challenge(&secret, "c1.x.y.z", 0).is_err());
        assert!(check_challenge(&secret, &t, 0).is_err());
    }
}
