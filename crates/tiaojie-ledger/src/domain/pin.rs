//! Sign-in PINs (登录密码): which ones are too easy to guess, and how long
//! a name must wait after wrong ones. Pure rules; the ledger keeps the count.

use chrono::NaiveDate;

pub const MIN_PIN_CHARS: usize = 4;

/// Wrong PINs in a row before each further try must wait.
pub const FREE_TRIES: u32 = 3;
/// Wrong PINs in a row that lock the name.
pub const LOCK_AFTER: u32 = 10;
/// How long a lock lasts, in seconds.
pub const LOCK_SECS: i64 = 30 * 60;

/// Why `pin` is too easy to guess, if it is.
pub fn weakness(pin: &str) -> Option<String> {
    let chars: Vec<char> = pin.chars().collect();
    if chars.len() < MIN_PIN_CHARS {
        return Some(format!("登录密码至少 {MIN_PIN_CHARS} 位"));
    }
    if chars.iter().all(|c| *c == chars[0]) {
        return Some("登录密码不能全是同一个字符（如 000000）".into());
    }
    // Only all-digit PINs are runs or dates.
    let digits: Vec<i32> = chars
        .iter()
        .map(|c| c.to_digit(10).map(|d| d as i32))
        .collect::<Option<_>>()?;
    let steps: Vec<i32> = digits.windows(2).map(|w| w[1] - w[0]).collect();
    if steps.iter().all(|s| *s == 1) || steps.iter().all(|s| *s == -1) {
        return Some("登录密码不能是连续的数字（如 123456、654321）".into());
    }
    if looks_like_a_date(pin) {
        return Some("登录密码不能是出生日期之类的日期（如 19800101、800101）".into());
    }
    None
}

/// YYYYMMDD from 1900 to 2099, or YYMMDD.
fn looks_like_a_date(pin: &str) -> bool {
    let parse = |fmt: &str| NaiveDate::parse_from_str(pin, fmt).is_ok();
    match pin.len() {
        8 => parse("%Y%m%d") && (&pin[..2] == "19" || &pin[..2] == "20"),
        6 => NaiveDate::parse_from_str(&format!("19{pin}"), "%Y%m%d").is_ok(),
        _ => false,
    }
}

/// After `failures` wrong PINs in a row, how many seconds must pass after
/// the last one before the next try is checked: none for the first few,
/// then 1, 2, 4 … up to a minute, and the lock's length from `LOCK_AFTER`.
pub fn wait_secs(failures: u32) -> i64 {
    if failures >= LOCK_AFTER {
        return LOCK_SECS;
    }
    if failures < FREE_TRIES {
        return 0;
    }
    (1i64 << (failures - FREE_TRIES).min(6)).min(60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn easy_pins_are_named_and_others_pass() {
        for weak in [
            "000000", "9999", "123456", "654321", "0123", "19800101", "800101", "12",
        ] {
            assert!(weakness(weak).is_some(), "{weak}");
        }
        for fine in ["2468", "1357", "8642", "739204", "青山2468"] {
            assert_eq!(weakness(fine), None, "{fine}");
        }
    }

    #[test]
    fn the_wait_grows_then_locks() {
        let waits: Vec<i64> = (0..=11).map(wait_secs).collect();
        assert_eq!(
            waits,
            vec![0, 0, 0, 1, 2, 4, 8, 16, 32, 60, LOCK_SECS, LOCK_SECS]
        );
    }
}
