//! The data a document is filled from: a case's values as printed (dates in
//! Chinese, amounts in yuan, vocabularies as words), and its lists.

use crate::error::Result;
use crate::mask::Privacy;
use chrono::NaiveDate;
use std::collections::BTreeMap;
use tiaojie_ledger::Ledger;
use tiaojie_ledger::domain::labels::{AgreementForm, Side};
use tiaojie_ledger::domain::unit::committee_from_name;
use uuid::Uuid;

/// The values every template may use, with what they are (for the
/// template documentation in `assets/templates/README.md`).
pub const VALUES: &[(&str, &str)] = &[
    ("number", "案件编号"),
    ("unit_name", "调解组织名称"),
    (
        "committee_name",
        "盖章的调解组织：村（社区）调解室为其人民调解委员会（如青山村人民调解委员会），调解中心为其本名",
    ),
    ("unit_code", "调解组织代码"),
    ("received_on", "受理日期"),
    ("dispute_type", "纠纷类型"),
    ("source", "纠纷来源"),
    ("mediation_type", "调解类型"),
    ("facts", "纠纷简要情况"),
    ("requests", "申请事项"),
    ("amount", "涉及金额"),
    ("people_involved", "涉及人数"),
    ("petition_risk", "是否涉访"),
    ("criminal_risk", "是否有民转刑风险"),
    ("key_persons", "重点人员"),
    ("mediator", "调解员"),
    ("status", "案件状态"),
    ("grade", "风险等级"),
    ("applicants", "申请人姓名"),
    ("respondents", "被申请人姓名"),
    ("parties_names", "全部当事人姓名"),
    ("session_count", "调解次数"),
    (
        "parties_copies",
        "协议份数（每位当事人一份，调解委员会留存一份）",
    ),
    ("mediation_from", "调解起始日期"),
    ("mediation_to", "调解终止日期"),
    ("agreement_form", "协议形式"),
    ("agreement_on", "协议日期"),
    ("agreement_amount", "协议金额"),
    ("written_agreement", "有书面协议时为“是”"),
    ("oral_agreement", "有口头协议时为“是”"),
    ("has_evidence", "案件有照片或扫描件附件时为“是”"),
    ("closed_on", "结案日期"),
    ("closing_outcome", "结案方式"),
    ("filed_on", "立卷日期"),
    ("today", "制作日期"),
];

const PARTY: &[&str] = &[
    "index",
    "side",
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "age",
    "occupation",
    "phone",
    "address",
    "id_number",
];

/// The lists, and the values each item has.
pub const LISTS: &[(&str, &[&str])] = &[
    ("parties", PARTY),
    ("applicants", PARTY),
    ("respondents", PARTY),
    (
        "sessions",
        &[
            "index",
            "on_date",
            "place",
            "mediators",
            "attendees",
            "summary",
            "result",
        ],
    ),
    ("terms", &["index", "content", "due"]),
    (
        "followups",
        &[
            "index",
            "on_date",
            "visitor",
            "performance",
            "satisfaction",
            "lawsuit",
            "new_risk",
            "measures",
        ],
    ),
    ("contents", &["index", "title", "count", "note"]),
    (
        "evidence",
        &[
            "index",
            "kind",
            "caption",
            "file_name",
            "on",
            "pages",
            "note",
        ],
    ),
];

pub fn is_list(name: &str) -> bool {
    LISTS.iter().any(|(l, _)| *l == name)
}

/// Whether `key` is a value a template may use, inside an item of `list`
/// (item values first, then the case's) or outside any list.
pub fn is_known(key: &str, list: Option<&str>) -> bool {
    if let Some(l) = list
        && let Some((_, keys)) = LISTS.iter().find(|(n, _)| *n == l)
        && keys.contains(&key)
    {
        return true;
    }
    VALUES.iter().any(|(k, _)| *k == key)
}

pub type Item = BTreeMap<String, String>;

#[derive(Debug, Clone, Default)]
pub struct Context {
    pub values: Item,
    pub lists: BTreeMap<String, Vec<Item>>,
}

impl Context {
    pub fn value(&self, key: &str, item: Option<&Item>) -> String {
        item.and_then(|i| i.get(key))
            .or_else(|| self.values.get(key))
            .cloned()
            .unwrap_or_default()
    }

    /// True when the value is there and not empty, or the list has items.
    pub fn has(&self, key: &str) -> bool {
        self.lists
            .get(key)
            .map(|l| !l.is_empty())
            .unwrap_or_else(|| self.values.get(key).is_some_and(|v| !v.is_empty()))
    }
}

