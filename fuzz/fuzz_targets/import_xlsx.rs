#![no_main]
//! An Excel ledger brought in by a village.

use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;
use std::sync::OnceLock;

fn ledger() -> &'static std::sync::Mutex<tiaojie_ledger::Ledger> {
    static L: OnceLock<std::sync::Mutex<tiaojie_ledger::Ledger>> = OnceLock::new();
    L.get_or_init(|| {
        let mut l = tiaojie_ledger::Ledger::open_in_memory().unwrap();
        l.init(
            tiaojie_ledger::domain::unit::UnitSpec::new("430302001001", "青山村调解室", None, 1, None),
            0,
        )
        .unwrap();
        std::sync::Mutex::new(l)
    })
}

fuzz_target!(|data: &[u8]| {
    let l = ledger().lock().unwrap();
    let _ = tiaojie_docs::import::plan_import(&l, data, &BTreeMap::new());
});
