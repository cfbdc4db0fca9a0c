#![no_main]
//! A sync bundle carried on a USB stick.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = tiaojie_sync::bundle::read(data);
});