/// 2026年3月5日.
pub fn chinese_date(d: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// 12345 fen → 123.45元.
pub fn yuan(fen: i64) -> String {
    format!("{}.{:02}元", fen / 100, (fen % 100).abs())
}

fn yes_no(b: bool) -> String {
    if b { "是" } else { "否" }.into()
}

/// The organisation whose seal a signed document carries: the formal name
/// the case's unit gave, or one made from its name (a village's 调解室
/// seals as its 人民调解委员会, a 调解中心 as itself).
fn committee_name(ledger: &Ledger, unit: &str, unit_name: &str) -> Result<String> {
    Ok(ledger
        .units()?
        .into_iter()
        .find(|u| u.spec.code == unit)
        .map(|u| u.spec.committee_name())
        .unwrap_or_else(|| committee_from_name(unit_name)))
}

/// Everything about `case_id` a document may print, with personal numbers
/// masked unless `privacy` allows them in full.
pub fn case_context(ledger: &Ledger, case_id: Uuid, privacy: Privacy) -> Result<Context> {
    let d = ledger.case_detail(case_id)?;
    let mut v = Item::new();
    let mut put = |k: &str, s: String| {
        v.insert(k.to_string(), s);
    };
    put("number", d.row.number.clone());
    put("unit_name", d.row.unit_name.clone());
    put(
        "committee_name",
        committee_name(ledger, &d.row.unit, &d.row.unit_name)?,
    );
    put("unit_code", d.row.unit.clone());
    put("received_on", chinese_date(d.row.received_on));
    put("dispute_type", d.row.dispute_type.clone());
    put("source", d.row.source.clone());
    put("mediation_type", d.mediation_type.printed());
    put("facts", d.facts.clone());
    put("requests", d.requests.clone());
    put(
        "amount",
        if d.amount_fen > 0 {
            yuan(d.amount_fen)
        } else {
            "无".into()
        },
    );
    put("people_involved", d.people_involved.to_string());
    put("petition_risk", yes_no(d.petition_risk));
    put("criminal_risk", yes_no(d.criminal_risk));
    put("key_persons", d.key_persons.clone());
    put("mediator", d.mediator.clone().unwrap_or_default());
    put("status", d.row.status.clone());
    put(
        "grade",
        d.row.grade_name.clone().unwrap_or_else(|| "未评估".into()),
    );
    put("session_count", d.sessions_held.to_string());
    let today = tiaojie_ledger::store::today();
    put("today", chinese_date(today));

    let mut parties = Vec::new();
    for (i, p) in d.party_records.iter().enumerate() {
        let mut item = Item::new();
        item.insert("index".into(), (i + 1).to_string());
        let or_blank = |v: &Option<String>| v.clone().unwrap_or_default();
        item.insert("side".into(), p.side.printed());
        item.insert("name".into(), p.name.clone());
        item.insert(
            "gender".into(),
            p.gender.as_ref().map(|g| g.printed()).unwrap_or_default(),
        );
        item.insert("ethnicity".into(), or_blank(&p.ethnicity));
        item.insert(
            "birth_date".into(),
            p.birth_date.map(chinese_date).unwrap_or_default(),
        );
        item.insert(
            "age".into(),
            p.age.map(|a| a.to_string()).unwrap_or_default(),
        );
        item.insert("occupation".into(), or_blank(&p.occupation));
        item.insert("phone".into(), privacy.phone(&or_blank(&p.phone)));
        item.insert("address".into(), or_blank(&p.address));
        item.insert(
            "id_number".into(),
            privacy.id_number(&or_blank(&p.id_number)),
        );
        parties.push(item);
    }
    let names = |side: &str| -> String {
        parties
            .iter()
            .filter(|p| p["side"] == side)
            .map(|p| p["name"].clone())
            .collect::<Vec<_>>()
            .join("、")
    };
    put("parties_copies", (parties.len() + 1).to_string());
    put("applicants", names(Side::Applicant.label()));
    put("respondents", names(Side::Respondent.label()));
    put(
        "parties_names",
        parties
            .iter()
            .map(|p| p["name"].clone())
            .collect::<Vec<_>>()
            .join("、"),
    );
    let by_side = |side: &str| -> Vec<Item> {
        parties
            .iter()
            .filter(|p| p["side"] == side)
            .cloned()
            .collect()
    };
    let applicants = by_side(Side::Applicant.label());
    let respondents = by_side(Side::Respondent.label());

    let sessions: Vec<Item> = d
        .sessions
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut item = Item::new();
            item.insert("index".into(), (i + 1).to_string());
            item.insert("on_date".into(), chinese_date(s.on_date));
            item.insert("place".into(), s.place.clone());
            item.insert("mediators".into(), s.mediators.join("、"));
            item.insert("attendees".into(), s.attendees.clone());
            item.insert("summary".into(), s.summary.clone());
            item.insert("result".into(), s.result.printed());
            item
        })
        .collect();
    let first_session = d.sessions.first().map(|s| chinese_date(s.on_date));
    let last_session = d.sessions.last().map(|s| chinese_date(s.on_date));
    put(
        "mediation_from",
        first_session.unwrap_or_else(|| chinese_date(d.row.received_on)),
    );
    put(
        "mediation_to",
        d.row
            .closed_on
            .map(chinese_date)
            .or(last_session)
            .unwrap_or_default(),
    );

    let mut terms = Vec::new();
    match &d.agreement {
        Some(a) => {
            put("agreement_form", a.form.printed());
            put("agreement_on", chinese_date(a.on));
            put(
                "agreement_amount",
                if a.amount_fen > 0 {
                    yuan(a.amount_fen)
                } else {
                    "无".into()
                },
            );
            for (i, t) in a.terms.iter().enumerate() {
                let mut item = Item::new();
                item.insert("index".into(), (i + 1).to_string());
                item.insert("content".into(), t.content.clone());
                item.insert(
                    "due".into(),
                    t.due.map(chinese_date).unwrap_or_else(|| "即时履行".into()),
                );
                terms.push(item);
            }
        }
        None => {
            for k in ["agreement_form", "agreement_on", "agreement_amount"] {
                put(k, String::new());
            }
        }
    }
    let form = d.agreement.as_ref().and_then(|a| a.form.known());
    let written = form == Some(AgreementForm::Written);
    let oral = form == Some(AgreementForm::Oral);

    let followups: Vec<Item> = d
        .followups
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let mut item = Item::new();
            item.insert("index".into(), (i + 1).to_string());
            item.insert("on_date".into(), chinese_date(f.on_date));
            item.insert("visitor".into(), f.visitor.clone());
            item.insert("performance".into(), f.performance.clone());
            item.insert(
                "satisfaction".into(),
                f.satisfaction
                    .as_ref()
                    .map(|x| x.printed())
                    .unwrap_or_default(),
            );
            item.insert("lawsuit".into(), yes_no(f.lawsuit));
            item.insert("new_risk".into(), f.new_risk.clone());
            item.insert("measures".into(), f.measures.clone());
            item
        })
        .collect();

    put(
        "closed_on",
        d.row.closed_on.map(chinese_date).unwrap_or_default(),
    );
    put(
        "closing_outcome",
        d.closing_outcome
            .as_ref()
            .map(|o| o.printed())
            .unwrap_or_default(),
    );
    put("filed_on", chinese_date(d.row.closed_on.unwrap_or(today)));

    // 证据材料: the photos and scans in the file, with their pages (a
    // photo is one page, a PDF as many as it has).
    let mut evidence = Vec::new();
    let mut evidence_pages = 0usize;
    for a in ledger.attachments(case_id)? {
        if a.removed_on.is_some() {
            continue;
        }
        let pages = if a.mime == "application/pdf" {
            match ledger.attachment_bytes(&a) {
                Ok(bytes) => pdf_pages(&bytes),
                Err(_) => 0,
            }
        } else {
            1
        };
        evidence_pages += pages;
        let mut item = Item::new();
        item.insert("index".into(), (evidence.len() + 1).to_string());
        item.insert("kind".into(), a.kind.printed());
        item.insert("caption".into(), a.caption.clone());
        item.insert("file_name".into(), a.file_name.clone());
        item.insert("on".into(), chinese_date(a.on));
        item.insert(
            "pages".into(),
            if pages > 0 {
                pages.to_string()
            } else {
                String::new()
            },
        );
        let note = match (a.here, a.mime.as_str()) {
            (false, _) => "未下载到本机",
            (true, "application/pdf") => "PDF 原件另附",
            _ => "",
        };
        item.insert("note".into(), note.into());
        evidence.push(item);
    }

    // 卷内目录: the file's documents in the official order, those the
    // ledger holds counted, the mandatory ones always listed.
    let entries: [(&str, usize, bool); 13] = [
        ("申请书或受理登记表", 1, true),
        ("人民调解权利义务告知书", 1, true),
        ("当事人身份证明", parties.len(), true),
        ("授权委托书", 0, false),
        ("调查记录", 0, false),
        ("证据材料", evidence.len(), false),
        ("调解记录", sessions.len(), true),
        (
            if oral {
                "口头协议登记表"
            } else {
                "人民调解协议书"
            },
            usize::from(written || oral),
            true,
        ),
        ("履行凭证", d.performances.len(), false),
        ("回访记录", followups.len(), false),
        ("司法确认材料", 0, false),
        ("卷宗情况说明", 0, false),
        ("封底", 1, true),
    ];
    let mut contents = Vec::new();
    for (title, count, mandatory) in entries {
        let count_text = if count > 0 {
            format!("{count}份")
        } else {
            String::new()
        };
        // The photos and scans are counted by page too.
        let note = if count == 0 {
            "待补".to_string()
        } else if title == "证据材料" {
            format!("共{evidence_pages}页")
        } else {
            String::new()
        };
        if count == 0 && !mandatory {
            continue;
        }
        let mut item = Item::new();
        item.insert("index".into(), (contents.len() + 1).to_string());
        item.insert("title".into(), title.into());
        item.insert("count".into(), count_text);
        item.insert("note".into(), note);
        contents.push(item);
    }

    let mut lists = BTreeMap::new();
    lists.insert("parties".to_string(), parties);
    lists.insert("applicants".to_string(), applicants);
    lists.insert("respondents".to_string(), respondents);
    lists.insert("sessions".to_string(), sessions);
    lists.insert("terms".to_string(), terms);
    lists.insert("followups".to_string(), followups);
    lists.insert("contents".to_string(), contents);
    let has_evidence = !evidence.is_empty();
    lists.insert("evidence".to_string(), evidence);
    let mut values = v;
    // Which agreement form the case has, for `requires` in templates.
    let flag = |b: bool| if b { "是" } else { "" }.to_string();
    values.insert("written_agreement".into(), flag(written));
    values.insert("oral_agreement".into(), flag(oral));
    values.insert("has_evidence".into(), flag(has_evidence));
    Ok(Context { values, lists })
}

