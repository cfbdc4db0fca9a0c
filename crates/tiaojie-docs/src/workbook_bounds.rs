//! Bounds on a workbook checked before the spreadsheet reader allocates
//! anything for it. The reader sizes its grid from the cells' addresses
//! (one cell at XFD1048576 is a grid of 17 billion cells) and holds every
//! shared string in memory (a megabyte of compressed XML can expand to a
//! gigabyte). So the parts that drive those allocations are first streamed
//! through a small scanner, decompressing at most a bounded number of bytes.

use crate::error::{DocsError, Result};
use std::io::Read;

/// What a workbook may hold to be imported: far beyond a village ledger
/// (a few thousand rows of some forty columns), far below what would take
/// an old laptop down.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    /// The file itself.
    pub file_bytes: usize,
    pub rows: u64,
    pub columns: u64,
    /// Rows × columns of the grid the cells span.
    pub grid_cells: u64,
    /// A worksheet's XML, decompressed.
    pub sheet_bytes: u64,
    /// The shared strings' XML, decompressed.
    pub strings_bytes: u64,
}

pub const BOUNDS: Bounds = Bounds {
    file_bytes: 100 * 1024 * 1024,
    rows: 200_000,
    columns: 500,
    grid_cells: 4_000_000,
    sheet_bytes: 400 * 1024 * 1024,
    strings_bytes: 64 * 1024 * 1024,
};

fn refuse(message: String) -> DocsError {
    DocsError::invalid("file", message)
}

/// Checks `bytes` against `bounds`. A file that is not a zip archive (an
/// old binary .xls) is left to the reader, after the size check.
pub fn check(bytes: &[u8], bounds: &Bounds) -> Result<()> {
    check_size(bytes.len() as u64, bounds)?;
    let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return Ok(());
    };
    for i in 0..archive.len() {
        let Ok(entry) = archive.by_index(i) else {
            return Err(refuse("无法读取 Excel 文件：文件已损坏".into()));
        };
        let name = entry.name().to_ascii_lowercase();
        if name.starts_with("xl/worksheets/") && name.ends_with(".xml") {
            scan_sheet(entry, bounds)?;
        } else if name == "xl/sharedstrings.xml" {
            let size = drain(entry, bounds.strings_bytes)?;
            if size > bounds.strings_bytes {
                return Err(refuse(format!(
                    "Excel 文件中的文字内容解压后超过 {} MB，无法导入",
                    bounds.strings_bytes / (1024 * 1024)
                )));
            }
        }
    }
    Ok(())
}

/// Checks a file's size before it is read into memory.
pub fn check_size(len: u64, bounds: &Bounds) -> Result<()> {
    if len > bounds.file_bytes as u64 {
        return Err(refuse(format!(
            "Excel 文件过大（{} MB，最多 {} MB），请分成几个文件导入",
            len / (1024 * 1024),
            bounds.file_bytes / (1024 * 1024)
        )));
    }
    Ok(())
}

/// Decompresses at most `limit + 1` bytes of `entry`, returning how many.
fn drain(entry: impl Read, limit: u64) -> Result<u64> {
    std::io::copy(&mut entry.take(limit + 1), &mut std::io::sink())
        .map_err(|e| refuse(format!("无法读取 Excel 文件：{e}")))
}

/// The extent of the cells a worksheet's XML names, found by streaming it.
#[derive(Debug, Default, PartialEq, Eq)]
struct Extent {
    min_row: u64,
    max_row: u64,
    min_col: u64,
    max_col: u64,
    bytes: u64,
}

fn scan_sheet(entry: impl Read, bounds: &Bounds) -> Result<()> {
    let extent = extent(entry.take(bounds.sheet_bytes + 1))?;
    if extent.bytes > bounds.sheet_bytes {
        return Err(refuse(format!(
            "Excel 工作表解压后超过 {} MB，无法导入",
            bounds.sheet_bytes / (1024 * 1024)
        )));
    }
    if extent.max_row == 0 {
        return Ok(());
    }
    let rows = extent.max_row - extent.min_row + 1;
    let columns = extent.max_col - extent.min_col + 1;
    if rows > bounds.rows || columns > bounds.columns || rows * columns > bounds.grid_cells {
        return Err(refuse(format!(
            "Excel 工作表的范围过大（{rows} 行 × {columns} 列，最多 {} 行、{} 列）：\
             可能有远处的空白单元格带了格式，请把数据复制到新的工作表再导入",
            bounds.rows, bounds.columns
        )));
    }
    Ok(())
}

