//! The Excel importer against arbitrary and damaged files: it refuses or
//! plans, and never panics (the same entry point is a fuzz target in
//! `fuzz/`).

mod support;

use proptest::prelude::*;
use std::collections::BTreeMap;
use support::*;
use tiaojie_docs::Privacy;
use tiaojie_docs::import::plan_import;
use tiaojie_ledger::domain::labels::AgreementForm;
use tiaojie_ledger::store::queries::CaseFilter;

fn sample() -> Vec<u8> {
    let mut l = village();
    full_case(&mut l, "张三", "李四", AgreementForm::Written);
    tiaojie_docs::xlsx::export_ledger(&l, &CaseFilter::default(), Privacy::FULL)
        .unwrap()
        .bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_are_refused_in_words(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let l = village();
        let e = plan_import(&l, &bytes, &BTreeMap::new()).unwrap_err();
        prop_assert!(e.is_user_error());
    }

    #[test]
    fn a_damaged_workbook_is_refused_or_read_but_never_panics(
        flips in proptest::collection::vec((any::<prop::sample::Index>(), 1u8..=255), 1..8),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let mut bytes = sample();
        for (at, flip) in flips {
            let i = at.index(bytes.len());
            bytes[i] ^= flip;
        }
        if truncate {
            bytes.truncate(cut.index(bytes.len()));
        }
        let l = village();
        match plan_import(&l, &bytes, &BTreeMap::new()) {
            Ok(plan) => prop_assert!(plan.rows.len() <= 10),
            Err(e) => prop_assert!(e.is_user_error(), "{e}"),
        }
    }
}
