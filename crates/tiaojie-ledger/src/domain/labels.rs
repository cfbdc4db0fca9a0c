//! Closed vocabularies of the paper forms. Each value has a stable English key
//! (stored, on the wire) and the Chinese word printed on the forms; parsing
//! accepts either.

use crate::error::{LedgerError, Result};

/// A closed vocabulary: stored keys and the words the forms print.
pub trait Labelled: Sized + Copy {
    fn parse_key(key: &str) -> Option<Self>;
    fn printed_label(self) -> &'static str;
    fn stored_key(self) -> &'static str;
}

/// A value of a closed vocabulary as a record holds it: one this version
/// knows, or a key a newer device wrote, kept as it came (shown as is,
/// never refused on reading). On the wire and in JSON: the stored key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Stored<T> {
    Known(T),
    Other(String),
}

impl<T: Labelled> Stored<T> {
    pub fn from_key(key: &str) -> Self {
        T::parse_key(key)
            .map(Stored::Known)
            .unwrap_or_else(|| Stored::Other(key.to_string()))
    }

    /// The value, when this version knows it.
    pub fn known(&self) -> Option<T> {
        match self {
            Stored::Known(v) => Some(*v),
            Stored::Other(_) => None,
        }
    }

    pub fn key(&self) -> &str {
        match self {
            Stored::Known(v) => v.stored_key(),
            Stored::Other(k) => k,
        }
    }

    /// The word the forms print, or the key of a value this version does
    /// not know.
    pub fn printed(&self) -> String {
        match self {
            Stored::Known(v) => v.printed_label().to_string(),
            Stored::Other(k) => k.clone(),
        }
    }
}

impl<T: Labelled> From<T> for Stored<T> {
    fn from(v: T) -> Self {
        Stored::Known(v)
    }
}

impl<T: Labelled> serde::Serialize for Stored<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.key())
    }
}

impl<'de, T: Labelled> serde::Deserialize<'de> for Stored<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let key = <String as serde::Deserialize>::deserialize(d)?;
        Ok(Stored::from_key(&key))
    }
}

/// In TypeScript, the vocabulary's keys: a key this version does not know
/// is shown as it came, which a screen does by printing the string.
impl<T: ts_rs::TS + 'static> ts_rs::TS for Stored<T> {
    type WithoutGenerics = Stored<ts_rs::Dummy>;
    type OptionInnerType = Self;

    fn name(cfg: &ts_rs::Config) -> String {
        T::name(cfg)
    }

    fn inline(cfg: &ts_rs::Config) -> String {
        T::name(cfg)
    }

    fn visit_dependencies(v: &mut impl ts_rs::TypeVisitor)
    where
        Self: 'static,
    {
        v.visit::<T>();
    }
}

impl<T: Labelled> rusqlite::types::FromSql for Stored<T> {
    fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        v.as_str().map(Stored::from_key)
    }
}

/// The printed word for a stored key (or for a label already), or the key
/// itself when it is not of the vocabulary (a newer device's value).
pub fn printed<T: Labelled>(key: &str) -> String {
    T::parse_key(key)
        .map(|v| v.printed_label().to_string())
        .unwrap_or_else(|| key.to_string())
}

