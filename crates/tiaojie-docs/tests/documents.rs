//! Every document of a case file, as DOCX and as PDF, checked by reading the
//! text back out of the files: the DOCX's XML, and the PDF through
//! `pdftotext` (poppler-utils). The PDFs are also rendered to PNG with
//! `pdftoppm` and saved under `test-output/documents/` for a person to look at.

mod support;

use std::io::Read;
use std::process::Command;
use support::*;
use tiaojie_docs::font::FontSource;
use tiaojie_docs::{DocKind, Format, Privacy, Templates, render_case_document};
use tiaojie_ledger::domain::labels::AgreementForm;
use tiaojie_ledger::domain::unit::UnitSpec;

fn docx_text(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    // The text runs only, without the markup around them.
    let mut text = String::new();
    let mut rest = xml.as_str();
    while let Some(i) = rest.find("<w:t") {
        let after = &rest[i..];
        if !(after.starts_with("<w:t>") || after.starts_with("<w:t ")) {
            rest = &after[4..];
            continue;
        }
        let start = after.find('>').unwrap() + 1;
        let end = after.find("</w:t>").unwrap();
        text.push_str(&after[start..end]);
        rest = &after[end..];
    }
    text.replace("&amp;", "&")
}

fn pdf_text(path: &std::path::Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8", "-layout"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (Debian package poppler-utils) is needed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn every_document_of_a_case_file_as_docx_and_pdf() {
    let mut l = village();
    let written = full_case(&mut l, "张三", "李四", AgreementForm::Written);
    let oral = full_case(&mut l, "赵大", "钱二", AgreementForm::Oral);
    let number = l.case_row(written).unwrap().number;
    let oral_number = l.case_row(oral).unwrap().number;
    // 证据材料: two photos and a two-page scan.
    let photos = [
        attach_photo(&mut l, written, "围墙越界处", 2400, 1600, 40),
        attach_photo(&mut l, written, "排水沟走向", 1200, 1600, 160),
    ];
    attach_scan(&mut l, written, "土地证复印件", 2);
    let templates = Templates::builtin();
    let fonts = FontSource::default();
    let dir = output_dir("documents");
    let mut pages = 0;
    for &kind in DocKind::ALL {
        let (case, names, num) = if kind == DocKind::OralAgreement {
            (oral, ["赵大", "钱二"], &oral_number)
        } else {
            (written, ["张三", "李四"], &number)
        };
        let docx = render_case_document(
            &l,
            &templates,
            kind,
            case,
            Format::Docx,
            Privacy::MASKED,
            &fonts,
        )
        .unwrap_or_else(|e| panic!("{}: {e}", kind.key()));
        let text = docx_text(&docx);
        let title = templates.get(kind).unwrap().title.clone();
        // Every document prints the case number and the parties' names,
        // except the table of contents, which lists documents.
        for want in [names[0], names[1], num.as_str()] {
            if matches!(kind, DocKind::Contents | DocKind::Evidence) && names.contains(&want) {
                continue;
            }
            assert!(
                text.contains(want),
                "{}: DOCX lacks {want}: {text}",
                kind.key()
            );
        }
        assert!(
            squeeze(&text).contains(&squeeze(&title)),
            "{}: {title}",
            kind.key()
        );
        std::fs::write(dir.join(format!("{}.docx", kind.key())), &docx).unwrap();

        let pdf = render_case_document(
            &l,
            &templates,
            kind,
            case,
            Format::Pdf,
            Privacy::MASKED,
            &fonts,
        )
        .unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let path = dir.join(format!("{}.pdf", kind.key()));
        std::fs::write(&path, &pdf).unwrap();
        let text = squeeze(&pdf_text(&path));
        for want in [names[0], names[1], num.as_str()] {
            if matches!(kind, DocKind::Contents | DocKind::Evidence) && names.contains(&want) {
                continue;
            }
            assert!(
                text.contains(&squeeze(want)),
                "{}: PDF lacks {want}: {text}",
                kind.key()
            );
        }
        assert!(
            text.contains("第1页共"),
            "{}: no page number: {text}",
            kind.key()
        );
        if kind == DocKind::Contents {
            // The photos and the scan's pages are counted.
            assert!(text.contains("证据材料3份共4页"), "{text}");
        }
        if kind == DocKind::Evidence {
            // The list, then each photo on a page of its own with its
            // caption; the scan is listed to be attached as it is.
            assert!(
                text.contains("围墙越界处") && text.contains("排水沟走向"),
                "{text}"
            );
            assert!(text.contains("PDF原件"), "{text}");
            assert!(text.contains("第3页共3页"), "{text}");
            let list = Command::new("pdfimages")
                .arg("-list")
                .arg(&path)
                .output()
                .expect("pdfimages (poppler-utils) is needed");
            let listed = String::from_utf8_lossy(&list.stdout);
            let images: Vec<&str> = listed.lines().filter(|l| l.contains(" image ")).collect();
            assert_eq!(images.len(), photos.len(), "{listed}");
            assert!(images.iter().all(|l| l.contains("jpeg")), "{listed}");
        }
        // Personal numbers are masked by default.
        assert!(!text.contains(&id_number(ZHANG_ID17)), "{}", kind.key());
        assert!(!text.contains("13812345678"), "{}", kind.key());
        let status = Command::new("pdftoppm")
            .args(["-png", "-r", "70"])
            .arg(&path)
            .arg(dir.join(kind.key()))
            .status()
            .expect("pdftoppm (poppler-utils) is needed");
        assert!(status.success());
        pages += std::fs::read_dir(&dir)
            .unwrap()
            .filter(|e| {
                let n = e
                    .as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .to_string();
                n.starts_with(kind.key()) && n.ends_with(".png")
            })
            .count();
    }
    assert!(pages >= DocKind::ALL.len());
    println!(
        "documents: {} kinds, {pages} PDF pages rendered to {}",
        DocKind::ALL.len(),
        dir.display()
    );
}

