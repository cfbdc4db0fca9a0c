//! A filled-in document, independent of its file format: headings,
//! paragraphs and ruled tables. `fill` makes one from a template and a case;
//! `docx` and `pdf` write it out.

use crate::context::{Context, Item};
use crate::error::{DocsError, Result};
use crate::template::{Align, Block, Template, substitute};

#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    pub title: String,
    pub items: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    Title(String),
    Paragraph {
        text: String,
        align: Align,
        bold: bool,
        indent: bool,
    },
    Table(Table),
    PageBreak,
    /// A photo on a page of its own, fitted to the page, its caption below
    /// (the 证据材料 of the case file). The bytes are a JPEG.
    Image {
        jpeg: std::sync::Arc<Vec<u8>>,
        width: u32,
        height: u32,
        caption: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Relative column widths; they are scaled to the text width.
    pub widths: Vec<f32>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub cells: Vec<Cell>,
    /// At least this tall, in points: room to write or sign by hand.
    pub min_height: f32,
    pub header: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub text: String,
    /// How many columns the cell covers.
    pub span: usize,
    pub align: Align,
}

impl Doc {
    /// Every piece of text in reading order (for tests and search).
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        for p in &self.items {
            match p {
                Part::Title(t) | Part::Paragraph { text: t, .. } => {
                    out.push_str(t);
                    out.push('\n');
                }
                Part::Table(t) => {
                    for r in &t.rows {
                        for c in &r.cells {
                            out.push_str(&c.text);
                            out.push('\t');
                        }
                        out.push('\n');
                    }
                }
                Part::PageBreak => out.push('\u{c}'),
                Part::Image { caption, .. } => {
                    out.push_str(caption);
                    out.push('\n');
                }
            }
        }
        out
    }
}

/// The document `template` makes of the case in `ctx`; refuses with the
/// template's own words when data it requires is missing.
pub fn fill(template: &Template, ctx: &Context) -> Result<Doc> {
    for r in &template.requires {
        if !ctx.has(&r.key) {
            return Err(DocsError::invalid(r.key.clone(), r.message.clone()));
        }
    }
    let mut items = Vec::new();
    blocks(&template.blocks, ctx, None, &mut items);
    Ok(Doc {
        title: substitute(&template.title, |k| ctx.value(k, None)),
        items,
    })
}

fn row_of(cells: &[String], columns: usize, ctx: &Context, item: Option<&Item>) -> Vec<Cell> {
    let n = cells.len().min(columns.max(1));
    cells
        .iter()
        .take(n)
        .enumerate()
        .map(|(i, c)| Cell {
            text: substitute(c, |k| ctx.value(k, item)),
            span: if i + 1 == n {
                columns.max(1) - (n - 1)
            } else {
                1
            },
            align: Align::Left,
        })
        .collect()
}

fn blocks(list: &[Block], ctx: &Context, item: Option<&Item>, out: &mut Vec<Part>) {
    let fill = |t: &str, it: Option<&Item>| substitute(t, |k| ctx.value(k, it));
    for b in list {
        match b {
            Block::Title { text } => out.push(Part::Title(fill(text, item))),
            Block::Paragraph {
                text,
                align,
                bold,
                indent,
            } => out.push(Part::Paragraph {
                text: fill(text, item),
                align: *align,
                bold: *bold,
                indent: *indent,
            }),
            Block::Table {
                widths,
                header,
                rows,
                each,
                row,
                empty,
                min_height,
            } => {
                let columns = if widths.is_empty() {
                    header
                        .len()
                        .max(row.len())
                        .max(rows.iter().map(Vec::len).max().unwrap_or(0))
                        .max(1)
                } else {
                    widths.len()
                };
                let widths = if widths.is_empty() {
                    vec![1.0; columns]
                } else {
                    widths.clone()
                };
                let min = min_height.unwrap_or(0.0);
                let mut t = Table {
                    widths,
                    rows: Vec::new(),
                };
                if !header.is_empty() {
                    let mut cells = row_of(header, columns, ctx, item);
                    for c in &mut cells {
                        c.align = Align::Center;
                    }
                    t.rows.push(Row {
                        cells,
                        min_height: 0.0,
                        header: true,
                    });
                }
                for r in rows {
                    t.rows.push(Row {
                        cells: row_of(r, columns, ctx, item),
                        min_height: min,
                        header: false,
                    });
                }
                if let Some(list) = each {
                    let items = ctx.lists.get(list).map(Vec::as_slice).unwrap_or(&[]);
                    for it in items {
                        t.rows.push(Row {
                            cells: row_of(row, columns, ctx, Some(it)),
                            min_height: min,
                            header: false,
                        });
                    }
                    if items.is_empty()
                        && let Some(e) = empty
                    {
                        t.rows.push(Row {
                            cells: row_of(std::slice::from_ref(e), columns, ctx, item),
                            min_height: min,
                            header: false,
                        });
                    }
                }
                out.push(Part::Table(t));
            }
            Block::Signatures {
                boxes,
                each,
                fingerprint,
            } => {
                let widths = if *fingerprint {
                    vec![3.0, 3.0, 1.2, 2.2]
                } else {
                    vec![3.0, 4.2, 2.2]
                };
                let mut t = Table {
                    widths,
                    rows: Vec::new(),
                };
                let mut push = |label: String| {
                    let mut cells = vec![
                        Cell {
                            text: label,
                            span: 1,
                            align: Align::Left,
                        },
                        Cell {
                            text: String::new(),
                            span: 1,
                            align: Align::Left,
                        },
                    ];
                    if *fingerprint {
                        cells.push(Cell {
                            text: "指印".into(),
                            span: 1,
                            align: Align::Center,
                        });
                    }
                    cells.push(Cell {
                        text: "年　月　日".into(),
                        span: 1,
                        align: Align::Right,
                    });
                    t.rows.push(Row {
                        cells,
                        min_height: 42.0,
                        header: false,
                    });
                };
                match each {
                    Some(list) => {
                        for it in ctx.lists.get(list).map(Vec::as_slice).unwrap_or(&[]) {
                            for bx in boxes {
                                push(fill(bx, Some(it)));
                            }
                        }
                    }
                    None => {
                        for bx in boxes {
                            push(fill(bx, item));
                        }
                    }
                }
                out.push(Part::Table(t));
            }
            Block::Each {
                over,
                page_break,
                blocks: inner,
            } => {
                let items = ctx.lists.get(over).map(Vec::as_slice).unwrap_or(&[]);
                for (i, it) in items.iter().enumerate() {
                    if i > 0 && *page_break {
                        out.push(Part::PageBreak);
                    }
                    blocks(inner, ctx, Some(it), out);
                }
            }
            Block::PageBreak => out.push(Part::PageBreak),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn tables_have_rows() {
        let t = crate::Templates::builtin();
        let tpl = t.get(crate::DocKind::Intake).unwrap();
        let ctx = crate::context::Context::default();
        let d = super::fill(tpl, &ctx).unwrap();
        println!("{:#?}", tpl.blocks);
        println!("{}", d.plain_text());
        assert!(d.plain_text().contains("纠纷类型"));
    }
}
