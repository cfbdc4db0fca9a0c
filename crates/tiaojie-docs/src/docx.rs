//! DOCX output (Office Open XML), editable in WPS and Word: A4, 宋体 小四,
//! ruled tables, signature rows tall enough to sign, page numbers in the
//! footer.

use crate::error::{DocsError, Result};
use crate::layout::{Doc, Part, Row, Table};
use crate::template::Align;
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;

/// Text width of an A4 page with 2.2 cm side margins, in twentieths of a point.
const TEXT_W: f32 = 9412.0;

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

fn jc(align: Align) -> &'static str {
    match align {
        Align::Left => "left",
        Align::Center => "center",
        Align::Right => "right",
    }
}

/// Runs for a text, line breaks kept.
fn runs(text: &str, bold: bool, size_half_points: u32) -> String {
    let mut out = String::new();
    let rpr = format!(
        "<w:rPr>{}<w:sz w:val=\"{size_half_points}\"/><w:szCs w:val=\"{size_half_points}\"/></w:rPr>",
        if bold { "<w:b/><w:bCs/>" } else { "" }
    );
    for (i, line) in text.split('\n').enumerate() {
        out.push_str("<w:r>");
        out.push_str(&rpr);
        if i > 0 {
            out.push_str("<w:br/>");
        }
        out.push_str(&format!(
            "<w:t xml:space=\"preserve\">{}</w:t></w:r>",
            escape(line)
        ));
    }
    out
}

fn paragraph(text: &str, align: Align, bold: bool, indent: bool, size: u32, after: u32) -> String {
    format!(
        "<w:p><w:pPr><w:spacing w:after=\"{after}\" w:line=\"360\" w:lineRule=\"auto\"/>{}<w:jc w:val=\"{}\"/></w:pPr>{}</w:p>",
        if indent {
            "<w:ind w:firstLineChars=\"200\" w:firstLine=\"480\"/>"
        } else {
            ""
        },
        jc(align),
        runs(text, bold, size)
    )
}

fn table(t: &Table) -> String {
    let total: f32 = t.widths.iter().sum::<f32>().max(0.01);
    let cols: Vec<u32> = t
        .widths
        .iter()
        .map(|w| (w / total * TEXT_W).round() as u32)
        .collect();
    let mut x = String::new();
    x.push_str(&format!(
        "<w:tbl><w:tblPr><w:tblW w:w=\"{}\" w:type=\"dxa\"/><w:tblBorders>\
         <w:top w:val=\"single\" w:sz=\"6\" w:space=\"0\" w:color=\"000000\"/>\
         <w:left w:val=\"single\" w:sz=\"6\" w:space=\"0\" w:color=\"000000\"/>\
         <w:bottom w:val=\"single\" w:sz=\"6\" w:space=\"0\" w:color=\"000000\"/>\
         <w:right w:val=\"single\" w:sz=\"6\" w:space=\"0\" w:color=\"000000\"/>\
         <w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
         <w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
         </w:tblBorders><w:tblLayout w:type=\"fixed\"/>\
         <w:tblCellMar><w:left w:w=\"100\" w:type=\"dxa\"/><w:right w:w=\"100\" w:type=\"dxa\"/></w:tblCellMar>\
         </w:tblPr><w:tblGrid>",
        TEXT_W as u32
    ));
    for c in &cols {
        x.push_str(&format!("<w:gridCol w:w=\"{c}\"/>"));
    }
    x.push_str("</w:tblGrid>");
    for r in &t.rows {
        x.push_str(&row(r, &cols));
    }
    x.push_str("</w:tbl>");
    // Two tables in a row would merge into one in Word.
    x.push_str("<w:p><w:pPr><w:spacing w:after=\"0\"/></w:pPr></w:p>");
    x
}

