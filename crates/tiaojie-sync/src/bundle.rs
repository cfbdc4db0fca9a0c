//! A bundle: a device's signed batches in one file, to be carried on a USB
//! stick to any machine that is online. The hub takes the batches on their
//! signatures, exactly as if the device had sent them itself.
//!
//! Layout: `TJBUNDL2`, the number of batches (u32 LE), then each batch as
//! its length (u32 LE) and its frame (see `frame`) sealed to the hub (see
//! `seal`): only the hub can read what the stick carries. `TJBUNDL1`, the
//! same with plain frames, is what older versions wrote; it is still read.

use crate::error::{Result, SyncError};
use crate::frame;
use crate::keys::DeviceKey;
use tiaojie_ledger::{Ledger, chain};

pub const BUNDLE_MAGIC: &[u8; 8] = b"TJBUNDL2";
const PLAIN_MAGIC: &[u8; 8] = b"TJBUNDL1";
/// Events per batch in a bundle.
const PER_BATCH: u32 = 2_000;
/// No bundle holds more batches than this.
const MAX_BATCHES: u32 = 100_000;

/// What a bundle holds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BundleSummary {
    pub batches: usize,
    pub events: usize,
    pub first_seq: i64,
    pub last_seq: i64,
    pub bytes: usize,
}

/// One batch as a bundle carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Carried {
    /// Sealed to the hub: only the hub opens it.
    Sealed(Vec<u8>),
    /// A plain frame, from an older bundle.
    Plain(Vec<u8>),
}

/// This device's events after `after_seq`, signed in batches, each sealed
/// to the hub whose public key is `hub_public`.
pub fn write(
    ledger: &Ledger,
    key: &DeviceKey,
    after_seq: i64,
    hub_public: &str,
) -> Result<(Vec<u8>, BundleSummary)> {
    let device = ledger.device()?;
    let mut batches = Vec::new();
    let mut acked = after_seq;
    let mut prev = ledger
        .own_link(after_seq)?
        .and_then(|l| chain::from_hex(&l))
        .ok_or_else(|| SyncError::Malformed(format!("本机没有第{after_seq}条记录")))?;
    let mut events = 0;
    loop {
        let own = ledger.own_events_after(acked, PER_BATCH)?;
        let Some(last) = own.last() else { break };
        let raws: Vec<Vec<u8>> = own.iter().map(|e| e.raw.clone()).collect();
        let frame = frame::encode_batch(key, device.device_id, acked + 1, &prev, &raws);
        batches.push(crate::seal::seal(hub_public, &frame)?);
        events += own.len();
        acked = last.seq;
        prev = chain::from_hex(&last.link).unwrap_or(chain::GENESIS);
    }
    let mut out = Vec::new();
    out.extend_from_slice(BUNDLE_MAGIC);
    out.extend_from_slice(&(batches.len() as u32).to_le_bytes());
    for b in &batches {
        out.extend_from_slice(&(b.len() as u32).to_le_bytes());
        out.extend_from_slice(b);
    }
    let summary = BundleSummary {
        batches: batches.len(),
        events,
        first_seq: after_seq + 1,
        last_seq: acked,
        bytes: out.len(),
    };
    Ok((out, summary))
}

/// The batches of a bundle, unverified (the hub checks each).
pub fn read(bytes: &[u8]) -> Result<Vec<Carried>> {
    let bad = |what: &str| SyncError::Malformed(format!("同步包{what}"));
    let sealed = match bytes.get(..8) {
        Some(m) if m == BUNDLE_MAGIC.as_slice() => true,
        Some(m) if m == PLAIN_MAGIC.as_slice() => false,
        _ => return Err(bad("标识不符，不是调解台账的同步包")),
    };
    let count = u32::from_le_bytes(
        bytes
            .get(8..12)
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| bad("被截断"))?,
    );
    if count > MAX_BATCHES {
        return Err(bad("声明的批次数过多"));
    }
    let mut rest = &bytes[12..];
    let mut out = Vec::with_capacity(count.min(1_000) as usize);
    for _ in 0..count {
        let len = u32::from_le_bytes(
            rest.get(..4)
                .and_then(|b| b.try_into().ok())
                .ok_or_else(|| bad("被截断"))?,
        ) as usize;
        let batch = rest.get(4..4 + len).ok_or_else(|| bad("被截断"))?;
        out.push(if sealed {
            Carried::Sealed(batch.to_vec())
        } else {
            Carried::Plain(batch.to_vec())
        });
        rest = &rest[4 + len..];
    }
    if !rest.is_empty() {
        return Err(bad("末尾有多余的数据"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundles_round_trip_and_refuse_garbage() {
        let mut l = Ledger::open_in_memory().unwrap();
        l.init(
            tiaojie_ledger::domain::unit::UnitSpec::new(
                "430302001001",
                "青山村调解室",
                None,
                1,
                None,
            ),
            0,
        )
        .unwrap();
        let key = DeviceKey::from_seed([1; 32]);
        let hub = DeviceKey::from_seed([2; 32]);
        let (bytes, summary) = write(&l, &key, 0, &hub.public_text()).unwrap();
        assert_eq!(
            (
                summary.batches,
                summary.events,
                summary.first_seq,
                summary.last_seq
            ),
            (1, 1, 1, 1)
        );
        let batches = read(&bytes).unwrap();
        let Carried::Sealed(sealed) = &batches[0] else {
            panic!("a new bundle is sealed")
        };
        assert!(frame::decode_batch(sealed, &key.public_text()).is_err());
        let opened = crate::seal::open(&hub, sealed).unwrap();
        let batch = frame::decode_batch(&opened, &key.public_text()).unwrap();
        assert_eq!(batch.header.first_seq, 1);
        assert!(!bytes.windows(9).any(|w| w == "青山村".as_bytes()));
        let (empty, s) = write(&l, &key, 1, &hub.public_text()).unwrap();
        assert_eq!((s.batches, s.events), (0, 0));
        assert!(read(&empty).unwrap().is_empty());
        assert!(read(&bytes[..bytes.len() - 1]).is_err());
        assert!(read(b"TJBUNDL1\xff\xff\xff\xff").is_err());
        assert!(read(b"PK\x03\x04").is_err());
        assert!(write(&l, &key, 5, &hub.public_text()).is_err());
    }
}
