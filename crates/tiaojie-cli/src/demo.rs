//! `tiaojie demo`: a small sample ledger of a village under a police station
//! under a district, with a few cases at different stages, so that a new
//! user (or a tester) sees the ledger list and the follow-up list filled in.

use crate::commands::{due_text, list_text};
use crate::error::CliResult;
use crate::output::Output;
use chrono::{Days, NaiveDate};
use serde_json::json;
use std::path::Path;
use tiaojie_ledger::domain::identity::check_char;
use tiaojie_ledger::domain::intake::{CaseIntake, Fen, PartyInput};
use tiaojie_ledger::domain::labels::{
    AgreementForm, ClosingOutcome, Department, MediatorRole, Satisfaction, SessionResult,
};
use tiaojie_ledger::domain::unit::UnitSpec;
use tiaojie_ledger::event::Term;
use tiaojie_ledger::store::queries::{CaseFilter, Scope};
use tiaojie_ledger::store::{AgreementInput, FollowUpInput, MediatorInput, SessionInput, today};
use tiaojie_ledger::{Ledger, LedgerError, Result};

const DISTRICT: &str = "430302";
const STATION: &str = "430302001";
const VILLAGE: &str = "430302001001";

pub fn run(ledger: &mut Ledger, path: &Path, out: Output) -> CliResult<()> {
    let created = match ledger.device() {
        Ok(_) => false,
        Err(LedgerError::NotFound { .. }) => {
            build(ledger)?;
            true
        }
        Err(e) => return Err(e.into()),
    };
    let on = today();
    let unit = ledger.device()?.unit_code;
    let cases = ledger.list_cases(&CaseFilter::default())?;
    let due = ledger.due_visits(
        on,
        &Scope {
            unit,
            subtree: false,
        },
    )?;
    let doc = json!({ "db": path, "created": created, "cases": cases, "due": due });
    out.emit(&doc, |_| {
        let head = if created {
            format!("已建立示例台账：{}", path.display())
        } else {
            format!("示例台账已存在：{}", path.display())
        };
        format!(
            "{head}\n\n【台账】\n{}\n【今日应回访】\n{}",
            list_text(&cases),
            due_text(&due, on)
        )
    })
}

/// An ID number valid under GB 11643 for a person born on `birth`
/// (YYYYMMDD); an odd `order` makes a man, an even one a woman.
fn id_number(birth: &str, order: &str) -> String {
    let first17 = format!("{DISTRICT}{birth}{order}");
    let check = check_char(&first17).unwrap_or('0');
    format!("{first17}{check}")
}

fn party(
    side: &str,
    name: &str,
    birth: &str,
    order: &str,
    phone: &str,
    address: &str,
) -> PartyInput {
    PartyInput {
        side: Some(side.into()),
        name: name.into(),
        ethnicity: Some("汉族".into()),
        phone: Some(phone.into()),
        address: Some(address.into()),
        id_number: Some(id_number(birth, order)),
        ..Default::default()
    }
}

