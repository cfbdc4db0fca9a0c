#![no_main]
//! A batch frame as the hub receives it: header, signature, payload.

use libfuzzer_sys::fuzz_target;

const KEY: &str = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

fuzz_target!(|data: &[u8]| {
    let _ = tiaojie_sync::frame::peek_batch_header(data);
    let _ = tiaojie_sync::frame::decode_batch(data, KEY);
    let _ = tiaojie_sync::frame::split_payload(data, 64);
});
