//! Document templates: what each official document says and where the case's
//! data goes. Written in TOML so that a county can adjust the wording and the
//! layout in a text editor; the app checks an edited template when it loads
//! it and names the file and the placeholder that is wrong.

use crate::context;
use crate::error::{DocsError, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

macro_rules! kinds {
    ($($variant:ident = $key:literal / $label:literal),+ $(,)?) => {
        /// The documents of a case file that the app fills in.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum DocKind { $($variant),+ }

        impl DocKind {
            pub const ALL: &'static [DocKind] = &[$(DocKind::$variant),+];

            pub fn key(self) -> &'static str {
                match self { $(DocKind::$variant => $key),+ }
            }

            pub fn label(self) -> &'static str {
                match self { $(DocKind::$variant => $label),+ }
            }

            fn builtin(self) -> &'static str {
                match self {
                    $(DocKind::$variant => include_str!(concat!("../../../assets/templates/", $key, ".toml"))),+
                }
            }
        }
    };
}

kinds!(
    Intake = "intake" / "受理登记表",
    Notice = "notice" / "权利义务告知书",
    SessionRecord = "session_record" / "调解记录",
    Agreement = "agreement" / "人民调解协议书",
    OralAgreement = "oral_agreement" / "口头协议登记表",
    FollowupRecord = "followup_record" / "回访记录",
    Evidence = "evidence" / "证据材料",
    Cover = "cover" / "卷宗封面",
    Contents = "contents" / "卷内目录",
);

impl DocKind {
    pub fn parse(text: &str) -> Result<DocKind> {
        let t = text.trim();
        DocKind::ALL
            .iter()
            .copied()
            .find(|k| k.key() == t || k.label() == t)
            .ok_or_else(|| {
                let names: Vec<String> = DocKind::ALL
                    .iter()
                    .map(|k| format!("{}（{}）", k.key(), k.label()))
                    .collect();
                DocsError::invalid(
                    "kind",
                    format!("没有“{t}”这种文书（可选：{}）", names.join("、")),
                )
            })
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    #[default]
    Left,
    Center,
    Right,
}

/// One template file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    /// The document's name, printed as its title.
    pub title: String,
    /// Data the document cannot be made without: a value that must not be
    /// empty, or a list (`sessions`, `terms`, ...) that must have an item.
    #[serde(default)]
    pub requires: Vec<Requirement>,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    pub key: String,
    /// What to tell the person when it is missing.
    pub message: String,
}

/// A part of a document, top to bottom.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Block {
    /// The large centred heading.
    Title {
        text: String,
    },
    Paragraph {
        text: String,
        #[serde(default)]
        align: Align,
        #[serde(default)]
        bold: bool,
        /// First line indented two characters, as Chinese prose is.
        #[serde(default)]
        indent: bool,
    },
    /// A ruled table. A row with fewer cells than columns lets its last cell
    /// span the rest. With `each`, `row` is repeated for every item of that
    /// list (and `empty` shown when there is none).
    Table {
        #[serde(default)]
        widths: Vec<f32>,
        #[serde(default)]
        header: Vec<String>,
        #[serde(default)]
        rows: Vec<Vec<String>>,
        #[serde(default)]
        each: Option<String>,
        #[serde(default)]
        row: Vec<String>,
        #[serde(default)]
        empty: Option<String>,
        /// Height of every row at least, in points (for handwriting).
        #[serde(default)]
        min_height: Option<f32>,
    },
    /// Boxes to sign in: one row per label (per item with `each`), with a
    /// box for a fingerprint (按指印) when `fingerprint` is set, and the date.
    Signatures {
        boxes: Vec<String>,
        #[serde(default)]
        each: Option<String>,
        #[serde(default)]
        fingerprint: bool,
    },
    /// The blocks again for every item of a list (every session, every visit),
    /// each on a new page when `page_break` is set.
    Each {
        over: String,
        #[serde(default)]
        page_break: bool,
        blocks: Vec<Block>,
    },
    PageBreak,
}

/// The templates in use: the built-in ones, each replaced by a county's file
/// of the same name where one is given.
#[derive(Debug, Clone)]
pub struct Templates {
    by_kind: BTreeMap<DocKind, Template>,
    /// Where each template came from, for messages.
    origin: BTreeMap<DocKind, String>,
}

