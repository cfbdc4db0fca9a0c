//! A village ledger with one case through its whole life, for the document
//! and spreadsheet tests, and the places their output is saved for review.
#![allow(dead_code)]

use chrono::NaiveDate;
use std::path::PathBuf;
use tiaojie_ledger::Ledger;
use tiaojie_ledger::domain::identity::check_char;
use tiaojie_ledger::domain::intake::{CaseIntake, Fen, PartyInput};
use tiaojie_ledger::domain::labels::{
    AgreementForm, ClosingOutcome, MediatorRole, Satisfaction, SessionResult,
};
use tiaojie_ledger::domain::unit::UnitSpec;
use tiaojie_ledger::event::Term;
use tiaojie_ledger::store::{AgreementInput, FollowUpInput, MediatorInput, SessionInput};
use uuid::Uuid;

pub const VILLAGE: &str = "430302001001";

pub fn day(month: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, month, d).unwrap()
}

pub fn id_number(first17: &str) -> String {
    format!("{first17}{}", check_char(first17).unwrap())
}

pub const ZHANG_ID17: &str = "43030219800101001";
pub const LI_ID17: &str = "43030219850615002";

/// Where a test saves what a person should look at.
pub fn output_dir(name: &str) -> PathBuf {
    let root = std::env::var_os("TIAOJIE_TEST_OUTPUT")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../test-output"));
    let dir = root.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn village() -> Ledger {
    let mut l = Ledger::open_in_memory().unwrap();
    l.init(
        UnitSpec::new(VILLAGE, "青山村人民调解委员会", Some("青山村"), 1, None),
        0,
    )
    .unwrap();
    l.add_mediator(MediatorInput {
        name: "王调解".into(),
        phone: Some("13900139000".into()),
        unit: None,
        role: MediatorRole::VillageCadre,
        specialties: vec![],
    })
    .unwrap();
    l
}

pub fn intake(applicant: &str, respondent: &str, received: NaiveDate) -> CaseIntake {
    CaseIntake {
        received_on: Some(received.to_string()),
        dispute_type: "邻里".into(),
        source: "当事人申请".into(),
        facts: format!(
            "{applicant}与{respondent}系前后院邻居，因{respondent}新砌围墙越过宅基地界线约半米发生争执，双方多次口角，{applicant}要求拆除越界部分。"
        ),
        requests: Some("拆除越界围墙，赔偿损坏的菜地".into()),
        amount: Some(tiaojie_ledger::domain::intake::YuanText("800".into())),
        people_involved: Some(2),
        mediator: Some("王调解".into()),
        parties: vec![
            PartyInput {
                side: Some("applicant".into()),
                name: applicant.into(),
                gender: Some("男".into()),
                ethnicity: Some("汉族".into()),
                id_number: Some(id_number(ZHANG_ID17)),
                phone: Some("13812345678".into()),
                address: Some("青山村三组12号".into()),
                ..Default::default()
            },
            PartyInput {
                side: Some("respondent".into()),
                name: respondent.into(),
                gender: Some("女".into()),
                id_number: Some(id_number(LI_ID17)),
                phone: Some("13987654321".into()),
                address: Some("青山村三组14号".into()),
                ..Default::default()
            },
        ],
        ..Default::default()
    }
}

/// A case from intake to closing, with a written or an oral agreement.
pub fn full_case(l: &mut Ledger, applicant: &str, respondent: &str, form: AgreementForm) -> Uuid {
    let c = l
        .open_case(&intake(applicant, respondent, day(3, 2)))
        .unwrap();
    l.grade_case(c.id, "red", "双方情绪激动，有肢体冲突苗头", Some(day(3, 2)))
        .unwrap();
    l.record_session(
        c.id,
        SessionInput {
            on: Some(day(3, 5)),
            place: "青山村调解室".into(),
            mediators: vec!["王调解".into()],
            attendees: "村民小组长赵六".into(),
            summary: format!(
                "{applicant}陈述围墙越界约半米；{respondent}认为围墙在自家地界内。调解员现场丈量，核对宅基地证，确认越界。"
            ),
            result: SessionResult::Agreed,
        },
    )
    .unwrap();
    l.make_agreement(
        c.id,
        AgreementInput {
            on: Some(day(3, 5)),
            form,
            terms: vec![
                Term {
                    content: format!("{respondent}于2026年3月20日前拆除越界围墙"),
                    due: Some(day(3, 20)),
                },
                Term {
                    content: format!("{respondent}赔偿{applicant}菜地损失800元"),
                    due: Some(day(3, 10)),
                },
            ],
            amount: Fen(80_000),
        },
    )
    .unwrap();
    l.follow_up(
        c.id,
        FollowUpInput {
            on: Some(day(3, 21)),
            visitor: "王调解".into(),
            performance: "围墙已拆除，赔偿款已付清".into(),
            satisfaction: Some(Satisfaction::Satisfied),
            lawsuit: false,
            new_risk: "无".into(),
            measures: "继续关注".into(),
        },
    )
    .unwrap();
    l.close_case(
        c.id,
        ClosingOutcome::Resolved,
        "协议履行完毕",
        Some(day(3, 22)),
    )
    .unwrap();
    c.id
}

/// Attaches a generated photo `w`×`h` to the case, as the app does.
pub fn attach_photo(l: &mut Ledger, case: Uuid, caption: &str, w: u32, h: u32, seed: u8) -> Uuid {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([seed, (x / 8 % 256) as u8, (y / 8 % 256) as u8])
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 85)
        .encode_image(&img)
        .unwrap();
    let name = format!("{caption}.jpg");
    let attached = tiaojie_docs::media::attach_files(
        l,
        case,
        &[(name, jpeg)],
        tiaojie_ledger::domain::labels::AttachmentKind::Evidence,
        caption,
    )
    .unwrap();
    attached[0].record.id
}

/// Attaches a scanned PDF of `pages` pages.
pub fn attach_scan(l: &mut Ledger, case: Uuid, caption: &str, pages: usize) {
    let mut pdf = b"%PDF-1.4\n1 0 obj << /Type /Pages /Count 2 >> endobj\n".to_vec();
    for i in 0..pages {
        pdf.extend(format!("{} 0 obj << /Type /Page /Parent 1 0 R >> endobj\n", i + 2).as_bytes());
    }
    pdf.extend(b"trailer << >>\n%%EOF\n");
    tiaojie_docs::media::attach_files(
        l,
        case,
        &[(format!("{caption}.pdf"), pdf)],
        tiaojie_ledger::domain::labels::AttachmentKind::Evidence,
        caption,
    )
    .unwrap();
}