#[test]
fn the_agreement_prints_its_terms_and_full_numbers_only_when_allowed() {
    let mut l = village();
    let case = full_case(&mut l, "张三", "李四", AgreementForm::Written);
    let t = Templates::builtin();
    let f = FontSource::default();
    let masked = docx_text(
        &render_case_document(
            &l,
            &t,
            DocKind::Agreement,
            case,
            Format::Docx,
            Privacy::MASKED,
            &f,
        )
        .unwrap(),
    );
    assert!(
        masked.contains("李四于2026年3月20日前拆除越界围墙"),
        "{masked}"
    );
    assert!(masked.contains("800.00元"), "{masked}");
    assert!(masked.contains("4303**********"), "{masked}");
    assert!(masked.contains("138****5678"), "{masked}");
    assert!(!masked.contains(&id_number(ZHANG_ID17)));
    let full = docx_text(
        &render_case_document(
            &l,
            &t,
            DocKind::Agreement,
            case,
            Format::Docx,
            Privacy::FULL,
            &f,
        )
        .unwrap(),
    );
    assert!(full.contains(&id_number(ZHANG_ID17)), "{full}");
    assert!(full.contains("13812345678"));
}

#[test]
fn a_document_the_case_has_no_data_for_is_refused_in_words() {
    let mut l = village();
    let c = l.open_case(&intake("张三", "李四", day(3, 2))).unwrap();
    let t = Templates::builtin();
    let f = FontSource::default();
    for (kind, words) in [
        (DocKind::Agreement, "没有书面调解协议"),
        (DocKind::OralAgreement, "没有口头协议"),
        (DocKind::SessionRecord, "还没有调解记录"),
        (DocKind::FollowupRecord, "还没有回访记录"),
    ] {
        let e =
            render_case_document(&l, &t, kind, c.id, Format::Pdf, Privacy::MASKED, &f).unwrap_err();
        assert!(e.is_user_error());
        assert!(e.to_string().contains(words), "{}: {e}", kind.key());
    }
    // The intake form needs nothing more than the intake.
    render_case_document(
        &l,
        &t,
        DocKind::Intake,
        c.id,
        Format::Pdf,
        Privacy::MASKED,
        &f,
    )
    .unwrap();
}

