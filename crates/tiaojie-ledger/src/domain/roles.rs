//! Who may do what. Personal information law asks for the least access that
//! does the work: a mediator handles cases with numbers masked; the unit's
//! officer may see numbers in full, export, keep the roster and accept
//! escalations; a supervisor of an upper level sees and accepts; the
//! administrator manages the laptop's users and roster but not cases.

use crate::error::{LedgerError, Result};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Mediator,
    Officer,
    Supervisor,
    Admin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Register and work on cases.
    HandleCases,
    /// See national ID and phone numbers in full.
    ViewFullNumbers,
    /// Take the ledger out (Excel, documents, statistics files).
    Export,
    /// Add or change mediators.
    ChangeRoster,
    /// Accept or return escalated cases.
    AcceptEscalation,
    /// Add users and read the access log.
    ManageUsers,
    /// Purge closed cases past their retention period.
    PurgeCases,
}

impl Role {
    pub const ALL: &'static [Role] =
        &[Role::Mediator, Role::Officer, Role::Supervisor, Role::Admin];

    pub fn key(self) -> &'static str {
        match self {
            Role::Mediator => "mediator",
            Role::Officer => "officer",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Mediator => "调解员",
            Role::Officer => "单位负责人",
            Role::Supervisor => "上级督导",
            Role::Admin => "系统管理员",
        }
    }

    pub fn parse(text: &str, field: &str) -> Result<Role> {
        let t = text.trim();
        Role::ALL
            .iter()
            .copied()
            .find(|r| r.key() == t || r.label() == t)
            .ok_or_else(|| {
                LedgerError::invalid(
                    field,
                    format!(
                        "角色“{t}”不在可选范围内（可选：{}）",
                        Role::ALL
                            .iter()
                            .map(|r| r.label())
                            .collect::<Vec<_>>()
                            .join("、")
                    ),
                )
            })
    }

    pub fn allows(self, p: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Mediator => matches!(p, HandleCases),
            Role::Officer => matches!(
                p,
                HandleCases | ViewFullNumbers | Export | ChangeRoster | AcceptEscalation
            ),
            Role::Supervisor => {
                matches!(p, HandleCases | ViewFullNumbers | Export | AcceptEscalation)
            }
            Role::Admin => matches!(p, ChangeRoster | ManageUsers | PurgeCases),
        }
    }
}

impl Permission {
    pub fn label(self) -> &'static str {
        match self {
            Permission::HandleCases => "办理案件",
            Permission::ViewFullNumbers => "查看完整身份证号和电话",
            Permission::Export => "导出台账和文书",
            Permission::ChangeRoster => "维护调解员名册",
            Permission::AcceptEscalation => "受理或退回上交的案件",
            Permission::ManageUsers => "管理用户、查看访问记录",
            Permission::PurgeCases => "清除保管期限届满的案件",
        }
    }
}
