//! Checks for the identity fields of a party: the 18-character resident ID
//! number of GB 11643-1999 and Chinese phone numbers.

use crate::domain::labels::Gender;
use crate::error::{LedgerError, Result};
use chrono::NaiveDate;

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
/// First two digits of the administrative division code: provinces, plus
/// Taiwan (71), Hong Kong (81), Macao (82) and the residence-permit code 83.
const PROVINCES: [u32; 35] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
];

/// What an ID number tells about its holder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdFacts {
    pub birth_date: NaiveDate,
    pub gender: Gender,
}

/// The check character for the first 17 digits.
pub fn check_char(first17: &str) -> Option<char> {
    let mut sum = 0;
    for (c, w) in first17.chars().zip(WEIGHTS) {
        sum += c.to_digit(10)? * w;
    }
    (first17.chars().count() == 17).then(|| CHECK_CHARS[(sum % 11) as usize])
}

/// Validates an ID number and returns the birth date and gender it encodes.
/// A lower-case `x` is accepted; callers store the upper-case form.
pub fn validate_id_number(id: &str, field: &str) -> Result<IdFacts> {
    let id = id.trim();
    let chars: Vec<char> = id.chars().collect();
    if chars.len() != 18 {
        return Err(LedgerError::invalid(
            field,
            format!("身份证号应为18位，现为{}位", chars.len()),
        ));
    }
    if !chars[..17].iter().all(|c| c.is_ascii_digit()) {
        return Err(LedgerError::invalid(field, "身份证号前17位应全为数字"));
    }
    let last = chars[17].to_ascii_uppercase();
    if !(last.is_ascii_digit() || last == 'X') {
        return Err(LedgerError::invalid(field, "身份证号最后一位应为数字或X"));
    }
    let province: u32 = id[..2].parse().unwrap_or(0);
    if !PROVINCES.contains(&province) {
        return Err(LedgerError::invalid(
            field,
            format!("身份证号前两位“{}”不是有效的省级行政区划代码", &id[..2]),
        ));
    }
    let birth = NaiveDate::parse_from_str(&id[6..14], "%Y%m%d").map_err(|_| {
        LedgerError::invalid(field, format!("身份证号中的出生日期“{}”无效", &id[6..14]))
    })?;
    if birth < NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default()
        || birth > chrono::Local::now().date_naive()
    {
        return Err(LedgerError::invalid(
            field,
            format!("身份证号中的出生日期“{}”不在合理范围内", &id[6..14]),
        ));
    }
    // The right last character is not named: the number was misread or
    // mistyped somewhere, and the card must be read again, not the last
    // character changed to fit.
    if check_char(&id[..17]) != Some(last) {
        return Err(LedgerError::invalid(
            field,
            "身份证号有一位不对（校验位对不上），请拿身份证逐位核对，不要只改最后一位",
        ));
    }
    let order = chars[16].to_digit(10).unwrap_or(0);
    let gender = if order % 2 == 1 {
        Gender::Male
    } else {
        Gender::Female
    };
    Ok(IdFacts {
        birth_date: birth,
        gender,
    })
}

