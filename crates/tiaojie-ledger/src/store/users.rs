//! The laptop's users, their sign-in, the permission checks, and the access
//! log. With no user set up the ledger is in single-user mode (everything is
//! allowed and nothing is logged as anyone); once the first user exists,
//! every guarded action needs a signed-in user whose role allows it.

use super::Ledger;
use crate::domain::roles::{Permission, Role};
use crate::error::{LedgerError, Result};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

/// A signed-in user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Session {
    pub name: String,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserRow {
    pub name: String,
    pub role: Role,
    pub role_name: &'static str,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccessEntry {
    pub at: String,
    pub user: String,
    pub action: String,
    pub target: String,
}

pub use crate::domain::pin::MIN_PIN_CHARS;

/// Hashes of this form cover the user's name and role with the PIN, so
/// that a role changed in the file (a plain ledger can be edited) no longer
/// signs in. Older hashes cover the PIN only and are upgraded at sign-in.
const BOUND_HASH: &str = "v2$";

fn hash_material(name: &str, role: Role, pin: &str) -> String {
    format!("{name}\u{0}{}\u{0}{pin}", role.key())
}

fn hash_pin(name: &str, role: Role, pin: &str) -> Result<String> {
    if let Some(weak) = crate::domain::pin::weakness(pin) {
        return Err(LedgerError::invalid("pin", weak));
    }
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| LedgerError::State(format!("无法生成随机数：{e}")))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| LedgerError::State(e.to_string()))?;
    let hash = Argon2::default()
        .hash_password(hash_material(name, role, pin).as_bytes(), &salt)
        .map_err(|e| LedgerError::State(format!("无法保存登录密码：{e}")))?;
    Ok(format!("{BOUND_HASH}{hash}"))
}

/// Whether `pin` matches the stored `hash` of the user `name` with `role`.
fn pin_matches(stored: &str, name: &str, role: Role, pin: &str) -> bool {
    let (text, material) = match stored.strip_prefix(BOUND_HASH) {
        Some(text) => (text, hash_material(name, role, pin)),
        None => (stored, pin.to_string()),
    };
    PasswordHash::new(text).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(material.as_bytes(), &parsed)
            .is_ok()
    })
}

impl Ledger {
    /// Whether any user has been set up (otherwise: single-user mode).
    pub fn has_users(&self) -> Result<bool> {
        Ok(self
            .conn()
            .query_row("SELECT EXISTS (SELECT 1 FROM users)", [], |r| r.get(0))?)
    }

