//! How an event's JSON is kept in the ledger file: compressed with zstd
//! against a dictionary built into the program (the field names and common
//! values of every kind of event), so that an event of a few hundred bytes
//! keeps most of its saving although it is compressed alone. Unpacking gives
//! back the exact bytes the device signed.
//!
//! The first byte names the format, so that a later dictionary can be added
//! beside this one; a packed event never changes once written.

use crate::error::{LedgerError, Result};
use crate::event::MAX_EVENT_BYTES;
use std::cell::RefCell;

/// Format 1: zstd (level 3, with its checksum) with `event_dictionary.txt`
/// as raw content.
const FORMAT_1: u8 = 1;
const DICTIONARY_1: &[u8] = include_bytes!("event_dictionary.txt");
const LEVEL: i32 = 3;
/// The longest event unpacked: far past any event the program writes.
const MAX_STORED_BYTES: usize = 64 * 1024 * 1024;

thread_local! {
    static PACKER: RefCell<Option<zstd::bulk::Compressor<'static>>> = const { RefCell::new(None) };
    static UNPACKER: RefCell<Option<zstd::bulk::Decompressor<'static>>> = const { RefCell::new(None) };
}

/// The stored form of an event's JSON.
pub fn pack(json: &str) -> Vec<u8> {
    PACKER.with(|cell| {
        let mut cell = cell.borrow_mut();
        let packer = cell.get_or_insert_with(|| {
            let mut packer = zstd::bulk::Compressor::with_dictionary(LEVEL, DICTIONARY_1)
                .expect("the built-in dictionary loads");
            // A changed byte then fails the unpacking instead of giving
            // other text.
            packer
                .include_checksum(true)
                .expect("a checksum can always be asked for");
            packer
        });
        let mut out = Vec::with_capacity(json.len() / 2 + 16);
        out.push(FORMAT_1);
        out.extend(
            packer
                .compress(json.as_bytes())
                .expect("compressing into a growing buffer cannot fail"),
        );
        out
    })
}

/// An event's JSON from its stored form; a stored form that is not one
/// (a changed byte, a cut) is an error naming that.
pub fn unpack(stored: &[u8]) -> Result<String> {
    let broken = |why: String| LedgerError::State(format!("台账中的事件已损坏，无法读出：{why}"));
    let Some((&format, body)) = stored.split_first() else {
        return Err(broken("内容为空".into()));
    };
    if format != FORMAT_1 {
        return Err(broken(format!("未知的存储格式 {format}")));
    }
    let bytes = UNPACKER.with(|cell| {
        let mut cell = cell.borrow_mut();
        let unpacker = cell.get_or_insert_with(|| {
            zstd::bulk::Decompressor::with_dictionary(DICTIONARY_1)
                .expect("the built-in dictionary loads")
        });
        // The frame says how long the event is. An event past the limit of
        // new ones can be in a log (written by hand into a laptop's file,
        // refused by the hub later): it is read back whole, but a length no
        // event can have is not believed.
        let size = zstd::zstd_safe::get_frame_content_size(body)
            .ok()
            .flatten()
            .and_then(|n| usize::try_from(n).ok())
            .filter(|&n| n <= MAX_STORED_BYTES)
            .unwrap_or(MAX_EVENT_BYTES);
        unpacker.decompress(body, size)
    });
    let bytes = bytes.map_err(|e| broken(e.to_string()))?;
    String::from_utf8(bytes).map_err(|_| broken("不是 UTF-8 文本".into()))
}

/// `event_json(raw)`, `event_pack(json)`, `uuid_blob(text)` and
/// `uuid_text(blob)` as SQL functions of `conn`: the ledger's own statements
/// read events through them, and a tool (or a test) with a connection of
/// its own can register them to do the same.
pub fn register_functions(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function("event_json", 1, flags, |ctx| {
        let stored: Vec<u8> = ctx.get(0)?;
        unpack(&stored).map_err(|e| rusqlite::Error::UserFunctionError(Box::new(e)))
    })?;
    conn.create_scalar_function("event_pack", 1, flags, |ctx| {
        let json: String = ctx.get(0)?;
        Ok(pack(&json))
    })?;
    // The log keeps ids as their 16 bytes; these turn text into them and
    // back (NULL stays NULL).
    conn.create_scalar_function("uuid_blob", 1, flags, |ctx| {
        let Some(text) = ctx.get::<Option<String>>(0)? else {
            return Ok(None);
        };
        uuid::Uuid::parse_str(&text)
            .map(|u| Some(u.as_bytes().to_vec()))
            .map_err(|e| rusqlite::Error::UserFunctionError(Box::new(e)))
    })?;
    conn.create_scalar_function("uuid_text", 1, flags, |ctx| {
        Ok(ctx.get::<Option<uuid::Uuid>>(0)?.map(|u| u.to_string()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unpacking_gives_back_the_exact_bytes() {
        for json in [
            "",
            "{}",
            r#"{"id":"x","body":{"kind":"case_graded","reason":"矛盾激化"}}"#,
            &"纠纷".repeat(5000),
            // Past the limit of new events: a log can hold one.
            &"调".repeat(MAX_EVENT_BYTES),
        ] {
            let packed = pack(json);
            assert_eq!(packed[0], FORMAT_1);
            assert_eq!(unpack(&packed).unwrap(), json);
        }
    }

    #[test]
    fn a_typical_event_keeps_half_its_bytes_or_less() {
        let json = r#"{"id":"01a2455f-64e8-7229-8418-209ab888e259","device":"01a2455f-64db-73cd-8127-1f4304914a4a","seq":2,"hlc":117732816282189824,"schema":2,"unit":"430302001001","actor":null,"body":{"kind":"case_graded","case_id":"0ca71a74-d873-87a1-bb67-8b3a0807b3d6","grade":"yellow","reason":"排查","on":"2026-01-01"}}"#;
        let packed = pack(json);
        // Its three ids are random: they are most of what is left.
        assert!(
            packed.len() * 2 <= json.len(),
            "{} of {}",
            packed.len(),
            json.len()
        );
    }

    #[test]
    fn a_changed_or_cut_stored_event_is_an_error_not_other_text() {
        let packed = pack(r#"{"id":"x","body":{"kind":"case_closed","note":"双方和解"}}"#);
        assert!(unpack(&packed[..packed.len() - 3]).is_err());
        assert!(unpack(&[]).is_err());
        let mut other = packed.clone();
        other[0] = 9;
        let e = unpack(&other).unwrap_err().to_string();
        assert!(e.contains("未知的存储格式 9"), "{e}");
        for at in 1..packed.len() {
            let mut flipped = packed.clone();
            flipped[at] ^= 0x55;
            assert!(unpack(&flipped).is_err(), "byte {at} changed unnoticed");
        }
    }
}