fn row(r: &Row, cols: &[u32]) -> String {
    let mut x = String::from("<w:tr><w:trPr><w:cantSplit/>");
    if r.min_height > 0.0 {
        x.push_str(&format!(
            "<w:trHeight w:val=\"{}\" w:hRule=\"atLeast\"/>",
            (r.min_height * 20.0).round() as u32
        ));
    }
    if r.header {
        x.push_str("<w:tblHeader/>");
    }
    x.push_str("</w:trPr>");
    let mut col = 0;
    for c in &r.cells {
        let span = c.span.max(1).min(cols.len().saturating_sub(col).max(1));
        let w: u32 = cols[col.min(cols.len() - 1)..(col + span).min(cols.len())]
            .iter()
            .sum();
        x.push_str(&format!(
            "<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/>{}<w:vAlign w:val=\"center\"/></w:tcPr>",
            if span > 1 {
                format!("<w:gridSpan w:val=\"{span}\"/>")
            } else {
                String::new()
            }
        ));
        x.push_str(&format!(
            "<w:p><w:pPr><w:spacing w:after=\"0\"/><w:jc w:val=\"{}\"/></w:pPr>{}</w:p></w:tc>",
            jc(c.align),
            runs(&c.text, r.header, 24)
        ));
        col += span;
    }
    x.push_str("</w:tr>");
    x
}

const NS: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";

/// The `word/document.xml` of the document.
pub fn document_xml(doc: &Doc) -> String {
    let mut body = String::new();
    for p in &doc.items {
        match p {
            Part::Title(t) => body.push_str(&paragraph(t, Align::Center, true, false, 44, 240)),
            Part::Paragraph {
                text,
                align,
                bold,
                indent,
            } => body.push_str(&paragraph(text, *align, *bold, *indent, 24, 120)),
            Part::Table(t) => body.push_str(&table(t)),
            Part::PageBreak => body.push_str("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>"),
            // Word files carry the photos' captions; the photos themselves
            // are in the PDF of the case file.
            Part::Image { caption, .. } => body.push_str(&paragraph(
                &format!("{caption}（照片见 PDF 版本）"),
                Align::Left,
                false,
                false,
                24,
                120,
            )),
        }
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document {NS}><w:body>{body}\
         <w:sectPr><w:footerReference w:type=\"default\" r:id=\"rId2\"/>\
         <w:pgSz w:w=\"11906\" w:h=\"16838\"/>\
         <w:pgMar w:top=\"1304\" w:right=\"1247\" w:bottom=\"1304\" w:left=\"1247\" w:header=\"851\" w:footer=\"737\" w:gutter=\"0\"/>\
         </w:sectPr></w:body></w:document>"
    )
}

const STYLES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:docDefaults><w:rPrDefault><w:rPr>\
<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"宋体\" w:cs=\"Times New Roman\"/>\
<w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/><w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/>\
</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"0\"/></w:pPr></w:pPrDefault></w:docDefaults>\
<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/></w:style>\
</w:styles>";

const FOOTER: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<w:ftr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>\
<w:r><w:rPr><w:sz w:val=\"21\"/></w:rPr><w:t xml:space=\"preserve\">第 </w:t></w:r>\
<w:fldSimple w:instr=\" PAGE \"><w:r><w:rPr><w:sz w:val=\"21\"/></w:rPr><w:t>1</w:t></w:r></w:fldSimple>\
<w:r><w:rPr><w:sz w:val=\"21\"/></w:rPr><w:t xml:space=\"preserve\"> 页 共 </w:t></w:r>\
<w:fldSimple w:instr=\" NUMPAGES \"><w:r><w:rPr><w:sz w:val=\"21\"/></w:rPr><w:t>1</w:t></w:r></w:fldSimple>\
<w:r><w:rPr><w:sz w:val=\"21\"/></w:rPr><w:t xml:space=\"preserve\"> 页</w:t></w:r>\
</w:p></w:ftr>";

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>\
<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
</Types>";

const ROOT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
</Relationships>";

const DOC_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>\
</Relationships>";

/// The document as a DOCX file.
pub fn write(doc: &Doc) -> Result<Vec<u8>> {
    let core = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>{}</dc:title><dc:creator>调解台账</dc:creator></cp:coreProperties>",
        escape(&doc.title)
    );
    let parts: [(&str, String); 7] = [
        ("[Content_Types].xml", CONTENT_TYPES.into()),
        ("_rels/.rels", ROOT_RELS.into()),
        ("docProps/core.xml", core),
        ("word/document.xml", document_xml(doc)),
        ("word/styles.xml", STYLES.into()),
        ("word/footer1.xml", FOOTER.into()),
        ("word/_rels/document.xml.rels", DOC_RELS.into()),
    ];
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let fail = |e: zip::result::ZipError| DocsError::Write(format!("DOCX 打包失败：{e}"));
    for (name, text) in parts {
        zip.start_file(name, opts).map_err(fail)?;
        zip.write_all(text.as_bytes())?;
    }
    Ok(zip.finish().map_err(fail)?.into_inner())
}