    /// Adds a user. The first one needs no one's permission and must be
    /// able to manage users or the unit (an administrator or an officer);
    /// after that, the signed-in user must be allowed to manage users.
    pub fn add_user(&self, by: Option<&Session>, name: &str, role: Role, pin: &str) -> Result<()> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 30 {
            return Err(LedgerError::invalid("name", "用户名应为 1 至 30 个字"));
        }
        if self.has_users()? {
            self.require(by, Permission::ManageUsers)?;
        } else if !matches!(role, Role::Admin | Role::Officer) {
            return Err(LedgerError::invalid(
                "role",
                "第一位用户应为系统管理员或单位负责人（由他添加其他用户）",
            ));
        }
        let hash = hash_pin(name, role, pin)?;
        let added = self.conn().execute(
            "INSERT INTO users (name, role, pin, active, created_at) VALUES (?1, ?2, ?3, 1, ?4)
             ON CONFLICT (name) DO NOTHING",
            params![name, role.key(), hash, chrono::Utc::now().to_rfc3339()],
        )?;
        if added == 0 {
            return Err(LedgerError::invalid("name", format!("用户“{name}”已存在")));
        }
        if let Some(s) = by {
            self.log_access(s, "add_user", &format!("{name}（{}）", role.label()))?;
        }
        Ok(())
    }

    pub fn users(&self) -> Result<Vec<UserRow>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT name, role, active FROM users ORDER BY created_at, name")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, bool>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (name, role, active) = row?;
            let role = Role::parse(&role, "role")?;
            out.push(UserRow {
                name,
                role,
                role_name: role.label(),
                active,
            });
        }
        Ok(out)
    }

    /// Signs a user in with their PIN. After a few wrong PINs in a row
    /// for a name, each further try waits longer, and ten lock the name for
    /// half an hour; every wrong PIN and every lock is in the access log.
    pub fn sign_in(&self, name: &str, pin: &str) -> Result<Session> {
        self.sign_in_at(name, pin, chrono::Utc::now())
    }

    pub(crate) fn sign_in_at(
        &self,
        name: &str,
        pin: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Session> {
        let name = name.trim();
        let wrong = || LedgerError::invalid("pin", "用户名或登录密码不正确");
        let (failures, last): (u32, Option<String>) = self
            .conn()
            .query_row(
                "SELECT failures, last_at FROM sign_in_failures WHERE name = ?1",
                [name],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .unwrap_or((0, None));
        let last = last
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok())
            .map(|t| t.with_timezone(&chrono::Utc));
        let wait = crate::domain::pin::wait_secs(failures);
        if let Some(until) = last.map(|t| t + chrono::Duration::seconds(wait))
            && now < until
        {
            let left = (until - now).num_seconds().max(1);
            return Err(LedgerError::State(
                if failures >= crate::domain::pin::LOCK_AFTER {
                    format!(
                        "登录密码已连续输错 {failures} 次，用户“{name}”已锁定，请 {} 分钟后再试，或请系统管理员处理",
                        (left + 59) / 60
                    )
                } else {
                    format!("登录密码已连续输错 {failures} 次，请 {left} 秒后再试")
                },
            ));
        }
        let found: Option<(String, String, bool)> = self
            .conn()
            .query_row(
                "SELECT role, pin, active FROM users WHERE name = ?1",
                [name],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let role = found
            .as_ref()
            .and_then(|(role, _, _)| Role::parse(role, "role").ok());
        let matched = match (&found, role) {
            (Some((_, hash, _)), Some(role)) => pin_matches(hash, name, role, pin),
            _ => false,
        };
        let (Some((_, hash, active)), Some(role), true) = (found, role, matched) else {
            self.note_wrong_pin(name, failures + 1, now)?;
            return Err(wrong());
        };
        if !active {
            return Err(LedgerError::NotYours(format!("用户“{name}”已停用")));
        }
        // The count read above: a sign-in after no wrong PIN writes nothing.
        if failures > 0 {
            self.conn()
                .execute("DELETE FROM sign_in_failures WHERE name = ?1", [name])?;
        }
        if !hash.starts_with(BOUND_HASH) && crate::domain::pin::weakness(pin).is_none() {
            self.conn().execute(
                "UPDATE users SET pin = ?2 WHERE name = ?1",
                params![name, hash_pin(name, role, pin)?],
            )?;
        }
        Ok(Session {
            name: name.to_string(),
            role,
        })
    }

    fn note_wrong_pin(
        &self,
        name: &str,
        failures: u32,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<()> {
        let at = now.to_rfc3339();
        self.conn().execute(
            "INSERT INTO sign_in_failures (name, failures, last_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (name) DO UPDATE SET failures = excluded.failures, last_at = excluded.last_at",
            params![name, failures, at],
        )?;
        let log = |action: &str, target: String| {
            self.conn().execute(
                "INSERT INTO access_log (at, user, action, target) VALUES (?1, ?2, ?3, ?4)",
                params![at, name, action, target],
            )
        };
        log("sign_in_failed", format!("第{failures}次"))?;
        if failures == crate::domain::pin::LOCK_AFTER {
            log(
                "sign_in_locked",
                format!("{} 分钟", crate::domain::pin::LOCK_SECS / 60),
            )?;
        }
        Ok(())
    }

    /// Refuses unless `session`'s role allows `p` (single-user mode allows
    /// everything).
    pub fn require(&self, session: Option<&Session>, p: Permission) -> Result<()> {
        if !self.has_users()? {
            return Ok(());
        }
        match session {
            None => Err(LedgerError::Locked(format!(
                "本机已设用户：请先登录（需要“{}”的权限）",
                p.label()
            ))),
            Some(s) if s.role.allows(p) => Ok(()),
            Some(s) => Err(LedgerError::NotYours(format!(
                "{}（{}）没有“{}”的权限",
                s.name,
                s.role.label(),
                p.label()
            ))),
        }
    }

    /// Records a look at personal numbers in full, an export, a change of
    /// users: who, when, what (a case number, a filter) — never the data.
    pub fn log_access(&self, session: &Session, action: &str, target: &str) -> Result<()> {
        self.conn().execute(
            "INSERT INTO access_log (at, user, action, target) VALUES (?1, ?2, ?3, ?4)",
            params![
                chrono::Utc::now().to_rfc3339(),
                session.name,
                action,
                target
            ],
        )?;
        Ok(())
    }

    /// Restricts a ledger search for a user not allowed to see numbers in
    /// full (`CaseFilter::whole_numbers_only`), and logs such a user's
    /// searches with digits in them (the digits masked but the last four).
    pub fn restrict_search(
        &self,
        session: Option<&Session>,
        filter: &mut crate::store::queries::CaseFilter,
    ) -> Result<()> {
        if self.require(session, Permission::ViewFullNumbers).is_ok() {
            return Ok(());
        }
        filter.whole_numbers_only = true;
        let text = filter.text.as_deref().unwrap_or("").trim();
        if let Some(s) = session
            && text.chars().any(|c| c.is_ascii_digit())
        {
            let count = text.chars().count();
            let masked: String = text
                .chars()
                .enumerate()
                .map(|(i, c)| {
                    if c.is_ascii_digit() && i + 4 < count {
                        '*'
                    } else {
                        c
                    }
                })
                .collect();
            self.log_access(s, "search_numbers", &masked)?;
        }
        Ok(())
    }

    /// Checks `p` and, when it passes for a signed-in user, logs `action`.
    pub fn require_logged(
        &self,
        session: Option<&Session>,
        p: Permission,
        action: &str,
        target: &str,
    ) -> Result<()> {
        self.require(session, p)?;
        if let Some(s) = session {
            self.log_access(s, action, target)?;
        }
        Ok(())
    }

    /// The newest entries of the access log first.
    pub fn access_log(&self, session: Option<&Session>, limit: u32) -> Result<Vec<AccessEntry>> {
        self.require(session, Permission::ManageUsers)?;
        let mut stmt = self
            .conn()
            .prepare("SELECT at, user, action, target FROM access_log ORDER BY id DESC LIMIT ?1")?;
        let rows = stmt.query_map([limit], |r| {
            Ok(AccessEntry {
                at: r.get(0)?,
                user: r.get(1)?,
                action: r.get(2)?,
                target: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::unit::UnitSpec;

    fn ledger() -> Ledger {
        let mut l = Ledger::open_in_memory().unwrap();
        l.init(
            UnitSpec::new("430302001001", "青山村调解室", None, 1, None),
            0,
        )
        .unwrap();
        l
    }

    #[test]
    fn the_first_user_then_permissions_and_the_log() {
        let l = ledger();
        l.require(None, Permission::Export).unwrap();
        assert!(l.add_user(None, "王调解", Role::Mediator, "1234").is_err());
        l.add_user(None, "李主任", Role::Officer, "2468").unwrap();
        assert!(l.add_user(None, "王调解", Role::Mediator, "1234").is_err());
        assert_eq!(
            l.sign_in("李主任", "1111").unwrap_err().field(),
            Some("pin")
        );
        let officer = l.sign_in("李主任", "2468").unwrap();
        assert_eq!(
            l.require(None, Permission::Export).unwrap_err().code(),
            "locked"
        );
        // An officer does not manage users.
        assert_eq!(
            l.add_user(Some(&officer), "王调解", Role::Mediator, "1357")
                .unwrap_err()
                .code(),
            "not_yours"
        );
        l.require_logged(Some(&officer), Permission::Export, "export", "全部案件")
            .unwrap();
        let log = l.access_log(Some(&officer), 10);
        assert!(log.is_err(), "an officer reads no access log");
        assert_eq!(l.users().unwrap().len(), 1);
        // The log cannot be edited.
        assert!(l.conn().execute("DELETE FROM access_log", []).is_err());
        assert!(l.add_user(None, "x", Role::Admin, "12").is_err());
    }
}

#[cfg(test)]
mod sign_in_tests {
    use super::*;
    use crate::domain::pin::{LOCK_AFTER, LOCK_SECS};
    use crate::domain::unit::UnitSpec;
    use chrono::{Duration, Utc};

    fn ledger_with_officer() -> Ledger {
        let mut l = Ledger::open_in_memory().unwrap();
        l.init(
            UnitSpec::new("430302001001", "青山村调解室", None, 1, None),
            0,
        )
        .unwrap();
        l.add_user(None, "李主任", Role::Officer, "2468").unwrap();
        l
    }

    fn log_actions(l: &Ledger) -> Vec<String> {
        let mut stmt = l
            .conn()
            .prepare("SELECT action FROM access_log ORDER BY id")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    #[test]
    fn weak_pins_are_refused_in_words() {
        let mut l = Ledger::open_in_memory().unwrap();
        l.init(
            UnitSpec::new("430302001001", "青山村调解室", None, 1, None),
            0,
        )
        .unwrap();
        for weak in ["000000", "123456", "19800101"] {
            let err = l.add_user(None, "刘管理", Role::Admin, weak).unwrap_err();
            assert_eq!(err.field(), Some("pin"), "{weak}");
            assert!(err.to_string().contains("登录密码"), "{err}");
        }
        assert!(!l.has_users().unwrap());
    }

    #[test]
    fn wrong_pins_wait_longer_then_lock_and_are_logged() {
        let l = ledger_with_officer();
        let mut now = Utc::now();
        // Fifty tries as fast as a script sends them: only the first few
        // are checked at all.
        let mut checked = 0;
        for _ in 0..50 {
            if l.sign_in_at("李主任", "1357", now).unwrap_err().field() == Some("pin") {
                checked += 1;
            }
        }
        assert_eq!(checked, 3);
        // Even the right PIN is not checked while the wait lasts.
        let err = l.sign_in_at("李主任", "2468", now).unwrap_err();
        assert!(err.to_string().contains("秒后再试"), "{err}");
        // Waiting out each delay, the tries run up to the lock.
        for _ in 3..LOCK_AFTER {
            now += Duration::seconds(61);
            assert_eq!(
                l.sign_in_at("李主任", "1357", now).unwrap_err().field(),
                Some("pin")
            );
        }
        now += Duration::seconds(61);
        let err = l.sign_in_at("李主任", "2468", now).unwrap_err();
        assert!(err.to_string().contains("已锁定"), "{err}");
        let actions = log_actions(&l);
        assert_eq!(
            actions.iter().filter(|a| *a == "sign_in_failed").count() as u32,
            LOCK_AFTER
        );
        assert_eq!(actions.iter().filter(|a| *a == "sign_in_locked").count(), 1);
        // After the lock the right PIN works, and the count starts again.
        now += Duration::seconds(LOCK_SECS);
        l.sign_in_at("李主任", "2468", now).unwrap();
        assert_eq!(
            l.sign_in_at("李主任", "1357", now).unwrap_err().field(),
            Some("pin")
        );
    }

    #[test]
    fn a_role_changed_in_the_file_no_longer_signs_in() {
        let l = ledger_with_officer();
        l.conn()
            .execute("UPDATE users SET role = 'admin' WHERE name = '李主任'", [])
            .unwrap();
        assert_eq!(
            l.sign_in("李主任", "2468").unwrap_err().field(),
            Some("pin")
        );
    }

    #[test]
    fn an_older_hash_of_the_pin_alone_is_upgraded_at_sign_in() {
        let l = ledger_with_officer();
        let salt = SaltString::encode_b64(&[7u8; 16]).unwrap();
        let legacy = Argon2::default()
            .hash_password(b"2468", &salt)
            .unwrap()
            .to_string();
        l.conn()
            .execute("UPDATE users SET pin = ?1", [&legacy])
            .unwrap();
        l.sign_in("李主任", "2468").unwrap();
        let stored: String = l
            .conn()
            .query_row("SELECT pin FROM users", [], |r| r.get(0))
            .unwrap();
        assert!(stored.starts_with(BOUND_HASH));
        l.sign_in("李主任", "2468").unwrap();
    }
}
