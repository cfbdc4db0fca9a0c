//! `tiaojie verify` on the real binary: a whole ledger passes; one changed
//! record makes it fail with exit 1, naming the position.

mod support;

use support::*;

#[test]
fn verify_names_the_first_broken_link() {
    let village = village();
    open_case(&village);
    let ok = village.ok(&["verify"]);
    let checked = ok["checked"].as_u64().unwrap();
    assert!(checked >= 5, "{ok}");
    assert!(ok["broken"].is_null());

    // Someone edits the file behind the app's back: the third record.
    let c = rusqlite::Connection::open(&village.path).unwrap();
    c.execute_batch(
        "DROP TRIGGER events_no_update;
         UPDATE events SET raw = replace(raw, '青山', '白石') WHERE seq = 3 AND device = (SELECT device_id FROM device);",
    )
    .unwrap();
    drop(c);
    let r = village.run(&["--json", "verify"]);
    assert_eq!(r.code, 1, "{} {}", r.stdout, r.stderr);
    assert!(r.stderr.contains("第 3 条记录处断开"), "{}", r.stderr);
    assert_eq!(r.json()["error"]["code"], "chain_broken");
}
