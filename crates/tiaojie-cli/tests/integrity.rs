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
    tiaojie_ledger::store::packed::register_functions(&c).unwrap();
    c.execute_batch(
        "DROP TRIGGER events_no_update;
         UPDATE events SET raw = event_pack(replace(event_json(raw), '青山', '白石'))
         WHERE seq = 3 AND device = uuid_blob((SELECT device_id FROM device));",
    )
    .unwrap();
    drop(c);
    let r = village.run(&["--json", "verify"]);
    assert_eq!(r.code, 1, "{} {}", r.stdout, r.stderr);
    assert!(r.stderr.contains("第 3 条记录处断开"), "{}", r.stderr);
    assert_eq!(r.json()["error"]["code"], "chain_broken");
}

#[test]
fn an_encrypted_ledger_needs_its_passphrase_and_leaks_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.sqlite3");
    let pass = [("TIAOJIE_PASSPHRASE", "青山村调解2026")];
    let ok = |args: &[&str], env: &[(&str, &str)]| {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let r = run_with(&db, &all, env);
        assert_eq!(r.code, 0, "{args:?}: {}\n{}", r.stderr, r.stdout);
        r
    };
    // Without a passphrase there is no encrypted ledger to make.
    let r = run_with(
        &db,
        &[
            "init",
            "--unit-code",
            VILLAGE,
            "--unit-name",
            "青山村调解室",
            "--level",
            "1",
            "--encrypt",
        ],
        &[],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("TIAOJIE_PASSPHRASE"), "{}", r.stderr);
    assert!(!db.exists());
    ok(
        &[
            "init",
            "--unit-code",
            VILLAGE,
            "--unit-name",
            "青山村调解室",
            "--level",
            "1",
            "--encrypt",
        ],
        &pass,
    );
    let id = id_number("43030219800101001");
    let party = format!("name=欧阳青松,id={id},phone=13907321111");
    let mut logs = String::new();
    let r = ok(
        &[
            "case",
            "add",
            "--type",
            "邻里",
            "--source",
            "当事人申请",
            "--facts",
            "因排水沟堵塞发生争执",
            "--party",
            &party,
            "--party",
            "name=李四",
            "--received-on",
            D,
        ],
        &pass,
    );
    logs.push_str(&r.stderr);
    let r = ok(&["case", "list"], &pass);
    assert!(r.stdout.contains("欧阳青松"));

    // Without it, or with a wrong one: refused in words, nothing shown.
    let r = run_with(&db, &["case", "list"], &[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("台账已加密"), "{}", r.stderr);
    let r = run_with(
        &db,
        &["case", "list"],
        &[("TIAOJIE_PASSPHRASE", "青山村调解2025")],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("口令不正确"), "{}", r.stderr);
    assert!(!r.stdout.contains("欧阳青松"));
    logs.push_str(&r.stderr);

    // An encrypted backup, a new passphrase, and a check of the whole file.
    let backup = dir.path().join("备份.sqlite3");
    logs.push_str(&ok(&["backup", "--out", backup.to_str().unwrap()], &pass).stderr);
    ok(
        &["passphrase"],
        &[pass[0], ("TIAOJIE_NEW_PASSPHRASE", "白石村调解2027")],
    );
    let new = [("TIAOJIE_PASSPHRASE", "白石村调解2027")];
    let v = ok(&["verify"], &new);
    assert!(v.json()["checked"].as_u64().unwrap() >= 2);
    let r = run_with(&backup, &["--json", "case", "list"], &pass);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("欧阳青松"));

    for f in std::fs::read_dir(dir.path()).unwrap() {
        let f = f.unwrap().path();
        let bytes = std::fs::read(&f).unwrap();
        for secret in ["欧阳青松".as_bytes(), id.as_bytes(), "排水沟".as_bytes()] {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret),
                "found in {}",
                f.display()
            );
        }
    }
    assert!(!logs.contains("欧阳青松") && !logs.contains(&id), "{logs}");
}

#[test]
fn a_plain_ledger_is_encrypted_by_the_command() {
    let village = village();
    open_case(&village);
    let pass = [("TIAOJIE_PASSPHRASE", "青山村调解2026")];
    let r = run_with(&village.path, &["--json", "encrypt"], &pass);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = village.run(&["case", "list"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let r = run_with(&village.path, &["--json", "case", "list"], &pass);
    assert_eq!(r.json()["total"], 1);
    let r = run_with(&village.path, &["encrypt"], &pass);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("已经加密"));
}

/// A chain rewritten consistently from the first event on passes the
/// chain walk, but not the hub's signed checkpoint.
#[test]
fn a_consistently_rewritten_chain_is_caught_by_the_hubs_checkpoint() {
    use support::hub::{Backend, Hub};
    let hub = Hub::start(Backend::Sqlite);
    hub.add_unit(DISTRICT, "青山区矛盾纠纷调解中心", 3, None);
    hub.add_unit(STATION, "青山派出所调解中心", 2, Some(DISTRICT));
    hub.add_unit(VILLAGE, "青山村调解室", 1, Some(STATION));
    let village = village();
    let code = hub.enroll_code(VILLAGE);
    village.ok(&["sync", "enroll", "--hub", &hub.url, "--code", &code]);
    open_case(&village);
    village.ok(&["sync"]);
    village.ok(&["verify"]);

    // Rewrite every own event's text and every link after it, so that the
    // chain is whole again: only the hub's word says otherwise.
    let c = rusqlite::Connection::open(&village.path).unwrap();
    c.execute_batch("DROP TRIGGER events_no_update;").unwrap();
    let device: String = c
        .query_row("SELECT device_id FROM device", [], |r| r.get(0))
        .unwrap();
    tiaojie_ledger::store::packed::register_functions(&c).unwrap();
    let rows: Vec<(i64, String)> = c
        .prepare(
            "SELECT seq, event_json(raw) FROM events WHERE device = uuid_blob(?1) ORDER BY seq",
        )
        .unwrap()
        .query_map([&device], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut link = tiaojie_ledger::chain::GENESIS;
    for (seq, raw) in rows {
        let raw = raw.replace("排水沟", "灌溉渠");
        link = tiaojie_ledger::chain::next(&link, raw.as_bytes());
        c.execute(
            "UPDATE events SET raw = event_pack(?1), link = unhex(?2) WHERE device = uuid_blob(?3) AND seq = ?4",
            rusqlite::params![raw, tiaojie_ledger::chain::to_hex(&link), device, seq],
        )
        .unwrap();
    }
    c.execute(
        "UPDATE device SET last_link = ?1",
        [tiaojie_ledger::chain::to_hex(&link)],
    )
    .unwrap();
    drop(c);
    let r = village.run(&["--json", "verify"]);
    assert_eq!(r.code, 1, "{} {}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("与同步中心") && r.stderr.contains("整体改写"),
        "{}",
        r.stderr
    );
}
