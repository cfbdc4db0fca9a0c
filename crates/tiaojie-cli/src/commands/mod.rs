//! One function per command: parse the text of the flags, call the ledger,
//! print the result.

mod admin;
mod attach;
mod case;
mod docs;
mod hub;
mod intake;
mod report;
mod show;
mod sync;

pub use report::{due_text, list_text};

use crate::cli::{Cli, Command};
use crate::error::{CliError, CliResult};
use crate::output::Output;
use crate::{db, demo};
use chrono::NaiveDate;
use serde_json::{Map, Value, json};
use std::path::Path;
use tiaojie_ledger::Ledger;
use tiaojie_ledger::domain::intake::parse_date;
use uuid::Uuid;

pub fn run(cli: Cli) -> CliResult<()> {
    let out = Output { json: cli.json };
    // The hub's commands have no local ledger.
    let command = match cli.command {
        Command::Server(args) => return hub::server(args),
        Command::Admin(args) => return hub::admin(args, out),
        // Any online machine can carry a bundle to the hub, ledger or not.
        Command::Sync(crate::cli::SyncArgs {
            command:
                Some(crate::cli::SyncCommand::ImportBundle {
                    file,
                    hub: Some(hub),
                }),
        }) => return sync::import_bundle(&file, &hub, out),
        other => other,
    };
    let path = match cli.db {
        Some(p) => p,
        None => db::default_path()?,
    };
    // Commands on the file itself, before it is opened.
    match &command {
        Command::Encrypt => return admin::encrypt(&path, out),
        Command::Passphrase => return admin::change_passphrase(&path, out),
        _ => {}
    }
    let encrypt_new = matches!(&command, Command::Init(a) if a.encrypt);
    // Only the commands that start or fill a ledger may create its file.
    let create = matches!(
        command,
        Command::Init(_)
            | Command::Demo
            | Command::Events(crate::cli::EventsCommand::Import { .. })
    );
    let mut ledger = db::open(&path, create, encrypt_new, cli.actor)?;
    let ledger = &mut ledger;
    let session = match &cli.user {
        Some(name) => Some(ledger.sign_in(name, &db::pin("TIAOJIE_PIN")?)?),
        None => None,
    };
    gate(ledger, session.as_ref(), &command)?;
    let session = session.as_ref();
    match command {
        Command::Init(args) => admin::init(ledger, args, out),
        Command::Unit(c) => admin::unit(ledger, c, out),
        Command::Mediator(c) => admin::mediator(ledger, c, out),
        Command::Case(crate::cli::CaseCommand::Show { case, full_numbers }) => {
            show::show(ledger, session, &case, full_numbers, out)
        }
        Command::Case(crate::cli::CaseCommand::List(args)) => {
            report::list(ledger, session, args, out)
        }
        Command::Case(crate::cli::CaseCommand::AttachmentExport { id, out: file }) => {
            attach::export(ledger, session, &id, &file, out)
        }
        Command::Case(c) => case::run(ledger, c, out),
        Command::Due(args) => report::due(ledger, args, out),
        Command::Today(args) => report::todo(ledger, args, out),
        Command::Screening(c) => admin::screening(ledger, c, out),
        Command::Scheme(c) => admin::scheme(ledger, c, out),
        Command::Stats(args) => report::stats(ledger, args, out),
        Command::Doc(args) => docs::doc(ledger, session, args, out),
        Command::Export(args) => docs::export(ledger, session, args, out),
        Command::Import(args) => docs::import(ledger, args, out),
        Command::Report(args) => docs::report(ledger, session, args, out),
        Command::User(c) => admin::user(ledger, session, c, out),
        Command::AccessLog { limit } => admin::access_log(ledger, session, limit, out),
        Command::Verify => admin::verify(ledger, out),
        Command::Purge(args) => admin::purge(ledger, session, args, out),
        Command::Backup { out: file } => admin::backup(ledger, &file, out),
        Command::Encrypt | Command::Passphrase => unreachable!("handled above"),
        Command::Events(c) => admin::events(ledger, c, out),
        Command::Demo => demo::run(ledger, &path, out),
        Command::Sync(args) => sync::run(ledger, session, args, out),
        Command::Server(_) | Command::Admin(_) => unreachable!("handled above"),
    }
}

