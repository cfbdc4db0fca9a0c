//! Comparing bytes with golden files, or writing them when blessing
//! (`TIAOJIE_BLESS=1`), and saying what changed when they differ.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::fmt::Debug;
use std::path::PathBuf;

const HOW_TO_BLESS: &str = "\
These bytes are a wire format: devices and hubs already in the field write and read them.
If the change is deliberate and data written before it still reads, regenerate the goldens with
    TIAOJIE_BLESS=1 cargo test -p tiaojie-sync --test golden
and commit the changed files under crates/tiaojie-sync/tests/golden/.";

fn blessing() -> bool {
    std::env::var("TIAOJIE_BLESS").is_ok_and(|v| v == "1")
}

fn path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

fn write(name: &str, bytes: &[u8]) {
    let path = path(name);
    if std::fs::read(&path).ok().as_deref() != Some(bytes) {
        std::fs::write(&path, bytes)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        eprintln!("blessed {}", path.display());
    }
}

/// The golden file `name` as stored.
pub fn golden_bytes(name: &str) -> Vec<u8> {
    let path = path(name);
    std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "golden file {} is missing or unreadable ({e}).\n{HOW_TO_BLESS}",
            path.display()
        )
    })
}

/// Checks that `actual` is exactly the golden file `name` (blessing: writes it).
pub fn check_bytes(name: &str, actual: &[u8]) {
    check_bytes_masked(name, actual, |b| b.to_vec());
}

/// Like `check_bytes`, but compares the golden file and `actual` after
/// `mask` hides what may legitimately differ. Blessing writes `actual` whole.
pub fn check_bytes_masked(name: &str, actual: &[u8], mask: impl Fn(&[u8]) -> Vec<u8>) {
    if blessing() {
        return write(name, actual);
    }
    let (expected, actual) = (mask(&golden_bytes(name)), mask(actual));
    if expected != actual {
        panic!(
            "{name}: the bytes changed.\n{}\n\n{HOW_TO_BLESS}",
            describe(name, &expected, &actual)
        );
    }
}

/// `json` with the string value of its top-level `key` replaced by `<key>`.
pub fn mask_json_value(json: &[u8], key: &str) -> Vec<u8> {
    let value = serde_json::from_slice::<Value>(json).ok();
    match value.as_ref().and_then(|v| v[key].as_str()) {
        Some(secret) => String::from_utf8_lossy(json)
            .replace(&format!("\"{secret}\""), &format!("\"<{key}>\""))
            .into_bytes(),
        None => json.to_vec(),
    }
}

/// Checks the JSON of `value` against the golden file `name`, and that the
/// stored file still reads back as `value`.
pub fn check_json<T: Serialize + DeserializeOwned + PartialEq + Debug>(name: &str, value: &T) {
    check_bytes(name, &serde_json::to_vec(value).unwrap());
    let stored = golden_bytes(name);
    let back: T = serde_json::from_slice(&stored).unwrap_or_else(|e| {
        panic!("{name}: the stored JSON no longer deserializes ({e}).\n\n{HOW_TO_BLESS}")
    });
    assert_eq!(
        &back, value,
        "{name}: the stored JSON reads as another value"
    );
}

/// A frame written once and kept: read from the file, or made by `make` and
/// written when blessing and the file is missing. Blessing never replaces it.
pub fn frozen(name: &str, make: impl FnOnce() -> Vec<u8>) -> Vec<u8> {
    if blessing() && !path(name).exists() {
        write(name, &make());
    }
    std::fs::read(path(name)).unwrap_or_else(|e| {
        panic!(
            "{name} is missing or unreadable ({e}). It is a frame written once by an earlier \
             build; `TIAOJIE_BLESS=1 cargo test -p tiaojie-sync --test golden` writes a new one."
        )
    })
}

/// Fails a test because a frozen frame no longer reads.
pub fn frozen_broken(name: &str, error: impl std::fmt::Display) -> ! {
    panic!(
        "{name} no longer decodes: {error}\n\n\
         It was written once by an earlier build, and devices in the field hold and send frames \
         like it. If the format changed on purpose, give the new format its own magic, keep \
         decoding this one, and add a frozen frame of the new format beside it."
    )
}

/// Reads a frame as the format defines it: four bytes of magic, the header
/// length as u32 little-endian, the header; returns the header and the rest.
pub fn split_frame<'a>(bytes: &'a [u8], magic: &[u8; 4]) -> (&'a [u8], &'a [u8]) {
    assert_eq!(&bytes[..4], magic, "the frame starts with its magic");
    let len = u32::from_le_bytes(bytes[4..8].try_into().unwrap()) as usize;
    assert!(
        8 + len <= bytes.len(),
        "header length {len} runs past the frame"
    );
    bytes[8..].split_at(len)
}

/// A description of the difference for people: the JSON fields that changed,
/// or where the bytes first differ.
fn describe(name: &str, expected: &[u8], actual: &[u8]) -> String {
    let texts = (std::str::from_utf8(expected), std::str::from_utf8(actual));
    if let (Ok(old), Ok(new)) = texts {
        let mut out = String::new();
        if name.ends_with(".json")
            && let (Ok(a), Ok(b)) = (
                serde_json::from_str::<Value>(old),
                serde_json::from_str::<Value>(new),
            )
        {
            let mut changes = Vec::new();
            json_changes("", &a, &b, &mut changes);
            if changes.is_empty() {
                changes.push("same values, other bytes (key order, spacing or escaping)".into());
            }
            out.push_str(&format!("changes:\n  {}\n", changes.join("\n  ")));
        }
        return format!("{out}golden:  {old}\nnow:     {new}");
    }
    let at = expected
        .iter()
        .zip(actual)
        .position(|(a, b)| a != b)
        .unwrap_or(expected.len().min(actual.len()));
    let around = |b: &[u8]| hex::encode(&b[at.min(b.len())..(at + 16).min(b.len())]);
    format!(
        "golden: {} bytes, now: {} bytes; first difference at byte {at}\n\
         golden from there: {}\nnow from there:    {}",
        expected.len(),
        actual.len(),
        around(expected),
        around(actual)
    )
}

fn json_changes(at: &str, old: &Value, new: &Value, out: &mut Vec<String>) {
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let here = format!("{at}.{key}");
                match b.get(key) {
                    Some(other) => json_changes(&here, value, other, out),
                    None => out.push(format!("removed {here} (was {value})")),
                }
            }
            for (key, value) in b.iter().filter(|(k, _)| !a.contains_key(*k)) {
                out.push(format!("added {at}.{key} = {value}"));
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                json_changes(&format!("{at}[{i}]"), x, y, out);
            }
        }
        _ if old != new => out.push(format!("changed {at}: {old} -> {new}")),
        _ => {}
    }
}
