//! PDF output: A4 pages laid out from a `Doc`, set in one CJK font whose
//! used glyphs are embedded (a subset), with a ToUnicode map so that the text
//! can be searched and copied, ruled tables, signature boxes and page numbers.

use crate::error::{DocsError, Result};
use crate::font::{Font, postscript_name};
use crate::layout::{Cell, Doc, Part, Row, Table};
use crate::template::Align;
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, TextRenderingMode, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use std::collections::{BTreeMap, HashMap};
use std::io::Write;

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN_X: f32 = 62.0;
const TOP: f32 = PAGE_H - 60.0;
const BOTTOM: f32 = 72.0;
const TEXT_W: f32 = PAGE_W - 2.0 * MARGIN_X;
/// 小四 (12 pt) body text, one and a half lines apart.
const BODY: f32 = 12.0;
const LINE: f32 = 19.0;
/// 二号 heading.
const TITLE: f32 = 22.0;
const PAD: f32 = 5.0;

enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        text: String,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
    },
    /// Image `index` of the document, drawn in the box at (x, y).
    Image {
        index: usize,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
}

struct Measure<'a> {
    face: ttf_parser::Face<'a>,
    upem: f32,
    cache: HashMap<char, (u16, f32)>,
}

impl Measure<'_> {
    /// Glyph id and advance (in em) of a character; a character the font
    /// lacks is drawn as the font's empty box.
    fn glyph(&mut self, c: char) -> (u16, f32) {
        if let Some(g) = self.cache.get(&c) {
            return *g;
        }
        let gid = self.face.glyph_index(c).map(|g| g.0).unwrap_or(0);
        let adv = self
            .face
            .glyph_hor_advance(ttf_parser::GlyphId(gid))
            .unwrap_or(self.upem as u16) as f32
            / self.upem;
        self.cache.insert(c, (gid, adv));
        (gid, adv)
    }

    fn width(&mut self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.glyph(c).1 * size).sum()
    }

    /// Lines of `text` no wider than `width`, breaking between any two
    /// characters (as Chinese is set) and letting closing punctuation hang.
    fn wrap(&mut self, text: &str, size: f32, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for para in text.split('\n') {
            let mut line = String::new();
            let mut w = 0.0;
            for c in para.chars().filter(|c| !c.is_control()) {
                let cw = self.glyph(c).1 * size;
                let hangs = "，。、；：！？）》」』”’,.;:!?)".contains(c);
                if w + cw > width && !line.is_empty() && !hangs {
                    lines.push(std::mem::take(&mut line));
                    w = 0.0;
                }
                line.push(c);
                w += cw;
            }
            lines.push(line);
        }
        lines
    }
}

struct Layout<'a> {
    m: Measure<'a>,
    pages: Vec<Vec<Op>>,
    ops: Vec<Op>,
    y: f32,
}

