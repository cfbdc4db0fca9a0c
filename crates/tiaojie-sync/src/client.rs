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
    /// This device's head as the sign-in answered it, not yet used.
    signed_in_head: Option<DeviceHead>,
    /// Hub clock minus ours at the last authentication, in ms.
    pub clock_offset_ms: i64,
}

fn network(e: reqwest::Error) -> SyncError {
    // A certificate the device does not trust is not a network fault to
    // retry: it is a hub that is not the county's (or a clock far off).
    let mut cause: Option<&dyn std::error::Error> = Some(&e);
    while let Some(c) = cause {
        let text = c.to_string();
        if text.contains("certificate")
            || text.contains("Certificate")
            || text.contains("UnknownIssuer")
        {
            return SyncError::Insecure(format!(
                "同步中心的证书不受信任（不是所配置的证书机构签发的，或已过期、与地址不符）：{text}"
            ));
        }
        cause = c.source();
    }
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

/// Makes rustls use the ring provider; done once, before any client.
pub fn tls_init() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// How a device reaches its hub: the county's CA to trust (instead of the
/// public ones) when it runs its own, and whether plain HTTP to another
/// machine is allowed (a village LAN with no certificate, by decision).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Transport {
    pub ca_pem: Option<String>,
    pub allow_http: bool,
}

/// Refuses a hub address that would send personal data in the clear: plain
/// HTTP is for this machine only, unless explicitly allowed.
pub fn check_url(base: &str, allow_http: bool) -> Result<()> {
    let b = base.trim();
    if b.starts_with("https://") {
        return Ok(());
    }
    let Some(rest) = b.strip_prefix("http://") else {
        return Err(SyncError::Insecure(format!(
            "同步中心地址“{b}”应以 https:// 开头"
        )));
    };
    let host = rest.split(['/', '?']).next().unwrap_or_default();
    let host = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host.rsplit_once(':').map(|(h, _)| h).unwrap_or(host),
    };
    let local = host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    if local || allow_http {
        Ok(())
    } else {
        Err(SyncError::Insecure(format!(
            "同步中心地址“{b}”不加密，当事人信息会以明文经过网络：请使用 https://，或在确认是内部网络后明确允许不加密的连接"
        )))
    }
}

pub fn http_client(timeout: Duration) -> Result<reqwest::Client> {
    http_client_with(timeout, &Transport::default())
}

/// However slow the link, a request that keeps moving may take this long:
/// the hub's own limit on a request (`request_timeout_secs`).
pub const TRANSFER_LIMIT: Duration = Duration::from_secs(600);

/// A client that gives a connection up when nothing arrives on it for
/// `timeout`, or when a request takes longer than `TRANSFER_LIMIT` (or
/// `timeout`, if longer) in all: a batch on a slow link takes as long as its
/// bytes need.
pub fn http_client_with(timeout: Duration, t: &Transport) -> Result<reqwest::Client> {
    tls_init();
    let mut b = reqwest::Client::builder()
        .read_timeout(timeout)
        .timeout(timeout.max(TRANSFER_LIMIT))
        .connect_timeout(Duration::from_secs(15));
    if let Some(pem) = &t.ca_pem {
        let certs = reqwest::Certificate::from_pem_bundle(pem.as_bytes())
            .map_err(|e| SyncError::Insecure(format!("证书文件无法读取：{e}")))?;
        if certs.is_empty() {
            return Err(SyncError::Insecure("证书文件中没有证书".into()));
        }
        // The county's CA only: a certificate from anyone else is refused.
        b = b.tls_certs_only(certs);
    }
    b.build().map_err(network)
}

/// Enrolls a device with a one-time code.
pub async fn enroll(base: &str, request: &EnrollRequest) -> Result<EnrollResponse> {
    enroll_with(base, request, &Transport::default()).await
}

