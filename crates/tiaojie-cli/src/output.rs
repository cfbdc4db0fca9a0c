//! Where results go: one JSON document on stdout for scripts, or Chinese text
//! for people. Errors go to stderr, and with `--json` also to stdout as
//! `{"error": {code, message, field}}`.

use crate::error::{CliError, CliResult};
use serde::Serialize;
use std::io::Write;

/// Writes one line to stdout. A reader that went away (`tiaojie … | head`)
/// is not an error of this command: the rest is dropped quietly.
pub fn line(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{text}").and_then(|()| stdout.flush());
}

/// Text for a terminal: control characters (an escape sequence typed into
/// a name, a stray carriage return) are shown as `\u{1b}` instead of being
/// obeyed by the terminal. Line breaks and tabs stay.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[derive(Debug, Clone, Copy)]
pub struct Output {
    pub json: bool,
}

impl Output {
    /// Prints `value` as JSON, or the text `human` builds from it.
    pub fn emit<T: Serialize>(&self, value: &T, human: impl FnOnce(&T) -> String) -> CliResult<()> {
        if self.json {
            let text = serde_json::to_string_pretty(value)
                .map_err(|e| CliError::Io(format!("无法输出 JSON：{e}")))?;
            line(&text);
        } else {
            let text = human(value);
            if !text.is_empty() {
                line(&printable(text.trim_end_matches('\n')));
            }
        }
        Ok(())
    }

    pub fn error(&self, e: &CliError) {
        match e.field() {
            Some(field) => eprintln!("错误：{}（字段：{field}）", printable(&e.to_string())),
            None => eprintln!("错误：{}", printable(&e.to_string())),
        }
        if self.json {
            let doc = serde_json::json!({
                "error": { "code": e.code(), "message": e.to_string(), "field": e.field() }
            });
            line(&doc.to_string());
        }
    }
}

/// Columns on a terminal: CJK characters and full-width forms take two.
pub fn width(text: &str) -> usize {
    text.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F
            | 0x2E80..=0x303E
            | 0x3041..=0x33FF
            | 0x3400..=0x4DBF
            | 0x4E00..=0x9FFF
            | 0xA000..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6
            | 0x20000..=0x3FFFD => 2,
            _ => 1,
        })
        .sum()
}

/// Cuts `text` to at most `max` columns, ending with … when cut.
pub fn clip(text: &str, max: usize) -> String {
    if width(text) <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = width(c.encode_utf8(&mut [0; 4]));
        if used + w + 1 > max {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// A plain text table with columns padded to the widest cell.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(width(cell));
        }
    }
    let line = |cells: Vec<&str>| -> String {
        let mut s = String::new();
        for (i, cell) in cells.iter().enumerate() {
            s.push_str(cell);
            if i + 1 < cells.len() {
                s.push_str(&" ".repeat(widths[i] - width(cell) + 2));
            }
        }
        s.push('\n');
        s
    };
    let mut out = line(header.to_vec());
    out.push_str(&line(
        widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str)
            .collect(),
    ));
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}

pub fn yes_no(b: bool) -> &'static str {
    if b { "是" } else { "否" }
}

/// Fen as yuan with two decimals.
pub fn yuan(fen: i64) -> String {
    tiaojie_ledger::domain::intake::Fen(fen).yuan()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_takes_two_columns() {
        assert_eq!(width("（2026）青山村"), 2 + 4 + 2 + 6);
        assert_eq!(width("abc"), 3);
        assert_eq!(clip("张三、李四、王五", 9), "张三、李…");
    }
}
