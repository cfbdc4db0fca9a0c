#![no_main]
//! A feed page as a device receives it from the hub.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = tiaojie_sync::frame::decode_feed(data);
});
