//! Organisation units (组织机构) and mediators (调解员).

use crate::domain::identity::validate_phone;
use crate::domain::labels::MediatorRole;
use crate::error::{LedgerError, Result};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A unit of the three-level tree. `code` is its administrative code (a
/// village's 12-digit 统计用区划代码, or the code the county assigns).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct UnitSpec {
    pub code: String,
    pub name: String,
    /// The short name used in case numbers: （2026）<short>人调字第N号.
    pub short_name: String,
    pub level: u8,
    pub parent: Option<String>,
    /// The formal name its seal carries on signed documents, e.g.
    /// 青山村人民调解委员会; without it, one is made from `name` (see
    /// `committee_name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub committee: Option<String>,
}

/// The organisation whose seal a signed document carries, made from a
/// unit's name: a village's 调解室 is where its 人民调解委员会 sits, and the
/// committee seals the agreement ("青山村调解室" → "青山村人民调解委员会");
/// a 调解中心 (police station, township, district) seals with its own name.
pub fn committee_from_name(unit_name: &str) -> String {
    let name = unit_name.trim();
    if name.ends_with("人民调解委员会") || name.ends_with("调解中心") {
        return name.to_string();
    }
    for suffix in ["调解委员会", "调委会", "调解室"] {
        if let Some(place) = name.strip_suffix(suffix)
            && !place.is_empty()
        {
            return format!("{place}人民调解委员会");
        }
    }
    name.to_string()
}

pub fn level_label(level: u8) -> &'static str {
    match level {
        1 => "一级调解室",
        2 => "二级调解中心",
        3 => "三级调解中心",
        _ => "未知层级",
    }
}

pub fn validate_unit_code(code: &str, field: &str) -> Result<()> {
    if (6..=12).contains(&code.len()) && code.chars().all(|c| c.is_ascii_digit()) {
        Ok(())
    } else {
        Err(LedgerError::invalid(
            field,
            format!("单位代码“{code}”应为6至12位数字（村级为12位统计用区划代码）"),
        ))
    }
}

/// The short name a unit's case numbers use when none is given: its name
/// without the generic suffix.
pub fn default_short_name(name: &str) -> String {
    const SUFFIXES: [&str; 6] = [
        "人民调解委员会",
        "调解委员会",
        "调委会",
        "矛盾纠纷调解中心",
        "调解中心",
        "调解室",
    ];
    let n = name.trim();
    SUFFIXES
        .iter()
        .find_map(|s| n.strip_suffix(s).filter(|r| !r.is_empty()))
        .unwrap_or(n)
        .to_string()
}

impl UnitSpec {
    pub fn new(
        code: &str,
        name: &str,
        short_name: Option<&str>,
        level: u8,
        parent: Option<&str>,
    ) -> Self {
        UnitSpec {
            code: code.trim().to_string(),
            name: name.trim().to_string(),
            short_name: short_name
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| default_short_name(name)),
            level,
            parent: parent
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty()),
            committee: None,
        }
    }

    /// With the formal name its seal carries (blank: made from the name).
    pub fn with_committee(mut self, committee: Option<&str>) -> Self {
        self.committee = committee
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty());
        self
    }

    /// The name on its seal: the one given, or one made from its name.
    pub fn committee_name(&self) -> String {
        self.committee
            .clone()
            .unwrap_or_else(|| committee_from_name(&self.name))
    }

    pub fn validate(&self) -> Result<()> {
        validate_unit_code(&self.code, "code")?;
        if self.name.is_empty() || self.name.chars().count() > 60 {
            return Err(LedgerError::invalid("name", "单位名称应为1至60字"));
        }
        if self.short_name.is_empty() || self.short_name.chars().count() > 20 {
            return Err(LedgerError::invalid("short_name", "单位简称应为1至20字"));
        }
        if let Some(c) = &self.committee
            && (c.trim().is_empty() || c.chars().count() > 60)
        {
            return Err(LedgerError::invalid(
                "committee",
                "印章上的名称应为1至60字，不填则按单位名称生成",
            ));
        }
        if !(1..=3).contains(&self.level) {
            return Err(LedgerError::invalid(
                "level",
                format!(
                    "层级 {} 无效：1 为村（社区）调解室，2 为派出所/乡镇调解中心，3 为区县调解中心",
                    self.level
                ),
            ));
        }
        if let Some(p) = &self.parent {
            validate_unit_code(p, "parent")?;
            if *p == self.code {
                return Err(LedgerError::invalid("parent", "上级单位不能是自己"));
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct MediatorSpec {
    pub id: Uuid,
    pub name: String,
    pub phone: Option<String>,
    pub unit: String,
    pub role: MediatorRole,
    pub specialties: Vec<String>,
    pub active: bool,
}

impl MediatorSpec {
    /// Normalises and checks the fields that need no other record.
    pub fn validate(mut self) -> Result<Self> {
        self.name = self.name.trim().to_string();
        if self.name.is_empty() || self.name.chars().count() > 30 {
            return Err(LedgerError::invalid("name", "调解员姓名应为1至30字"));
        }
        self.phone = match self
            .phone
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            Some(p) => Some(validate_phone(p, "phone")?),
            None => None,
        };
        validate_unit_code(&self.unit, "unit")?;
        self.specialties = self
            .specialties
            .iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_and_checks() {
        assert_eq!(default_short_name("青山村人民调解委员会"), "青山村");
        assert_eq!(default_short_name("调解室"), "调解室");
        let u = UnitSpec::new("430302001001", "青山村调解室", None, 1, Some("430302001"));
        assert_eq!(u.short_name, "青山村");
        u.validate().unwrap();
        let bad = UnitSpec::new("43A", "x", None, 1, None);
        assert_eq!(bad.validate().unwrap_err().field(), Some("code"));
        let bad = UnitSpec::new("430302001001", "x", None, 4, None);
        assert_eq!(bad.validate().unwrap_err().field(), Some("level"));
        let bad = UnitSpec::new("430302001001", "x", None, 1, Some("430302001001"));
        assert_eq!(bad.validate().unwrap_err().field(), Some("parent"));
    }
}
