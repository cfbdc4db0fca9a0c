//! The intake form (受理登记表): what a mediator fills in when a dispute is
//! registered. Input arrives from the CLI, a JSON file or the desktop form;
//! `validate` normalises it or names the first field that is wrong.

use crate::domain::identity::{validate_id_number, validate_phone};
use crate::domain::labels::{DisputeType, Gender, MediationType, Side, Source};
use crate::error::{LedgerError, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};

/// An amount of money in fen (0.01 yuan). On input it is written in yuan,
/// as a number or a string ("3000", "3000.5", "3,000.50").
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default, ts_rs::TS,
)]
#[serde(transparent)]
pub struct Fen(pub i64);

impl Fen {
    pub fn parse_yuan(text: &str, field: &str) -> Result<Fen> {
        let t: String = text.trim().replace([',', '，'], "");
        let t = t.strip_suffix('元').unwrap_or(&t);
        let bad = || {
            LedgerError::invalid(
                field,
                format!("金额“{text}”格式不对，应为元，最多两位小数，如 3000.50"),
            )
        };
        let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
        if whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit()) || frac.len() > 2 {
            return Err(bad());
        }
        if !frac.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        let whole: i64 = whole.parse().map_err(|_| bad())?;
        let frac: i64 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
        if whole > 1_000_000_000_000 {
            return Err(LedgerError::invalid(field, "金额过大，请核对"));
        }
        Ok(Fen(whole * 100 + frac))
    }

    pub fn yuan(self) -> String {
        format!("{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

/// Yuan as written by a person or a JSON file: number or string.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct YuanText(pub String);

impl<'de> Deserialize<'de> for YuanText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(s) => Ok(YuanText(s)),
            serde_json::Value::Number(n) => Ok(YuanText(n.to_string())),
            other => Err(serde::de::Error::custom(format!(
                "金额应为数字或字符串，而不是 {other}"
            ))),
        }
    }
}

/// One party as entered.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, ts_rs::TS)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct PartyInput {
    pub side: Option<String>,
    pub name: String,
    #[serde(default)]
    pub gender: Option<String>,
    #[serde(default)]
    pub ethnicity: Option<String>,
    #[serde(default)]
    pub birth_date: Option<String>,
    #[serde(default)]
    pub age: Option<u32>,
    #[serde(default)]
    pub occupation: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub id_number: Option<String>,
}

/// The intake form as entered.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, ts_rs::TS)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct CaseIntake {
    #[serde(default)]
    pub received_on: Option<String>,
    pub dispute_type: String,
    pub source: String,
    #[serde(default)]
    pub mediation_type: Option<String>,
    pub facts: String,
    #[serde(default)]
    pub requests: Option<String>,
    #[serde(default)]
    #[ts(optional, type = "string | number | null")]
    pub amount: Option<YuanText>,
    #[serde(default)]
    pub people_involved: Option<u32>,
    #[serde(default)]
    pub petition_risk: bool,
    #[serde(default)]
    pub criminal_risk: bool,
    #[serde(default)]
    pub key_persons: Option<String>,
    #[serde(default)]
    pub mediator: Option<String>,
    pub parties: Vec<PartyInput>,
}

/// A validated party, as stored in events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    pub side: Side,
    pub name: String,
    pub gender: Option<Gender>,
    pub ethnicity: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub age: Option<u32>,
    pub occupation: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub id_number: Option<String>,
}

/// A validated intake, as stored in the `case_opened` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Intake {
    pub received_on: NaiveDate,
    pub dispute_type: DisputeType,
    pub source: Source,
    pub mediation_type: MediationType,
    pub facts: String,
    pub requests: String,
    pub amount: Fen,
    pub people_involved: u32,
    pub petition_risk: bool,
    pub criminal_risk: bool,
    pub key_persons: String,
    pub parties: Vec<Party>,
}

