//! The Chinese font PDFs are set in. A county may name its own font file;
//! otherwise the first Song-style (宋体 / Serif) CJK font found on the
//! machine is used: SimSun on Windows, Noto Serif CJK (`fonts-noto-cjk`) on
//! Debian and Ubuntu. The glyphs a document uses are embedded in it, so the
//! PDF prints the same everywhere.

use crate::error::{DocsError, Result};
use std::path::{Path, PathBuf};

/// Where to find the font.
#[derive(Debug, Clone, Default)]
pub struct FontSource {
    /// A font file chosen by the county (TTF, OTF or TTC), used first.
    pub path: Option<PathBuf>,
}

/// Places where a suitable font is usually installed on Linux and macOS,
/// best first.
const UNIX_FONTS: &[&str] = &[
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/System/Library/Fonts/Supplemental/Songti.ttc",
    "/System/Library/Fonts/STHeiti Light.ttc",
];

/// Font files of a Chinese Windows, best first: 仿宋 (the face official
/// documents are set in) when present, then 宋体, which every Chinese Windows
/// has, then 华文 faces Office installs, then the sans faces.
const WINDOWS_FONTS: &[&str] = &[
    "simfang.ttf",
    "simsun.ttc",
    "STFANGSO.TTF",
    "STSONG.TTF",
    "msyh.ttc",
    "simhei.ttf",
];

/// Where to look for a font, in order. On Windows the fonts folder is found
/// through `%WINDIR%` (Windows is not always on C:), then the folder of
/// fonts installed for one user (`%LOCALAPPDATA%\Microsoft\Windows\Fonts`).
pub fn system_candidates(
    windows: bool,
    var: impl Fn(&str) -> Option<std::ffi::OsString>,
) -> Vec<PathBuf> {
    if !windows {
        return UNIX_FONTS.iter().map(PathBuf::from).collect();
    }
    let var = |name: &str| var(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    let mut dirs = vec![
        var("WINDIR")
            .or_else(|| var("SystemRoot"))
            .unwrap_or_else(|| PathBuf::from("C:\\Windows"))
            .join("Fonts"),
    ];
    if let Some(local) = var("LOCALAPPDATA") {
        dirs.push(local.join("Microsoft").join("Windows").join("Fonts"));
    }
    WINDOWS_FONTS
        .iter()
        .flat_map(|name| dirs.iter().map(move |d| d.join(name)))
        .collect()
}

/// A font file and the face in it that covers Simplified Chinese.
pub struct Font {
    pub data: Vec<u8>,
    pub index: u32,
    pub path: PathBuf,
    pub family: String,
}

impl FontSource {
    pub fn from_env() -> FontSource {
        FontSource {
            path: std::env::var_os("TIAOJIE_FONT").map(PathBuf::from),
        }
    }

    pub fn load(&self) -> Result<Font> {
        if let Some(p) = &self.path {
            return Font::open(p);
        }
        for p in system_candidates(cfg!(windows), |name| std::env::var_os(name)) {
            if p.is_file()
                && let Ok(f) = Font::open(&p)
            {
                return Ok(f);
            }
        }
        Err(DocsError::invalid(
            "font",
            if cfg!(windows) {
                "找不到中文字体，无法生成 PDF：请在 Windows 的“字体”设置中安装宋体或仿宋，或用环境变量 TIAOJIE_FONT 指定字体文件"
            } else {
                "找不到中文字体，无法生成 PDF：请安装宋体或 Noto CJK 字体（Debian/Ubuntu：apt-get install fonts-noto-cjk），或用环境变量 TIAOJIE_FONT 指定字体文件"
            },
        ))
    }
}

impl Font {
    /// Opens a font file and picks its Simplified Chinese face.
    pub fn open(path: &Path) -> Result<Font> {
        let data = std::fs::read(path).map_err(|e| {
            DocsError::invalid("font", format!("无法读取字体文件 {}：{e}", path.display()))
        })?;
        let count = ttf_parser::fonts_in_collection(&data).unwrap_or(1);
        let mut fallback = None;
        for index in 0..count {
            let Ok(face) = ttf_parser::Face::parse(&data, index) else {
                continue;
            };
            if face.glyph_index('调').is_none() || face.glyph_index('解').is_none() {
                continue;
            }
            let family = family_name(&face);
            let simplified =
                family.contains(" SC") || family.contains("SimSun") || family.contains("宋体");
            if simplified {
                return Ok(Font {
                    data,
                    index,
                    path: path.to_path_buf(),
                    family,
                });
            }
            fallback.get_or_insert((index, family));
        }
        match fallback {
            Some((index, family)) => Ok(Font {
                data,
                index,
                path: path.to_path_buf(),
                family,
            }),
            None => Err(DocsError::invalid(
                "font",
                format!("字体文件 {} 不含中文字形，不能用于生成 PDF", path.display()),
            )),
        }
    }

    pub fn face(&self) -> ttf_parser::Face<'_> {
        ttf_parser::Face::parse(&self.data, self.index).expect("checked when opened")
    }
}

fn family_name(face: &ttf_parser::Face<'_>) -> String {
    face.names()
        .into_iter()
        .filter(|n| {
            n.name_id == ttf_parser::name_id::FULL_NAME || n.name_id == ttf_parser::name_id::FAMILY
        })
        .find_map(|n| n.to_string())
        .unwrap_or_default()
}

/// The PostScript name of the face, as a PDF font name may carry it.
pub fn postscript_name(face: &ttf_parser::Face<'_>) -> String {
    face.names()
        .into_iter()
        .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
        .find_map(|n| n.to_string())
        .map(|n| {
            n.chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect()
        })
        .filter(|n: &String| !n.is_empty())
        .unwrap_or_else(|| "TiaojieCJK".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsString;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| OsString::from(v))
        }
    }

    #[test]
    fn windows_fonts_are_found_where_windows_is_installed() {
        let found = system_candidates(
            true,
            env(&[
                ("WINDIR", "D:\\WIN"),
                ("LOCALAPPDATA", "C:\\Users\\张三\\AppData\\Local"),
            ]),
        );
        // 仿宋 first, in the system folder, then in the user's own folder.
        assert_eq!(
            found[0],
            Path::new("D:\\WIN").join("Fonts").join("simfang.ttf")
        );
        assert_eq!(
            found[1],
            Path::new("C:\\Users\\张三\\AppData\\Local")
                .join("Microsoft")
                .join("Windows")
                .join("Fonts")
                .join("simfang.ttf")
        );
        assert_eq!(
            found[2],
            Path::new("D:\\WIN").join("Fonts").join("simsun.ttc")
        );
        assert!(found.iter().all(|p| !p.starts_with("/usr")));
    }

    #[test]
    fn windows_without_its_variables_looks_in_the_usual_folder() {
        let found = system_candidates(true, env(&[("WINDIR", "")]));
        assert_eq!(
            found[0],
            Path::new("C:\\Windows").join("Fonts").join("simfang.ttf")
        );
        assert_eq!(found.len(), WINDOWS_FONTS.len());
        let found = system_candidates(true, env(&[("SystemRoot", "E:\\Windows")]));
        assert_eq!(
            found[0],
            Path::new("E:\\Windows").join("Fonts").join("simfang.ttf")
        );
    }

    #[test]
    fn other_systems_look_in_their_own_folders() {
        let found = system_candidates(false, env(&[("WINDIR", "C:\\Windows")]));
        assert!(found[0].starts_with("/usr/share/fonts"));
        assert!(
            found
                .iter()
                .all(|p| !p.to_string_lossy().contains("Windows\\"))
        );
    }
}
