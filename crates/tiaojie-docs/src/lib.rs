//! The paperwork of a mediation committee: the official documents of a case
//! file as DOCX and PDF, the ledger as an Excel workbook in and out, and the
//! monthly statistics report.
//!
//! Documents are laid out by templates (`assets/templates/*.toml`): a county
//! can copy them into its own folder, change the wording, and point the app at
//! that folder, without a new build.

pub mod case_file;
pub mod context;
pub mod docx;
pub mod error;
pub mod font;
pub mod import;
pub mod layout;
pub mod mask;
pub mod media;
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
/// When the old file cannot be replaced because a program holds it open
/// (Excel and most PDF readers do on Windows), the message says so, and the
/// old file and its folder are left as they were.
pub fn save_file(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    let failed = |e: std::io::Error| DocsError::Save(format!("无法保存 {}：{e}", path.display()));
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(failed)?;
    }
    let tmp = path.with_extension("part");
    std::fs::write(&tmp, bytes).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        failed(e)
    })?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        if held_open(&e) {
            DocsError::Save(format!(
                "无法保存 {}：这个文件正被其他程序（如 Excel、PDF 阅读器）打开，请关闭它后重试，或换一个文件名",
                path.display()
            ))
        } else {
            failed(e)
        }
    })
}

/// Whether replacing a file failed because another program holds it open:
/// Windows's sharing violation (32) or lock violation (33), or the access
/// denied (5) it gives for a file open without shared delete.
fn held_open(e: &std::io::Error) -> bool {
    cfg!(windows) && matches!(e.raw_os_error(), Some(5 | 32 | 33))
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
    let mut doc = layout::fill(template, &ctx)?;
    if kind == DocKind::Evidence {
        // Each photo on a page of its own after the list.
        for a in ledger.attachments(case_id)? {
            // Photos are stored as JPEG (see `media::prepare`).
            if a.removed_on.is_some() || !a.here || a.mime != "image/jpeg" {
                continue;
            }
            let bytes = ledger.attachment_bytes(&a)?;
            let (width, height) = match (a.width, a.height) {
                (Some(w), Some(h)) => (w, h),
                _ => continue,
            };
            let what = if a.caption.is_empty() {
                a.file_name.clone()
            } else {
                a.caption.clone()
            };
            doc.items.push(layout::Part::Image {
                jpeg: std::sync::Arc::new(bytes),
                width,
                height,
                caption: format!("{}：{what}（{}）", a.kind.printed(), a.on),
            });
        }
    }
    match format {
        Format::Docx => docx::write(&doc),
        Format::Pdf => pdf::write(&doc, &fonts.load()?),
    }
}

#[cfg(all(test, windows))]
mod windows_tests {
    use super::*;
    use std::os::windows::fs::OpenOptionsExt;

    /// Excel holds a workbook it shows open without sharing: saving over it
    /// must say so and leave it and no `.part` file behind.
    #[test]
    fn a_file_another_program_holds_is_named_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("台账 2026.xlsx");
        std::fs::write(&path, b"old").unwrap();
        let held = std::fs::OpenOptions::new()
            .read(true)
            .share_mode(0)
            .open(&path)
            .unwrap();
        let err = save_file(&path, b"new").unwrap_err().to_string();
        assert!(err.contains("正被其他程序"), "{err}");
        drop(held);
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        assert!(!path.with_extension("part").exists());
        save_file(&path, b"new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
    }
}
