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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

pub const MIN_PIN_CHARS: usize = 4;

fn hash_pin(pin: &str) -> Result<String> {
    if pin.chars().count() < MIN_PIN_CHARS {
        return Err(LedgerError::invalid(
            "pin",
            format!("PIN 至少 {MIN_PIN_CHARS} 位"),
        ));
    }
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| LedgerError::State(format!("无法生成随机数：{e}")))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| LedgerError::State(e.to_string()))?;
    Ok(Argon2::default()
        .hash_password(pin.as_bytes(), &salt)
        .map_err(|e| LedgerError::State(format!("无法保存 PIN：{e}")))?
        .to_string())
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
        let hash = hash_pin(pin)?;
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

    /// Signs a user in with their PIN.
    pub fn sign_in(&self, name: &str, pin: &str) -> Result<Session> {
        let wrong = || LedgerError::invalid("pin", "用户名或 PIN 不正确");
        let found: Option<(String, String, bool)> = self
            .conn()
            .query_row(
                "SELECT role, pin, active FROM users WHERE name = ?1",
                [name.trim()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let (role, hash, active) = found.ok_or_else(wrong)?;
        let parsed = PasswordHash::new(&hash).map_err(|_| wrong())?;
        Argon2::default()
            .verify_password(pin.as_bytes(), &parsed)
            .map_err(|_| wrong())?;
        if !active {
            return Err(LedgerError::NotYours(format!(
                "用户“{}”已停用",
                name.trim()
            )));
        }
        Ok(Session {
            name: name.trim().to_string(),
            role: Role::parse(&role, "role")?,
        })
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
            l.add_user(Some(&officer), "王调解", Role::Mediator, "1234")
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
