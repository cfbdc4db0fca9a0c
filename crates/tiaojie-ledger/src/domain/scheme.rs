//! The early-warning scheme (三色预警): grades and their follow-up cadence.
//! Places differ (four colours, grades A–D), so the scheme is data, changed by
//! an event; the default is the red / yellow / green table of the domain.

use crate::error::{LedgerError, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Grade {
    /// Stable key, e.g. "red".
    pub key: String,
    /// Chinese name shown to people, e.g. "红色".
    pub name: String,
    /// Days between follow-up visits.
    pub cadence_days: u32,
    /// Higher is more serious; lists show the most serious first.
    pub rank: u32,
    /// Display colour as #rrggbb, for the UI and Excel fills.
    pub color: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Scheme {
    pub grades: Vec<Grade>,
}

impl Default for Scheme {
    fn default() -> Self {
        let g = |key: &str, name: &str, cadence_days, rank, color: &str| Grade {
            key: key.into(),
            name: name.into(),
            cadence_days,
            rank,
            color: color.into(),
        };
        Scheme {
            grades: vec![
                g("red", "红色", 1, 3, "#d93025"),
                g("yellow", "黄色", 7, 2, "#f2b600"),
                g("green", "绿色", 30, 1, "#1e8e3e"),
            ],
        }
    }
}

impl Scheme {
    pub fn validate(&self) -> Result<()> {
        let n = self.grades.len();
        if !(1..=6).contains(&n) {
            return Err(LedgerError::invalid("grades", "预警等级应有1至6级"));
        }
        for (i, g) in self.grades.iter().enumerate() {
            let f = |name: &str| format!("grades[{i}].{name}");
            if g.key.is_empty()
                || g.key.len() > 20
                || !g
                    .key
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            {
                return Err(LedgerError::invalid(
                    f("key"),
                    format!("等级代码“{}”应为1至20位小写字母、数字或下划线", g.key),
                ));
            }
            if g.name.trim().is_empty() {
                return Err(LedgerError::invalid(f("name"), "请填写等级名称"));
            }
            if !(1..=365).contains(&g.cadence_days) {
                return Err(LedgerError::invalid(
                    f("cadence_days"),
                    format!("“{}”的回访周期应为1至365天", g.name),
                ));
            }
            let hex = g.color.strip_prefix('#').unwrap_or("");
            if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
                return Err(LedgerError::invalid(
                    f("color"),
                    format!("颜色“{}”应为 #rrggbb", g.color),
                ));
            }
            if self.grades[..i].iter().any(|o| o.key == g.key) {
                return Err(LedgerError::invalid(
                    f("key"),
                    format!("等级代码“{}”重复", g.key),
                ));
            }
            if self.grades[..i].iter().any(|o| o.rank == g.rank) {
                return Err(LedgerError::invalid(
                    f("rank"),
                    format!("等级序号 {} 重复", g.rank),
                ));
            }
        }
        Ok(())
    }

    pub fn grade(&self, key: &str) -> Option<&Grade> {
        self.grades.iter().find(|g| g.key == key)
    }

    /// Resolves a key or Chinese name ("red", "红", "红色") to a grade.
    pub fn resolve(&self, text: &str, field: &str) -> Result<&Grade> {
        let t = text.trim();
        self.grades
            .iter()
            .find(|g| g.key == t || g.name == t || g.name.trim_end_matches('色') == t)
            .ok_or_else(|| {
                let names: Vec<&str> = self.grades.iter().map(|g| g.name.as_str()).collect();
                LedgerError::invalid(
                    field,
                    format!("预警等级“{t}”不存在（可选：{}）", names.join("、")),
                )
            })
    }
}

/// Where a case stands on its follow-up cadence on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case", tag = "state", content = "days")]
pub enum DueState {
    /// The next visit is later than this day.
    NotYet,
    /// The visit is due on this day.
    Due,
    /// The visit was due this many days ago.
    Overdue(u32),
}

/// The next visit falls `cadence_days` after the last grading or visit,
/// whichever is later.
pub fn next_visit(anchor: NaiveDate, cadence_days: u32) -> NaiveDate {
    anchor + chrono::Days::new(u64::from(cadence_days))
}

pub fn due_state(anchor: NaiveDate, cadence_days: u32, on: NaiveDate) -> DueState {
    let next = next_visit(anchor, cadence_days);
    match (on - next).num_days() {
        d if d < 0 => DueState::NotYet,
        0 => DueState::Due,
        d => DueState::Overdue(d as u32),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, day).unwrap()
    }

    #[test]
    fn default_scheme_is_valid_with_the_domain_cadences() {
        let s = Scheme::default();
        s.validate().unwrap();
        assert_eq!(s.resolve("红", "c").unwrap().cadence_days, 1);
        assert_eq!(s.resolve("yellow", "c").unwrap().cadence_days, 7);
        assert_eq!(s.resolve("绿色", "c").unwrap().cadence_days, 30);
        assert_eq!(
            s.resolve("紫", "colour").unwrap_err().field(),
            Some("colour")
        );
    }

    #[test]
    fn rejects_bad_schemes() {
        let mut s = Scheme::default();
        s.grades[1].key = "red".into();
        assert_eq!(s.validate().unwrap_err().field(), Some("grades[1].key"));
        let mut s = Scheme::default();
        s.grades[2].cadence_days = 0;
        assert_eq!(
            s.validate().unwrap_err().field(),
            Some("grades[2].cadence_days")
        );
        let mut s = Scheme::default();
        s.grades[0].rank = 2;
        assert_eq!(s.validate().unwrap_err().field(), Some("grades[1].rank"));
        assert!(Scheme { grades: vec![] }.validate().is_err());
    }

    #[test]
    fn due_and_overdue_by_cadence() {
        assert_eq!(due_state(d(1), 1, d(1)), DueState::NotYet);
        assert_eq!(due_state(d(1), 1, d(2)), DueState::Due);
        assert_eq!(due_state(d(1), 1, d(4)), DueState::Overdue(2));
        assert_eq!(due_state(d(1), 7, d(7)), DueState::NotYet);
        assert_eq!(due_state(d(1), 7, d(8)), DueState::Due);
    }
}
