//! The paperwork of a mediation committee: the official documents of a case
//! file as DOCX and PDF, the ledger as an Excel workbook in and out, and the
//! monthly statistics report.
//!
//! Documents are laid out by templates (`assets/templates/*.toml`): a county
//! can copy them into its own folder, change the wording, and point the app at
//! that folder, without a new build.

pub mod context;
pub mod docx;
pub mod error;
pub mod font;
pub mod import;
pub mod layout;
pub mod mask;
pub mod pdf;
pub mod report;
pub mod template;
pub mod workbook_bounds;
pub mod xlsx;

pub use error::{DocsError, Result};
pub use mask::Privacy;
pub use template::{DocKind, Templates};

/// The two file formats a document comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Docx,
    Pdf,
}

impl Format {
    pub fn parse(text: &str) -> Result<Format> {
        match text.trim().to_ascii_lowercase().as_str() {
            "docx" | "word" => Ok(Format::Docx),
            "pdf" => Ok(Format::Pdf),
            other => Err(DocsError::invalid(
                "format",
                format!("文件格式“{other}”不支持（可选：docx、pdf）"),
            )),
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Pdf => "pdf",
        }
    }
}

/// Saves a made file: written beside its place, then renamed, so that a
/// half-written file never carries the name; the folder is made if needed.
pub fn save_file(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    let failed = |e: std::io::Error| DocsError::Save(format!("无法保存 {}：{e}", path.display()));
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(failed)?;
    }
    let tmp = path.with_extension("part");
    std::fs::write(&tmp, bytes)
        .and_then(|_| std::fs::rename(&tmp, path))
        .map_err(failed)
}

/// Makes one document of a case in the format asked.
pub fn render_case_document(
    ledger: &tiaojie_ledger::Ledger,
    templates: &Templates,
    kind: DocKind,
    case_id: uuid::Uuid,
    format: Format,
    privacy: Privacy,
    fonts: &font::FontSource,
) -> Result<Vec<u8>> {
    let ctx = context::case_context(ledger, case_id, privacy)?;
    let template = templates.get(kind)?;
    let doc = layout::fill(template, &ctx)?;
    match format {
        Format::Docx => docx::write(&doc),
        Format::Pdf => pdf::write(&doc, &fonts.load()?),
    }
}
