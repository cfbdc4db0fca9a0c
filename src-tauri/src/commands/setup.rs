//! First run: which unit this laptop serves, who uses it, and whether it
//! syncs with a hub.

use crate::error::{CmdResult, CommandError};
use crate::state::AppState;
use serde::{Deserialize, Serialize};
use tauri::State;
use tiaojie_ledger::Ledger;
use tiaojie_ledger::domain::labels::MediatorRole;
use tiaojie_ledger::domain::unit::UnitSpec;
use tiaojie_ledger::store::queries::UnitRow;
use tiaojie_ledger::store::{DeviceInfo, MediatorInput};
use tiaojie_sync::engine;

const KEY_ACTOR: &str = "app.actor";

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct AppStatus {
    pub initialized: bool,
    pub device: Option<DeviceInfo>,
    pub unit: Option<UnitRow>,
    pub actor: Option<String>,
    pub hub_url: Option<String>,
    pub data_path: String,
    /// The ledger file is encrypted.
    pub encrypted: bool,
    /// Encrypted and waiting for the passphrase.
    pub locked: bool,
    /// The ledger has users and none is signed in.
    pub needs_sign_in: bool,
    pub user: Option<tiaojie_ledger::store::users::Session>,
    /// The names to choose from on the sign-in screen.
    pub users: Vec<String>,
}

/// A unit as entered; the short name defaults to the name without its
/// suffix.
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[ts(optional_fields = nullable)]
pub struct UnitInput {
    pub code: String,
    pub name: String,
    pub short_name: Option<String>,
    pub level: u8,
    pub parent: Option<String>,
    /// The formal name on its seal; blank: made from the name.
    #[serde(default)]
    pub committee: Option<String>,
}

impl UnitInput {
    pub fn spec(&self) -> UnitSpec {
        UnitSpec::new(
            &self.code,
            &self.name,
            self.short_name.as_deref(),
            self.level,
            self.parent.as_deref(),
        )
        .with_committee(self.committee.as_deref())
    }
}

fn status(ledger: &Ledger, state: &AppState) -> CmdResult<AppStatus> {
    let device = ledger.device().ok();
    let unit = match &device {
        Some(d) => ledger
            .units()?
            .into_iter()
            .find(|u| u.spec.code == d.unit_code),
        None => None,
    };
    Ok(AppStatus {
        initialized: device.is_some(),
        device,
        unit,
        actor: ledger.sync_value(KEY_ACTOR)?,
        hub_url: engine::enrollment(ledger).ok().map(|e| e.url),
        data_path: state.path.display().to_string(),
        encrypted: state.is_encrypted(),
        locked: false,
        needs_sign_in: ledger.has_users()? && state.session().is_none(),
        user: state.session(),
        users: ledger
            .users()?
            .into_iter()
            .filter(|u| u.active)
            .map(|u| u.name)
            .collect(),
    })
}

/// Signs a user in with their PIN (a ledger with users).
#[tauri::command(rename_all = "snake_case")]
pub fn sign_in(state: State<'_, AppState>, name: String, pin: String) -> CmdResult<AppStatus> {
    let ledger = state.ledger()?;
    let session = ledger.sign_in(&name, &pin)?;
    *state.session.lock().unwrap_or_else(|p| p.into_inner()) = Some(session);
    status(&ledger, &state)
}

#[tauri::command(rename_all = "snake_case")]
pub fn sign_out(state: State<'_, AppState>) -> CmdResult<AppStatus> {
    *state.session.lock().unwrap_or_else(|p| p.into_inner()) = None;
    let ledger = state.ledger()?;
    status(&ledger, &state)
}

/// What the window may know of a ledger still locked: that it is.
fn locked_status(state: &AppState) -> AppStatus {
    AppStatus {
        initialized: true,
        device: None,
        unit: None,
        actor: None,
        hub_url: None,
        data_path: state.path.display().to_string(),
        encrypted: true,
        locked: true,
        needs_sign_in: false,
        user: None,
        users: Vec::new(),
    }
}

/// Encrypts the new ledger with `passphrase` if one is given (first run).
fn protect(state: &AppState, passphrase: Option<&str>) -> CmdResult<()> {
    match passphrase.map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) if !state.is_encrypted() => state.encrypt(p).map_err(|e| CommandError {
            field: e.field.clone().or(Some("passphrase".into())),
            ..e
        }),
        _ => Ok(()),
    }
}

/// Unlocks an encrypted ledger.
#[tauri::command(rename_all = "snake_case")]
pub fn unlock(state: State<'_, AppState>, passphrase: String) -> CmdResult<AppStatus> {
    if state.is_locked() {
        state.unlock(&passphrase)?;
    }
    let ledger = state.ledger()?;
    status(&ledger, &state)
}

/// Changes the passphrase of an encrypted ledger, or encrypts a plain one
/// (when `old` is empty).
#[tauri::command(rename_all = "snake_case")]
pub fn change_passphrase(
    state: State<'_, AppState>,
    old: String,
    new: String,
) -> CmdResult<AppStatus> {
    if state.is_encrypted() {
        // The error names the box: `old` or `new`.
        tiaojie_ledger::vault::change_passphrase(&state.path, &old, &new)?;
    } else {
        return Err(CommandError::new(
            "invalid_state",
            "本机台账未加密：请在命令行运行 tiaojie encrypt 加密",
        ));
    }
    let ledger = state.ledger()?;
    status(&ledger, &state)
}

