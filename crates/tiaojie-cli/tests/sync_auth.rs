//! What the hub refuses: a village reading a sibling's data on every
//! endpoint or writing anything the sibling did not sign, bad and replayed
//! signatures, forged units, spent and expired enrollment codes, oversized
//! and malformed bodies, bad tokens and revoked devices. Each refusal is a
//! clear 4xx with a Chinese message, and nothing is stored.

mod support;

use serde_json::Value;
use support::devices::*;
use support::hub::{Backend, Hub};
use tiaojie_ledger::chain;
use tiaojie_sync::engine;
use tiaojie_sync::frame;
use tiaojie_sync::keys::DeviceKey;
use uuid::Uuid;

struct Caller {
    base: String,
    http: reqwest::Client,
    token: String,
}

struct Answer {
    status: u16,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    /// A refusal: the status, and our error body with a Chinese message.
    fn refused(&self, status: u16, code: &str) {
        let body = self.json();
        assert_eq!(self.status, status, "{body}");
        assert_eq!(body["error"]["code"], code, "{body}");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(
            message
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "not Chinese: {message}"
        );
    }
}

impl Caller {
    async fn new(hub: &Hub, d: &Device) -> Caller {
        let mut client = engine::client(&d.ledger).unwrap();
        let token = client.authenticate().await.unwrap().token;
        Caller {
            base: hub.url.clone(),
            http: {
                tiaojie_sync::client::tls_init();
                reqwest::Client::new()
            },
            token,
        }
    }

    async fn get(&self, path: &str) -> Answer {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        Answer {
            status: r.status().as_u16(),
            body: r.bytes().await.unwrap().to_vec(),
        }
    }

    async fn post(&self, path: &str, body: Vec<u8>, content_type: &str) -> Answer {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        Answer {
            status: r.status().as_u16(),
            body: r.bytes().await.unwrap().to_vec(),
        }
    }
}

fn key_of(d: &Device) -> DeviceKey {
    engine::enrollment(&d.ledger).unwrap().key
}

fn id_of(d: &Device) -> Uuid {
    d.ledger.device().unwrap().device_id
}

/// A batch of `d`'s events after `after`, signed with `key`.
fn batch(d: &Device, key: &DeviceKey, after: i64, edit: impl Fn(&mut Value)) -> Vec<u8> {
    let events = d.ledger.own_events_after(after, 100).unwrap();
    let raws: Vec<Vec<u8>> = events
        .iter()
        .map(|e| {
            let mut v: Value = serde_json::from_slice(&e.raw).unwrap();
            edit(&mut v);
            serde_json::to_vec(&v).unwrap()
        })
        .collect();
    let prev = chain::from_hex(&d.ledger.own_link(after).unwrap().unwrap()).unwrap();
    frame::encode_batch(key, id_of(d), after + 1, &prev, &raws)
}

