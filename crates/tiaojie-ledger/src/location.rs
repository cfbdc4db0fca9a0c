//! Where a person's ledger lives when no path is given. The desktop app on
//! Windows and the `tiaojie` command share this folder, so that the command
//! backs up, verifies and exports the ledger the app keeps.

use std::ffi::OsString;
use std::path::PathBuf;

/// The ledger's file name in that folder.
pub const LEDGER_FILE: &str = "ledger.sqlite3";

/// The folder for the ledger, or `None` when the environment names none.
///
/// On Windows: `%LOCALAPPDATA%\Tiaojie`. The local, not the roaming,
/// application data: a roaming profile copies its folder to a server at
/// every sign-out, and a folder redirected to a network share breaks the
/// locks SQLite relies on. Elsewhere: `$XDG_DATA_HOME/tiaojie`, or
/// `~/.local/share/tiaojie`.
pub fn default_dir(windows: bool, var: impl Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    let var = |name: &str| var(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    if windows {
        var("LOCALAPPDATA")
            .or_else(|| var("USERPROFILE").map(|home| home.join("AppData").join("Local")))
            .map(|base| base.join("Tiaojie"))
    } else {
        var("XDG_DATA_HOME")
            .or_else(|| var("HOME").map(|home| home.join(".local").join("share")))
            .map(|base| base.join("tiaojie"))
    }
}

/// [`default_dir`] for this machine.
pub fn default_dir_here() -> Option<PathBuf> {
    default_dir(cfg!(windows), |name| std::env::var_os(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| OsString::from(v))
        }
    }

    #[test]
    fn windows_keeps_the_ledger_in_local_application_data() {
        let dir = default_dir(
            true,
            env(&[
                ("LOCALAPPDATA", "C:\\Users\\张 三\\AppData\\Local"),
                ("APPDATA", "C:\\Users\\张 三\\AppData\\Roaming"),
                ("HOME", "/home/x"),
            ]),
        );
        assert_eq!(
            dir,
            Some(Path::new("C:\\Users\\张 三\\AppData\\Local").join("Tiaojie"))
        );
        let dir = default_dir(
            true,
            env(&[("LOCALAPPDATA", ""), ("USERPROFILE", "D:\\李四")]),
        );
        assert_eq!(
            dir,
            Some(
                Path::new("D:\\李四")
                    .join("AppData")
                    .join("Local")
                    .join("Tiaojie")
            )
        );
        assert_eq!(default_dir(true, env(&[("HOME", "/home/x")])), None);
    }

    #[test]
    fn other_systems_follow_the_xdg_convention() {
        let dir = default_dir(
            false,
            env(&[("XDG_DATA_HOME", "/data"), ("HOME", "/home/x")]),
        );
        assert_eq!(dir, Some(Path::new("/data").join("tiaojie")));
        let dir = default_dir(
            false,
            env(&[("HOME", "/home/x"), ("LOCALAPPDATA", "C:\\L")]),
        );
        assert_eq!(dir, Some(Path::new("/home/x/.local/share").join("tiaojie")));
        assert_eq!(default_dir(false, env(&[])), None);
    }
}