pub const MAX_TEXT: usize = 20_000;
/// No party was born before this.
pub const EARLIEST_BIRTH: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(d) => d,
    None => panic!("a valid date"),
};
/// No dispute in a ledger was received before this (an Excel serial read
/// wrongly gives year 1900 or earlier).
pub const EARLIEST_RECEIVED: NaiveDate = match NaiveDate::from_ymd_opt(1950, 1, 1) {
    Some(d) => d,
    None => panic!("a valid date"),
};
const MAX_NAME: usize = 50;
/// 民族, 职业: a word or two.
const MAX_SHORT: usize = 50;
const MAX_ADDRESS: usize = 200;

/// An optional short field, trimmed and bounded.
fn short_text(
    value: &Option<String>,
    field: &str,
    label: &str,
    max: usize,
) -> Result<Option<String>> {
    let v = opt_text(value);
    match &v {
        Some(t) if t.chars().count() > max => Err(LedgerError::invalid(
            field,
            format!("{label}过长（最多{max}字）"),
        )),
        _ => Ok(v),
    }
}

pub fn parse_date(text: &str, field: &str) -> Result<NaiveDate> {
    let t = text.trim();
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(t, "%Y/%m/%d"))
        .or_else(|_| NaiveDate::parse_from_str(t, "%Y年%m月%d日"))
        .map_err(|_| {
            LedgerError::invalid(field, format!("日期“{t}”格式不对，应为 2026-11-24 的形式"))
        })
}

/// Trims and bounds free text; `label` is the Chinese name of the field.
pub fn text(value: &str, field: &str, label: &str, required: bool) -> Result<String> {
    let v = value.trim();
    if required && v.is_empty() {
        return Err(LedgerError::invalid(field, format!("请填写{label}")));
    }
    if v.chars().count() > MAX_TEXT {
        return Err(LedgerError::invalid(
            field,
            format!("{label}过长（最多{MAX_TEXT}字）"),
        ));
    }
    Ok(v.to_string())
}