const BATCH: &str = "application/x-tiaojie-batch";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hub_refuses_what_it_must() {
    let hub = Hub::start_with_config(Backend::Sqlite, Some("[limits]\nmax_body_bytes = 65536\n"));
    hub.add_unit(DISTRICT, "青山区矛盾纠纷调解中心", 3, None);
    hub.add_unit(STATION, "青山派出所调解中心", 2, Some(DISTRICT));
    hub.add_unit(&village_code(0), "青山村调解室", 1, Some(STATION));
    hub.add_unit(&village_code(1), "白石村调解室", 1, Some(STATION));
    let mut a = device(&hub, &village_code(0), 1).await;
    let mut b = device(&hub, &village_code(1), 1).await;
    work(&mut a, 2);
    work(&mut b, 2);
    sync_until_done(&mut a, &hub.url).await;
    sync_until_done(&mut b, &hub.url).await;
    let stored = hub_event_count(&hub).await;
    let as_a = Caller::new(&hub, &a).await;
    let as_b = Caller::new(&hub, &b).await;
    let (a_id, b_id) = (id_of(&a), id_of(&b));

    // A sibling's head and own events: refused.
    as_a.get(&format!("/v1/devices/{b_id}/head"))
        .await
        .refused(403, "forbidden");
    as_a.get(&format!("/v1/devices/{b_id}/events"))
        .await
        .refused(403, "forbidden");
    assert_eq!(
        as_a.get(&format!("/v1/devices/{a_id}/head")).await.status,
        200
    );

    // The feed of A carries nothing of B's.
    let page = as_a.get("/v1/feed?after=0").await;
    assert_eq!(page.status, 200);
    let (_, events) = frame::decode_feed(&page.body).unwrap();
    assert!(!events.is_empty());
    for e in &events {
        let v: Value = serde_json::from_slice(e).unwrap();
        assert_ne!(
            v["device"],
            b_id.to_string(),
            "A's feed carried B's event {v}"
        );
        assert_ne!(
            v["device"],
            a_id.to_string(),
            "A's feed sent A's own event back"
        );
    }

    // B writes more. A batch claiming to be B's but signed with A's key is
    // refused, whoever sends it; one changed byte too.
    work(&mut b, 1);
    let b_head = b
        .ledger
        .sync_value(engine::KEY_ACKED)
        .unwrap()
        .unwrap()
        .parse::<i64>()
        .unwrap();
    let genuine = batch(&b, &key_of(&b), b_head, |_| {});
    as_a.post("/v1/batches", batch(&b, &key_of(&a), b_head, |_| {}), BATCH)
        .await
        .refused(401, "unauthorized");
    as_b.post("/v1/batches", batch(&b, &key_of(&a), b_head, |_| {}), BATCH)
        .await
        .refused(401, "unauthorized");
    let mut tampered = genuine.clone();
    let last = tampered.len() - 3;
    tampered[last] ^= 0x20;
    as_b.post("/v1/batches", tampered, BATCH)
        .await
        .refused(401, "unauthorized");
    assert_eq!(
        hub_event_count(&hub).await,
        stored,
        "a refused batch stored something"
    );

    // B's genuinely signed batch is taken from any carrier (here A, as a
    // USB stick would be): A can relay B's bytes, not change or read them.
    let first = as_a.post("/v1/batches", genuine.clone(), BATCH).await;
    assert_eq!(first.status, 200, "{}", first.json());
    let after_upload = hub_event_count(&hub).await;
    assert_eq!(after_upload, stored + 5);
    let (_, events) = frame::decode_feed(&as_a.get("/v1/feed?after=0").await.body).unwrap();
    assert!(
        events
            .iter()
            .all(|e| !String::from_utf8_lossy(e).contains(&b_id.to_string()))
    );
    // A replay changes nothing and gets the same acknowledgement.
    let replay = as_b.post("/v1/batches", genuine.clone(), BATCH).await;
    assert_eq!(replay.status, 200);
    assert_eq!(replay.json()["acked_seq"], first.json()["acked_seq"]);
    assert_eq!(replay.json()["last_hash"], first.json()["last_hash"]);
    assert_eq!(replay.json()["stored"], 0);
    assert_eq!(replay.json()["duplicates"], 5);
    // The same sequence numbers with other content, properly signed: refused.
    let altered = batch(&b, &key_of(&b), b_head, |v| {
        if v["body"]["kind"] == "case_opened" {
            v["body"]["intake"]["facts"] = Value::from("改过的事实");
        }
    });
    let answer = as_b.post("/v1/batches", altered, BATCH).await;
    answer.refused(409, "chain_mismatch");
    assert_eq!(
        answer.json()["error"]["head"]["acked_seq"],
        first.json()["acked_seq"]
    );
    assert_eq!(hub_event_count(&hub).await, after_upload);

    // A forges the unit of its event: kept aside with the reason, sent nowhere.
    work(&mut a, 1);
    let a_head = a
        .ledger
        .sync_value(engine::KEY_ACKED)
        .unwrap()
        .unwrap()
        .parse::<i64>()
        .unwrap();
    let forged = batch(&a, &key_of(&a), a_head, |v| {
        v["unit"] = Value::from(village_code(1))
    });
    let ack = as_a.post("/v1/batches", forged, BATCH).await;
    assert_eq!(ack.status, 200);
    let quarantined = ack.json()["quarantined"].as_array().unwrap().clone();
    assert_eq!(quarantined.len(), 5);
    assert!(
        quarantined[0]["reason"].as_str().unwrap().contains("单位"),
        "{quarantined:?}"
    );
    assert_eq!(hub_event_count(&hub).await, after_upload);
    let listed = hub.admin(&["quarantine"]);
    assert_eq!(listed.as_array().unwrap().len(), 5);

    // Oversized and malformed bodies.
    as_a.post("/v1/batches", vec![7u8; 70_000], BATCH)
        .await
        .refused(413, "too_large");
    as_a.post("/v1/batches", b"TJB1garbage".to_vec(), BATCH)
        .await
        .refused(400, "bad_request");
    as_a.post("/v1/enroll", b"{\"code\": ".to_vec(), "application/json")
        .await
        .refused(400, "bad_request");
    as_a.post("/v1/auth", b"[]".to_vec(), "application/json")
        .await
        .refused(400, "bad_request");
    as_a.get("/v1/feed?after=-1")
        .await
        .refused(400, "bad_request");

    // Enrollment codes: unknown, spent, expired, another unit's.
    let enroll = |code: &str, unit: &str| {
        serde_json::to_vec(&serde_json::json!({
            "code": code, "device_id": Uuid::now_v7(), "public_key": DeviceKey::generate().public_text(),
            "unit_code": unit, "label": "新电脑"
        }))
        .unwrap()
    };
    as_a.post(
        "/v1/enroll",
        enroll("ZZZZ-ZZZZ-ZZZZ", &village_code(0)),
        "application/json",
    )
    .await
    .refused(404, "not_found");
    let code = hub.enroll_code(&village_code(0));
    let other_unit = as_a
        .post(
            "/v1/enroll",
            enroll(&code, &village_code(1)),
            "application/json",
        )
        .await;
    other_unit.refused(400, "bad_request");
    assert_eq!(
        as_a.post(
            "/v1/enroll",
            enroll(&code, &village_code(0)),
            "application/json"
        )
        .await
        .status,
        200
    );
    as_a.post(
        "/v1/enroll",
        enroll(&code, &village_code(0)),
        "application/json",
    )
    .await
    .refused(409, "conflict");
    let stale = hub.enroll_code(&village_code(0));
    let db = rusqlite::Connection::open(hub.sqlite_path().unwrap()).unwrap();
    db.execute(
        "UPDATE enroll_codes SET expires_at = '2020-01-01T00:00:00+00:00' WHERE used_at IS NULL",
        [],
    )
    .unwrap();
    as_a.post(
        "/v1/enroll",
        enroll(&stale, &village_code(0)),
        "application/json",
    )
    .await
    .refused(410, "gone");
    // An enrolled device id cannot enroll twice.
    let again = hub.enroll_code(&village_code(0));
    let twice = serde_json::to_vec(&serde_json::json!({
        "code": again, "device_id": a_id, "public_key": DeviceKey::generate().public_text(),
        "unit_code": village_code(0), "label": "复制的台账"
    }))
    .unwrap();
    as_a.post("/v1/enroll", twice, "application/json")
        .await
        .refused(409, "conflict");

    // Tokens: forged, and a revoked device.
    let forged_token = Caller {
        token: as_a.token.replace(&a_id.to_string(), &b_id.to_string()),
        ..Caller::new(&hub, &a).await
    };
    forged_token
        .get("/v1/feed")
        .await
        .refused(401, "unauthorized");
    hub.admin(&["device", "revoke", &b_id.to_string()]);
    as_b.get("/v1/feed").await.refused(403, "forbidden");
    let mut b_client = engine::client(&b.ledger).unwrap();
    let refused = b_client.authenticate().await.unwrap_err();
    assert_eq!(refused.code(), "forbidden");
    // Nor does a revoked device's batch get in through a carrier.
    work(&mut b, 1);
    let b_acked = first.json()["acked_seq"].as_i64().unwrap();
    as_a.post(
        "/v1/batches",
        batch(&b, &key_of(&b), b_acked, |_| {}),
        BATCH,
    )
    .await
    .refused(403, "forbidden");
    assert_eq!(hub_event_count(&hub).await, after_upload);
}