/// How many pages a PDF has, by its page objects (`/Type /Page`, not
/// `/Pages`); at least one.
pub fn pdf_pages(bytes: &[u8]) -> usize {
    let mut pages = 0;
    for (i, w) in bytes.windows(5).enumerate() {
        if w != b"/Type" {
            continue;
        }
        let rest = &bytes[i + 5..];
        let rest = &rest[rest.iter().take_while(|b| b.is_ascii_whitespace()).count()..];
        if rest.starts_with(b"/Page") && !rest[5..].starts_with(b"s") {
            pages += 1;
        }
    }
    pages.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_amounts_as_printed() {
        assert_eq!(
            chinese_date(NaiveDate::from_ymd_opt(2026, 3, 5).unwrap()),
            "2026年3月5日"
        );
        assert_eq!(yuan(12_345), "123.45元");
        assert_eq!(yuan(5), "0.05元");
        assert!(is_known("name", Some("parties")));
        assert!(is_known("number", Some("parties")));
        assert!(!is_known("name", None));
        assert!(!is_known("nonsense", Some("sessions")));
    }

    #[test]
    fn a_village_room_seals_as_its_committee_and_a_centre_as_itself() {
        use tiaojie_ledger::domain::unit::UnitSpec;
        assert_eq!(committee_from_name("青山村调解室"), "青山村人民调解委员会");
        assert_eq!(committee_from_name("青山村调委会"), "青山村人民调解委员会");
        assert_eq!(
            committee_from_name("青山村人民调解委员会"),
            "青山村人民调解委员会"
        );
        assert_eq!(
            committee_from_name("双马派出所调解中心"),
            "双马派出所调解中心"
        );
        assert_eq!(committee_from_name("调解室"), "调解室");
        // A name the unit gave wins over the one made from its name.
        let village = UnitSpec::new("430302001001", "青山村调解室", None, 1, None);
        assert_eq!(village.committee_name(), "青山村人民调解委员会");
        let given = village.with_committee(Some(" 青山村民调解委员会 "));
        assert_eq!(given.committee_name(), "青山村民调解委员会");
        assert!(given.validate().is_ok());
        let too_long = UnitSpec::new("430302001001", "青山村调解室", None, 1, None)
            .with_committee(Some(&"长".repeat(61)));
        assert_eq!(too_long.validate().unwrap_err().field(), Some("committee"));
    }
}