fn opt_text(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

impl PartyInput {
    fn validate(&self, index: usize, today: NaiveDate) -> Result<Party> {
        let who = format!("第{}位当事人", index + 1);
        let f = |name: &str| format!("parties[{index}].{name}");
        let name = self.name.trim();
        if name.is_empty() {
            return Err(LedgerError::invalid(
                f("name"),
                format!("请填写{who}的姓名"),
            ));
        }
        if name.chars().count() > MAX_NAME {
            return Err(LedgerError::invalid(f("name"), format!("{who}的姓名过长")));
        }
        let side = match self.side.as_deref() {
            Some(s) => Side::parse(s, &f("side"))?,
            None if index == 0 => Side::Applicant,
            None => Side::Respondent,
        };
        let mut gender = match opt_text(&self.gender) {
            Some(g) => Some(Gender::parse(&g, &f("gender"))?),
            None => None,
        };
        let mut birth_date = match opt_text(&self.birth_date) {
            Some(d) => {
                let d = parse_date(&d, &f("birth_date"))?;
                if d > today {
                    return Err(LedgerError::invalid(
                        f("birth_date"),
                        format!("{who}的出生日期晚于今天"),
                    ));
                }
                if d < EARLIEST_BIRTH {
                    return Err(LedgerError::invalid(
                        f("birth_date"),
                        format!("{who}的出生日期 {d} 不合理（应在 {EARLIEST_BIRTH} 以后）"),
                    ));
                }
                Some(d)
            }
            None => None,
        };
        let id_number = match opt_text(&self.id_number) {
            Some(id) => {
                let facts = validate_id_number(&id, &f("id_number")).map_err(|e| match e {
                    LedgerError::Invalid { field, message } => LedgerError::Invalid {
                        field,
                        message: format!("{who}的{message}"),
                    },
                    other => other,
                })?;
                if let Some(g) = gender.filter(|g| *g != facts.gender) {
                    return Err(LedgerError::invalid(
                        f("gender"),
                        format!("{who}的性别填为“{g}”，与身份证号（{}）不符", facts.gender),
                    ));
                }
                if let Some(b) = birth_date.filter(|b| *b != facts.birth_date) {
                    return Err(LedgerError::invalid(
                        f("birth_date"),
                        format!(
                            "{who}的出生日期 {b} 与身份证号中的 {} 不符",
                            facts.birth_date
                        ),
                    ));
                }
                gender = Some(facts.gender);
                birth_date = Some(facts.birth_date);
                Some(id.to_ascii_uppercase())
            }
            None => None,
        };
        let phone = match opt_text(&self.phone) {
            Some(p) => Some(validate_phone(&p, &f("phone")).map_err(|e| match e {
                LedgerError::Invalid { field, message } => LedgerError::Invalid {
                    field,
                    message: format!("{who}的{message}"),
                },
                other => other,
            })?),
            None => None,
        };
        if let Some(age) = self.age
            && !(1..=130).contains(&age)
        {
            return Err(LedgerError::invalid(
                f("age"),
                format!("{who}的年龄 {age} 不合理"),
            ));
        }
        Ok(Party {
            side,
            name: name.to_string(),
            gender,
            ethnicity: short_text(
                &self.ethnicity,
                &f("ethnicity"),
                &format!("{who}的民族"),
                MAX_SHORT,
            )?,
            birth_date,
            age: self.age,
            occupation: short_text(
                &self.occupation,
                &f("occupation"),
                &format!("{who}的职业"),
                MAX_SHORT,
            )?,
            phone,
            address: short_text(
                &self.address,
                &f("address"),
                &format!("{who}的住址"),
                MAX_ADDRESS,
            )?,
            id_number,
        })
    }
}

impl CaseIntake {
    /// Checks every field. `today` bounds dates that cannot be in the future.
    pub fn validate(&self, today: NaiveDate) -> Result<Intake> {
        let received_on = match opt_text(&self.received_on) {
            Some(d) => parse_date(&d, "received_on")?,
            None => today,
        };
        if received_on > today {
            return Err(LedgerError::invalid("received_on", "受理日期不能晚于今天"));
        }
        if received_on < EARLIEST_RECEIVED {
            return Err(LedgerError::invalid(
                "received_on",
                format!("受理日期 {received_on} 不合理（应在 {EARLIEST_RECEIVED} 以后）"),
            ));
        }
        let dispute_type = DisputeType::parse(&self.dispute_type, "dispute_type")?;
        let source = Source::parse(&self.source, "source")?;
        let mediation_type = match opt_text(&self.mediation_type) {
            Some(m) => MediationType::parse(&m, "mediation_type")?,
            None => MediationType::People,
        };
        let facts = text(&self.facts, "facts", "纠纷简要情况", true)?;
        let requests = text(
            self.requests.as_deref().unwrap_or(""),
            "requests",
            "申请事项",
            false,
        )?;
        let key_persons = text(
            self.key_persons.as_deref().unwrap_or(""),
            "key_persons",
            "重点人员",
            false,
        )?;
        let amount = match &self.amount {
            Some(a) if !a.0.trim().is_empty() => Fen::parse_yuan(&a.0, "amount")?,
            _ => Fen(0),
        };
        if self.parties.is_empty() {
            return Err(LedgerError::invalid("parties", "请至少登记一位当事人"));
        }
        if self.parties.len() > 500 {
            return Err(LedgerError::invalid(
                "parties",
                "当事人过多（最多500位），群体性纠纷请登记代表人",
            ));
        }
        let parties = self
            .parties
            .iter()
            .enumerate()
            .map(|(i, p)| p.validate(i, today))
            .collect::<Result<Vec<_>>>()?;
        if !parties.iter().any(|p| p.side == Side::Applicant) {
            return Err(LedgerError::invalid("parties", "至少要有一位申请人"));
        }
        let mut ids: Vec<&str> = parties
            .iter()
            .filter_map(|p| p.id_number.as_deref())
            .collect();
        ids.sort_unstable();
        if let Some(w) = ids.windows(2).find(|w| w[0] == w[1]) {
            return Err(LedgerError::invalid(
                "parties",
                format!("身份证号 {} 重复登记在两位当事人名下", w[0]),
            ));
        }
        let people_involved = self.people_involved.unwrap_or(parties.len() as u32);
        if people_involved < parties.len() as u32 {
            return Err(LedgerError::invalid(
                "people_involved",
                format!(
                    "涉及人数（{people_involved}）少于登记的当事人数（{}）",
                    parties.len()
                ),
            ));
        }
        Ok(Intake {
            received_on,
            dispute_type,
            source,
            mediation_type,
            facts,
            requests,
            amount,
            people_involved,
            petition_risk: self.petition_risk,
            criminal_risk: self.criminal_risk,
            key_persons,
            parties,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    fn sample() -> CaseIntake {
        CaseIntake {
            dispute_type: "邻里".into(),
            source: "当事人申请".into(),
            facts: "因宅前排水沟堵塞发生争执".into(),
            parties: vec![
                PartyInput {
                    name: "张三".into(),
                    id_number: Some("11010519491231002x".into()),
                    phone: Some("13800138000".into()),
                    ..Default::default()
                },
                PartyInput {
                    name: "李四".into(),
                    ..Default::default()
                },
            ],
            ..Default::default()
        }
    }

    #[test]
    fn fills_defaults_and_derives_from_the_id_number() {
        let i = sample().validate(today()).unwrap();
        assert_eq!(i.received_on, today());
        assert_eq!(i.mediation_type, MediationType::People);
        assert_eq!(i.parties[0].side, Side::Applicant);
        assert_eq!(i.parties[1].side, Side::Respondent);
        assert_eq!(i.parties[0].gender, Some(Gender::Female));
        assert_eq!(
            i.parties[0].id_number.as_deref(),
            Some("11010519491231002X")
        );
        assert_eq!(i.people_involved, 2);
    }

    #[test]
    fn names_the_field_that_is_wrong() {
        let mut bad = sample();
        bad.parties[1].id_number = Some("110105194912310021".into());
        let e = bad.validate(today()).unwrap_err();
        assert_eq!(e.field(), Some("parties[1].id_number"));
        assert!(e.to_string().starts_with("第2位当事人的身份证号"), "{e}");

        let mut bad = sample();
        bad.parties[0].gender = Some("男".into());
        assert_eq!(
            bad.validate(today()).unwrap_err().field(),
            Some("parties[0].gender")
        );

        let mut bad = sample();
        bad.facts = "  ".into();
        assert_eq!(bad.validate(today()).unwrap_err().field(), Some("facts"));

        let mut bad = sample();
        bad.received_on = Some("2026-12-01".into());
        assert_eq!(
            bad.validate(today()).unwrap_err().field(),
            Some("received_on")
        );

        let mut bad = sample();
        bad.parties[1].phone = Some("123".into());
        assert_eq!(
            bad.validate(today()).unwrap_err().field(),
            Some("parties[1].phone")
        );

        let mut bad = sample();
        bad.people_involved = Some(1);
        assert_eq!(
            bad.validate(today()).unwrap_err().field(),
            Some("people_involved")
        );

        let mut bad = sample();
        bad.parties[1].id_number = bad.parties[0].id_number.clone();
        assert_eq!(bad.validate(today()).unwrap_err().field(), Some("parties"));
    }

    #[test]
    fn money_in_yuan() {
        assert_eq!(Fen::parse_yuan("3000", "a").unwrap(), Fen(300_000));
        assert_eq!(Fen::parse_yuan("3,000.5", "a").unwrap(), Fen(300_050));
        assert_eq!(Fen::parse_yuan("12.34元", "a").unwrap(), Fen(1234));
        assert_eq!(Fen(300_050).yuan(), "3000.50");
        for bad in ["-1", "1.234", "abc", "", "1.2.3", "1e5"] {
            assert_eq!(
                Fen::parse_yuan(bad, "amount").unwrap_err().field(),
                Some("amount"),
                "{bad}"
            );
        }
    }

    #[test]
    fn json_amount_as_number_or_string_and_unknown_fields_rejected() {
        let j = r#"{"dispute_type":"合同","source":"application","facts":"欠款","amount":1200.5,
                   "parties":[{"name":"王五"}]}"#;
        let i: CaseIntake = serde_json::from_str(j).unwrap();
        assert_eq!(i.validate(today()).unwrap().amount, Fen(120_050));
        let typo = r#"{"dispute_type":"合同","source":"application","facts":"x","partys":[]}"#;
        let e = serde_json::from_str::<CaseIntake>(typo).unwrap_err();
        assert!(e.to_string().contains("partys"), "{e}");
    }
}
