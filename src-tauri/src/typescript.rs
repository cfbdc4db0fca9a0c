//! The TypeScript declarations of what the window's commands take and give
//! beyond the ledger's own types (those are `tiaojie_ledger::typescript`):
//! the app's status, the vocabularies with their words, the files made, the
//! import's plan, the sync bar's state. Generated into
//! `ui/src/api/generated/app.ts`; the command table that uses them is
//! generated from the command functions themselves (`tests/typescript.rs`).

use crate::commands::Choice;
use crate::commands::attachments::FileUpload;
use crate::commands::paperwork::{ImportInput, MadeDocuments, SavedFile};
use crate::commands::reference::Reference;
use crate::commands::setup::{AppStatus, HubTransportInput, UnitInput};
use crate::commands::stats::StatsInput;
use crate::commands::sync::SavedBundle;
use crate::error::CommandError;
use crate::sync_worker::SyncStatus;
use tiaojie_docs::import::{ColumnMap, Field, ImportPlan, ImportReport, PlannedRow, RowError};
use tiaojie_ledger::typescript::{config, declare};
use tiaojie_sync::engine::Progress;

/// Where the file lives, from the workspace root.
pub const PATH: &str = "ui/src/api/generated/app.ts";

const HEADER: &str = "\
// Generated from the Rust types of the desktop app, tiaojie-docs and
// tiaojie-sync (src-tauri/src/typescript.rs): do not edit. Regenerate with
//   TIAOJIE_WRITE_TS=1 cargo test -p tiaojie-desktop --test typescript
";

/// The declarations, without the import of the ledger's types they use
/// (the generator adds it: it knows which names the ledger's file holds).
pub fn declarations() -> String {
    let cfg = config();
    let mut out = String::new();
    declare::<CommandError>(&cfg, &mut out);
    declare::<Choice<ts_rs::Dummy>>(&cfg, &mut out);
    declare::<Reference>(&cfg, &mut out);
    // Setting up this laptop.
    declare::<UnitInput>(&cfg, &mut out);
    declare::<HubTransportInput>(&cfg, &mut out);
    declare::<AppStatus>(&cfg, &mut out);
    // 统计.
    declare::<StatsInput>(&cfg, &mut out);
    // Files made.
    declare::<MadeDocuments>(&cfg, &mut out);
    declare::<SavedFile>(&cfg, &mut out);
    declare::<SavedBundle>(&cfg, &mut out);
    // An old Excel ledger brought in.
    declare::<ImportInput>(&cfg, &mut out);
    declare::<Field>(&cfg, &mut out);
    declare::<ColumnMap>(&cfg, &mut out);
    declare::<RowError>(&cfg, &mut out);
    declare::<PlannedRow>(&cfg, &mut out);
    declare::<ImportPlan>(&cfg, &mut out);
    declare::<ImportReport>(&cfg, &mut out);
    // Attachments.
    declare::<FileUpload>(&cfg, &mut out);
    // The sync bar.
    declare::<Progress>(&cfg, &mut out);
    declare::<SyncStatus>(&cfg, &mut out);
    out
}

/// The file's whole text: the header, the import of the ledger's types
/// used (`ledger_names`: what the ledger's file exports), the declarations.
pub fn file(ledger_names: &[String]) -> String {
    let body = declarations();
    let used = used_names(&body, ledger_names);
    let mut out = String::from(HEADER);
    if !used.is_empty() {
        out.push_str(&format!(
            "\nimport type {{ {} }} from './ledger'\n",
            used.join(", ")
        ));
    }
    out.push_str(&body);
    out
}

/// The names of `names` that `text` uses as whole words, sorted.
pub fn used_names(text: &str, names: &[String]) -> Vec<String> {
    let words: std::collections::BTreeSet<&str> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .collect();
    let mut used: Vec<String> = names
        .iter()
        .filter(|n| words.contains(n.as_str()))
        .cloned()
        .collect();
    used.sort();
    used.dedup();
    used
}

/// The type names a generated file exports.
pub fn exported_names(file: &str) -> Vec<String> {
    file.lines()
        .filter_map(|l| l.strip_prefix("export type "))
        .filter_map(|rest| {
            rest.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .next()
        })
        .map(str::to_string)
        .collect()
}
