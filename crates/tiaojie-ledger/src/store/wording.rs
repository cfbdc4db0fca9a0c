//! What earlier visits found, offered again. A red case is visited every
//! day and the findings repeat ("双方情绪平稳，未发生新的冲突"): the visit
//! form offers this case's own findings and the ones this ledger's visits
//! wrote most, to be taken with a key instead of typed again.

use super::Ledger;
use crate::domain::phrasing::{ClauseOffer, Phrasebook};
use crate::error::{LedgerError, Result};
use rusqlite::params;
use uuid::Uuid;

/// How many of the unit's latest cases the intake phrasing is learnt from.
const PAST_CASES: i64 = 2_000;

/// The two texts of the intake form written in the dispute's own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntakeText {
    /// 纠纷简要情况
    Facts,
    /// 申请事项
    Requests,
}

impl IntakeText {
    pub fn parse(key: &str) -> Result<IntakeText> {
        match key {
            "facts" => Ok(IntakeText::Facts),
            "requests" => Ok(IntakeText::Requests),
            other => Err(LedgerError::invalid(
                "field",
                format!(
                    "没有可提示的栏目“{other}”，只有 facts（纠纷简要情况）和 requests（申请事项）"
                ),
            )),
        }
    }

    fn column(self) -> &'static str {
        match self {
            IntakeText::Facts => "facts",
            IntakeText::Requests => "requests",
        }
    }
}

/// How many findings are offered at most.
pub const WORDINGS_SHOWN: usize = 6;
const SHOWN_SQL: i64 = WORDINGS_SHOWN as i64;

/// How many of the latest visits of the whole ledger the common findings
/// are counted over: recent wording, and a bounded query however large
/// the ledger.
const RECENT_VISITS: i64 = 2_000;

impl Ledger {
    /// Findings of earlier visits that contain `typed` (all of them when
    /// nothing is typed): the case's own, newest first, then the ones the
    /// ledger's recent visits wrote most often; each once, at most
    /// `WORDINGS_SHOWN`, none equal to what is typed already.
    pub fn visit_wordings(&self, case_id: Uuid, typed: &str) -> Result<Vec<String>> {
        let typed = typed.trim();
        let mut out: Vec<String> = Vec::new();
        let take = |text: String, out: &mut Vec<String>| {
            if text != typed && !out.contains(&text) && out.len() < WORDINGS_SHOWN {
                out.push(text);
            }
        };
        let conn = self.conn();
        let mut own = conn.prepare_cached(
            "SELECT performance FROM followups
             WHERE case_id = ?1 AND instr(performance, ?2) > 0 AND performance <> ''
             GROUP BY performance ORDER BY max(on_date) DESC, max(rowid) DESC LIMIT ?3",
        )?;
        for text in own.query_map(params![case_id.to_string(), typed, SHOWN_SQL], |r| {
            r.get::<_, String>(0)
        })? {
            take(text?, &mut out);
        }
        let mut common = conn.prepare_cached(
            "SELECT performance FROM
               (SELECT performance, on_date FROM followups ORDER BY rowid DESC LIMIT ?1)
             WHERE instr(performance, ?2) > 0 AND performance <> ''
             GROUP BY performance ORDER BY count(*) DESC, max(on_date) DESC LIMIT ?3",
        )?;
        for text in common.query_map(params![RECENT_VISITS, typed, 2 * SHOWN_SQL], |r| {
            r.get::<_, String>(0)
        })? {
            take(text?, &mut out);
        }
        Ok(out)
    }