/// Enrolls over the given transport.
pub async fn enroll_with(
    base: &str,
    request: &EnrollRequest,
    t: &Transport,
) -> Result<EnrollResponse> {
    check_url(base, t.allow_http)?;
    let http = http_client_with(DEFAULT_TIMEOUT, t)?;
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
/// Uploads a batch carried in a bundle: a sealed one for the hub to open,
/// a plain one (an older bundle) as it is.
pub async fn upload_carried(base: &str, batch: crate::bundle::Carried) -> Result<BatchAck> {
    check_url(base, false)?;
    let http = http_client(DEFAULT_TIMEOUT)?;
    let (path, batch) = match batch {
        crate::bundle::Carried::Sealed(b) => ("v1/sealed-batches", b),
        crate::bundle::Carried::Plain(b) => ("v1/batches", b),
    };
    let resp = http
        .post(format!("{}/{path}", base.trim_end_matches('/')))
        .header(reqwest::header::CONTENT_TYPE, BATCH_MEDIA_TYPE)
        .body(batch)
        .send()
        .await
        .map_err(network)?;
    check(resp).await?.json().await.map_err(network)
}

impl HubClient {
    pub fn new(base: &str, device_id: Uuid, key: DeviceKey, timeout: Duration) -> Result<Self> {
        Self::with_transport(base, device_id, key, timeout, &Transport::default())
    }

    pub fn with_transport(
        base: &str,
        device_id: Uuid,
        key: DeviceKey,
        timeout: Duration,
        t: &Transport,
    ) -> Result<Self> {
        check_url(base, t.allow_http)?;
        Ok(HubClient {
            base: base.trim_end_matches('/').to_string(),
            http: http_client_with(timeout, t)?,
            device_id,
            key,
            token: None,
            signed_in_head: None,
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
        self.signed_in_head = resp.head.clone().filter(|h| h.device_id == self.device_id);
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
        // Fresh from the sign-in just made: no need to ask again.
        if device == self.device_id
            && let Some(head) = self.signed_in_head.take()
        {
            return Ok(head);
        }
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

    /// Uploads a stream of batches (`stream::push_frame`); the hub commits
    /// each as it arrives whole, and answers after the last.
    pub async fn upload_stream(&mut self, body: Vec<u8>) -> Result<BatchAck> {
        let token = self.token().await?;
        let resp = self
            .http
            .post(self.url("/v1/batches/stream"))
            .bearer_auth(token)
            .header(
                reqwest::header::CONTENT_TYPE,
                crate::stream::BATCH_STREAM_MEDIA_TYPE,
            )
            .body(body)
            .send()
            .await
            .map_err(network)?;
        check(resp).await?.json().await.map_err(network)
    }

    /// This unit's feed after `after` as a stream of frames, to be read
    /// with `next_chunk` as it arrives.
    pub async fn feed_stream(&mut self, after: i64) -> Result<reqwest::Response> {
        self.get(&format!("/v1/feed/stream?after={after}")).await
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

/// The next piece of a response body as it comes off the connection;
/// `None` at its end. A cut connection is a network error.
pub async fn next_chunk(resp: &mut reqwest::Response) -> Result<Option<Vec<u8>>> {
    Ok(resp.chunk().await.map_err(network)?.map(|b| b.to_vec()))
}

#[cfg(test)]
mod transport_tests {
    use super::check_url;

    #[test]
    fn plain_http_only_to_this_machine_unless_allowed() {
        for ok in [
            "https://hub.example:8600",
            "http://127.0.0.1:8600",
            "http://localhost:1",
            "http://[::1]:80/x",
        ] {
            assert!(check_url(ok, false).is_ok(), "{ok}");
        }
        for bad in [
            "http://192.168.1.10:8600",
            "http://hub.county.gov.cn",
            "ftp://x",
            "192.168.1.10:8600",
        ] {
            let e = check_url(bad, false).unwrap_err();
            assert_eq!(e.code(), "insecure", "{bad}");
        }
        assert!(check_url("http://192.168.1.10:8600", true).is_ok());
    }
}
