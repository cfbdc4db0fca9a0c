//! Binary frames for batches and feed pages.
//!
//! A batch: `TJB1`, header length (u32 LE), header JSON, a 64-byte Ed25519
//! signature of `TJB1` + header, then the zstd-compressed payload. The
//! header carries the payload's hash, so the signature covers everything
//! and nothing is decompressed before it is checked.
//!
//! A feed page: `TJF1`, header length, header JSON, compressed payload.
//!
//! A payload is the events one after another, each as its length (u32 LE)
//! and its JSON bytes: the exact bytes the chain links cover.

use crate::chain::{self, Link};
use crate::error::{Result, SyncError};
use crate::keys::{self, DeviceKey};
use crate::wire::{BatchHeader, FeedHeader};

pub const BATCH_MAGIC: &[u8; 4] = b"TJB1";
pub const FEED_MAGIC: &[u8; 4] = b"TJF1";
/// No header is larger than this.
pub const MAX_HEADER: usize = 16 * 1024;
/// No single event is larger than this: the ledger's own bound. A batch
/// carries a larger one (an older ledger's) for the hub to quarantine, so
/// that it does not hold up the events after it.
pub const MAX_EVENT: usize = tiaojie_ledger::event::MAX_EVENT_BYTES;
/// No payload decompresses to more than this.
/// A batch or a feed page holds 2 MiB of events by default (and one event
/// more, of at most 512 KB); this leaves room above that and bounds what a
/// few kilobytes of compressed upload can expand to in the hub's memory.
pub const MAX_PAYLOAD: u64 = 8 * 1024 * 1024;
const ZSTD_LEVEL: i32 = 9;

/// A batch that decoded and whose signature checked out.
#[derive(Debug, Clone)]
pub struct Batch {
    pub header: BatchHeader,
    /// Each event's bytes, in sequence order.
    pub events: Vec<Vec<u8>>,
    /// The chain's link after each event (the last is `last_hash`),
    /// computed once when the batch was checked.
    pub links: Vec<Link>,
}

pub fn payload(events: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(events.iter().map(|e| e.len() + 4).sum());
    for e in events {
        out.extend_from_slice(&(e.len() as u32).to_le_bytes());
        out.extend_from_slice(e);
    }
    out
}

fn compress(bytes: &[u8]) -> Vec<u8> {
    zstd::bulk::compress(bytes, ZSTD_LEVEL).expect("compressing to memory cannot fail")
}

fn decompress(bytes: &[u8], expected: u64) -> Result<Vec<u8>> {
    if expected > MAX_PAYLOAD {
        return Err(SyncError::Malformed(format!("数据过大（{expected} 字节）")));
    }
    let out = zstd::bulk::decompress(bytes, expected as usize)
        .map_err(|e| SyncError::Malformed(format!("解压失败：{e}")))?;
    if out.len() as u64 != expected {
        return Err(SyncError::Malformed("解压后的长度与声明不符".into()));
    }
    Ok(out)
}

/// Splits a payload into events, bounded by `count`.
pub fn split_payload(bytes: &[u8], count: u32) -> Result<Vec<Vec<u8>>> {
    let mut out = Vec::with_capacity(count.min(100_000) as usize);
    let mut rest = bytes;
    while !rest.is_empty() {
        if out.len() as u64 >= u64::from(count) {
            return Err(SyncError::Malformed("事件数多于声明".into()));
        }
        let len_bytes: [u8; 4] = rest
            .get(..4)
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| SyncError::Malformed("事件长度被截断".into()))?;
        let len = u32::from_le_bytes(len_bytes) as usize;
        let body = rest
            .get(4..4 + len)
            .ok_or_else(|| SyncError::Malformed("事件内容被截断".into()))?;
        out.push(body.to_vec());
        rest = &rest[4 + len..];
    }
    if out.len() as u64 != u64::from(count) {
        return Err(SyncError::Malformed("事件数少于声明".into()));
    }
    Ok(out)
}