    /// Completions of the clause being typed at the end of `typed`, in
    /// this unit's own phrasing (its latest cases' texts), with the new
    /// dispute's parties `names` in place of the old ones.
    pub fn intake_wordings(
        &self,
        text: IntakeText,
        typed: &str,
        names: &[String],
    ) -> Result<Vec<ClauseOffer>> {
        let unit = self.device()?.unit_code;
        let sql = format!(
            "SELECT c.{col}, (SELECT group_concat(name, char(31)) FROM
                 (SELECT name FROM parties p WHERE p.case_id = c.id ORDER BY p.idx))
             FROM cases c WHERE c.origin_unit = ?1 AND c.{col} <> ''
             ORDER BY c.received_on DESC, c.rowid DESC LIMIT ?2",
            col = text.column()
        );
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&sql)?;
        let past: Vec<(String, Vec<String>)> = stmt
            .query_map(params![unit, PAST_CASES], |r| {
                let names: Option<String> = r.get(1)?;
                Ok((
                    r.get::<_, String>(0)?,
                    names
                        .map(|n| n.split('\u{1f}').map(str::to_string).collect())
                        .unwrap_or_default(),
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut book = Phrasebook::default();
        book.learn(past.iter().map(|(t, n)| (t.as_str(), n.as_slice())));
        Ok(book.offers(typed, names))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::intake::{CaseIntake, PartyInput};
    use crate::domain::unit::UnitSpec;
    use crate::store::FollowUpInput;
    use chrono::NaiveDate;

    fn village() -> Ledger {
        let mut l = Ledger::open_in_memory().unwrap();
        l.init(
            UnitSpec::new("430302001001", "青山村调解室", None, 1, None),
            0,
        )
        .unwrap();
        l
    }

    fn case(l: &mut Ledger, a: &str, b: &str) -> Uuid {
        let party = |name: &str| PartyInput {
            name: name.into(),
            ..Default::default()
        };
        l.open_case(&CaseIntake {
            received_on: Some("2026-11-01".into()),
            dispute_type: "邻里".into(),
            source: "主动排查".into(),
            facts: format!("{a}与{b}因排水沟发生争吵"),
            parties: vec![party(a), party(b)],
            ..Default::default()
        })
        .unwrap()
        .id
    }

    fn visit(l: &mut Ledger, case: Uuid, day: u32, found: &str) {
        l.follow_up(
            case,
            FollowUpInput {
                on: NaiveDate::from_ymd_opt(2026, 11, day),
                visitor: "王秀英".into(),
                performance: found.into(),
                ..Default::default()
            },
        )
        .unwrap();
    }

    #[test]
    fn the_cases_own_findings_come_first_then_the_ledgers_most_written() {
        let mut l = village();
        let (a, b) = (
            case(&mut l, "刘红兵", "陈建国"),
            case(&mut l, "赵德亮", "赵德明"),
        );
        visit(&mut l, a, 2, "双方仍有怨气，已分别做工作");
        visit(&mut l, a, 3, "双方情绪平稳，未发生新的冲突");
        for day in 2..5 {
            visit(&mut l, b, day, "排水沟已疏通，双方无异议");
        }
        visit(&mut l, b, 5, "双方情绪平稳，未发生新的冲突");
        let offered = l.visit_wordings(a, "").unwrap();
        assert_eq!(
            offered,
            [
                "双方情绪平稳，未发生新的冲突",
                "双方仍有怨气，已分别做工作",
                "排水沟已疏通，双方无异议",
            ]
        );
        // What is typed narrows the offer: the case's own first, then the
        // ledger's; a finding typed in full is not offered back.
        assert_eq!(
            l.visit_wordings(b, "双方").unwrap(),
            [
                "双方情绪平稳，未发生新的冲突",
                "排水沟已疏通，双方无异议",
                "双方仍有怨气，已分别做工作",
            ]
        );
        assert_eq!(
            l.visit_wordings(b, "怨气").unwrap(),
            ["双方仍有怨气，已分别做工作"]
        );
        assert_eq!(
            l.visit_wordings(b, "排水沟已疏通，双方无异议").unwrap(),
            Vec::<String>::new()
        );
        assert!(l.visit_wordings(a, "起诉").unwrap().is_empty());
    }

    #[test]
    fn intake_offers_come_from_this_units_own_cases_with_the_new_names() {
        let mut l = village();
        case(&mut l, "刘红兵", "陈建国");
        case(&mut l, "赵德亮", "赵德明");
        let now = ["张三".to_string(), "李秀兰".to_string()];
        let offers = l.intake_wordings(IntakeText::Facts, "张三", &now).unwrap();
        assert_eq!(offers.len(), 1, "{offers:?}");
        assert_eq!(offers[0].clause, "张三与李秀兰因排水沟发生争吵");
        assert!(
            l.intake_wordings(IntakeText::Requests, "", &now)
                .unwrap()
                .is_empty()
        );
        assert!(IntakeText::parse("facts").is_ok());
        let wrong = IntakeText::parse("notes").unwrap_err();
        assert!(wrong.to_string().contains("notes"), "{wrong}");
    }

    #[test]
    fn at_most_six_are_offered() {
        let mut l = village();
        let a = case(&mut l, "刘红兵", "陈建国");
        for day in 1..=9 {
            visit(&mut l, a, day, &format!("第{day}次回访，双方无异议"));
        }
        let offered = l.visit_wordings(a, "回访").unwrap();
        assert_eq!(offered.len(), WORDINGS_SHOWN);
        assert_eq!(offered[0], "第9次回访，双方无异议");
    }
}