impl Templates {
    pub fn builtin() -> Templates {
        let mut by_kind = BTreeMap::new();
        let mut origin = BTreeMap::new();
        for &k in DocKind::ALL {
            let t = parse(k.builtin(), &format!("内置模板 {}.toml", k.key()))
                .unwrap_or_else(|e| panic!("built-in template {} is broken: {e}", k.key()));
            by_kind.insert(k, t);
            origin.insert(k, format!("内置模板 {}.toml", k.key()));
        }
        Templates { by_kind, origin }
    }

    /// The built-in templates, with those found in `dir` (`agreement.toml`,
    /// ...) used instead. A file there that does not parse, or names data
    /// that does not exist, is an error naming the file.
    pub fn with_overrides(dir: &Path) -> Result<Templates> {
        let mut t = Templates::builtin();
        if !dir.is_dir() {
            return Err(DocsError::invalid(
                "templates",
                format!("模板文件夹不存在：{}", dir.display()),
            ));
        }
        for &k in DocKind::ALL {
            let path = dir.join(format!("{}.toml", k.key()));
            if path.is_file() {
                let text = std::fs::read_to_string(&path)?;
                let name = path.display().to_string();
                t.by_kind.insert(k, parse(&text, &name)?);
                t.origin.insert(k, name);
            }
        }
        Ok(t)
    }

    pub fn get(&self, kind: DocKind) -> Result<&Template> {
        self.by_kind
            .get(&kind)
            .ok_or_else(|| DocsError::invalid("kind", format!("缺少“{}”的模板", kind.label())))
    }

    pub fn origin(&self, kind: DocKind) -> &str {
        self.origin.get(&kind).map(String::as_str).unwrap_or("")
    }
}

fn parse(text: &str, name: &str) -> Result<Template> {
    let t: Template = toml::from_str(text).map_err(|e| {
        DocsError::invalid("template", format!("模板 {name} 格式错误：{}", e.message()))
    })?;
    for r in &t.requires {
        if !context::is_known(r.key.as_str(), None) && !context::is_list(&r.key) {
            return Err(DocsError::invalid(
                "template",
                format!("模板 {name}：requires 中的“{}”不是可用的数据项", r.key),
            ));
        }
    }
    check_blocks(&t.blocks, None, name)?;
    Ok(t)
}

fn check_blocks(blocks: &[Block], list: Option<&str>, name: &str) -> Result<()> {
    for b in blocks {
        match b {
            Block::Title { text } | Block::Paragraph { text, .. } => check_text(text, list, name)?,
            Block::Table {
                header,
                rows,
                each,
                row,
                empty,
                ..
            } => {
                for h in header {
                    check_text(h, list, name)?;
                }
                for r in rows {
                    for c in r {
                        check_text(c, list, name)?;
                    }
                }
                if let Some(e) = each {
                    check_list(e, name)?;
                    for c in row {
                        check_text(c, Some(e), name)?;
                    }
                } else if !row.is_empty() {
                    return Err(DocsError::invalid(
                        "template",
                        format!("模板 {name}：表格的 row 需要与 each 一起使用"),
                    ));
                }
                if let Some(e) = empty {
                    check_text(e, list, name)?;
                }
            }
            Block::Signatures { boxes, each, .. } => {
                if let Some(e) = each {
                    check_list(e, name)?;
                }
                for bx in boxes {
                    check_text(bx, each.as_deref().or(list), name)?;
                }
            }
            Block::Each { over, blocks, .. } => {
                check_list(over, name)?;
                check_blocks(blocks, Some(over), name)?;
            }
            Block::PageBreak => {}
        }
    }
    Ok(())
}

fn check_list(list: &str, name: &str) -> Result<()> {
    if context::is_list(list) {
        Ok(())
    } else {
        Err(DocsError::invalid(
            "template",
            format!(
                "模板 {name}：没有“{list}”这个列表（可用：{}）",
                context::LISTS
                    .iter()
                    .map(|(l, _)| *l)
                    .collect::<Vec<_>>()
                    .join("、")
            ),
        ))
    }
}