impl Layout<'_> {
    fn new_page(&mut self) {
        self.pages.push(std::mem::take(&mut self.ops));
        self.y = TOP;
    }

    fn room(&self) -> f32 {
        self.y - BOTTOM
    }

    fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, text: String) {
        if !text.is_empty() {
            self.ops.push(Op::Text {
                x,
                y,
                size,
                bold,
                text,
            });
        }
    }

    fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32) {
        self.ops.push(Op::Line { x1, y1, x2, y2 });
    }

    fn aligned_x(&mut self, line: &str, size: f32, left: f32, width: f32, align: Align) -> f32 {
        match align {
            Align::Left => left,
            Align::Center => left + (width - self.m.width(line, size)).max(0.0) / 2.0,
            Align::Right => left + (width - self.m.width(line, size)).max(0.0),
        }
    }

    fn paragraph(&mut self, text: &str, size: f32, lead: f32, align: Align, bold: bool) {
        let lines = self.m.wrap(text, size, TEXT_W);
        // A short paragraph (a seal and its date) stays on one page.
        if lines.len() <= 3 && self.room() < lines.len() as f32 * lead {
            self.new_page();
        }
        for line in lines {
            if self.room() < lead {
                self.new_page();
            }
            let x = self.aligned_x(&line, size, MARGIN_X, TEXT_W, align);
            self.y -= lead;
            let base = self.y + (lead - size) / 2.0 + size * 0.12;
            self.text(x, base, size, bold, line);
        }
    }

    fn table(&mut self, t: &Table) {
        let total: f32 = t.widths.iter().sum::<f32>().max(0.01);
        let cols: Vec<f32> = t.widths.iter().map(|w| w / total * TEXT_W).collect();
        for row in &t.rows {
            self.row(row, &cols);
        }
        self.y -= 8.0;
    }

    fn row(&mut self, row: &Row, cols: &[f32]) {
        // Each cell's x, width and wrapped lines.
        let mut cells: Vec<(f32, f32, &Cell, Vec<String>)> = Vec::new();
        let mut x = MARGIN_X;
        let mut col = 0;
        for c in &row.cells {
            let span = c.span.max(1).min(cols.len().saturating_sub(col).max(1));
            let w: f32 = cols[col.min(cols.len() - 1)..(col + span).min(cols.len())]
                .iter()
                .sum();
            let lines = self.m.wrap(&c.text, BODY, w - 2.0 * PAD);
            cells.push((x, w, c, lines));
            x += w;
            col += span;
        }
        loop {
            let most = cells.iter().map(|c| c.3.len()).max().unwrap_or(1).max(1);
            let need = (most as f32 * LINE + 2.0 * PAD).max(row.min_height);
            let fresh = (self.y - TOP).abs() < 0.5;
            if need <= self.room() {
                self.draw_row(&mut cells, need, usize::MAX, row.header);
                return;
            }
            let fit = ((self.room() - 2.0 * PAD) / LINE).floor() as usize;
            // A row that fits on a page of its own goes there whole; a
            // longer one is split across pages.
            if fit < 2 || (need <= TOP - BOTTOM && !fresh) {
                self.new_page();
                continue;
            }
            let h = self.room();
            self.draw_row(&mut cells, h, fit, row.header);
            self.new_page();
        }
    }

    /// Draws up to `max_lines` lines of each cell in a row `h` tall at the
    /// cursor, and keeps the rest of the lines in `cells`.
    fn draw_row(
        &mut self,
        cells: &mut [(f32, f32, &Cell, Vec<String>)],
        h: f32,
        max_lines: usize,
        header: bool,
    ) {
        let top = self.y;
        let bottom = top - h;
        let right = cells.last().map(|c| c.0 + c.1).unwrap_or(MARGIN_X + TEXT_W);
        self.line(MARGIN_X, top, right, top);
        self.line(MARGIN_X, bottom, right, bottom);
        for (x, w, cell, lines) in cells.iter_mut() {
            self.line(*x, top, *x, bottom);
            let n = lines.len().min(max_lines);
            let shown: Vec<String> = lines.drain(..n).collect();
            let block = shown.len() as f32 * LINE;
            let mut y = top - PAD - ((h - 2.0 * PAD - block) / 2.0).max(0.0);
            for line in shown {
                let lx = self.aligned_x(&line, BODY, *x + PAD, *w - 2.0 * PAD, cell.align);
                y -= LINE;
                let base = y + (LINE - BODY) / 2.0 + BODY * 0.12;
                self.text(lx, base, BODY, header, line);
            }
        }
        self.line(right, top, right, bottom);
        self.y = bottom;
    }
}