/// Guessing enrollment codes costs time: past the limit per address the
/// hub answers 429 with Retry-After.
#[tokio::test]
async fn enrollment_guesses_are_rate_limited() {
    let hub = Hub::start_with_config(
        Backend::Sqlite,
        Some("[limits]\nauth_per_minute = 5\nlimit_loopback = true\n"),
    );
    hub.add_unit(DISTRICT, "青山区矛盾纠纷调解中心", 3, None);
    tiaojie_sync::client::tls_init();
    let http = reqwest::Client::new();
    let mut statuses = Vec::new();
    for i in 0..8 {
        let body = serde_json::json!({
            "code": format!("AAAA-BBBB-{i:04}"),
            "public_key": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            "label": "猜测",
        });
        let r = http
            .post(format!("{}/v1/enroll", hub.url))
            .json(&body)
            .send()
            .await
            .unwrap();
        let retry = r.headers().get("retry-after").cloned();
        let status = r.status().as_u16();
        if status == 429 {
            assert!(retry.is_some(), "429 without Retry-After");
            let v: Value = r.json().await.unwrap();
            assert_eq!(v["error"]["code"], "too_many_requests");
            assert!(
                v["error"]["message"]
                    .as_str()
                    .unwrap()
                    .contains("请求过于频繁")
            );
        }
        statuses.push(status);
    }
    assert!(statuses[..5].iter().all(|s| *s != 429), "{statuses:?}");
    assert!(statuses[5..].iter().all(|s| *s == 429), "{statuses:?}");
    // The sync routes are not limited by address.
    let health = http
        .get(format!("{}/healthz", hub.url))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
}