macro_rules! labelled {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($variant:ident = $key:literal / $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize, ts_rs::TS)]
        pub enum $name {
            $(#[serde(rename = $key, alias = $label)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// Parses a key or a Chinese label; `field` names the input in the error.
            pub fn parse(text: &str, field: &str) -> Result<Self> {
                let t = text.trim();
                $(if t == $key || t == $label { return Ok($name::$variant); })+
                let choices: Vec<&str> = vec![$($label),+];
                Err(LedgerError::invalid(
                    field,
                    format!("{}“{}”不在可选范围内（可选：{}）", $what, t, choices.join("、")),
                ))
            }
        }

        impl Labelled for $name {
            fn parse_key(key: &str) -> Option<Self> {
                $name::parse(key, "").ok()
            }
            fn printed_label(self) -> &'static str {
                self.label()
            }
            fn stored_key(self) -> &'static str {
                self.key()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

labelled!(
    /// 纠纷类型.
    DisputeType, "纠纷类型" {
    MarriageFamily = "marriage_family" / "婚姻家庭",
    Neighbour = "neighbour" / "邻里",
    HouseSite = "house_site" / "房屋宅基地",
    Contract = "contract" / "合同",
    Business = "business" / "生产经营",
    Damages = "damages" / "损害赔偿",
    ForestLand = "forest_land" / "山林土地",
    Demolition = "demolition" / "征地拆迁",
    Pollution = "pollution" / "环境污染",
    Labour = "labour" / "劳动争议",
    Consumer = "consumer" / "消费",
    Medical = "medical" / "医疗",
    TrafficAccident = "traffic_accident" / "道路交通事故",
    Property = "property" / "物业",
    Tourism = "tourism" / "旅游",
    IntellectualProperty = "intellectual_property" / "知识产权",
    Internet = "internet" / "互联网",
    PublicOrder = "public_order" / "治安",
    Other = "other" / "其他",
});

labelled!(
    /// 纠纷来源.
    Source, "纠纷来源" {
    Application = "application" / "当事人申请",
    Screening = "screening" / "主动排查",
    Call110 = "call_110" / "110转办",
    Police = "police" / "公安移交",
    Court = "court" / "法院委托",
    Government = "government" / "政府指定",
    Petition = "petition" / "信访转办",
});

labelled!(
    /// 调解类型 (三调联动).
    MediationType, "调解类型" {
    People = "people" / "人民调解",
    Administrative = "administrative" / "行政调解",
    Judicial = "judicial" / "司法调解",
    Police = "police" / "治安调解",
});

labelled!(Gender, "性别" {
    Male = "male" / "男",
    Female = "female" / "女",
});

labelled!(Side, "当事人类别" {
    Applicant = "applicant" / "申请人",
    Respondent = "respondent" / "被申请人",
});

labelled!(
    /// 调解员身份.
    MediatorRole, "调解员身份" {
    ResidentCadre = "resident_cadre" / "驻村干部",
    AuxiliaryPolice = "auxiliary_police" / "辅警",
    PoliceOfficer = "police_officer" / "民警",
    LegalAdviser = "legal_adviser" / "法律顾问",
    Lawyer = "lawyer" / "专职律师",
    Judge = "judge" / "法官",
    Prosecutor = "prosecutor" / "检察官",
    VillageCadre = "village_cadre" / "村干部",
    LocalWorthy = "local_worthy" / "乡贤",
    Other = "other" / "其他",
});

labelled!(
    /// Departments a case can be referred to (移送、转办).
    Department, "接收部门" {
    Police = "police" / "公安",
    Traffic = "traffic" / "交警",
    Health = "health" / "卫生健康",
    SocialSecurity = "social_security" / "人力社保",
    Land = "land" / "自然资源",
    Environment = "environment" / "生态环境",
    Petitions = "petitions" / "信访",
    JusticeOffice = "justice_office" / "司法所",
    Court = "court" / "法院",
    Other = "other" / "其他部门",
});

labelled!(SessionResult, "调解结果" {
    Agreed = "agreed" / "达成协议",
    Failed = "failed" / "调解不成",
    Continued = "continued" / "继续调解",
});

labelled!(AgreementForm, "协议形式" {
    Written = "written" / "书面协议",
    Oral = "oral" / "口头协议",
});

labelled!(AttachmentKind, "附件类别" {
    Evidence = "evidence" / "证据材料",
    SignedAgreement = "signed_agreement" / "签字的协议书",
    SignedNotice = "signed_notice" / "签字的告知书",
    Identity = "identity" / "身份证明",
    Other = "other" / "其他",
});

labelled!(Satisfaction, "满意度" {
    Satisfied = "satisfied" / "满意",
    Mostly = "mostly" / "基本满意",
    Unsatisfied = "unsatisfied" / "不满意",
});

labelled!(
    /// How a case ended (结案方式).
    ClosingOutcome, "结案方式" {
    Resolved = "resolved" / "调解成功",
    Failed = "failed" / "调解不成",
    Withdrawn = "withdrawn" / "当事人撤回",
    Transferred = "transferred" / "移送处理",
});

labelled!(
    /// Where a case stands. Escalation and support are tracked beside it.
    CaseStatus, "案件状态" {
    Registered = "registered" / "已受理",
    Mediating = "mediating" / "调解中",
    Agreed = "agreed" / "已达成协议",
    Failed = "failed" / "调解未成",
    Closed = "closed" / "已结案",
});

labelled!(EscalationStatus, "上交状态" {
    Pending = "pending" / "待受理",
    Accepted = "accepted" / "已受理",
    Returned = "returned" / "已退回",
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_keys_and_labels_and_names_the_field_when_wrong() {
        assert_eq!(
            DisputeType::parse("邻里", "t").unwrap(),
            DisputeType::Neighbour
        );
        assert_eq!(
            DisputeType::parse("neighbour", "t").unwrap(),
            DisputeType::Neighbour
        );
        assert_eq!(DisputeType::ALL.len(), 19);
        assert_eq!(Source::ALL.len(), 7);
        let err = Source::parse("路上捡的", "source").unwrap_err();
        assert_eq!(err.field(), Some("source"));
        assert!(err.to_string().contains("路上捡的"));
    }

    #[test]
    fn printed_words_for_keys_and_unknown_keys_kept() {
        assert_eq!(printed::<DisputeType>("neighbour"), "邻里");
        assert_eq!(printed::<DisputeType>("邻里"), "邻里");
        assert_eq!(printed::<Side>("someday_new"), "someday_new");
    }

    #[test]
    fn a_stored_value_keeps_a_key_this_version_does_not_know() {
        let known: Stored<Side> = Stored::from_key("respondent");
        assert_eq!(known.known(), Some(Side::Respondent));
        assert_eq!(known.printed(), "被申请人");
        assert_eq!(serde_json::to_string(&known).unwrap(), "\"respondent\"");
        let newer: Stored<Side> = serde_json::from_str("\"third_party\"").unwrap();
        assert_eq!(newer, Stored::Other("third_party".into()));
        assert_eq!(newer.printed(), "third_party");
        assert_eq!(serde_json::to_string(&newer).unwrap(), "\"third_party\"");
    }

    #[test]
    fn serde_uses_keys_and_accepts_labels() {
        assert_eq!(
            serde_json::to_string(&Gender::Female).unwrap(),
            "\"female\""
        );
        let g: Gender = serde_json::from_str("\"男\"").unwrap();
        assert_eq!(g, Gender::Male);
    }
}