/// The document as a PDF file.
pub fn write(doc: &Doc, font: &Font) -> Result<Vec<u8>> {
    let face = font.face();
    let upem = face.units_per_em() as f32;
    let mut l = Layout {
        m: Measure {
            face: font.face(),
            upem,
            cache: HashMap::new(),
        },
        pages: Vec::new(),
        ops: Vec::new(),
        y: TOP,
    };
    let mut images: Vec<std::sync::Arc<Vec<u8>>> = Vec::new();
    let mut images_px: Vec<(u32, u32)> = Vec::new();
    for part in &doc.items {
        match part {
            Part::Title(t) => {
                l.y -= 6.0;
                l.paragraph(t, TITLE, TITLE * 1.6, Align::Center, true);
                l.y -= 10.0;
            }
            Part::Paragraph {
                text,
                align,
                bold,
                indent,
            } => {
                let text = if *indent {
                    format!("\u{3000}\u{3000}{text}")
                } else {
                    text.clone()
                };
                l.paragraph(&text, BODY, LINE * 1.15, *align, *bold);
            }
            Part::Table(t) => l.table(t),
            Part::PageBreak => {
                if !l.ops.is_empty() {
                    l.new_page();
                }
            }
            Part::Image {
                jpeg,
                width,
                height,
                caption,
            } => {
                // A page of its own: the picture fitted above its caption.
                if !l.ops.is_empty() {
                    l.new_page();
                }
                let room_h = TOP - BOTTOM - 3.0 * LINE;
                let scale = (TEXT_W / *width as f32).min(room_h / *height as f32);
                let (w, h) = (*width as f32 * scale, *height as f32 * scale);
                images.push(jpeg.clone());
                images_px.push((*width, *height));
                l.ops.push(Op::Image {
                    index: images.len() - 1,
                    x: MARGIN_X + (TEXT_W - w) / 2.0,
                    y: TOP - h,
                    w,
                    h,
                });
                l.y = TOP - h - LINE;
                l.paragraph(caption, BODY, LINE * 1.15, Align::Center, false);
            }
        }
    }
    if !l.ops.is_empty() || l.pages.is_empty() {
        l.new_page();
    }
    let pages = std::mem::take(&mut l.pages);
    let count = pages.len();

    // Page numbers, now that the count is known.
    let mut pages = pages;
    for (i, ops) in pages.iter_mut().enumerate() {
        let text = format!("第 {} 页 共 {count} 页", i + 1);
        let x = MARGIN_X + (TEXT_W - l.m.width(&text, 10.5)) / 2.0;
        ops.push(Op::Text {
            x,
            y: 40.0,
            size: 10.5,
            bold: false,
            text,
        });
    }

    // Glyphs used, the subset, and the text re-encoded in the subset's ids.
    let mut remap = subsetter::GlyphRemapper::new();
    let mut unicode: BTreeMap<u16, char> = BTreeMap::new();
    for ops in &pages {
        for op in ops {
            if let Op::Text { text, .. } = op {
                for c in text.chars() {
                    let (gid, _) = l.m.glyph(c);
                    let new = remap.remap(gid);
                    unicode.entry(new).or_insert(c);
                }
            }
        }
    }
    let subset = subsetter::subset(&font.data, font.index, &remap)
        .map_err(|e| DocsError::Write(format!("字体子集化失败：{e}")))?;
    let is_cff = face.tables().cff.is_some();
    let font_program = if is_cff {
        let raw = ttf_parser::RawFace::parse(&subset, 0)
            .map_err(|e| DocsError::Write(format!("字体子集无法读取：{e}")))?;
        raw.table(ttf_parser::Tag::from_bytes(b"CFF "))
            .ok_or_else(|| DocsError::Write("字体子集缺少 CFF 表".into()))?
            .to_vec()
    } else {
        subset
    };

    let mut alloc = Ref::new(1);
    let mut next = || alloc.bump();
    let catalog_id = next();
    let tree_id = next();
    let info_id = next();
    let type0_id = next();
    let cid_id = next();
    let descriptor_id = next();
    let file_id = next();
    let cmap_id = next();
    let page_ids: Vec<(Ref, Ref)> = (0..count).map(|_| (next(), next())).collect();
    let image_ids: Vec<Ref> = images.iter().map(|_| next()).collect();
    let font_name = Name(b"F1");

    let mut pdf = Pdf::new();
    pdf.catalog(catalog_id).pages(tree_id);
    pdf.pages(tree_id)
        .kids(page_ids.iter().map(|(p, _)| *p))
        .count(count as i32);
    pdf.document_info(info_id)
        .title(TextStr(&doc.title))
        .producer(TextStr("调解台账 Tiaojie"));

    let tag = subset_tag(&unicode);
    let base = format!("{tag}+{}", postscript_name(&face));
    let system = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };
    pdf.type0_font(type0_id)
        .base_font(Name(base.as_bytes()))
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_id)
        .to_unicode(cmap_id);
    let scale = 1000.0 / upem;
    let widths: Vec<f32> = remap
        .remapped_gids()
        .map(|old| {
            face.glyph_hor_advance(ttf_parser::GlyphId(old))
                .unwrap_or(0) as f32
                * scale
        })
        .collect();
    {
        let mut cid = pdf.cid_font(cid_id);
        cid.subtype(if is_cff {
            CidFontType::Type0
        } else {
            CidFontType::Type2
        })
        .base_font(Name(base.as_bytes()))
        .system_info(system)
        .font_descriptor(descriptor_id)
        .default_width(1000.0);
        if !is_cff {
            cid.cid_to_gid_map_predefined(Name(b"Identity"));
        }
        cid.widths().consecutive(0, widths);
    }
    let bbox = face.global_bounding_box();
    {
        let mut d = pdf.font_descriptor(descriptor_id);
        d.name(Name(base.as_bytes()))
            .flags(FontFlags::SYMBOLIC)
            .bbox(Rect::new(
                bbox.x_min as f32 * scale,
                bbox.y_min as f32 * scale,
                bbox.x_max as f32 * scale,
                bbox.y_max as f32 * scale,
            ))
            .italic_angle(0.0)
            .ascent(face.ascender() as f32 * scale)
            .descent(face.descender() as f32 * scale)
            .cap_height(face.capital_height().unwrap_or(face.ascender()) as f32 * scale)
            .stem_v(80.0);
        if is_cff {
            d.font_file3(file_id);
        } else {
            d.font_file2(file_id);
        }
    }
    let packed = deflate(&font_program)?;
    {
        let mut s = pdf.stream(file_id, &packed);
        s.filter(Filter::FlateDecode);
        if is_cff {
            s.pair(Name(b"Subtype"), Name(b"CIDFontType0C"));
        } else {
            s.pair(Name(b"Length1"), font_program.len() as i32);
        }
    }
    let mut cmap = UnicodeCmap::new(Name(b"Tiaojie-UCS"), system);
    for (gid, c) in &unicode {
        cmap.pair(*gid, *c);
    }
    let cmap_bytes = cmap.finish();
    pdf.cmap(cmap_id, &cmap_bytes);

    // Photos go in as they are stored: JPEG, which PDF shows as it is.
    for ((jpeg, (w, h)), id) in images.iter().zip(&images_px).zip(&image_ids) {
        let mut x = pdf.image_xobject(*id, jpeg);
        x.filter(Filter::DctDecode);
        x.width(*w as i32);
        x.height(*h as i32);
        x.color_space().device_rgb();
        x.bits_per_component(8);
    }

    for (ops, (page_id, content_id)) in pages.iter().zip(&page_ids) {
        let mut c = Content::new();
        let mut used: Vec<usize> = Vec::new();
        for op in ops {
            if let Op::Image { index, x, y, w, h } = op {
                c.save_state();
                c.transform([*w, 0.0, 0.0, *h, *x, *y]);
                c.x_object(Name(format!("Im{index}").as_bytes()));
                c.restore_state();
                used.push(*index);
            }
        }
        c.set_line_width(0.6);
        for op in ops {
            if let Op::Line { x1, y1, x2, y2 } = op {
                c.move_to(*x1, *y1).line_to(*x2, *y2).stroke();
            }
        }
        for op in ops {
            if let Op::Text {
                x,
                y,
                size,
                bold,
                text,
            } = op
            {
                let mut bytes = Vec::with_capacity(text.len() * 2);
                for ch in text.chars() {
                    let (gid, _) = l.m.glyph(ch);
                    let new = remap.get(gid).unwrap_or(0);
                    bytes.extend_from_slice(&new.to_be_bytes());
                }
                c.begin_text();
                c.set_font(font_name, *size);
                if *bold {
                    c.set_text_rendering_mode(TextRenderingMode::FillStroke);
                    c.set_line_width(0.35);
                } else {
                    c.set_text_rendering_mode(TextRenderingMode::Fill);
                }
                c.next_line(*x, *y);
                c.show(Str(&bytes));
                c.end_text();
            }
        }
        let stream = deflate(&c.finish())?;
        pdf.stream(*content_id, &stream).filter(Filter::FlateDecode);
        let mut page = pdf.page(*page_id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H))
            .parent(tree_id)
            .contents(*content_id);
        {
            let mut resources = page.resources();
            resources.fonts().pair(font_name, type0_id);
            if !used.is_empty() {
                let names: Vec<String> = used.iter().map(|i| format!("Im{i}")).collect();
                let mut objects = resources.x_objects();
                for (name, i) in names.iter().zip(&used) {
                    objects.pair(Name(name.as_bytes()), image_ids[*i]);
                }
            }
        }
        page.finish();
    }
    Ok(pdf.finish())
}

fn deflate(data: &[u8]) -> Result<Vec<u8>> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data)?;
    Ok(e.finish()?)
}

/// Six capital letters naming the subset, as PDF asks of embedded subsets.
fn subset_tag(glyphs: &BTreeMap<u16, char>) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for (g, c) in glyphs {
        h.update(g.to_be_bytes());
        h.update((*c as u32).to_be_bytes());
    }
    h.finalize()[..6]
        .iter()
        .map(|b| (b'A' + b % 26) as char)
        .collect()
}