/// The hub's log, at info level, through uploads, a quarantined event and
/// refused requests that carry names and ID numbers: none of them is in it.
#[tokio::test]
async fn the_hub_log_keeps_no_personal_data() {
    let hub = Hub::start_logged();
    hub.add_unit(DISTRICT, "青山区矛盾纠纷调解中心", 3, None);
    hub.add_unit(STATION, "青山派出所调解中心", 2, Some(DISTRICT));
    hub.add_unit(&village_code(0), "青山村调解室", 1, Some(STATION));
    let mut a = device(&hub, &village_code(0), 1).await;
    work(&mut a, 5);
    sync_until_done(&mut a, &hub.url).await;
    let as_a = Caller::new(&hub, &a).await;
    // An event the hub cannot read, with a name and an ID number in it.
    let acked = as_a
        .get(&format!("/v1/devices/{}/head", id_of(&a)))
        .await
        .json()["acked_seq"]
        .as_i64()
        .unwrap();
    work(&mut a, 1);
    let bad = batch(&a, &key_of(&a), acked, |event| {
        event["seq"] = serde_json::json!("欧阳青松430302198001010012");
    });
    let r = as_a.post("/v1/batches", bad, BATCH).await;
    assert!(r.status >= 200, "{}", r.status);
    // A malformed request with the same values.
    as_a.post(
        "/v1/enroll",
        "{\"code\": \"欧阳青松\", \"public_key\": 430302198001010012}".into(),
        "application/json",
    )
    .await;
    drop(as_a);
    let log = std::fs::read_to_string(hub.log.as_ref().unwrap()).unwrap();
    assert!(
        log.contains("batch stored"),
        "the log is not being written:\n{log}"
    );
    for secret in [
        "欧阳青松",
        "430302198001010012",
        "张0",
        "13800138000",
        "排水沟",
    ] {
        assert!(!log.contains(secret), "{secret} in the hub's log:\n{log}");
    }
}

/// A client that starts a request and stalls is answered 408 when the
/// request timeout runs out, and the hub goes on serving others.
#[tokio::test]
async fn a_stalled_request_times_out() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let hub = Hub::start_with_config(
        Backend::Sqlite,
        Some("[limits]\nrequest_timeout_secs = 1\n"),
    );
    let addr = hub.url.trim_start_matches("http://").to_string();
    let mut s = tokio::net::TcpStream::connect(&addr).await.unwrap();
    s.write_all(
        b"POST /v1/batches HTTP/1.1\r\nHost: hub\r\nContent-Type: application/x-tiaojie-batch\r\nContent-Length: 1000\r\n\r\nTJB1",
    )
    .await
    .unwrap();
    let started = std::time::Instant::now();
    let mut answer = vec![0u8; 512];
    let n = tokio::time::timeout(std::time::Duration::from_secs(20), s.read(&mut answer))
        .await
        .expect("no answer within 20 s")
        .unwrap();
    let text = String::from_utf8_lossy(&answer[..n]);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(started.elapsed() >= std::time::Duration::from_millis(900));
    tiaojie_sync::client::tls_init();
    let health = reqwest::get(format!("{}/healthz", hub.url)).await.unwrap();
    assert_eq!(health.status(), 200);
}