/// Sets up the ledger for a unit and names the person using it.
fn initialise(ledger: &mut Ledger, unit: &UnitInput, mediator_name: &str) -> CmdResult<()> {
    let name = mediator_name.trim();
    if name.is_empty() {
        return Err(CommandError {
            field: Some("mediator_name".into()),
            ..CommandError::new("invalid_input", "请填写使用人（调解员）姓名")
        });
    }
    ledger.init(unit.spec(), 0)?;
    ledger.set_actor(Some(name.to_string()));
    ledger.add_mediator(MediatorInput {
        name: name.to_string(),
        phone: None,
        unit: None,
        role: MediatorRole::VillageCadre,
        specialties: vec![],
    })?;
    ledger.set_sync_values(&[(KEY_ACTOR, name.to_string())])?;
    Ok(())
}

#[tauri::command(rename_all = "snake_case")]
pub fn app_status(state: State<'_, AppState>) -> CmdResult<AppStatus> {
    if state.is_locked() {
        return Ok(locked_status(&state));
    }
    let ledger = state.ledger()?;
    status(&ledger, &state)
}

#[tauri::command(rename_all = "snake_case")]
pub fn setup_standalone(
    state: State<'_, AppState>,
    unit: UnitInput,
    mediator_name: String,
    passphrase: Option<String>,
) -> CmdResult<AppStatus> {
    check_setup(&unit, &mediator_name)?;
    protect(&state, passphrase.as_deref())?;
    let mut ledger = state.ledger()?;
    initialise(&mut ledger, &unit, &mediator_name)?;
    status(&ledger, &state)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn setup_enroll(
    state: State<'_, AppState>,
    hub_url: String,
    code: String,
    unit: UnitInput,
    mediator_name: String,
    passphrase: Option<String>,
    transport: Option<HubTransportInput>,
) -> CmdResult<AppStatus> {
    check_setup(&unit, &mediator_name)?;
    if state.ledger()?.device().is_err() {
        protect(&state, passphrase.as_deref())?;
    }
    // The ledger is set up first (the hub checks the code against its unit);
    // a wrong code can be tried again, or enrollment left for later.
    let path = state.path.clone();
    {
        let mut ledger = state.ledger()?;
        match ledger.device() {
            // A second try after a wrong code: the ledger is set up already.
            Ok(device) if device.unit_code == unit.code.trim() => {}
            Ok(device) => {
                return Err(CommandError::new(
                    "invalid_state",
                    format!(
                        "本机台账已属于单位 {}，不能再设为 {}",
                        device.unit_code, unit.code
                    ),
                ));
            }
            Err(_) => initialise(&mut ledger, &unit, &mediator_name)?,
        }
    }
    enroll(&path, &state.key, &hub_url, &code, transport).await?;
    state.sync.request();
    let ledger = state.ledger()?;
    status(&ledger, &state)
}

/// How to reach the hub: a county CA's certificate (PEM text) to trust, and
/// whether plain HTTP on the local network is allowed.
#[derive(Debug, Clone, Default, Deserialize, ts_rs::TS)]
#[serde(default)]
pub struct HubTransportInput {
    pub ca_pem: Option<String>,
    pub allow_http: bool,
}

/// The form's own checks, before anything is written (or encrypted).
fn check_setup(unit: &UnitInput, mediator_name: &str) -> CmdResult<()> {
    unit.spec().validate()?;
    if mediator_name.trim().is_empty() {
        return Err(CommandError {
            field: Some("mediator_name".into()),
            ..CommandError::new("invalid_input", "请填写使用人（调解员）姓名")
        });
    }
    Ok(())
}

#[tauri::command(rename_all = "snake_case")]
pub async fn enroll_later(
    state: State<'_, AppState>,
    hub_url: String,
    code: String,
    transport: Option<HubTransportInput>,
) -> CmdResult<AppStatus> {
    enroll(&state.path, &state.key, &hub_url, &code, transport).await?;
    state.sync.request();
    let ledger = state.ledger()?;
    status(&ledger, &state)
}

async fn enroll(
    path: &std::path::Path,
    key: &crate::state::KeyCell,
    hub_url: &str,
    code: &str,
    transport: Option<HubTransportInput>,
) -> CmdResult<()> {
    let t = transport.unwrap_or_default();
    let transport = tiaojie_sync::client::Transport {
        ca_pem: t.ca_pem.filter(|p| !p.trim().is_empty()),
        allow_http: t.allow_http,
    };
    let url = hub_url.trim();
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(CommandError {
            field: Some("hub_url".into()),
            ..CommandError::new(
                "invalid_input",
                "中心地址应以 http:// 或 https:// 开头，如 http://192.168.1.10:8600",
            )
        });
    }
    let mut own = crate::state::open_ledger(path, key)?;
    let label = format!("{} 的电脑", own.device()?.unit_code);
    engine::enroll_ledger_with(&mut own, url, code, &label, &transport)
        .await
        .map_err(|e| {
            // Point the form at the box to correct.
            let field = match e.code() {
                "not_found" | "conflict" | "gone" | "bad_request" => Some("code"),
                "network" | "insecure" => Some("hub_url"),
                _ => None,
            };
            CommandError {
                field: field.map(str::to_string),
                ..CommandError::from(e)
            }
        })?;
    Ok(())
}

#[tauri::command(rename_all = "snake_case")]
pub fn set_actor(state: State<'_, AppState>, name: String) -> CmdResult<AppStatus> {
    let mut ledger = state.ledger()?;
    ledger.set_actor(Some(name.trim().to_string()));
    ledger.set_sync_values(&[(KEY_ACTOR, name.trim().to_string())])?;
    status(&ledger, &state)
}

/// The actor saved by the last run, for `setup()`.
pub fn saved_actor(ledger: &Ledger) -> Option<String> {
    ledger.sync_value(KEY_ACTOR).ok().flatten()
}
