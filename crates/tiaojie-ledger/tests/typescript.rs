//! The UI's declarations of the ledger's types are generated from them:
//! the committed file must be what the Rust types make now.

use tiaojie_ledger::typescript::{PATH, declarations};

#[test]
fn the_committed_typescript_is_what_the_rust_types_make() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(PATH);
    let made = declarations();
    if std::env::var("TIAOJIE_WRITE_TS").as_deref() == Ok("1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &made).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == made,
        "{PATH} is not what the Rust types make: regenerate it with \
         TIAOJIE_WRITE_TS=1 cargo test -p tiaojie-ledger --test typescript"
    );
    // The declarations name every record of a case.
    for name in ["PartyRecord", "FollowUpRecord", "CaseDetail", "Side"] {
        assert!(made.contains(&format!("export type {name} =")), "{name}");
    }
}