/// A SQLite hub with the tree down to one village, and that village's
/// enrolled device.
async fn hub_with_a_village() -> (Hub, Device) {
    let hub = Hub::start(Backend::Sqlite);
    hub.add_unit(DISTRICT, "青山区矛盾纠纷调解中心", 3, None);
    hub.add_unit(STATION, "青山派出所调解中心", 2, Some(DISTRICT));
    hub.add_unit(&village_code(0), "青山村调解室", 1, Some(STATION));
    let a = device(&hub, &village_code(0), 1).await;
    (hub, a)
}

/// A query string or a path that does not parse is answered in the hub's
/// JSON error shape, like every other refusal.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_queries_and_paths_are_answered_in_json() {
    let (hub, a) = hub_with_a_village().await;
    let caller = Caller::new(&hub, &a).await;
    caller
        .get("/v1/feed?after=abc")
        .await
        .refused(400, "bad_request");
    caller
        .get("/v1/feed?after=1&limit=-5")
        .await
        .refused(400, "bad_request");
    caller
        .get("/v1/devices/not-a-uuid/head")
        .await
        .refused(400, "bad_request");
    caller
        .get(&format!("/v1/devices/{}/events?after=x", id_of(&a)))
        .await
        .refused(400, "bad_request");
}

/// Connections that never finish their headers are closed when the header
/// timeout runs out, and one address holds at most its share of
/// connections: hundreds of them from one machine leave the hub answering
/// everyone else.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_headers_are_cut_and_one_address_gets_its_share() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let hub = Hub::start_with_config(
        Backend::Sqlite,
        Some(
            "[limits]\nheader_timeout_secs = 2\nconnections_per_address = 16\nlimit_loopback = true\n",
        ),
    );
    let addr: std::net::SocketAddr = hub.url.trim_start_matches("http://").parse().unwrap();
    // The attacker: 127.0.0.2, a header that never ends, 300 times.
    let mut slow = Vec::new();
    for _ in 0..300 {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind("127.0.0.2:0".parse().unwrap()).unwrap();
        let mut s = socket.connect(addr).await.unwrap();
        let _ = s.write_all(b"GET /healthz HTTP/1.1\r\nHost: hub\r\n").await;
        slow.push(s);
    }
    // Everyone else still gets in at once.
    let started = std::time::Instant::now();
    tiaojie_sync::client::tls_init();
    let health = reqwest::get(format!("{}/healthz", hub.url)).await.unwrap();
    assert_eq!(health.status(), 200);
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    // At most 16 of the 300 were held; the rest closed as they came.
    let mut open = 0;
    for s in &mut slow {
        let mut byte = [0u8; 1];
        let waited =
            tokio::time::timeout(std::time::Duration::from_millis(20), s.read(&mut byte)).await;
        if waited.is_err() {
            open += 1;
        }
    }
    assert!(open <= 16, "{open} slow connections held");
    assert!(open > 0, "none held: the cap was not what closed them");
    // And those are closed once the header timeout has passed.
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    for s in &mut slow {
        let mut rest = Vec::new();
        let read =
            tokio::time::timeout(std::time::Duration::from_secs(2), s.read_to_end(&mut rest)).await;
        assert!(
            read.is_ok(),
            "a slow connection is still held after the header timeout"
        );
    }
}

/// A few kilobytes of signed upload whose events expand far past what a
/// batch holds are refused before anything is stored: nothing lands in the
/// quarantine, and the device's head does not move.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_compressed_bomb_is_refused_before_anything_is_written() {
    let (hub, a) = hub_with_a_village().await;
    let caller = Caller::new(&hub, &a).await;
    let key = key_of(&a);
    let filler = vec![b'x'; 500 * 1024];
    let events: Vec<Vec<u8>> = (0..40).map(|_| filler.clone()).collect();
    let prev = chain::from_hex(&a.ledger.own_link(0).unwrap().unwrap()).unwrap();
    let bomb = frame::encode_batch(&key, id_of(&a), 1, &prev, &events);
    assert!(bomb.len() < 64 * 1024, "{} bytes", bomb.len());
    caller
        .post("/v1/batches", bomb, BATCH)
        .await
        .refused(400, "bad_request");
    assert_eq!(hub.admin(&["quarantine"]), serde_json::json!([]));
    let head = caller
        .get(&format!("/v1/devices/{}/head", id_of(&a)))
        .await
        .json();
    assert_eq!(head["acked_seq"], 0, "{head}");
}