#[test]
fn a_long_statement_of_facts_runs_over_pages_without_losing_a_character() {
    let mut l = village();
    let mut i = intake("张三", "李四", day(3, 2));
    let long: String = (1..=400).map(|n| format!("第{n}句事实经过。")).collect();
    i.facts = long.clone();
    let c = l.open_case(&i).unwrap();
    let dir = output_dir("documents");
    let pdf = render_case_document(
        &l,
        &Templates::builtin(),
        DocKind::Intake,
        c.id,
        Format::Pdf,
        Privacy::MASKED,
        &FontSource::default(),
    )
    .unwrap();
    let path = dir.join("long-intake.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let text = squeeze(&pdf_text(&path));
    assert!(text.contains("第2页共"), "{text}");
    for n in [1, 137, 275, 400] {
        assert!(
            text.contains(&format!("第{n}句事实经过。")),
            "sentence {n} lost"
        );
    }
}

/// The agreement of a case in a village registered as its 调解室 (as most
/// are), with full numbers, written to `test-output/<dir>/`: its path.
fn agreement_of_a_village_room(unit: UnitSpec, dir: &str) -> std::path::PathBuf {
    let mut l = tiaojie_ledger::Ledger::open_in_memory().unwrap();
    l.init(unit, 0).unwrap();
    l.add_mediator(tiaojie_ledger::store::MediatorInput {
        name: "王调解".into(),
        phone: None,
        unit: None,
        role: tiaojie_ledger::domain::labels::MediatorRole::VillageCadre,
        specialties: vec![],
    })
    .unwrap();
    let case = full_case(&mut l, "刘红兵", "欧阳建国", AgreementForm::Written);
    let pdf = render_case_document(
        &l,
        &Templates::builtin(),
        DocKind::Agreement,
        case,
        Format::Pdf,
        Privacy::FULL,
        &FontSource::default(),
    )
    .unwrap();
    let path = output_dir(dir).join("人民调解协议书.pdf");
    std::fs::write(&path, &pdf).unwrap();
    path
}

fn village_room() -> UnitSpec {
    UnitSpec::new(VILLAGE, "青山村调解室", None, 1, None)
}

#[test]
fn the_agreement_pdf_is_sealed_by_the_committee_with_full_numbers_and_whole_names() {
    let path = agreement_of_a_village_room(village_room(), "agreement-signed");
    let dir = path.parent().unwrap().to_path_buf();
    let text = pdf_text(&path);
    // The seal is the committee's, not the room's.
    assert!(
        squeeze(&text).contains("青山村人民调解委员会（印章）"),
        "{text}"
    );
    assert!(!squeeze(&text).contains("青山村调解室（印章）"), "{text}");
    // The numbers the parties sign above, in full.
    assert!(text.contains(&id_number(ZHANG_ID17)), "{text}");
    assert!(text.contains("13812345678"), "{text}");
    // Three- and four-character names, and whole ID numbers, on one line
    // of their cells: the parties' rows of the table, as laid out.
    let row = |side: &str, name: &str, id: &str| {
        text.lines()
            .any(|l| l.contains(side) && l.contains(name) && l.contains(id))
    };
    assert!(row("申请人", "刘红兵", &id_number(ZHANG_ID17)), "{text}");
    assert!(row("被申请人", "欧阳建国", &id_number(LI_ID17)), "{text}");
    // The first page, for people to look at.
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", "70", "-f", "1", "-l", "1"])
        .arg(&path)
        .arg(dir.join("page"))
        .status()
        .expect("pdftoppm (poppler-utils) is needed");
    assert!(status.success());
}

#[test]
fn a_committee_name_the_unit_gave_is_the_one_on_the_seal() {
    let path = agreement_of_a_village_room(
        village_room().with_committee(Some("青山村民调解委员会")),
        "agreement-committee",
    );
    let text = squeeze(&pdf_text(&path));
    assert!(text.contains("青山村民调解委员会（印章）"), "{text}");
    assert!(!text.contains("青山村人民调解委员会（印章）"), "{text}");
}

/// `case_file::make` is what both `tiaojie doc` and the app's 生成 call: the
/// rights it checks and the access-log entries it writes are theirs.
#[test]
fn making_a_case_file_checks_the_rights_and_logs_the_same_for_both_shells() {
    use tiaojie_docs::case_file::{self, Request, Which};
    use tiaojie_ledger::domain::roles::Role;
    let mut l = village();
    let case = full_case(&mut l, "刘红兵", "欧阳建国", AgreementForm::Written);
    l.add_user(None, "管理员", Role::Admin, "8520").unwrap();
    let admin = l.sign_in("管理员", "8520").unwrap();
    l.add_user(Some(&admin), "王调解", Role::Mediator, "7391")
        .unwrap();
    l.add_user(Some(&admin), "李主任", Role::Officer, "2468")
        .unwrap();
    let mediator = l.sign_in("王调解", "7391").unwrap();
    let officer = l.sign_in("李主任", "2468").unwrap();
    let (templates, fonts) = (Templates::builtin(), FontSource::default());
    let request = |which, full_numbers| Request {
        case_id: case,
        which,
        format: Format::Docx,
        full_numbers,
        templates: &templates,
        fonts: &fonts,
    };
    let log = |l: &tiaojie_ledger::Ledger| -> Vec<(String, String, String)> {
        l.access_log(Some(&admin), 100)
            .unwrap()
            .into_iter()
            .map(|e| (e.user, e.action, e.target))
            .collect()
    };
    let before = log(&l).len();

    // A mediator may not take documents out: refused, nothing logged.
    let refused = case_file::make(&l, Some(&mediator), &request(Which::All, false))
        .err()
        .expect("a mediator has no export right");
    assert_eq!(refused.code(), "not_yours", "{refused}");
    assert_eq!(log(&l).len(), before);

    // The officer: every document the case has data for, the oral form
    // skipped with its reason; full numbers and the making both logged.
    let file = case_file::make(&l, Some(&officer), &request(Which::All, true)).unwrap();
    let made: Vec<DocKind> = file.made.iter().map(|m| m.kind).collect();
    assert!(made.contains(&DocKind::Agreement), "{made:?}");
    assert!(
        file.skipped
            .iter()
            .any(|(k, why)| *k == DocKind::OralAgreement && !why.is_empty()),
        "{:?}",
        file.skipped
    );
    let number = file.number.clone();
    let entries = log(&l);
    assert_eq!(
        entries[..2],
        [
            ("李主任".into(), "document".into(), format!("{number} all")),
            ("李主任".into(), "view_full_numbers".into(), number.clone()),
        ]
    );
    // One kind, masked: one entry, by its key.
    case_file::make(
        &l,
        Some(&officer),
        &request(Which::parse("人民调解协议书").unwrap(), false),
    )
    .unwrap();
    assert_eq!(
        log(&l)[0],
        (
            "李主任".into(),
            "document".into(),
            format!("{number} agreement")
        )
    );
    // Asked for the oral form alone, the missing data is an error, not a skip.
    assert!(
        case_file::make(
            &l,
            Some(&officer),
            &request(Which::One(DocKind::OralAgreement), false)
        )
        .is_err()
    );

    // The Excel ledger and the monthly report, as both shells take them out.
    let filter = tiaojie_ledger::store::queries::CaseFilter::default();
    let n = log(&l).len();
    assert!(tiaojie_docs::xlsx::export_ledger_for(&l, Some(&mediator), &filter, false).is_err());
    assert!(
        tiaojie_docs::report::monthly_report_for(&l, Some(&mediator), VILLAGE, true, "2026-03")
            .is_err()
    );
    assert_eq!(log(&l).len(), n);
    tiaojie_docs::xlsx::export_ledger_for(&l, Some(&officer), &filter, true).unwrap();
    tiaojie_docs::report::monthly_report_for(&l, Some(&officer), VILLAGE, true, "2026-03").unwrap();
    let what = tiaojie_docs::xlsx::describe_filter(&filter);
    assert_eq!(
        log(&l)[..3],
        [
            ("李主任".into(), "monthly_report".into(), "2026-03".into()),
            ("李主任".into(), "export_ledger".into(), what.clone()),
            ("李主任".into(), "view_full_numbers".into(), what),
        ]
    );
}
