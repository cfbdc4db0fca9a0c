//! 调解台账's desktop shell: one window over the local ledger, with sync in
//! the background. Commands are thin (see `commands`); the work is in the
//! ledger and sync crates.

pub mod commands;
pub mod error;
pub mod reminders;
pub mod state;
pub mod sync_worker;
pub mod typescript;

use state::AppState;
use tauri::{Manager, Runtime};
use tiaojie_ledger::Ledger;

/// Builds the app on any runtime, so that tests can use the mock runtime.
pub fn build<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder
        .plugin(tauri_plugin_notification::init())
        .setup(|app| {
            // On Windows the folder the `tiaojie` command also uses; elsewhere
            // the app's own data folder, where ledgers have always been.
            let data_dir = if cfg!(windows) {
                tiaojie_ledger::location::default_dir_here()
            } else {
                app.path().app_data_dir().ok()
            };
            let path = state::ledger_path(data_dir).map_err(|e| e.message)?;
            // An encrypted ledger waits for its passphrase (the unlock screen).
            let ledger = if tiaojie_ledger::vault::is_encrypted(&path) {
                None
            } else {
                let mut l = Ledger::open(&path)?;
                l.set_actor(commands::setup::saved_actor(&l));
                Some(l)
            };
            let key = state::KeyCell::default();
            let sync = sync_worker::start(app.handle().clone(), path.clone(), key.clone());
            reminders::start(app.handle().clone(), path.clone(), key.clone());
            app.manage(AppState::new(ledger, path, sync, key).map_err(|e| e.message)?);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::setup::app_status,
            commands::setup::setup_standalone,
            commands::setup::setup_enroll,
            commands::setup::enroll_later,
            commands::setup::set_actor,
            commands::setup::unlock,
            commands::setup::sign_in,
            commands::setup::sign_out,
            commands::cases::reveal_numbers,
            commands::setup::change_passphrase,
            commands::reference::reference,
            commands::cases::list_cases,
            commands::cases::case_detail,
            commands::cases::visit_wordings,
            commands::cases::intake_wordings,
            commands::cases::open_case,
            commands::people::known_parties,
            commands::people::known_party,
            commands::cases::grade_case,
            commands::cases::record_session,
            commands::cases::make_agreement,
            commands::cases::record_performance,
            commands::cases::follow_up,
            commands::cases::close_case,
            commands::handover::escalate,
            commands::handover::accept_escalation,
            commands::handover::return_escalation,
            commands::handover::request_support,
            commands::handover::answer_support,
            commands::handover::refer,
            commands::handover::answer_referral,
            commands::today::today,
            commands::roster::units,
            commands::roster::add_unit,
            commands::roster::mediators,
            commands::roster::add_mediator,
            commands::roster::set_mediator_active,
            commands::stats::stats,
            commands::stats::unit_grid,
            commands::sync::sync_status,
            commands::sync::sync_now,
            commands::sync::export_bundle,
            commands::paperwork::document_kinds,
            commands::paperwork::make_documents,
            commands::paperwork::export_ledger,
            commands::paperwork::monthly_report,
            commands::paperwork::import_fields,
            commands::paperwork::import_preview,
            commands::paperwork::import_apply,
            commands::paperwork::open_path,
            commands::attachments::attach_files,
            commands::attachments::attachments,
            commands::attachments::attachment_data,
            commands::attachments::remove_attachment,
            commands::attachments::export_attachment,
        ])
}

pub fn run() {
    build(tauri::Builder::default())
        .run(tauri::generate_context!())
        .expect("调解台账无法启动");
}