/// Encodes and signs a batch of one device's consecutive events.
pub fn encode_batch(
    key: &DeviceKey,
    device_id: uuid::Uuid,
    first_seq: i64,
    prev: &Link,
    events: &[Vec<u8>],
) -> Vec<u8> {
    let mut link = *prev;
    for e in events {
        link = chain::next(&link, e);
    }
    let raw = payload(events);
    let compressed = compress(&raw);
    let header = BatchHeader {
        device_id,
        first_seq,
        count: events.len() as u32,
        prev_hash: chain::to_hex(prev),
        last_hash: chain::to_hex(&link),
        payload_sha256: hex::encode(chain::sha256(&compressed)),
        payload_len: raw.len() as u64,
    };
    let header_json = serde_json::to_vec(&header).expect("a header always serialises");
    let mut signed = Vec::with_capacity(4 + header_json.len());
    signed.extend_from_slice(BATCH_MAGIC);
    signed.extend_from_slice(&header_json);
    let signature = key.sign(&signed);
    let mut out = Vec::with_capacity(8 + header_json.len() + 64 + compressed.len());
    out.extend_from_slice(BATCH_MAGIC);
    out.extend_from_slice(&(header_json.len() as u32).to_le_bytes());
    out.extend_from_slice(&header_json);
    out.extend_from_slice(&signature);
    out.extend_from_slice(&compressed);
    out
}

/// Reads a batch's header without checking anything, to find the key that
/// must verify it.
pub fn peek_batch_header(bytes: &[u8]) -> Result<BatchHeader> {
    let (header, _) = split_header(bytes, BATCH_MAGIC)?;
    Ok(header)
}

fn split_header<'a, H: serde::de::DeserializeOwned>(
    bytes: &'a [u8],
    magic: &[u8; 4],
) -> Result<(H, &'a [u8])> {
    if bytes.get(..4) != Some(magic.as_slice()) {
        return Err(SyncError::Malformed("不是同步数据（标识不符）".into()));
    }
    let len_bytes: [u8; 4] = bytes
        .get(4..8)
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| SyncError::Malformed("数据被截断".into()))?;
    let len = u32::from_le_bytes(len_bytes) as usize;
    if len > MAX_HEADER {
        return Err(SyncError::Malformed("头部过大".into()));
    }
    let header_bytes = bytes
        .get(8..8 + len)
        .ok_or_else(|| SyncError::Malformed("头部被截断".into()))?;
    let header = serde_json::from_slice(header_bytes)
        .map_err(|e| SyncError::Malformed(format!("头部格式错误：{e}")))?;
    Ok((header, &bytes[8 + len..]))
}

/// Decodes a batch, checks its signature with `public_key`, its payload hash
/// and its chain from `prev_hash` to `last_hash`.
pub fn decode_batch(bytes: &[u8], public_key: &str) -> Result<Batch> {
    let (header, rest): (BatchHeader, &[u8]) = split_header(bytes, BATCH_MAGIC)?;
    let header_len = bytes.len() - rest.len();
    let signature = rest
        .get(..64)
        .ok_or_else(|| SyncError::Malformed("签名被截断".into()))?;
    keys::verify(
        public_key,
        &[BATCH_MAGIC.as_slice(), &bytes[8..header_len]].concat(),
        signature,
    )?;
    let compressed = &rest[64..];
    if hex::encode(chain::sha256(compressed)) != header.payload_sha256 {
        return Err(SyncError::BadSignature("内容与签名时不一致".into()));
    }
    if header.count == 0 || header.first_seq < 1 {
        return Err(SyncError::Malformed("批次为空或序号无效".into()));
    }
    // The last event's number must be a number too.
    if header
        .first_seq
        .checked_add(i64::from(header.count))
        .is_none()
    {
        return Err(SyncError::Malformed(format!(
            "批次的起始序号 {} 超出范围",
            header.first_seq
        )));
    }
    let events = split_payload(&decompress(compressed, header.payload_len)?, header.count)?;
    let prev = chain::from_hex(&header.prev_hash)
        .ok_or_else(|| SyncError::Malformed("链接哈希格式不对".into()))?;
    let mut link = prev;
    let links: Vec<Link> = events
        .iter()
        .map(|e| {
            link = chain::next(&link, e);
            link
        })
        .collect();
    if chain::to_hex(&link) != header.last_hash {
        return Err(SyncError::Malformed("事件链与批次头不符".into()));
    }
    Ok(Batch {
        header,
        events,
        links,
    })
}

