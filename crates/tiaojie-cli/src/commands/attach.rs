//! `tiaojie case attach / attachments / attachment-export / detach`: photos
//! and scans in a case file.

use super::case_done;
use crate::error::{CliError, CliResult};
use crate::output::Output;
use serde_json::json;
use std::path::{Path, PathBuf};
use tiaojie_docs::media;
use tiaojie_ledger::Ledger;
use tiaojie_ledger::domain::labels::AttachmentKind;
use tiaojie_ledger::store::attachments::AttachmentRecord;
use tiaojie_ledger::store::users::Session;
use uuid::Uuid;

/// The files named, a folder standing for its photos and scans (a phone's
/// photo folder also holds videos and thumbnails, which are left out and
/// counted), in name order. A file named on its own is never left out.
fn files_of(paths: &[PathBuf]) -> CliResult<(Vec<PathBuf>, usize)> {
    let mut files = Vec::new();
    let mut left_out = 0;
    for p in paths {
        if p.is_dir() {
            let mut inside: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| CliError::Io(format!("无法读取文件夹 {}：{e}", p.display())))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.is_file())
                .collect();
            inside.sort();
            let before = inside.len();
            inside.retain(|f| attachable_name(&file_name(f)));
            left_out += before - inside.len();
            if inside.is_empty() {
                return Err(CliError::input(
                    "file",
                    format!(
                        "文件夹 {} 里没有照片或扫描件（JPEG、PNG、WebP、PDF）",
                        p.display()
                    ),
                ));
            }
            files.extend(inside);
        } else {
            files.push(p.clone());
        }
    }
    Ok((files, left_out))
}

/// Whether a file in a folder looks like a photo or a scan by its name;
/// its content is checked when it is attached.
fn attachable_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    !lower.starts_with('.')
        && [".jpg", ".jpeg", ".png", ".webp", ".pdf"]
            .iter()
            .any(|e| lower.ends_with(e))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Prepares every file first: one that cannot be attached stops the whole
/// command before anything is written.
pub fn attach(
    ledger: &mut Ledger,
    case: &str,
    paths: &[PathBuf],
    kind: &str,
    note: &str,
    out: Output,
) -> CliResult<()> {
    let id = ledger.resolve_case(case)?;
    let kind = AttachmentKind::parse(kind, "kind")?;
    let mut files = Vec::new();
    let (paths, left_out) = files_of(paths)?;
    for path in paths {
        let bytes = std::fs::read(&path)
            .map_err(|e| CliError::Io(format!("无法读取文件 {}：{e}", path.display())))?;
        files.push((file_name(&path), bytes));
    }
    let added: Vec<(AttachmentRecord, usize)> =
        media::attach_files(ledger, id, &files, kind, note)?
            .into_iter()
            .map(|a| (a.record, a.original_size))
            .collect();
    let lines: Vec<String> = added
        .iter()
        .map(|(a, original)| format!("  {}  {}", a.file_name, sizes(*original, a)))
        .collect();
    let records: Vec<&AttachmentRecord> = added.iter().map(|(a, _)| a).collect();
    case_done(
        ledger,
        id,
        json!({ "attachments": records, "left_out": left_out }),
        &format!(
            "已添加 {} 个附件{}\n{}\n",
            added.len(),
            if left_out > 0 {
                format!("（文件夹中另有 {left_out} 个不是照片或扫描件的文件，已跳过）")
            } else {
                String::new()
            },
            lines.join("\n")
        ),
        out,
    )
}

/// "3.2 MB → 410 KB, 2000×1500".
fn sizes(original: usize, a: &AttachmentRecord) -> String {
    let human = |n: u64| {
        if n >= 1024 * 1024 {
            format!("{:.1} MB", n as f64 / 1048576.0)
        } else {
            format!("{} KB", n.div_ceil(1024))
        }
    };
    let px = match (a.width, a.height) {
        (Some(w), Some(h)) => format!("，{w}×{h}"),
        _ => String::new(),
    };
    if original as u64 == a.size {
        format!("{}{px}", human(a.size))
    } else {
        format!("{} → {}{px}", human(original as u64), human(a.size))
    }
}

pub fn list(ledger: &Ledger, case: &str, out: Output) -> CliResult<()> {
    let id = ledger.resolve_case(case)?;
    let all = ledger.attachments(id)?;
    out.emit(&all, |all| {
        if all.is_empty() {
            return "这件案件还没有附件".to_string();
        }
        all.iter()
            .map(|a| {
                let state = match (&a.removed_on, a.here) {
                    (Some(on), _) => format!("（{on} 已移除）"),
                    (None, false) => "（未下载）".to_string(),
                    (None, true) => String::new(),
                };
                let caption = if a.caption.is_empty() {
                    String::new()
                } else {
                    format!("  {}", a.caption)
                };
                format!(
                    "{}  {}  {}  {}{caption}{state}",
                    a.id,
                    a.on,
                    a.kind.printed(),
                    a.file_name
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    })
}

fn attachment_id(text: &str) -> CliResult<Uuid> {
    Uuid::parse_str(text.trim()).map_err(|_| {
        CliError::input(
            "id",
            format!("附件编号“{text}”格式不对：请从 tiaojie case attachments 的列表中复制"),
        )
    })
}

pub fn export(
    ledger: &Ledger,
    session: Option<&Session>,
    id: &str,
    file: &Path,
    out: Output,
) -> CliResult<()> {
    let (a, bytes) = ledger.export_attachment(session, attachment_id(id)?)?;
    tiaojie_docs::save_file(file, &bytes)?;
    out.emit(
        &json!({"ok": true, "path": file, "bytes": bytes.len()}),
        |_| format!("已保存附件“{}”到 {}", a.file_name, file.display()),
    )
}

pub fn detach(ledger: &mut Ledger, id: &str, reason: &str, out: Output) -> CliResult<()> {
    let id = attachment_id(id)?;
    ledger.remove_attachment(id, reason)?;
    let a = ledger.attachment(id)?;
    case_done(
        ledger,
        a.case_id,
        json!({"attachment_id": id}),
        &format!("已移除附件“{}”", a.file_name),
        out,
    )
}
