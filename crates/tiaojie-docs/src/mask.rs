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

// The rules live with the party record (`PartyRecord::masked`); documents
// and exports use the same ones.
pub use tiaojie_ledger::domain::mask::{mask_id_number, mask_phone};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_numbers_only_when_allowed() {
        assert_eq!(Privacy::FULL.phone("13812345678"), "13812345678");
        assert_eq!(Privacy::MASKED.phone("13812345678"), "138****5678");
        assert_eq!(
            Privacy::MASKED.id_number("430102199001011234"),
            "4301**********1234"
        );
    }
}
