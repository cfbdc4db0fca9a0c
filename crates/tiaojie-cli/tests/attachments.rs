//! Photos and scans in the case file through the `tiaojie` command: added
//! from files and a phone's folder, stored once by content, taken out
//! byte-identical, refused whole when one file is bad, found out by `verify`
//! when a byte changes, removed with the case by the retention purge.

mod support;

use support::{Db, add_dispute, village};

/// A JPEG photo of `w`×`h`, its colour from `seed`.
fn photo(w: u32, h: u32, seed: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([seed, (x % 251) as u8, (y % 241) as u8])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 92)
        .encode_image(&img)
        .unwrap();
    out
}

fn write(db: &Db, name: &str, bytes: &[u8]) -> String {
    let path = db.file(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    path.display().to_string()
}

fn blobs(db: &Db) -> Vec<(String, Vec<u8>)> {
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    let mut stmt = conn
        .prepare("SELECT hash, data FROM blobs ORDER BY hash")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn photos_are_attached_once_taken_out_whole_and_refused_whole() {
    let db = village();
    let first = add_dispute(
        &db,
        "宅基地围墙纠纷",
        "2026-11-02",
        ["name=张三", "name=李四"],
    );
    let second = add_dispute(&db, "排水沟纠纷", "2026-11-03", ["name=王五", "name=赵六"]);
    write(&db, "phone/IMG_0001.jpg", &photo(2400, 1800, 10));
    let ditch = write(&db, "phone/IMG_0002.jpg", &photo(800, 600, 200));
    // A phone's folder also holds a video and a hidden thumbnail.
    write(&db, "phone/VID_0003.mp4", b"\0\0\0\x18ftypmp42 video");
    write(&db, "phone/.thumb.jpg", b"thumbnail cache");
    let scan = write(
        &db,
        "协议书扫描.pdf",
        b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n",
    );

    // A phone's whole folder, and a signed agreement's scan.
    let done = db.ok(&[
        "case",
        "attach",
        &first,
        "--file",
        &db.file("phone").display().to_string(),
        "--note",
        "围墙越界处",
    ]);
    let added = done["attachments"].as_array().unwrap();
    assert_eq!(added.len(), 2);
    assert_eq!(
        done["left_out"], 2,
        "the video and the thumbnail are left out"
    );
    assert_eq!(added[0]["file_name"], "IMG_0001.jpg");
    // Reduced to 2000 px on the long side.
    assert_eq!(
        (added[0]["width"].as_u64(), added[0]["height"].as_u64()),
        (Some(2000), Some(1500))
    );
    db.ok(&[
        "case",
        "attach",
        &first,
        "--file",
        &scan,
        "--kind",
        "签字的协议书",
    ]);
    // The same photo on another case is stored once.
    db.ok(&["case", "attach", &second, "--file", &ditch]);
    assert_eq!(blobs(&db).len(), 3);

    let list = db.ok(&["case", "attachments", &first]);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list[2]["kind"], "signed_agreement");
    assert_eq!(list[2]["mime"], "application/pdf");
    assert!(list.iter().all(|a| a["here"] == true));
    let text = db.run(&["case", "attachments", &first]).stdout;
    assert!(
        text.contains("签字的协议书") && text.contains("围墙越界处"),
        "{text}"
    );

    // Taken out byte-identical to what is stored (the scan exactly as given).
    let out = db.file("取出.pdf");
    let pdf_id = list[2]["id"].as_str().unwrap();
    db.ok(&[
        "case",
        "attachment-export",
        pdf_id,
        "--out",
        &out.display().to_string(),
    ]);
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&scan).unwrap());

    // One bad file among good ones: nothing is written, the bad one named.
    let events = db.events().len();
    write(&db, "mixed/a.jpg", &photo(300, 200, 1));
    write(&db, "mixed/readme.jpg", b"not a picture at all");
    let (err, _) = db.refused(&[
        "case",
        "attach",
        &second,
        "--file",
        &db.file("mixed").display().to_string(),
    ]);
    assert!(
        err["message"].as_str().unwrap().contains("readme.jpg"),
        "{err}"
    );
    assert_eq!(err["field"], "file");
    let mut bomb = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    bomb.extend(50_000u32.to_be_bytes());
    bomb.extend(50_000u32.to_be_bytes());
    bomb.extend([8, 2, 0, 0, 0, 0, 0, 0, 0]);
    let bomb = write(&db, "bomb.png", &bomb);
    let (err, _) = db.refused(&["case", "attach", &second, "--file", &bomb]);
    assert!(
        err["message"].as_str().unwrap().contains("bomb.png"),
        "{err}"
    );
    let (err, _) = db.refused(&[
        "case", "attach", &second, "--file", &ditch, "--kind", "录像",
    ]);
    assert_eq!(err["field"], "kind");
    let many: Vec<String> = (0..41)
        .map(|i| write(&db, &format!("many/{i}.jpg"), &photo(64, 48, i as u8)))
        .collect();
    let mut args = vec!["case", "attach", second.as_str()];
    for f in &many {
        args.extend(["--file", f.as_str()]);
    }
    let (err, _) = db.refused(&args);
    assert!(
        err["message"].as_str().unwrap().contains("最多添加 40"),
        "{err}"
    );
    assert_eq!(db.events().len(), events, "nothing written");
    assert_eq!(blobs(&db).len(), 3);

    // Removing is an event; the bytes stay.
    let photo_id = list[0]["id"].as_str().unwrap();
    let (err, _) = db.refused(&["case", "detach", photo_id, "--reason", " "]);
    assert_eq!(err["field"], "reason");
    db.ok(&["case", "detach", photo_id, "--reason", "拍错了案件"]);
    let list = db.ok(&["case", "attachments", &first]);
    assert_eq!(list[0]["removed_reason"], "拍错了案件");
    assert_eq!(blobs(&db).len(), 3);
    db.ok(&["verify"]);
}

