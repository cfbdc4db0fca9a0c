//! Photos and scans in a case file (证据材料, the signed originals): what
//! may be attached, recognised by its content and never by its name, and
//! how large it may be. Photos are reduced before they get here (see
//! `tiaojie_docs::media`); the ledger checks again what it stores.

use crate::error::{LedgerError, Result};
use sha2::{Digest, Sha256};

/// The largest file a case takes: a scanned multi-page PDF fits, a video
/// does not.
pub const MAX_BYTES: usize = 30 * 1024 * 1024;

/// What an attachment is, by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Content {
    Jpeg,
    Png,
    Webp,
    Pdf,
}

impl Content {
    pub const ALL: [Content; 4] = [Content::Jpeg, Content::Png, Content::Webp, Content::Pdf];

    /// The type the bytes are, if one allowed.
    pub fn sniff(bytes: &[u8]) -> Option<Content> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Content::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Content::Png)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(Content::Webp)
        } else if bytes.starts_with(b"%PDF-") {
            Some(Content::Pdf)
        } else {
            None
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Content::Jpeg => "image/jpeg",
            Content::Png => "image/png",
            Content::Webp => "image/webp",
            Content::Pdf => "application/pdf",
        }
    }

    pub fn from_mime(mime: &str) -> Option<Content> {
        Content::ALL.into_iter().find(|c| c.mime() == mime)
    }

    pub fn extension(self) -> &'static str {
        match self {
            Content::Jpeg => "jpg",
            Content::Png => "png",
            Content::Webp => "webp",
            Content::Pdf => "pdf",
        }
    }

    pub fn is_image(self) -> bool {
        self != Content::Pdf
    }
}

/// Checks that `bytes` may be attached and says what they are: within the
/// size limit, of an allowed type by content. The message names the file.
pub fn check(file_name: &str, bytes: &[u8]) -> Result<Content> {
    if bytes.is_empty() {
        return Err(LedgerError::invalid(
            "file",
            format!("文件“{file_name}”是空的"),
        ));
    }
    if bytes.len() > MAX_BYTES {
        return Err(LedgerError::invalid(
            "file",
            format!(
                "文件“{file_name}”过大（{:.1} MB），每个附件最多 {} MB",
                bytes.len() as f64 / 1048576.0,
                MAX_BYTES / 1048576
            ),
        ));
    }
    Content::sniff(bytes).ok_or_else(|| {
        LedgerError::invalid(
            "file",
            format!(
                "文件“{file_name}”不是可以添加的类型：只能添加 JPEG、PNG、WebP 照片或 PDF 扫描件"
            ),
        )
    })
}

/// The content's SHA-256, hex: its name in the store, whoever sends it.
pub fn content_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_told_by_content_not_by_name() {
        assert_eq!(
            check("a.jpg", b"\xFF\xD8\xFF\xE0rest").unwrap(),
            Content::Jpeg
        );
        assert_eq!(check("scan", b"%PDF-1.7\n").unwrap(), Content::Pdf);
        assert_eq!(
            check("x.png", b"RIFF\0\0\0\0WEBPVP8 ").unwrap(),
            Content::Webp
        );
        let refused = check("照片.jpg", b"MZ\x90\0 an exe named jpg").unwrap_err();
        assert!(refused.to_string().contains("照片.jpg"), "{refused}");
        assert!(refused.to_string().contains("只能添加"), "{refused}");
        assert!(
            check("empty.jpg", b"")
                .unwrap_err()
                .to_string()
                .contains("空")
        );
        let big = vec![0xFFu8; MAX_BYTES + 1];
        assert!(
            check("big.jpg", &big)
                .unwrap_err()
                .to_string()
                .contains("过大")
        );
    }

    #[test]
    fn the_hash_names_the_content() {
        assert_eq!(
            content_hash(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
