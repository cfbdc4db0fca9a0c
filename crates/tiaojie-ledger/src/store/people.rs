//! People who were parties to earlier cases of this ledger. Villages are
//! small: the same people come back, and the intake form offers what was
//! registered of them last time instead of having it typed again.

use super::{Ledger, parse_uuid};
use crate::error::Result;
use chrono::NaiveDate;
use rusqlite::params;
use serde::Serialize;
use uuid::Uuid;

/// How many different people of one name are offered at most.
pub const KNOWN_SHOWN: usize = 5;

/// A party of an earlier case, with what was registered of them then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct KnownParty {
    /// The case and the party's place in it, to ask for the numbers by.
    pub case_id: Uuid,
    pub idx: u32,
    pub number: String,
    pub received_on: NaiveDate,
    pub name: String,
    pub gender: Option<crate::domain::labels::Stored<crate::domain::labels::Gender>>,
    pub ethnicity: Option<String>,
    pub birth_date: Option<String>,
    pub age: Option<u32>,
    pub occupation: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub id_number: Option<String>,
}

impl KnownParty {
    /// What tells two people of one name apart: the ID number when there is
    /// one, else the phone and address.
    fn identity(&self) -> (Option<&str>, Option<&str>, Option<&str>) {
        match self.id_number.as_deref() {
            Some(id) => (Some(id), None, None),
            None => (None, self.phone.as_deref(), self.address.as_deref()),
        }
    }

    /// Nothing beyond the name: nothing to offer.
    fn is_bare(&self) -> bool {
        self.id_number.is_none()
            && self.phone.is_none()
            && self.address.is_none()
            && self.birth_date.is_none()
            && self.occupation.is_none()
    }
}

/// The columns `party_row` reads, joined with the party's case.
const PARTY_SELECT: &str = "SELECT p.case_id, p.idx, c.number, c.received_on, p.name, p.gender,
        p.ethnicity, p.birth_date, p.age, p.occupation, p.phone, p.address, p.id_number
     FROM parties p JOIN cases c ON c.id = p.case_id";

fn party_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(String, KnownParty)> {
    Ok((
        r.get(0)?,
        KnownParty {
            case_id: Uuid::nil(),
            idx: r.get(1)?,
            number: r.get(2)?,
            received_on: r.get(3)?,
            name: r.get(4)?,
            gender: r.get(5)?,
            ethnicity: r.get(6)?,
            birth_date: r.get(7)?,
            age: r.get(8)?,
            occupation: r.get(9)?,
            phone: r.get(10)?,
            address: r.get(11)?,
            id_number: r.get(12)?,
        },
    ))
}

impl Ledger {
    /// The parties `filter` (on `p` and `c`, one parameter) picks, in its order.
    fn parties_where(&self, filter: &str, param: &str) -> Result<Vec<KnownParty>> {
        let mut stmt = self
            .conn()
            .prepare_cached(&format!("{PARTY_SELECT} WHERE {filter}"))?;
        let rows = stmt.query_map(params![param], party_row)?;
        let mut out = Vec::new();
        for row in rows {
            let (case_id, mut p) = row?;
            p.case_id = parse_uuid(&case_id)?;
            out.push(p);
        }
        Ok(out)
    }

    /// The different people named exactly `name` (spaces around it aside)
    /// who were parties here, each as last registered, newest first, at
    /// most `KNOWN_SHOWN`.
    pub fn known_parties(&self, name: &str) -> Result<Vec<KnownParty>> {
        let name = name.trim();
        if name.is_empty() {
            return Ok(Vec::new());
        }
        let all = self.parties_where(
            "p.name = ?1 ORDER BY c.received_on DESC, c.opened_hlc DESC, p.idx",
            name,
        )?;
        let mut out: Vec<KnownParty> = Vec::new();
        for p in all {
            if p.is_bare() || out.iter().any(|o| o.identity() == p.identity()) {
                continue;
            }
            out.push(p);
            if out.len() == KNOWN_SHOWN {
                break;
            }
        }
        Ok(out)
    }

    /// One party of a case as registered, numbers in full: for the intake
    /// form to fill in, once the user may see them.
    pub fn party_of(&self, case_id: Uuid, idx: u32) -> Result<KnownParty> {
        let found = self
            .parties_where("p.case_id = ?1", &case_id.to_string())?
            .into_iter()
            .find(|p| p.idx == idx);
        found.ok_or_else(|| crate::error::LedgerError::NotFound {
            entity: crate::error::Entity::Case,
            key: format!("{case_id} 的第{}位当事人", idx + 1),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::intake::{CaseIntake, PartyInput};
    use crate::domain::unit::UnitSpec;

    fn ledger() -> Ledger {
        let mut l = Ledger::open_in_memory().unwrap();
        l.init(
            UnitSpec::new("430302001001", "青山村调解室", None, 1, None),
            0,
        )
        .unwrap();
        l
    }

    fn party(
        name: &str,
        id: Option<&str>,
        phone: Option<&str>,
        address: Option<&str>,
    ) -> PartyInput {
        PartyInput {
            name: name.into(),
            id_number: id.map(Into::into),
            phone: phone.map(Into::into),
            address: address.map(Into::into),
            ..Default::default()
        }
    }

    fn open(l: &mut Ledger, day: u32, parties: Vec<PartyInput>) -> Uuid {
        l.open_case(&CaseIntake {
            received_on: Some(format!("2026-03-{day:02}")),
            dispute_type: "邻里".into(),
            source: "当事人申请".into(),
            facts: "争执".into(),
            parties,
            ..Default::default()
        })
        .unwrap()
        .id
    }

    #[test]
    fn the_same_person_is_offered_once_as_last_registered() {
        let mut l = ledger();
        let id = "430302195807120030";
        open(
            &mut l,
            1,
            vec![party(
                "张三",
                Some(id),
                Some("13800138000"),
                Some("青山村三组"),
            )],
        );
        let later = open(
            &mut l,
            5,
            vec![
                party("李四", None, None, None),
                party("张三", Some(id), Some("13900000000"), Some("青山村四组")),
            ],
        );
        // Another 张三 (another ID number), and one with nothing but a name.
        open(
            &mut l,
            3,
            vec![party("张三", Some("430302196203050048"), None, None)],
        );
        open(&mut l, 9, vec![party("张三", None, None, None)]);
        let found = l.known_parties(" 张三 ").unwrap();
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!((found[0].case_id, found[0].idx), (later, 1));
        assert_eq!(found[0].phone.as_deref(), Some("13900000000"));
        assert_eq!(found[0].address.as_deref(), Some("青山村四组"));
        assert_eq!(found[1].id_number.as_deref(), Some("430302196203050048"));
        assert!(l.known_parties("张").unwrap().is_empty());
        assert!(l.known_parties("").unwrap().is_empty());
        assert_eq!(l.party_of(later, 1).unwrap(), found[0]);
        assert!(l.party_of(later, 7).is_err());
    }

    #[test]
    fn without_an_id_number_phone_and_address_tell_people_apart() {
        let mut l = ledger();
        for day in 1..=8 {
            let address = format!("青山村{day}组");
            open(&mut l, day, vec![party("王五", None, None, Some(&address))]);
        }
        open(
            &mut l,
            9,
            vec![party("王五", None, None, Some("青山村8组"))],
        );
        let found = l.known_parties("王五").unwrap();
        assert_eq!(found.len(), KNOWN_SHOWN);
        assert_eq!(found[0].address.as_deref(), Some("青山村8组"));
        assert_eq!(found[1].address.as_deref(), Some("青山村7组"));
    }
}
