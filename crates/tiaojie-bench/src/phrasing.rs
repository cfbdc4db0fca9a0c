//! The dispute's own words with the unit's phrasing offered (issue 16):
//! a village room's past disputes (`data/disputes.txt`, the first `PAST`)
//! are registered in a ledger, and the rest, which that ledger has never
//! seen, are typed into it as new disputes would be. Where an offer of
//! `Ledger::intake_wordings` continues the text exactly, the typist takes
//! it with ↓ and Enter; the rest is typed character by character. Counted
//! as the intake benchmark counts: Chinese characters, keys, and a mental
//! preparation before each offer taken.

use crate::intake::{TYPISTS, Typist};
use serde::Serialize;
use tiaojie_ledger::Ledger;
use tiaojie_ledger::domain::intake::{CaseIntake, PartyInput};
use tiaojie_ledger::domain::unit::UnitSpec;
use tiaojie_ledger::store::wording::IntakeText;

/// How many of the corpus's disputes are the unit's past.
pub const PAST: usize = 48;

/// The keystroke-level model's mental preparation, seconds: reading the
/// offer before taking it.
const MENTAL: f64 = 1.35;

pub struct Dispute {
    pub names: Vec<String>,
    pub facts: String,
    pub requests: String,
}

pub fn corpus() -> Vec<Dispute> {
    include_str!("../data/disputes.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let mut f = l.split('|');
            let names = f
                .next()
                .unwrap_or("")
                .split(',')
                .map(str::to_string)
                .collect();
            Dispute {
                names,
                facts: f.next().unwrap_or("").to_string(),
                requests: f.next().unwrap_or("").to_string(),
            }
        })
        .collect()
}

/// One text as typed: what went in by hand and what was taken.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Typed {
    /// Chinese characters typed.
    pub hanzi: u32,
    /// Other keys: punctuation, digits, ↓ and Enter to take an offer.
    pub keys: u32,
    /// Offers taken.
    pub picks: u32,
}

impl Typed {
    fn add(&mut self, o: Typed) {
        self.hanzi += o.hanzi;
        self.keys += o.keys;
        self.picks += o.picks;
    }

    pub fn seconds(&self, who: &Typist) -> f64 {
        f64::from(self.hanzi) * 60.0 / who.hanzi_per_min
            + f64::from(self.keys) * who.key_s
            + f64::from(self.picks) * MENTAL
    }
}

fn is_hanzi(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c)
}

/// `text` typed by hand alone.
pub fn by_hand(text: &str) -> Typed {
    let hanzi = text.chars().filter(|&c| is_hanzi(c)).count() as u32;
    Typed {
        hanzi,
        keys: text.chars().count() as u32 - hanzi,
        picks: 0,
    }
}

/// `text` typed into `field` of a form whose parties are `names`, taking
/// an offer whenever one continues the text by at least two characters
/// (the one that continues it furthest). Returns what was typed, and the
/// text as it ended up (equal to `text`, or the model is wrong).
pub fn with_offers(l: &Ledger, field: IntakeText, text: &str, names: &[String]) -> (Typed, String) {
    let mut typed = String::new();
    let mut t = Typed::default();
    while typed.len() < text.len() {
        let offers = l.intake_wordings(field, &typed, names).unwrap();
        let now = typed.chars().count();
        let best = offers
            .iter()
            .enumerate()
            .filter(|(_, o)| text.starts_with(&o.value) && o.value.chars().count() >= now + 2)
            .max_by_key(|(i, o)| (o.value.chars().count(), std::cmp::Reverse(*i)));
        match best {
            Some((rank, o)) => {
                t.picks += 1;
                // ↓ to the offer, Enter to take it.
                t.keys += rank as u32 + 2;
                typed = o.value.clone();
            }
            None => {
                let c = text[typed.len()..].chars().next().unwrap();
                if is_hanzi(c) {
                    t.hanzi += 1;
                } else {
                    t.keys += 1;
                }
                typed.push(c);
            }
        }
    }
    (t, typed)
}