fn check_text(text: &str, list: Option<&str>, name: &str) -> Result<()> {
    for key in placeholders(text)
        .map_err(|m| DocsError::invalid("template", format!("模板 {name}：“{text}”{m}")))?
    {
        if !context::is_known(key, list) {
            return Err(DocsError::invalid(
                "template",
                format!("模板 {name}：占位符 {{{key}}} 不是可用的数据项"),
            ));
        }
    }
    Ok(())
}

/// The placeholders of a text: `{number}` → `number`. `{{` and `}}` are
/// literal braces.
pub fn placeholders(text: &str) -> std::result::Result<Vec<&str>, &'static str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(['{', '}']) {
        let after = &rest[i + 1..];
        if rest[i..].starts_with("{{") || rest[i..].starts_with("}}") {
            rest = &rest[i + 2..];
            continue;
        }
        if rest[i..].starts_with('}') {
            return Err("中有多余的 }");
        }
        let end = after.find('}').ok_or("中的 { 没有对应的 }")?;
        out.push(after[..end].trim());
        rest = &after[end + 1..];
    }
    Ok(out)
}

/// `text` with each placeholder replaced by `lookup(key)`.
pub fn substitute(text: &str, lookup: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        if rest[i..].starts_with("{{") {
            out.push('{');
            rest = &rest[i + 2..];
        } else if rest[i..].starts_with("}}") {
            out.push('}');
            rest = &rest[i + 2..];
        } else if rest[i..].starts_with('{') {
            match rest[i + 1..].find('}') {
                Some(end) => {
                    out.push_str(&lookup(rest[i + 1..i + 1 + end].trim()));
                    rest = &rest[i + 2 + end..];
                }
                None => {
                    out.push_str(&rest[i..]);
                    rest = "";
                }
            }
        } else {
            out.push('}');
            rest = &rest[i + 1..];
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_template_loads() {
        let t = Templates::builtin();
        for &k in DocKind::ALL {
            assert!(!t.get(k).unwrap().blocks.is_empty(), "{}", k.key());
        }
    }

    #[test]
    fn placeholders_and_braces() {
        assert_eq!(
            placeholders("{number} 第{ seq }号").unwrap(),
            ["number", "seq"]
        );
        assert_eq!(placeholders("{{字面}}").unwrap(), Vec::<&str>::new());
        assert!(placeholders("{number").is_err());
        assert!(placeholders("number}").is_err());
        assert_eq!(substitute("{a}与{{b}}", |k| format!("<{k}>")), "<a>与{b}");
    }

    #[test]
    fn a_county_template_with_a_bad_placeholder_names_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("agreement.toml"),
            "title = \"协议\"\n[[blocks]]\ntype = \"paragraph\"\ntext = \"{no_such_thing}\"\n",
        )
        .unwrap();
        let e = Templates::with_overrides(dir.path())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("no_such_thing") && e.contains("agreement.toml"),
            "{e}"
        );
        std::fs::write(dir.path().join("agreement.toml"), "title = \n").unwrap();
        let e = Templates::with_overrides(dir.path())
            .unwrap_err()
            .to_string();
        assert!(e.contains("格式错误"), "{e}");
    }

    #[test]
    fn a_county_template_replaces_the_builtin_one() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("notice.toml"),
            "title = \"告知书（某县）\"\n[[blocks]]\ntype = \"title\"\ntext = \"{unit_name}告知书\"\n",
        )
        .unwrap();
        let t = Templates::with_overrides(dir.path()).unwrap();
        assert_eq!(t.get(DocKind::Notice).unwrap().title, "告知书（某县）");
        assert!(t.origin(DocKind::Notice).ends_with("notice.toml"));
        assert_ne!(t.get(DocKind::Agreement).unwrap().title, "告知书（某县）");
    }
}

#[cfg(test)]
mod readme {
    /// The template guide a county reads lists every value and list there is.
    #[test]
    fn the_template_guide_names_every_placeholder() {
        let guide = include_str!("../../../assets/templates/README.md");
        for (key, _) in crate::context::VALUES {
            assert!(
                guide.contains(&format!("`{{{key}}}`")),
                "README lacks {{{key}}}"
            );
        }
        for (list, items) in crate::context::LISTS {
            assert!(
                guide.contains(&format!("`{list}`")),
                "README lacks list {list}"
            );
            for i in *items {
                assert!(
                    guide.contains(&format!("`{{{i}}}`")),
                    "README lacks {{{i}}}"
                );
            }
        }
    }
}
