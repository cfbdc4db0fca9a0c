//! Masking of national ID numbers and phone numbers in what leaves the app.

use serde::{Deserialize, Serialize};

/// Whether documents and exports show personal numbers in full. Until roles
/// exist this is a setting; masked is the default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Privacy {
    pub full_numbers: bool,
}

impl Privacy {
    pub const MASKED: Privacy = Privacy {
        full_numbers: false,
    };
    pub const FULL: Privacy = Privacy { full_numbers: true };

    pub fn new(full_numbers: bool) -> Privacy {
        Privacy { full_numbers }
    }

    pub fn id_number(self, id: &str) -> String {
        if self.full_numbers {
            id.to_string()
        } else {
            mask_id_number(id)
        }
    }

    pub fn phone(self, phone: &str) -> String {
        if self.full_numbers {
            phone.to_string()
        } else {
            mask_phone(phone)
        }
    }
}

/// `430102199001011234` → `4301**********1234`: region kept, birth date and
/// sequence hidden.
pub fn mask_id_number(id: &str) -> String {
    keep_ends(id, 4, 4)
}

/// `13812345678` → `138****5678`; a landline keeps its area code.
pub fn mask_phone(phone: &str) -> String {
    keep_ends(phone, 3, 4)
}

/// Masks the `id_number` and `phone` of parties as the ledger returns them
/// (`CaseDetail::party_records`), for a screen or a printout.
pub fn mask_party_records(parties: &mut [serde_json::Map<String, serde_json::Value>]) {
    for p in parties {
        for (key, mask) in [
            ("id_number", mask_id_number as fn(&str) -> String),
            ("phone", mask_phone),
        ] {
            if let Some(serde_json::Value::String(v)) = p.get(key) {
                let masked = mask(v);
                p.insert(key.to_string(), serde_json::Value::String(masked));
            }
        }
    }
}

fn keep_ends(text: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = text.trim().chars().collect();
    if chars.is_empty() {
        return String::new();
    }
    if chars.len() <= head + tail {
        // Too short to keep both ends: show only the last character.
        let n = chars.len();
        return "*".repeat(n - 1) + &chars[n - 1].to_string();
    }
    let mut out: String = chars[..head].iter().collect();
    out.push_str(&"*".repeat(chars.len() - head - tail));
    out.extend(&chars[chars.len() - tail..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_as_the_forms_do() {
        assert_eq!(mask_id_number("430102199001011234"), "4301**********1234");
        assert_eq!(mask_id_number("43010219900101123X"), "4301**********123X");
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("0731-8888888"), "073*****8888");
        assert_eq!(mask_phone("123"), "**3");
        assert_eq!(mask_phone(""), "");
        assert_eq!(Privacy::FULL.phone("13812345678"), "13812345678");
        assert_eq!(Privacy::MASKED.phone("13812345678"), "138****5678");
    }
}
