//! Making a case's documents for a person: one use case for the CLI's
//! `tiaojie doc` and the app's 生成 button, so that both check the same
//! rights, write the same access-log entries and skip the same documents.

use crate::font::FontSource;
use crate::{DocKind, DocsError, Format, Privacy, Result, Templates, render_case_document};
use tiaojie_ledger::Ledger;
use tiaojie_ledger::domain::roles::Permission;
use tiaojie_ledger::store::users::Session;
use uuid::Uuid;

/// Which documents of the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// Every kind the case has the data for; the others are skipped, with
    /// the reason.
    All,
    One(DocKind),
}

impl Which {
    /// `all`, or a kind's key or label.
    pub fn parse(text: &str) -> Result<Which> {
        match text.trim() {
            "all" => Ok(Which::All),
            other => Ok(Which::One(DocKind::parse(other)?)),
        }
    }

    fn key(self) -> &'static str {
        match self {
            Which::All => "all",
            Which::One(k) => k.key(),
        }
    }
}

/// What to make, and how.
pub struct Request<'a> {
    pub case_id: Uuid,
    pub which: Which,
    pub format: Format,
    /// Full ID and phone numbers: needs its own right, and is logged.
    pub full_numbers: bool,
    pub templates: &'a Templates,
    pub fonts: &'a FontSource,
}

/// One document made.
pub struct Made {
    pub kind: DocKind,
    pub bytes: Vec<u8>,
}

/// The documents made, in the case file's order, and those skipped.
pub struct CaseFile {
    pub number: String,
    pub made: Vec<Made>,
    /// Kinds not made with `Which::All`, and why (no agreement yet, …).
    pub skipped: Vec<(DocKind, String)>,
}

/// The case's documents for `session`: the export right, full numbers only
/// when allowed (logged as `view_full_numbers`), the making logged as
/// `document` with the case's number and what was asked.
pub fn make(ledger: &Ledger, session: Option<&Session>, r: &Request<'_>) -> Result<CaseFile> {
    ledger.require(session, Permission::Export)?;
    let number = ledger.case_row(r.case_id)?.number;
    if r.full_numbers {
        ledger.require_logged(
            session,
            Permission::ViewFullNumbers,
            "view_full_numbers",
            &number,
        )?;
    }
    if let Some(s) = session {
        ledger.log_access(s, "document", &format!("{number} {}", r.which.key()))?;
    }
    let kinds = match r.which {
        Which::All => DocKind::ALL.to_vec(),
        Which::One(k) => vec![k],
    };
    let mut file = CaseFile {
        number,
        made: Vec::new(),
        skipped: Vec::new(),
    };
    for kind in kinds {
        match render_case_document(
            ledger,
            r.templates,
            kind,
            r.case_id,
            r.format,
            Privacy::new(r.full_numbers),
            r.fonts,
        ) {
            Ok(bytes) => file.made.push(Made { kind, bytes }),
            // A document the case has no data for yet; a missing font or a
            // broken template is the installation's fault and stops all.
            Err(DocsError::Invalid { message, field })
                if r.which == Which::All && field != "font" && field != "template" =>
            {
                file.skipped.push((kind, message));
            }
            Err(e) => return Err(e),
        }
    }
    Ok(file)
}