/// The unit's ledger of its past disputes.
pub fn past_ledger(disputes: &[Dispute]) -> Ledger {
    let mut l = Ledger::open_in_memory().unwrap();
    l.init(
        UnitSpec::new("430302001001", "青山村调解室", None, 1, None),
        0,
    )
    .unwrap();
    for (i, d) in disputes.iter().enumerate() {
        let day =
            chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + chrono::Days::new(i as u64 * 6);
        l.open_case(&CaseIntake {
            received_on: Some(day.to_string()),
            dispute_type: "邻里".into(),
            source: "当事人申请".into(),
            facts: d.facts.clone(),
            requests: Some(d.requests.clone()),
            parties: d
                .names
                .iter()
                .map(|n| PartyInput {
                    name: n.clone(),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        })
        .unwrap();
    }
    l
}

#[derive(Debug, Clone, Serialize)]
pub struct Figures {
    pub past: usize,
    pub new: usize,
    /// Characters of the new disputes' facts and requests.
    pub chars: u32,
    pub by_hand: Typed,
    /// As the form is: the facts and requests are written before the
    /// parties' names, so offers cannot put the names in.
    pub names_unknown: Typed,
    /// Had the parties been entered first.
    pub names_known: Typed,
    /// The intake benchmark's typical dispute (the first new one).
    pub typical_by_hand: Typed,
    pub typical_names_unknown: Typed,
}

pub fn measure() -> Figures {
    let all = corpus();
    let (past, new) = all.split_at(PAST);
    let l = past_ledger(past);
    let mut f = Figures {
        past: past.len(),
        new: new.len(),
        chars: 0,
        by_hand: Typed::default(),
        names_unknown: Typed::default(),
        names_known: Typed::default(),
        typical_by_hand: Typed::default(),
        typical_names_unknown: Typed::default(),
    };
    for (i, d) in new.iter().enumerate() {
        for (field, text) in [
            (IntakeText::Facts, &d.facts),
            (IntakeText::Requests, &d.requests),
        ] {
            f.chars += text.chars().count() as u32;
            f.by_hand.add(by_hand(text));
            let (unknown, made) = with_offers(&l, field, text, &[]);
            assert_eq!(&made, text);
            let (known, made) = with_offers(&l, field, text, &d.names);
            assert_eq!(&made, text);
            f.names_unknown.add(unknown);
            f.names_known.add(known);
            if i == 0 {
                f.typical_by_hand.add(by_hand(text));
                f.typical_names_unknown.add(unknown);
            }
        }
    }
    f
}

pub fn section(f: &Figures) -> String {
    let mut s = String::from(
        "### The dispute's own words, with the unit's phrasing offered (issue 16)\n\n",
    );
    s.push_str(&format!(
        "While 纠纷简要情况 and 申请事项 are typed, the form offers the clause being written in the unit's own phrasing \
(`Ledger::intake_wordings`: the latest 2,000 cases of the unit cut into clauses, the parties' names replaced by their \
places and put back with the new dispute's names; clauses beginning with what is typed of the clause first, then \
clauses carrying on its last characters). Measured on a village room's disputes written for it \
(`crates/tiaojie-bench/data/disputes.txt`): the first {} are registered in a ledger, and the {} others, which that \
ledger has never seen, are typed into it, {} characters of facts and requests in all. The typist takes an offer \
whenever one continues the text exactly by two characters or more (↓ to it and Enter, and a mental preparation \
to read it), and types the rest. A model that never misses a useful offer nor pauses over a useless one: the \
savings are an upper bound for an attentive typist.\n\n",
        f.past, f.new, f.chars
    ));
    s.push_str("| typist | by hand s | offered, as the form is (names not yet entered) s | offered, had the names been entered first s |\n|---|---:|---:|---:|\n");
    for who in &TYPISTS {
        let hand = f.by_hand.seconds(who);
        let cell = |t: &Typed| {
            let x = t.seconds(who);
            format!("{x:.0} ({:+.0}%)", (x / hand - 1.0) * 100.0)
        };
        s.push_str(&format!(
            "| {} | {hand:.0} | {} | {} |\n",
            who.name,
            cell(&f.names_unknown),
            cell(&f.names_known)
        ));
    }
    s.push_str(&format!(
        "\nBy hand: {} Chinese characters and {} keys. Offered, as the form is: {} characters typed, {} offers taken \
({} keys in all); with the names entered first: {} characters, {} offers. The benchmark's typical dispute (the first \
of the new ones): {} characters by hand; as the form is, {} typed and {} taken; for the ordinary typist its \
words take {:.0} s instead of {:.0} s.\n\n",
        f.by_hand.hanzi,
        f.by_hand.keys,
        f.names_unknown.hanzi,
        f.names_unknown.picks,
        f.names_unknown.keys,
        f.names_known.hanzi,
        f.names_known.picks,
        f.typical_by_hand.hanzi,
        f.typical_names_unknown.hanzi,
        offers(f.typical_names_unknown.picks),
        f.typical_names_unknown.seconds(&TYPISTS[1]),
        f.typical_by_hand.seconds(&TYPISTS[1]),
    ));
    s
}

fn offers(n: u32) -> String {
    if n == 1 {
        "1 offer".into()
    } else {
        format!("{n} offers")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_disputes_are_not_in_the_past_and_offers_save_typing() {
        let all = corpus();
        assert_eq!(all.len(), 64);
        let (past, new) = all.split_at(PAST);
        for d in new {
            assert!(past.iter().all(|p| p.facts != d.facts), "{}", d.facts);
        }
        let f = measure();
        // Offers are taken and leave fewer characters to type; with the
        // names known, more still.
        assert!(f.names_unknown.picks > 0, "{f:?}");
        assert!(f.names_unknown.hanzi < f.by_hand.hanzi, "{f:?}");
        assert!(f.names_known.hanzi <= f.names_unknown.hanzi, "{f:?}");
        assert!(section(&f).contains("| 一般"));
    }

    #[test]
    fn a_text_no_offer_continues_is_typed_by_hand() {
        let l = past_ledger(&corpus()[..PAST]);
        let text = "甲方借款购买拖拉机，逾期未还。";
        let (t, made) = with_offers(&l, IntakeText::Facts, text, &[]);
        assert_eq!(made, text);
        assert_eq!(t, by_hand(text));
    }
}