#[test]
fn verify_finds_one_changed_byte_in_an_attachment() {
    let db = village();
    let case = add_dispute(
        &db,
        "宅基地围墙纠纷",
        "2026-11-02",
        ["name=张三", "name=李四"],
    );
    let wall = write(&db, "wall.jpg", &photo(640, 480, 77));
    db.ok(&["case", "attach", &case, "--file", &wall]);
    db.ok(&["verify"]);
    {
        let conn = rusqlite::Connection::open(&db.path).unwrap();
        let (hash, mut data): (String, Vec<u8>) = conn
            .query_row("SELECT hash, data FROM blobs", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        let at = data.len() / 2;
        data[at] ^= 0x01;
        conn.execute(
            "UPDATE blobs SET data = ?2 WHERE hash = ?1",
            rusqlite::params![hash, data],
        )
        .unwrap();
    }
    let r = db.run(&["verify"]);
    assert_ne!(r.code, 0);
    assert!(
        r.stderr.contains("附件已损坏") && r.stderr.contains("wall.jpg"),
        "{}",
        r.stderr
    );
    let id = db.ok(&["case", "attachments", &case])[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = db.run(&[
        "case",
        "attachment-export",
        &id,
        "--out",
        &db.file("x.jpg").display().to_string(),
    ]);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("已损坏"), "{}", r.stderr);
    assert!(!db.file("x.jpg").exists());
}

#[test]
fn the_retention_purge_removes_a_cases_photos_but_not_what_another_case_holds() {
    let db = village();
    let old = add_dispute(
        &db,
        "宅基地边界纠纷",
        "2014-03-02",
        ["name=张三", "name=李四"],
    );
    db.ok(&[
        "case",
        "close",
        &old,
        "--outcome",
        "当事人撤回",
        "--on",
        "2014-06-01",
    ]);
    let recent = add_dispute(&db, "排水沟纠纷", "2026-11-03", ["name=王五", "name=赵六"]);
    let only_old = write(&db, "only_old.jpg", &photo(500, 400, 31));
    let shared = write(&db, "shared.jpg", &photo(500, 400, 131));
    db.ok(&[
        "case", "attach", &old, "--file", &only_old, "--file", &shared,
    ]);
    db.ok(&["case", "attach", &recent, "--file", &shared]);
    let before = blobs(&db);
    assert_eq!(before.len(), 2);
    let old_bytes = {
        let hash = db.ok(&["case", "attachments", &old])[0]["hash"]
            .as_str()
            .unwrap()
            .to_string();
        before.iter().find(|(h, _)| *h == hash).unwrap().1.clone()
    };

    db.ok(&["purge", "--yes"]);
    let after = blobs(&db);
    assert_eq!(
        after.len(),
        1,
        "the shared photo stays with the recent case"
    );
    assert_eq!(
        db.ok(&["case", "attachments", &recent])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // Not in the file nor its write-ahead log: a run of the photo's bytes.
    let planted = &old_bytes[old_bytes.len() / 2..old_bytes.len() / 2 + 64];
    for name in ["ledger.sqlite3", "ledger.sqlite3-wal"] {
        if let Ok(file) = std::fs::read(db.file(name)) {
            assert!(!contains(&file, planted), "{name} still holds the photo");
        }
    }
    db.ok(&["verify"]);
}
