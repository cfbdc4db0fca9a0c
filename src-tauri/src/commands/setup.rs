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

#[derive(Debug, Clone, Serialize)]
pub struct AppStatus {
    pub initialized: bool,
    pub device: Option<DeviceInfo>,
    pub unit: Option<UnitRow>,
    pub actor: Option<String>,
    pub hub_url: Option<String>,
    pub data_path: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct UnitInput {
    pub code: String,
    pub name: String,
    pub short_name: Option<String>,
    pub level: u8,
    pub parent: Option<String>,
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
    })
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
    let ledger = state.ledger()?;
    status(&ledger, &state)
}

#[tauri::command(rename_all = "snake_case")]
pub fn setup_standalone(
    state: State<'_, AppState>,
    unit: UnitInput,
    mediator_name: String,
) -> CmdResult<AppStatus> {
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
) -> CmdResult<AppStatus> {
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
    enroll(&path, &hub_url, &code).await?;
    state.sync.request();
    let ledger = state.ledger()?;
    status(&ledger, &state)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn enroll_later(
    state: State<'_, AppState>,
    hub_url: String,
    code: String,
) -> CmdResult<AppStatus> {
    enroll(&state.path, &hub_url, &code).await?;
    state.sync.request();
    let ledger = state.ledger()?;
    status(&ledger, &state)
}

async fn enroll(path: &std::path::Path, hub_url: &str, code: &str) -> CmdResult<()> {
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
    let mut own = Ledger::open(path)?;
    let label = format!("{} 的电脑", own.device()?.unit_code);
    engine::enroll_ledger(&mut own, url, code, &label)
        .await
        .map_err(|e| {
            // Point the form at the box to correct.
            let field = match e.code() {
                "not_found" | "conflict" | "gone" | "bad_request" => Some("code"),
                "network" => Some("hub_url"),
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
