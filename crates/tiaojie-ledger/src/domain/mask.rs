//! How national ID numbers and phone numbers are masked wherever they are
//! shown by default: on screen, in exports and printouts.

/// `430102199001011234` → `4301**********1234`: region kept, birth date and
/// sequence hidden.
pub fn mask_id_number(id: &str) -> String {
    keep_ends(id, 4, 4)
}

/// `13812345678` → `138****5678`; a landline keeps its area code.
pub fn mask_phone(phone: &str) -> String {
    keep_ends(phone, 3, 4)
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
    }
}
