//! The unit's own phrasing, offered back while a new dispute is written.
//!
//! A village room writes its 纠纷简要情况 and 申请事项 in a few recurring
//! clauses ("因宅基地边界发生争执", "双方多次发生口角", "要求赔偿损失").
//! Past texts are cut into clauses at their punctuation, the parties' names
//! in them replaced by their places (first party, second party…), and
//! counted. While a text is typed, the clause being written is completed
//! from them, with the new dispute's own names put back in: the clauses
//! that begin with what is typed of it first, then those that carry on its
//! last few characters.

use serde::Serialize;
use std::collections::HashMap;

/// Where a clause ends. Clauses are kept and offered without their mark:
/// whether a comma or a full stop follows depends on what comes next.
const CLAUSE_END: &[char] = &['，', '。', '；', '！', '？', '、', ',', ';', '!', '?', '\n'];

/// How many offers are shown at most.
pub const OFFERS_SHOWN: usize = 6;

/// The most characters at the end of a clause matched inside past clauses.
const TAIL_MATCH: usize = 6;

/// Names shorter than this are not replaced (a one-character name would
/// match everywhere).
const MIN_NAME_CHARS: usize = 2;

/// First private-use code point: the place of party `i` in a template.
const PLACE_BASE: u32 = 0xE000;

/// One offer: the clause completed, and the whole text with it taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct ClauseOffer {
    pub clause: String,
    pub value: String,
}

#[derive(Debug, Default)]
struct Template {
    count: u32,
    /// How many times it opened a text.
    opening: u32,
    /// Order first seen: the newest texts come first.
    first: usize,
}

/// The clauses of a unit's past texts, with the parties' names as places.
#[derive(Debug, Default)]
pub struct Phrasebook {
    templates: HashMap<String, Template>,
}

fn place(i: usize) -> char {
    char::from_u32(PLACE_BASE + i as u32).unwrap_or('\u{E000}')
}

fn place_index(c: char) -> Option<usize> {
    let n = c as u32;
    (PLACE_BASE..PLACE_BASE + 64)
        .contains(&n)
        .then(|| (n - PLACE_BASE) as usize)
}

/// `text` with each of `names` (longest first) replaced by its place.
fn generalise(text: &str, names: &[String]) -> String {
    let mut order: Vec<usize> = (0..names.len().min(64))
        .filter(|&i| names[i].trim().chars().count() >= MIN_NAME_CHARS)
        .collect();
    order.sort_by_key(|&i| std::cmp::Reverse(names[i].trim().chars().count()));
    // A character of the places already in the text is not a place.
    let mut out: String = text.chars().filter(|&c| place_index(c).is_none()).collect();
    for i in order {
        out = out.replace(names[i].trim(), &place(i).to_string());
    }
    out
}

/// A template with `names` in its places; a place of a party the new
/// dispute does not have (yet) stays as it is.
fn fill(template: &str, names: &[String]) -> String {
    let mut out = String::with_capacity(template.len());
    for c in template.chars() {
        match place_index(c)
            .and_then(|i| names.get(i))
            .map(|n| n.trim())
            .filter(|n| !n.is_empty())
        {
            Some(name) => out.push_str(name),
            None => out.push(c),
        }
    }
    out
}

/// Whether a filled template still holds a place no name went into.
fn unfilled(text: &str) -> bool {
    text.chars().any(|c| place_index(c).is_some())
}

/// The clauses of `text`, without their marks.
fn clauses(text: &str) -> impl Iterator<Item = &str> {
    text.split(CLAUSE_END)
        .map(str::trim)
        .filter(|c| c.chars().count() >= 2)
}

/// What is typed of the clause being written: after the last mark.
fn fragment(typed: &str) -> &str {
    match typed.rfind(CLAUSE_END) {
        Some(i) => {
            let mark = typed[i..].chars().next().map_or(1, char::len_utf8);
            &typed[i + mark..]
        }
        None => typed,
    }
}

