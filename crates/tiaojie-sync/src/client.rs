//! The HTTP client of a hub: one method per endpoint, errors turned into
//! `SyncError` with the hub's Chinese message.

use crate::error::{Result, SyncError};
use crate::keys::{self, DeviceKey};
use crate::wire::{
    AuthRequest, AuthResponse, BATCH_MEDIA_TYPE, BatchAck, Challenge, DeviceHead, EnrollRequest,
    EnrollResponse, ErrorBody, FeedHeader, auth_message,
};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// Requests give up after this long; a cut connection is retried by the
/// sync loop, not here.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

pub struct HubClient {
    base: String,
    http: reqwest::Client,
    device_id: Uuid,
    key: DeviceKey,
    token: Option<(String, Instant)>,
    /// Hub clock minus ours at the last authentication, in ms.
    pub clock_offset_ms: i64,
}

fn network(e: reqwest::Error) -> SyncError {
    SyncError::Network(if e.is_timeout() {
        "等待同步中心应答超时".into()
    } else if e.is_connect() {
        "连接不上（请检查网络和中心地址）".into()
    } else {
        format!("连接中断：{e}")
    })
}

async fn check(resp: reqwest::Response) -> Result<reqwest::Response> {
    let status = resp.status();
    if status.is_success() {
        return Ok(resp);
    }
    let bytes = resp.bytes().await.map_err(network)?;
    match serde_json::from_slice::<ErrorBody>(&bytes) {
        Ok(body) if body.error.code == "chain_mismatch" => {
            let head = body.error.head.unwrap_or(DeviceHead {
                device_id: Uuid::nil(),
                acked_seq: 0,
                last_hash: String::new(),
            });
            Err(SyncError::ChainMismatch {
                seq: head.acked_seq + 1,
                detail: body.error.message,
            })
        }
        Ok(body) => Err(SyncError::Hub {
            status: status.as_u16(),
            code: body.error.code,
            message: body.error.message,
        }),
        Err(_) => Err(SyncError::Hub {
            status: status.as_u16(),
            code: "http".into(),
            message: format!("同步中心返回错误（HTTP {}）", status.as_u16()),
        }),
    }
}

pub fn http_client(timeout: Duration) -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(Duration::from_secs(15))
        .build()
        .map_err(network)
}

/// Enrolls a device with a one-time code.
pub async fn enroll(base: &str, request: &EnrollRequest) -> Result<EnrollResponse> {
    let http = http_client(DEFAULT_TIMEOUT)?;
    let resp = http
        .post(format!("{}/v1/enroll", base.trim_end_matches('/')))
        .json(request)
        .send()
        .await
        .map_err(network)?;
    check(resp).await?.json().await.map_err(network)
}

/// Uploads a batch with no token: the batch's signature is its credential
/// (a bundle carried to a machine that is not enrolled).
pub async fn upload_signed(base: &str, batch: Vec<u8>) -> Result<BatchAck> {
    let http = http_client(DEFAULT_TIMEOUT)?;
    let resp = http
        .post(format!("{}/v1/batches", base.trim_end_matches('/')))
        .header(reqwest::header::CONTENT_TYPE, BATCH_MEDIA_TYPE)
        .body(batch)
        .send()
        .await
        .map_err(network)?;
    check(resp).await?.json().await.map_err(network)
}

impl HubClient {
    pub fn new(base: &str, device_id: Uuid, key: DeviceKey, timeout: Duration) -> Result<Self> {
        Ok(HubClient {
            base: base.trim_end_matches('/').to_string(),
            http: http_client(timeout)?,
            device_id,
            key,
            token: None,
            clock_offset_ms: 0,
        })
    }

    pub fn device_id(&self) -> Uuid {
        self.device_id
    }

    pub fn key(&self) -> &DeviceKey {
        &self.key
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Proves the device key to the hub and keeps the token.
    pub async fn authenticate(&mut self) -> Result<AuthResponse> {
        let before = chrono::Utc::now().timestamp_millis();
        let challenge: Challenge = check(
            self.http
                .get(self.url("/v1/auth/challenge"))
                .send()
                .await
                .map_err(network)?,
        )
        .await?
        .json()
        .await
        .map_err(network)?;
        let signature = keys::b64(&self.key.sign(&auth_message(&challenge.challenge)));
        let request = AuthRequest {
            device_id: self.device_id,
            challenge: challenge.challenge,
            signature,
        };
        let resp: AuthResponse = check(
            self.http
                .post(self.url("/v1/auth"))
                .json(&request)
                .send()
                .await
                .map_err(network)?,
        )
        .await?
        .json()
        .await
        .map_err(network)?;
        let after = chrono::Utc::now().timestamp_millis();
        self.clock_offset_ms = resp.hub_time_ms - (before + after) / 2;
        // Renew a little before the hub would refuse it.
        let life = Duration::from_secs(resp.expires_in_secs.saturating_sub(60).max(1));
        self.token = Some((resp.token.clone(), Instant::now() + life));
        Ok(resp)
    }

    async fn token(&mut self) -> Result<String> {
        match &self.token {
            Some((t, until)) if Instant::now() < *until => Ok(t.clone()),
            _ => Ok(self.authenticate().await?.token),
        }
    }

    async fn get(&mut self, path: &str) -> Result<reqwest::Response> {
        let token = self.token().await?;
        let resp = self
            .http
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .map_err(network)?;
        check(resp).await
    }

    pub async fn head(&mut self, device: Uuid) -> Result<DeviceHead> {
        self.get(&format!("/v1/devices/{device}/head"))
            .await?
            .json()
            .await
            .map_err(network)
    }

    /// Uploads one encoded batch; the answer comes after the hub's commit.
    pub async fn upload(&mut self, batch: Vec<u8>) -> Result<BatchAck> {
        let token = self.token().await?;
        let resp = self
            .http
            .post(self.url("/v1/batches"))
            .bearer_auth(token)
            .header(reqwest::header::CONTENT_TYPE, BATCH_MEDIA_TYPE)
            .body(batch)
            .send()
            .await
            .map_err(network)?;
        check(resp).await?.json().await.map_err(network)
    }

    /// One page of this unit's feed after `after`, with its size on the wire.
    pub async fn feed(
        &mut self,
        after: i64,
        limit: Option<u32>,
    ) -> Result<(FeedHeader, Vec<Vec<u8>>, usize)> {
        let path = match limit {
            Some(l) => format!("/v1/feed?after={after}&limit={l}"),
            None => format!("/v1/feed?after={after}"),
        };
        let bytes = self.get(&path).await?.bytes().await.map_err(network)?;
        let (header, events) = crate::frame::decode_feed(&bytes)?;
        Ok((header, events, bytes.len()))
    }

    /// This device's own events held by the hub after `after_seq`.
    pub async fn own_events(&mut self, after_seq: i64) -> Result<(FeedHeader, Vec<Vec<u8>>)> {
        let path = format!("/v1/devices/{}/events?after={after_seq}", self.device_id);
        let bytes = self.get(&path).await?.bytes().await.map_err(network)?;
        crate::frame::decode_feed(&bytes)
    }
}