/// Accepts an 11-digit mobile number (1[3-9]xxxxxxxxx) or a landline with
/// area code (0xx-xxxxxxxx, dash optional, extension after a second dash).
/// Returns the number with spaces removed.
pub fn validate_phone(phone: &str, field: &str) -> Result<String> {
    let p: String = phone.chars().filter(|c| !c.is_whitespace()).collect();
    let p = p.strip_prefix("+86").unwrap_or(&p).to_string();
    let digits_only = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let mobile = p.len() == 11
        && digits_only(&p)
        && p.starts_with('1')
        && matches!(p.as_bytes()[1], b'3'..=b'9');
    let landline = {
        let mut parts = p.split('-');
        let first = parts.next().unwrap_or("");
        let (area, local) = if first.len() > 9 {
            // No dash: area code 3 or 4 digits, then 7 or 8 digits.
            (&first[..0], first)
        } else {
            (first, parts.next().unwrap_or(""))
        };
        let ext_ok = parts.next().is_none_or(|e| digits_only(e) && e.len() <= 6);
        let no_more = parts.next().is_none();
        if area.is_empty() {
            digits_only(local)
                && local.starts_with('0')
                && (10..=12).contains(&local.len())
                && ext_ok
                && no_more
        } else {
            digits_only(area)
                && area.starts_with('0')
                && (3..=4).contains(&area.len())
                && digits_only(local)
                && (7..=8).contains(&local.len())
                && ext_ok
                && no_more
        }
    };
    if mobile || landline {
        Ok(p)
    } else {
        Err(LedgerError::invalid(
            field,
            format!(
                "联系电话“{phone}”格式不对：应为11位手机号（如13800138000）或带区号的固话（如0731-88888888）"
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a valid number from 17 digits, for tests here and elsewhere.
    fn with_check(first17: &str) -> String {
        format!("{first17}{}", check_char(first17).unwrap())
    }

    #[test]
    fn accepts_the_standard_example_and_reads_birth_and_gender() {
        // The worked example of GB 11643-1999.
        let facts = validate_id_number("11010519491231002X", "id").unwrap();
        assert_eq!(
            facts.birth_date,
            NaiveDate::from_ymd_opt(1949, 12, 31).unwrap()
        );
        assert_eq!(facts.gender, Gender::Female);
        let lower = validate_id_number("11010519491231002x", "id").unwrap();
        assert_eq!(lower, facts);
        let male = with_check("43030219800101001");
        assert_eq!(
            validate_id_number(&male, "id").unwrap().gender,
            Gender::Male
        );
    }

    #[test]
    fn rejects_wrong_checksum_length_date_and_region() {
        let e = validate_id_number("110105194912310021", "parties[0].id_number").unwrap_err();
        assert_eq!(e.field(), Some("parties[0].id_number"));
        assert!(e.to_string().contains("校验位"), "{e}");
        // The right last character (1) is not suggested.
        assert!(!e.to_string().contains('1'), "{e}");
        assert!(
            validate_id_number("1101051949123100", "id")
                .unwrap_err()
                .to_string()
                .contains("18位")
        );
        let bad_date = with_check("11010519491331002");
        assert!(
            validate_id_number(&bad_date, "id")
                .unwrap_err()
                .to_string()
                .contains("出生日期")
        );
        let bad_region = with_check("99010519491231002");
        assert!(
            validate_id_number(&bad_region, "id")
                .unwrap_err()
                .to_string()
                .contains("行政区划")
        );
        assert!(validate_id_number("11010519491231002Y", "id").is_err());
        assert!(validate_id_number("1101051949123100２X", "id").is_err());
    }

    #[test]
    fn every_single_digit_change_is_caught() {
        let good = "11010519491231002X";
        for pos in 0..17 {
            for d in '0'..='9' {
                let mut c: Vec<char> = good.chars().collect();
                if c[pos] == d {
                    continue;
                }
                c[pos] = d;
                let s: String = c.into_iter().collect();
                assert!(validate_id_number(&s, "id").is_err(), "{s} passed");
            }
        }
    }

    #[test]
    fn phones() {
        assert_eq!(validate_phone("138 0013 8000", "p").unwrap(), "13800138000");
        assert_eq!(
            validate_phone("+8613800138000", "p").unwrap(),
            "13800138000"
        );
        assert!(validate_phone("0731-88888888", "p").is_ok());
        assert!(validate_phone("073188888888", "p").is_ok());
        assert!(validate_phone("010-1234567-123", "p").is_ok());
        for bad in [
            "12800138000",
            "1380013800",
            "138001380001",
            "abc",
            "0731-888",
            "",
            "731-88888888",
        ] {
            let e = validate_phone(bad, "phone").unwrap_err();
            assert_eq!(e.field(), Some("phone"), "{bad}");
        }
    }
}
