//! A photo or scan made ready for the case file: recognised by its content,
//! decoded within limits (a small file claiming 50,000 × 50,000 pixels is
//! refused before any pixel is allocated), turned upright by its EXIF
//! orientation, reduced to a long side that prints sharp on A4, and written
//! again as JPEG, which keeps none of the EXIF (no GPS position, no phone
//! model). A PDF is kept as it came, once checked to be whole.

use crate::error::{DocsError, Result};
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use std::io::Cursor;
use tiaojie_ledger::LedgerError;
use tiaojie_ledger::domain::attachment::{self, Content};

/// How photos are reduced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhotoSettings {
    /// The longest side after reducing, in pixels.
    pub long_side: u32,
    /// JPEG quality, 1 to 100.
    pub quality: u8,
}

impl Default for PhotoSettings {
    fn default() -> Self {
        PhotoSettings {
            long_side: 2000,
            quality: 80,
        }
    }
}

/// The largest picture decoded, on either side: an A4 scan at 600 dpi is
/// 4,961 × 7,016; a 200-megapixel phone photo 16,320 × 12,240.
pub const MAX_SIDE: u32 = 16_384;
/// The most memory a decoder may take: a 16,384 × 12,288 RGBA picture.
pub const MAX_DECODE_BYTES: u64 = 16_384 * 12_288 * 4;

/// What is stored: the bytes, what they are, an image's size.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub bytes: Vec<u8>,
    pub content: Content,
    pub size_px: Option<(u32, u32)>,
}

fn refused(message: String) -> DocsError {
    LedgerError::invalid("file", message).into()
}

/// Makes `bytes`, read from `file_name`, ready to attach.
pub fn prepare(file_name: &str, bytes: &[u8], settings: PhotoSettings) -> Result<Prepared> {
    let content = attachment::check(file_name, bytes)?;
    let format = match content {
        Content::Pdf => {
            let tail = &bytes[bytes.len().saturating_sub(2048)..];
            if !tail.windows(5).any(|w| w == b"%%EOF") {
                return Err(refused(format!(
                    "PDF 文件“{file_name}”不完整（可能没有复制完），请重新扫描或复制"
                )));
            }
            return Ok(Prepared {
                bytes: bytes.to_vec(),
                content,
                size_px: None,
            });
        }
        Content::Jpeg => {
            if !jpeg_is_whole(bytes) {
                return Err(refused(format!(
                    "图片“{file_name}”不完整（可能没有复制完），请从手机或扫描仪重新复制"
                )));
            }
            ImageFormat::Jpeg
        }
        Content::Png => ImageFormat::Png,
        Content::Webp => ImageFormat::WebP,
    };
    let damaged = |e: image::ImageError| {
        refused(format!(
            "图片“{file_name}”已损坏，无法读取（{e}）；请从手机或扫描仪重新复制"
        ))
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|e| match e {
        image::ImageError::Limits(_) => too_large(file_name, bytes, format),
        other => damaged(other),
    })?;
    let (w, h) = decoder.dimensions();
    if w > MAX_SIDE || h > MAX_SIDE {
        return Err(too_large(file_name, bytes, format));
    }
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| match e {
        image::ImageError::Limits(_) => too_large(file_name, bytes, format),
        other => damaged(other),
    })?;
    img.apply_orientation(orientation);
    let long = img.width().max(img.height());
    if long > settings.long_side {
        img = img.resize(
            settings.long_side,
            settings.long_side,
            image::imageops::FilterType::Triangle,
        );
    }
    let rgb = img.to_rgb8();
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, settings.quality.clamp(1, 100))
        .encode_image(&rgb)
        .map_err(|e| DocsError::Write(format!("照片压缩失败：{e}")))?;
    Ok(Prepared {
        bytes: out,
        content: Content::Jpeg,
        size_px: Some((rgb.width(), rgb.height())),
    })
}

/// Whether a JPEG's compressed picture ends: its end marker follows the
/// first start of scan (inside the scan a 0xFF byte is always stuffed, so
/// FF D9 there is the end). A phone may append more after it (a motion
/// photo's video), which is left out when the photo is written again.
fn jpeg_is_whole(bytes: &[u8]) -> bool {
    let Some(sos) = bytes.windows(2).position(|w| w == [0xFF, 0xDA]) else {
        return false;
    };
    bytes[sos..].windows(2).any(|w| w == [0xFF, 0xD9])
}

/// The refusal of a picture too large to be a photo or a scan, with its
/// claimed size when the header can be read.
fn too_large(file_name: &str, bytes: &[u8], format: ImageFormat) -> DocsError {
    let claimed = ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .map(|(w, h)| format!("（{w}×{h} 像素）"))
        .unwrap_or_default();
    refused(format!(
        "图片“{file_name}”尺寸过大{claimed}，不像是照片或扫描件：每边最多 {MAX_SIDE} 像素"
    ))
}

/// The most files one addition takes: all are prepared, in memory, before
/// any is stored.
pub const MAX_FILES_AT_ONCE: usize = 40;

/// One file attached, and how large it was before it was prepared.
#[derive(Debug, Clone)]
pub struct Attached {
    pub record: tiaojie_ledger::store::attachments::AttachmentRecord,
    pub original_size: usize,
}

/// Attaches files to a case as both shells do: every file prepared first
/// (one that cannot be attached stops all before anything is written,
/// named in the message), then each stored with its kind and caption.
pub fn attach_files(
    ledger: &mut tiaojie_ledger::Ledger,
    case_id: uuid::Uuid,
    files: &[(String, Vec<u8>)],
    kind: tiaojie_ledger::domain::labels::AttachmentKind,
    caption: &str,
) -> Result<Vec<Attached>> {
    if files.is_empty() {
        return Err(refused("请选择要添加的照片或扫描件".into()));
    }
    if files.len() > MAX_FILES_AT_ONCE {
        return Err(refused(format!(
            "一次选了 {} 个文件，一次最多添加 {MAX_FILES_AT_ONCE} 个：请分批添加",
            files.len()
        )));
    }
    let ready = files
        .iter()
        .map(|(name, bytes)| prepare(name, bytes, PhotoSettings::default()))
        .collect::<Result<Vec<_>>>()?;
    let mut attached = Vec::with_capacity(ready.len());
    for ((name, original), p) in files.iter().zip(ready) {
        let record = ledger.attach(
            case_id,
            tiaojie_ledger::store::attachments::NewAttachment {
                bytes: p.bytes,
                kind,
                caption: caption.to_string(),
                file_name: name.clone(),
                size_px: p.size_px,
                on: None,
            },
        )?;
        attached.push(Attached {
            record,
            original_size: original.len(),
        });
    }
    Ok(attached)
}