fn build(ledger: &mut Ledger) -> Result<()> {
    let t = today();
    let ago = |n: u64| -> NaiveDate { t - Days::new(n) };
    let day = |n: u64| Some(ago(n));

    ledger.init(UnitSpec::new(VILLAGE, "青山村调解室", None, 1, None), 0)?;
    ledger.add_unit(UnitSpec::new(
        DISTRICT,
        "青山区矛盾纠纷调解中心",
        None,
        3,
        None,
    ))?;
    ledger.add_unit(UnitSpec::new(
        STATION,
        "青山派出所调解中心",
        None,
        2,
        Some(DISTRICT),
    ))?;
    ledger.add_unit(UnitSpec::new(
        VILLAGE,
        "青山村调解室",
        None,
        1,
        Some(STATION),
    ))?;
    for (name, phone, unit, role, specialties) in [
        (
            "王建国",
            "13807320001",
            VILLAGE,
            MediatorRole::VillageCadre,
            vec!["邻里", "婚姻家庭"],
        ),
        (
            "刘洋",
            "13807320002",
            VILLAGE,
            MediatorRole::AuxiliaryPolice,
            vec!["治安"],
        ),
        (
            "陈志强",
            "13807320003",
            STATION,
            MediatorRole::PoliceOfficer,
            vec!["治安", "房屋宅基地"],
        ),
        (
            "周丽",
            "13807320004",
            DISTRICT,
            MediatorRole::LegalAdviser,
            vec!["合同", "劳动争议"],
        ),
    ] {
        ledger.add_mediator(MediatorInput {
            name: name.into(),
            phone: Some(phone.into()),
            unit: Some(unit.into()),
            role,
            specialties: specialties.into_iter().map(String::from).collect(),
        })?;
    }
    ledger.report_screening(ago(45), ago(31), 0, "本轮排查未发现矛盾纠纷", day(30))?;

    // A neighbours' quarrel settled in the village; its weekly visit is due today.
    let drain = ledger.open_case(&CaseIntake {
        received_on: Some(ago(15).to_string()),
        dispute_type: "邻里".into(),
        source: "当事人申请".into(),
        facts: "李国富在宅前私自填埋排水沟，雨天积水流入张桂英家院内，双方多次争吵".into(),
        requests: Some("请求恢复排水沟".into()),
        mediator: Some("王建国".into()),
        parties: vec![
            party(
                "申请人",
                "张桂英",
                "19680412",
                "024",
                "13907321111",
                "青山村三组12号",
            ),
            party(
                "被申请人",
                "李国富",
                "19650903",
                "013",
                "13907322222",
                "青山村三组14号",
            ),
        ],
        ..Default::default()
    })?;
    ledger.grade_case(drain.id, "黄", "双方多次争吵，有肢体冲突苗头", day(15))?;
    ledger.record_session(
        drain.id,
        SessionInput {
            on: day(14),
            place: "青山村调解室".into(),
            mediators: vec!["王建国".into()],
            attendees: "村民小组长李德胜".into(),
            summary: "现场查看排水沟，双方同意由李国富疏通恢复".into(),
            result: SessionResult::Agreed,
        },
    )?;
    ledger.make_agreement(
        drain.id,
        AgreementInput {
            on: day(14),
            form: AgreementForm::Written,
            terms: vec![
                Term {
                    content: "李国富于一周内自费疏通宅前排水沟".into(),
                    due: day(7),
                },
                Term {
                    content: "双方今后互谅互让，不再因此事争吵".into(),
                    due: None,
                },
            ],
            amount: Fen(0),
        },
    )?;
    ledger.follow_up(
        drain.id,
        FollowUpInput {
            on: day(7),
            visitor: "王建国".into(),
            performance: "排水沟已疏通".into(),
            satisfaction: Some(Satisfaction::Satisfied),
            ..Default::default()
        },
    )?;

    // Brothers over a house site: red, two failed sessions, escalated to the
    // station and waiting there (only the station can accept it).
    let site = ledger.open_case(&CaseIntake {
        received_on: Some(ago(5).to_string()),
        dispute_type: "房屋宅基地".into(),
        source: "主动排查".into(),
        facts: "赵氏兄弟因父母遗留宅基地分割发生纠纷，赵德亮扬言动手".into(),
        requests: Some("请求按父母生前约定分割宅基地".into()),
        people_involved: Some(6),
        petition_risk: true,
        criminal_risk: true,
        key_persons: Some("赵德亮".into()),
        mediator: Some("刘洋".into()),
        parties: vec![
            party(
                "申请人",
                "赵德明",
                "19720120",
                "035",
                "13907323333",
                "青山村五组3号",
            ),
            party(
                "被申请人",
                "赵德亮",
                "19750608",
                "057",
                "13907324444",
                "青山村五组5号",
            ),
        ],
        ..Default::default()
    })?;
    ledger.grade_case(
        site.id,
        "红",
        "兄弟双方情绪激烈，扬言动手，有民转刑风险",
        day(4),
    )?;
    for (n, summary) in [
        (4, "双方各执一词，赵德亮中途离场"),
        (3, "赵德亮拒不接受父母生前约定"),
    ] {
        ledger.record_session(
            site.id,
            SessionInput {
                on: day(n),
                place: "青山村调解室".into(),
                mediators: vec!["王建国".into(), "刘洋".into()],
                attendees: "赵氏族亲二人".into(),
                summary: summary.into(),
                result: SessionResult::Failed,
            },
        )?;
    }
    ledger.follow_up(
        site.id,
        FollowUpInput {
            on: day(3),
            visitor: "刘洋".into(),
            performance: "赵德亮仍对赔偿数额有意见".into(),
            new_risk: "赵德亮情绪仍不稳定".into(),
            measures: "已告知派出所民警关注".into(),
            ..Default::default()
        },
    )?;
    ledger.refer(
        site.id,
        Department::Land,
        "镇自然资源所",
        "核实宅基地确权登记情况",
        t + Days::new(5),
        day(2),
    )?;
    ledger.escalate(
        site.id,
        STATION,
        "宅基地历史遗留问题，村级两次调解不成，有民转刑风险",
        day(2),
    )?;

    // A family matter settled by oral agreement and closed.
    let family = ledger.open_case(&CaseIntake {
        received_on: Some(ago(40).to_string()),
        dispute_type: "婚姻家庭".into(),
        source: "当事人申请".into(),
        facts: "孙晓梅与周强离婚后，周强未按时支付女儿抚养费".into(),
        requests: Some("请求按月支付抚养费".into()),
        amount: Some(tiaojie_ledger::domain::intake::YuanText("12000".into())),
        mediator: Some("王建国".into()),
        parties: vec![
            party(
                "申请人",
                "孙晓梅",
                "19901102",
                "026",
                "13907325555",
                "青山村一组8号",
            ),
            party(
                "被申请人",
                "周强",
                "19880715",
                "011",
                "13907326666",
                "青山村二组2号",
            ),
        ],
        ..Default::default()
    })?;
    ledger.grade_case(family.id, "绿", "一般家庭纠纷，双方态度平和", day(40))?;
    ledger.record_session(
        family.id,
        SessionInput {
            on: day(38),
            place: "周强家中".into(),
            mediators: vec!["王建国".into()],
            attendees: String::new(),
            summary: "释明抚养义务，周强同意按月支付".into(),
            result: SessionResult::Agreed,
        },
    )?;
    ledger.make_agreement(
        family.id,
        AgreementInput {
            on: day(38),
            form: AgreementForm::Oral,
            terms: vec![Term {
                content: "周强每月10日前支付女儿抚养费1000元，共12个月".into(),
                due: None,
            }],
            amount: Fen(1_200_000),
        },
    )?;
    ledger.record_performance(family.id, "已按期支付首月抚养费", false, day(30))?;
    ledger.follow_up(
        family.id,
        FollowUpInput {
            on: day(10),
            visitor: "王建国".into(),
            performance: "按月支付，无拖欠".into(),
            satisfaction: Some(Satisfaction::Satisfied),
            ..Default::default()
        },
    )?;
    ledger.close_case(family.id, ClosingOutcome::Resolved, "协议履行正常", day(10))?;
    Ok(())
}