/// The feed frame's header: the page's header and the payload size.
#[derive(serde::Serialize, serde::Deserialize)]
struct FeedFrameHeader {
    #[serde(flatten)]
    header: FeedHeader,
    payload_len: u64,
}

pub fn encode_feed(cursor: i64, more: bool, events: &[Vec<u8>]) -> Vec<u8> {
    let raw = payload(events);
    let header = FeedFrameHeader {
        header: FeedHeader {
            cursor,
            more,
            count: events.len() as u32,
        },
        payload_len: raw.len() as u64,
    };
    let header_bytes = serde_json::to_vec(&header).expect("a header always serialises");
    let compressed = compress(&raw);
    let mut out = Vec::with_capacity(8 + header_bytes.len() + compressed.len());
    out.extend_from_slice(FEED_MAGIC);
    out.extend_from_slice(&(header_bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(&header_bytes);
    out.extend_from_slice(&compressed);
    out
}

pub fn decode_feed(bytes: &[u8]) -> Result<(FeedHeader, Vec<Vec<u8>>)> {
    let (frame, rest): (FeedFrameHeader, &[u8]) = split_header(bytes, FEED_MAGIC)?;
    let events = split_payload(&decompress(rest, frame.payload_len)?, frame.header.count)?;
    Ok((frame.header, events))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events() -> Vec<Vec<u8>> {
        vec![
            b"{\"a\":1}".to_vec(),
            b"{\"b\":2}".to_vec(),
            "{\"c\":\"张三\"}".as_bytes().to_vec(),
        ]
    }

    #[test]
    fn batch_round_trip() {
        let key = DeviceKey::from_seed([7; 32]);
        let id = uuid::Uuid::nil();
        let bytes = encode_batch(&key, id, 5, &chain::GENESIS, &events());
        let batch = decode_batch(&bytes, &key.public_text()).unwrap();
        assert_eq!(batch.events, events());
        assert_eq!(batch.header.first_seq, 5);
        assert_eq!(batch.header.last_seq(), 7);
        assert_eq!(peek_batch_header(&bytes).unwrap(), batch.header);
    }

    #[test]
    fn any_changed_byte_or_other_key_is_refused() {
        let key = DeviceKey::from_seed([7; 32]);
        let bytes = encode_batch(&key, uuid::Uuid::nil(), 1, &chain::GENESIS, &events());
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0x01;
            assert!(
                decode_batch(&b, &key.public_text()).is_err(),
                "byte {i} changed unnoticed"
            );
        }
        let other = DeviceKey::from_seed([8; 32]);
        assert!(matches!(
            decode_batch(&bytes, &other.public_text()),
            Err(SyncError::BadSignature(_))
        ));
        assert!(decode_batch(&bytes[..bytes.len() - 1], &key.public_text()).is_err());
    }

    #[test]
    fn a_first_number_at_the_end_of_the_range_is_refused_not_overflowed() {
        let key = DeviceKey::from_seed([7; 32]);
        for first in [i64::MAX, i64::MAX - 1] {
            let bytes = encode_batch(&key, uuid::Uuid::nil(), first, &chain::GENESIS, &events());
            let err = decode_batch(&bytes, &key.public_text()).unwrap_err();
            assert!(err.to_string().contains("超出范围"), "{err}");
        }
    }

    #[test]
    fn feed_round_trip() {
        let bytes = encode_feed(42, true, &events());
        let (h, evs) = decode_feed(&bytes).unwrap();
        assert_eq!((h.cursor, h.more, h.count), (42, true, 3));
        assert_eq!(evs, events());
        let empty = encode_feed(0, false, &[]);
        assert_eq!(decode_feed(&empty).unwrap().1.len(), 0);
    }

    #[test]
    fn declared_sizes_are_bounded() {
        let mut p = Vec::new();
        p.extend_from_slice(&(u32::MAX).to_le_bytes());
        assert!(split_payload(&p, 1).is_err());
        assert!(split_payload(&payload(&events()), 2).is_err());
        assert!(split_payload(&payload(&events()), 4).is_err());
        assert!(decompress(&[0; 10], MAX_PAYLOAD + 1).is_err());
    }
}