/// Streams the XML looking for cell addresses (`<c r="B12"`) and the
/// declared dimension (`<dimension ref="A1:XFD1048576"/>`).
fn extent(mut input: impl Read) -> Result<Extent> {
    let mut out = Extent {
        min_row: u64::MAX,
        min_col: u64::MAX,
        ..Extent::default()
    };
    let mut buf = vec![0u8; 64 * 1024];
    // Bytes of a tag cut by the buffer's end, carried to the next read.
    let mut carry: Vec<u8> = Vec::new();
    loop {
        let n = input
            .read(&mut buf)
            .map_err(|e| refuse(format!("无法读取 Excel 文件：{e}")))?;
        if n == 0 {
            break;
        }
        out.bytes += n as u64;
        carry.extend_from_slice(&buf[..n]);
        let keep_from = scan_tags(&carry, &mut out);
        carry.drain(..keep_from);
        if carry.len() > 64 * 1024 {
            // A tag longer than this is not one this scanner looks at.
            carry.clear();
        }
    }
    if out.max_row == 0 {
        out.min_row = 0;
    }
    if out.max_col == 0 {
        // Rows without addressed cells: one column as far as the grid goes.
        (out.min_col, out.max_col) = (1, 1);
    }
    Ok(out)
}

/// Scans complete `<c ...>` and `<dimension ...>` tags of `text`; returns
/// where the last incomplete tag starts (to be kept for the next read).
fn scan_tags(text: &[u8], out: &mut Extent) -> usize {
    let mut i = 0;
    while let Some(start) = text[i..].iter().position(|&b| b == b'<').map(|p| p + i) {
        let Some(end) = text[start..]
            .iter()
            .position(|&b| b == b'>')
            .map(|p| p + start)
        else {
            return start;
        };
        let tag = &text[start + 1..end];
        if tag.starts_with(b"row ") {
            let row =
                attribute(tag, b" r=\"").and_then(|r| std::str::from_utf8(r).ok()?.parse().ok());
            if let Some(row) = row {
                out.min_row = out.min_row.min(row);
                out.max_row = out.max_row.max(row);
            }
        } else if tag.starts_with(b"c ") {
            if let Some((col, row)) = attribute(tag, b" r=\"").and_then(cell_address) {
                out.note(col, row);
            }
        } else if tag.starts_with(b"dimension ")
            && let Some(reference) = attribute(tag, b" ref=\"")
        {
            for part in reference.split(|&b| b == b':') {
                if let Some((col, row)) = cell_address(part) {
                    out.note(col, row);
                }
            }
        }
        i = end + 1;
    }
    text.len()
}

impl Extent {
    fn note(&mut self, col: u64, row: u64) {
        self.min_row = self.min_row.min(row);
        self.max_row = self.max_row.max(row);
        self.min_col = self.min_col.min(col);
        self.max_col = self.max_col.max(col);
    }
}

fn attribute<'a>(tag: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    let at = tag.windows(name.len()).position(|w| w == name)? + name.len();
    let len = tag[at..].iter().position(|&b| b == b'"')?;
    Some(&tag[at..at + len])
}

/// "XFD1048576" → (16384, 1048576); None for anything else.
fn cell_address(text: &[u8]) -> Option<(u64, u64)> {
    let letters = text.iter().take_while(|b| b.is_ascii_uppercase()).count();
    let (col_part, row_part) = text.split_at(letters);
    if letters == 0 || letters > 3 || row_part.is_empty() || row_part.len() > 7 {
        return None;
    }
    if !row_part.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let col = col_part
        .iter()
        .fold(0u64, |acc, &b| acc * 26 + u64::from(b - b'A' + 1));
    let row = std::str::from_utf8(row_part).ok()?.parse().ok()?;
    Some((col, row))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_extents_are_read_from_the_stream() {
        assert_eq!(cell_address(b"A1"), Some((1, 1)));
        assert_eq!(cell_address(b"XFD1048576"), Some((16384, 1_048_576)));
        assert_eq!(cell_address(b"1A"), None);
        assert_eq!(cell_address(b"ABCD1"), None);
        let xml = br#"<worksheet><dimension ref="B2:C3"/><sheetData><row r="2"><c r="B2" t="s"><v>0</v></c><c r="C3"><v>1</v></c></row></sheetData></worksheet>"#;
        // Read in slices of 7 bytes so that tags are cut between reads.
        struct Slow<'a>(&'a [u8]);
        impl Read for Slow<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = self.0.len().min(7).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let e = extent(Slow(xml)).unwrap();
        assert_eq!((e.min_row, e.max_row, e.min_col, e.max_col), (2, 3, 2, 3));
        let far = br#"<sheetData><row><c r="A1"/><c r="XFD1048576"/></row></sheetData>"#;
        let e = extent(&far[..]).unwrap();
        assert_eq!((e.max_row, e.max_col), (1_048_576, 16384));
    }
}