impl Phrasebook {
    /// Learns from past texts, newest first, each with its parties' names
    /// in the order the case lists them.
    pub fn learn<'a>(&mut self, texts: impl IntoIterator<Item = (&'a str, &'a [String])>) {
        for (text, names) in texts {
            let general = generalise(text, names);
            for (k, clause) in clauses(&general).enumerate() {
                let order = self.templates.len();
                let t = self
                    .templates
                    .entry(clause.to_string())
                    .or_insert(Template {
                        first: order,
                        ..Default::default()
                    });
                t.count += 1;
                if k == 0 {
                    t.opening += 1;
                }
            }
        }
    }

    /// Completions of the clause being written at the end of `typed`, for
    /// a dispute whose parties are `names`: clauses beginning with what is
    /// typed of it (at the start of a text, clauses that opened texts),
    /// then clauses carrying on its last characters; each at most once,
    /// none that adds nothing.
    pub fn offers(&self, typed: &str, names: &[String]) -> Vec<ClauseOffer> {
        let frag = fragment(typed);
        let head = &typed[..typed.len() - frag.len()];
        let at_start = head.trim().is_empty();
        let frag = frag.trim_start();
        let mut filled: Vec<(String, &Template)> = self
            .templates
            .iter()
            .map(|(t, m)| (fill(t, names), m))
            .collect();
        // Most written first, then the newest; an opening clause first at
        // the start of a text.
        filled.sort_by(|(a, x), (b, y)| {
            let (kx, ky) = if at_start {
                (x.opening, y.opening)
            } else {
                (0, 0)
            };
            ky.cmp(&kx)
                .then(y.count.cmp(&x.count))
                .then(x.first.cmp(&y.first))
                .then(a.cmp(b))
        });
        let mut out: Vec<ClauseOffer> = Vec::new();
        // A clause the text already holds is not offered again.
        let held: Vec<&str> = clauses(head).collect();
        let frag_chars = frag.chars().count();
        let push = |clause: String, out: &mut Vec<ClauseOffer>| {
            let adds = clause.chars().count() > frag_chars;
            let written = held.contains(&clause.as_str());
            if adds
                && !written
                && out.len() < OFFERS_SHOWN
                && !out.iter().any(|o| o.clause == clause)
            {
                out.push(ClauseOffer {
                    value: format!("{}{}", head.trim_end_matches(' '), clause),
                    clause,
                });
            }
        };
        for (f, m) in &filled {
            if !unfilled(f)
                && f.starts_with(frag)
                && (!at_start || !frag.is_empty() || m.opening > 0)
            {
                push(f.clone(), &mut out);
            }
        }
        // Carrying on the last characters typed, the longest match first.
        let chars: Vec<char> = frag.chars().collect();
        for k in (2..=chars.len().min(TAIL_MATCH)).rev() {
            let tail: String = chars[chars.len() - k..].iter().collect();
            for (f, _) in &filled {
                if let Some(at) = f.find(&tail) {
                    // What comes after may not name a party unknown yet.
                    let rest = &f[at + tail.len()..];
                    if !rest.is_empty() && !unfilled(rest) {
                        push(format!("{frag}{rest}"), &mut out);
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn book() -> Phrasebook {
        let past = [
            (
                "刘红兵与陈建国因宅基地边界围墙发生争执，双方多次发生口角。",
                names(&["刘红兵", "陈建国"]),
            ),
            (
                "赵德亮与赵德明因排水沟堵塞发生争执，双方多次发生口角，赵德明扬言动手。",
                names(&["赵德亮", "赵德明"]),
            ),
            (
                "孙晓梅与周强离婚后，周强未按时支付抚养费。",
                names(&["孙晓梅", "周强"]),
            ),
        ];
        let mut b = Phrasebook::default();
        b.learn(past.iter().map(|(t, n)| (*t, n.as_slice())));
        b
    }

    #[test]
    fn a_clause_is_completed_with_the_new_disputes_names() {
        let b = book();
        let now = names(&["张三", "李秀兰"]);
        let offers = b.offers("张三与", &now);
        let clauses: Vec<&str> = offers.iter().map(|o| o.clause.as_str()).collect();
        assert_eq!(
            clauses,
            [
                "张三与李秀兰因宅基地边界围墙发生争执",
                "张三与李秀兰因排水沟堵塞发生争执",
                "张三与李秀兰离婚后",
            ]
        );
        // After a mark the next clause is offered, the most written first;
        // taking it keeps what was typed before.
        let typed = "张三与李秀兰因宅基地边界围墙发生争执，";
        let next = b.offers(typed, &now);
        assert_eq!(next[0].clause, "双方多次发生口角");
        assert_eq!(next[0].value, format!("{typed}双方多次发生口角"));
        // A clause naming the second party is not offered while the form
        // has only one.
        assert!(
            b.offers("双方多次发生口角，", &names(&["张三"]))
                .iter()
                .all(|o| !o.clause.contains("扬言"))
        );
    }

    #[test]
    fn a_clause_begun_differently_is_carried_on_from_its_last_characters() {
        let b = book();
        let now = names(&["张三", "李秀兰"]);
        let offers = b.offers("两家因排水", &now);
        assert_eq!(offers[0].clause, "两家因排水沟堵塞发生争执");
        assert_eq!(offers[0].value, "两家因排水沟堵塞发生争执");
    }

    #[test]
    fn before_the_parties_are_entered_the_words_after_the_names_are_offered() {
        // 纠纷简要情况 comes before the parties on the form.
        let b = book();
        let offers = b.offers("张三与李秀兰因宅基", &[]);
        assert_eq!(offers[0].clause, "张三与李秀兰因宅基地边界围墙发生争执");
        assert!(b.offers("张三与", &[]).is_empty());
    }

    #[test]
    fn nothing_is_offered_that_adds_nothing_or_matches_nothing() {
        let b = book();
        let now = names(&["张三", "李秀兰"]);
        assert!(
            b.offers("双方多次发生口角，", &now)
                .iter()
                .all(|o| o.clause != "双方多次发生口角")
        );
        assert!(b.offers("借款三万元", &now).is_empty());
        assert!(Phrasebook::default().offers("", &now).is_empty());
        // At the start of an empty text: the clauses that opened texts.
        let opening = b.offers("", &now);
        assert_eq!(opening.len(), 3);
        assert!(opening.iter().all(|o| o.clause.starts_with("张三与李秀兰")));
    }

    #[test]
    fn names_inside_other_names_and_private_characters_are_safe() {
        // The longer name is replaced first: 赵德明 is not 赵德 + 明.
        assert_eq!(
            generalise("赵德与赵德明争执", &names(&["赵德", "赵德明"])),
            "\u{E000}与\u{E001}争执"
        );
        // A typed private-use character is not a place to fill.
        let mut b = Phrasebook::default();
        let past = names(&["甲某某", "乙某某"]);
        b.learn([("甲某某欠乙某某货款，", past.as_slice())]);
        assert!(b.offers("\u{E005}", &names(&["张三"])).is_empty());
    }
}