/// What a command needs the signed-in user's role to allow (nothing in
/// single-user mode, before any user is set up).
fn gate(
    ledger: &Ledger,
    session: Option<&tiaojie_ledger::store::users::Session>,
    command: &Command,
) -> CliResult<()> {
    use crate::cli::{CaseCommand, EventsCommand, MediatorCommand, UnitCommand};
    use tiaojie_ledger::domain::roles::Permission::*;
    let need = match command {
        Command::Case(CaseCommand::Accept { .. } | CaseCommand::Return { .. }) => {
            Some(AcceptEscalation)
        }
        Command::Case(CaseCommand::AttachmentExport { .. }) => Some(Export),
        Command::Case(_)
        | Command::Due(_)
        | Command::Today(_)
        | Command::Screening(_)
        | Command::Stats(_)
        | Command::Import(_) => Some(HandleCases),
        Command::Mediator(MediatorCommand::List { .. }) => None,
        Command::Mediator(_) | Command::Unit(UnitCommand::Add(_)) | Command::Scheme(_) => {
            Some(ChangeRoster)
        }
        Command::Doc(_) | Command::Export(_) | Command::Report(_) | Command::Backup { .. } => {
            Some(Export)
        }
        Command::Events(EventsCommand::Export { .. }) => Some(Export),
        // A bundle carries the unit's cases off the laptop.
        Command::Sync(crate::cli::SyncArgs {
            command: Some(crate::cli::SyncCommand::ExportBundle { .. }),
        }) => Some(Export),
        Command::Events(EventsCommand::Import { .. }) => Some(HandleCases),
        Command::AccessLog { .. } => Some(ManageUsers),
        Command::Purge(_) => Some(PurgeCases),
        // Adding users checks for itself (the first one needs no one).
        _ => None,
    };
    if let Some(p) = need {
        ledger.require(session, p)?;
    }
    Ok(())
}

pub(crate) fn date(text: &str, field: &str) -> CliResult<NaiveDate> {
    Ok(parse_date(text, field)?)
}

pub(crate) fn opt_date(text: Option<&str>, field: &str) -> CliResult<Option<NaiveDate>> {
    text.map(|t| date(t, field)).transpose()
}

/// The code of a unit given by code, name or short name; text that names no
/// registered unit is passed on as a code for the ledger to judge.
pub(crate) fn unit_code(ledger: &Ledger, text: &str) -> CliResult<String> {
    let t = text.trim();
    let units = ledger.units()?;
    Ok(units
        .iter()
        .find(|u| u.spec.code == t)
        .or_else(|| {
            units
                .iter()
                .find(|u| u.spec.name == t || u.spec.short_name == t)
        })
        .map(|u| u.spec.code.clone())
        .unwrap_or_else(|| t.to_string()))
}

/// `name（code）` for people, or the bare code of an unknown unit.
pub(crate) fn unit_label(ledger: &Ledger, code: &str) -> CliResult<String> {
    Ok(ledger
        .units()?
        .into_iter()
        .find(|u| u.spec.code == code)
        .map(|u| format!("{}（{code}）", u.spec.name))
        .unwrap_or_else(|| code.to_string()))
}

/// The unit of this device, for commands that default to "my unit".
pub(crate) fn my_unit(ledger: &Ledger) -> CliResult<String> {
    Ok(ledger.device()?.unit_code)
}

/// Reads a JSON file into `T`; a missing file or malformed JSON is the
/// person's mistake (exit 2) and names the line and column.
pub(crate) fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> CliResult<T> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::input("file", format!("无法读取文件“{}”：{e}", path.display())))?;
    serde_json::from_str(&text).map_err(|e| CliError::json(path, &e))
}

/// Reports an action on a case: `{"ok": true, "case_id", "number", ...extra}`
/// or the Chinese sentence `done` followed by the case number.
pub(crate) fn case_done(
    ledger: &Ledger,
    id: Uuid,
    extra: Value,
    done: &str,
    out: Output,
) -> CliResult<()> {
    let number = ledger.case_row(id)?.number;
    let mut doc = Map::new();
    doc.insert("ok".into(), Value::Bool(true));
    doc.insert("case_id".into(), json!(id));
    doc.insert("number".into(), json!(number));
    if let Value::Object(more) = extra {
        doc.extend(more);
    }
    out.emit(&Value::Object(doc), |_| format!("{done}：{number}"))
}
