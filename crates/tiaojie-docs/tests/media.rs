//! Photos made ready for the case file, as a phone and a hostile sender
//! would give them: upright by their EXIF orientation, reduced, the EXIF
//! (GPS position, phone model) gone; bombs, corrupt and disguised files
//! refused with a message naming them, in bounded memory.

use image::{Rgb, RgbImage};
use tiaojie_docs::media::{PhotoSettings, prepare};
use tiaojie_ledger::domain::attachment::Content;

/// A JPEG `w`×`h` whose left half is red and right half blue.
fn photo(w: u32, h: u32) -> Vec<u8> {
    let img = RgbImage::from_fn(w, h, |x, _| {
        if x < w / 2 {
            Rgb([220, 20, 20])
        } else {
            Rgb([20, 20, 220])
        }
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&img)
        .unwrap();
    out
}

/// An EXIF block as a phone writes it: orientation 6 (turn 90° clockwise
/// to show), the phone's model, a GPS position.
fn exif_app1() -> Vec<u8> {
    let mut t: Vec<u8> = b"II*\0".to_vec();
    t.extend(8u32.to_le_bytes());
    let entry = |t: &mut Vec<u8>, tag: u16, typ: u16, count: u32, value: u32| {
        t.extend(tag.to_le_bytes());
        t.extend(typ.to_le_bytes());
        t.extend(count.to_le_bytes());
        t.extend(value.to_le_bytes());
    };
    // IFD0 at 8: three entries (2 + 36 + 4 bytes), then the model text and
    // the GPS IFD.
    let model_at = 8 + 2 + 3 * 12 + 4;
    let model = b"TiaojiePhone X9\0";
    let gps_at = model_at + model.len() as u32;
    t.extend(3u16.to_le_bytes());
    entry(&mut t, 0x0110, 2, model.len() as u32, model_at);
    entry(&mut t, 0x0112, 3, 1, 6);
    entry(&mut t, 0x8825, 4, 1, gps_at);
    t.extend(0u32.to_le_bytes());
    t.extend(model);
    // The GPS IFD: latitude 28°12'34", three rationals after it.
    let lat_at = gps_at + 2 + 12 + 4;
    t.extend(1u16.to_le_bytes());
    entry(&mut t, 0x0002, 5, 3, lat_at);
    t.extend(0u32.to_le_bytes());
    for (n, d) in [(28u32, 1u32), (12, 1), (34, 1)] {
        t.extend(n.to_le_bytes());
        t.extend(d.to_le_bytes());
    }
    let mut app1 = vec![0xFF, 0xE1];
    let len = (2 + 6 + t.len()) as u16;
    app1.extend(len.to_be_bytes());
    app1.extend(b"Exif\0\0");
    app1.extend(t);
    app1
}

/// `jpeg` with the phone's EXIF block right after its start marker.
fn with_exif(jpeg: &[u8]) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec();
    out.extend(exif_app1());
    out.extend(&jpeg[2..]);
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn a_phone_photo_is_turned_upright_reduced_and_stripped() {
    let taken = with_exif(&photo(3000, 1500));
    assert!(contains(&taken, b"TiaojiePhone"));
    let p = prepare("IMG_0001.jpg", &taken, PhotoSettings::default()).unwrap();
    assert_eq!(p.content, Content::Jpeg);
    // Turned a quarter: the long side is now the height, and reduced.
    assert_eq!(p.size_px, Some((1000, 2000)));
    let img = image::load_from_memory(&p.bytes).unwrap().to_rgb8();
    assert_eq!(img.dimensions(), (1000, 2000));
    // The red left half is now on top.
    let top = img.get_pixel(500, 100);
    let bottom = img.get_pixel(500, 1900);
    assert!(top[0] > 150 && top[2] < 100, "top {top:?}");
    assert!(bottom[2] > 150 && bottom[0] < 100, "bottom {bottom:?}");
    // No EXIF left: no model, no position, no Exif block at all.
    assert!(!contains(&p.bytes, b"TiaojiePhone"));
    assert!(!contains(&p.bytes, b"Exif\0\0"));
    assert!(p.bytes.len() < taken.len());
}

#[test]
fn a_small_picture_keeps_its_size() {
    let p = prepare("small.jpg", &photo(640, 480), PhotoSettings::default()).unwrap();
    assert_eq!(p.size_px, Some((640, 480)));
}

/// A PNG of `w`×`h` pixels claimed in its header, a few bytes in all.
fn png_claiming(w: u32, h: u32) -> Vec<u8> {
    fn crc32(data: &[u8]) -> u32 {
        let mut c = 0xFFFF_FFFFu32;
        for &b in data {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
        }
        !c
    }
    let chunk = |out: &mut Vec<u8>, kind: &[u8], data: &[u8]| {
        out.extend((data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend(data);
        out.extend(&body);
        out.extend(crc32(&body).to_be_bytes());
    };
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend(w.to_be_bytes());
    ihdr.extend(h.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    // A zlib stream of zeros: what would inflate to the whole picture.
    chunk(
        &mut out,
        b"IDAT",
        &[0x78, 0x9C, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01],
    );
    chunk(&mut out, b"IEND", &[]);
    out
}

/// Why `bytes` named `name` are refused (fails when they are not).
fn refusal(name: &str, bytes: &[u8]) -> String {
    match prepare(name, bytes, PhotoSettings::default()) {
        Ok(p) => panic!("{name} was taken ({} bytes)", p.bytes.len()),
        Err(e) => e.to_string(),
    }
}

fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

#[test]
fn bombs_corrupt_and_disguised_files_are_refused_in_bounded_memory() {
    let before = peak_rss_kib();
    let bomb = png_claiming(50_000, 50_000);
    assert!(bomb.len() < 100);
    let e = refusal("bomb.png", &bomb);
    assert!(e.contains("尺寸过大"), "{e}");
    assert!(e.contains("50000×50000"), "{e}");
    assert!(e.contains("bomb.png"), "{e}");

    let mut cut = photo(800, 600);
    cut.truncate(cut.len() / 3);
    let e = refusal("cut.jpg", &cut);
    assert!(e.contains("不完整"), "{e}");
    let mut garbled = photo(800, 600);
    // Its tables overwritten, the scan and its end left.
    garbled.iter_mut().skip(4).take(180).for_each(|b| *b = 0x5A);
    let e = refusal("garbled.jpg", &garbled);
    assert!(e.contains("已损坏"), "{e}");
    let mut png = Vec::new();
    RgbImage::new(64, 64)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    png.truncate(png.len() - 30);
    let e = refusal("cut.png", &png);
    assert!(e.contains("已损坏"), "{e}");

    let e = refusal("notes.jpg", b"just text, named .jpg");
    assert!(e.contains("不是可以添加的类型"), "{e}");

    let e = refusal("scan.pdf", b"%PDF-1.7\n1 0 obj\n");
    assert!(e.contains("不完整"), "{e}");
    let whole = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n";
    let p = prepare("scan.pdf", whole, PhotoSettings::default()).unwrap();
    assert_eq!((p.content, p.bytes.as_slice()), (Content::Pdf, &whole[..]));

    // 50,000 × 50,000 RGB would be 7.5 GB; nothing near it was taken.
    let grown = peak_rss_kib().saturating_sub(before);
    assert!(grown < 64 * 1024, "peak memory grew by {grown} KiB");
}
