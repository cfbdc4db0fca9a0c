//! Hybrid logical clock. A timestamp packs milliseconds since the Unix epoch in
//! the high bits and a logical counter in the low 16 bits, so that one `i64`
//! sorts in causal order and stays close to wall time for people to read.

use serde::{Deserialize, Serialize};
use std::fmt;

const COUNTER_BITS: u32 = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Hlc(i64);

impl Hlc {
    pub const ZERO: Hlc = Hlc(0);

    pub fn from_raw(raw: i64) -> Self {
        Hlc(raw)
    }

    pub fn raw(self) -> i64 {
        self.0
    }

    pub fn from_parts(millis: i64, counter: u16) -> Self {
        Hlc((millis << COUNTER_BITS) | i64::from(counter))
    }

    pub fn millis(self) -> i64 {
        self.0 >> COUNTER_BITS
    }

    pub fn counter(self) -> u16 {
        (self.0 & 0xFFFF) as u16
    }

    /// Wall-clock time of this stamp, for display.
    pub fn to_datetime(self) -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::from_timestamp_millis(self.millis()).unwrap_or_default()
    }
}

impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:04x}", self.millis(), self.counter())
    }
}

/// How far ahead of the local wall clock a remote stamp may be and still be
/// followed: clocks days apart are normal on village laptops; months are not.
pub const MAX_DRIFT_MS: i64 = 30 * 24 * 3600 * 1000;

/// The clock state of one ledger. It never goes backwards: a stamp is always
/// greater than every stamp issued or observed before, even when the wall
/// clock is set back (a common thing on village laptops with flat batteries).
#[derive(Debug, Clone, Copy)]
pub struct HlcClock {
    last: Hlc,
}

impl HlcClock {
    /// Seeds the clock from the highest stamp known to the store.
    pub fn seeded(last: Hlc) -> Self {
        HlcClock { last }
    }

    pub fn last(&self) -> Hlc {
        self.last
    }

    /// A new stamp for a local event at wall time `now_millis`.
    pub fn tick(&mut self, now_millis: i64) -> Hlc {
        let wall = Hlc::from_parts(now_millis, 0);
        // Counter overflow carries into the milliseconds, which keeps the
        // order strict at the cost of running a millisecond ahead.
        self.last = if wall > self.last {
            wall
        } else {
            Hlc(self.last.0.saturating_add(1))
        };
        self.last
    }

    /// Takes note of a stamp from another device so later local stamps sort
    /// after it. A stamp further ahead of `now_millis` than `MAX_DRIFT_MS`
    /// (a laptop whose clock says 2099) is not followed: the event keeps
    /// its place in the order, but this clock does not leap years ahead
    /// for good and carry every later event with it.
    pub fn observe(&mut self, remote: Hlc, now_millis: i64) {
        if remote > self.last && remote.millis() <= now_millis.saturating_add(MAX_DRIFT_MS) {
            self.last = remote;
        }
    }
}

pub fn wall_millis() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_and_unpacks() {
        let h = Hlc::from_parts(1_790_000_000_123, 7);
        assert_eq!(h.millis(), 1_790_000_000_123);
        assert_eq!(h.counter(), 7);
        assert_eq!(h.to_string(), "1790000000123.0007");
    }

    #[test]
    fn strictly_increases_when_wall_clock_stalls_or_goes_back() {
        let mut c = HlcClock::seeded(Hlc::ZERO);
        let a = c.tick(1000);
        let b = c.tick(1000);
        let d = c.tick(500);
        assert!(a < b && b < d);
        assert_eq!(d.millis(), 1000);
        assert_eq!(d.counter(), 2);
        let e = c.tick(2000);
        assert_eq!(e, Hlc::from_parts(2000, 0));
    }

    #[test]
    fn observed_remote_stamps_push_the_clock() {
        let mut c = HlcClock::seeded(Hlc::from_parts(1000, 0));
        c.observe(Hlc::from_parts(9000, 3), 1000);
        let next = c.tick(1001);
        assert!(next > Hlc::from_parts(9000, 3));
        c.observe(Hlc::from_parts(10, 0), 1000);
        assert!(c.tick(11) > next);
    }

    #[test]
    fn a_stamp_from_far_in_the_future_is_not_followed() {
        let now = 1_790_000_000_000;
        let mut c = HlcClock::seeded(Hlc::from_parts(now, 0));
        c.observe(Hlc::from_parts(now + MAX_DRIFT_MS + 1, 0), now);
        assert_eq!(c.tick(now + 1), Hlc::from_parts(now + 1, 0));
        c.observe(Hlc::from_parts(now + 3 * 24 * 3600 * 1000, 0), now);
        assert!(c.tick(now + 2).millis() == now + 3 * 24 * 3600 * 1000);
        let mut top = HlcClock::seeded(Hlc::from_raw(i64::MAX));
        assert_eq!(top.tick(now), Hlc::from_raw(i64::MAX));
    }
}
