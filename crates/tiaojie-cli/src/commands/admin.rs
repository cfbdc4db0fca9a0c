//! Setting a ledger up and moving its events: init, units, mediators, the
//! grading scheme, screening reports, event export and import.

use super::{date, my_unit, opt_date, read_json, unit_code};
use crate::cli::{
    EventsCommand, InitArgs, MediatorCommand, SchemeCommand, ScreeningCommand, UnitCommand,
};
use crate::error::{CliError, CliResult};
use crate::output::{Output, table};
use serde_json::json;
use tiaojie_ledger::domain::labels::MediatorRole;
use tiaojie_ledger::domain::scheme::Scheme;
use tiaojie_ledger::domain::unit::{UnitSpec, level_label};
use tiaojie_ledger::store::MediatorInput;
use tiaojie_ledger::store::queries::Scope;
use tiaojie_ledger::{Event, Ledger};

pub fn init(ledger: &mut Ledger, a: InitArgs, out: Output) -> CliResult<()> {
    let spec = UnitSpec::new(
        &a.unit_code,
        &a.unit_name,
        a.short_name.as_deref(),
        a.level,
        None,
    );
    let device = ledger.init(spec.clone(), a.lane)?;
    out.emit(&json!({"ok": true, "device": device, "unit": spec}), |_| {
        format!(
            "本机台账已初始化：{}（{}，{}），案号简称“{}”\n设备编号：{}",
            spec.name,
            spec.code,
            level_label(spec.level),
            spec.short_name,
            device.device_id
        )
    })
}

pub fn unit(ledger: &mut Ledger, command: UnitCommand, out: Output) -> CliResult<()> {
    match command {
        UnitCommand::Add(a) => {
            let parent = a
                .parent
                .as_deref()
                .map(|p| unit_code(ledger, p))
                .transpose()?;
            let spec = UnitSpec::new(
                &a.code,
                &a.name,
                a.short_name.as_deref(),
                a.level,
                parent.as_deref(),
            )
            .with_committee(a.committee.as_deref());
            ledger.add_unit(spec.clone())?;
            out.emit(&json!({"ok": true, "unit": spec}), |_| {
                format!(
                    "已登记单位：{}（{}，{}）",
                    spec.name,
                    spec.code,
                    level_label(spec.level)
                )
            })
        }
        UnitCommand::List => {
            let units = ledger.units()?;
            out.emit(&units, |units| {
                let rows: Vec<Vec<String>> = units
                    .iter()
                    .map(|u| {
                        vec![
                            u.spec.code.clone(),
                            u.spec.name.clone(),
                            u.spec.short_name.clone(),
                            u.level_name.to_string(),
                            u.spec.parent.clone().unwrap_or_default(),
                        ]
                    })
                    .collect();
                if rows.is_empty() {
                    return "尚未登记任何单位".into();
                }
                table(&["代码", "名称", "简称", "层级", "上级"], &rows)
            })
        }
    }
}

pub fn mediator(ledger: &mut Ledger, command: MediatorCommand, out: Output) -> CliResult<()> {
    match command {
        MediatorCommand::Add(a) => {
            let input = MediatorInput {
                name: a.name,
                phone: a.phone,
                unit: a
                    .unit
                    .as_deref()
                    .map(|u| unit_code(ledger, u))
                    .transpose()?,
                role: MediatorRole::parse(&a.role, "role")?,
                specialties: a.specialties,
            };
            let name = input.name.trim().to_string();
            let id = ledger.add_mediator(input)?;
            out.emit(&json!({"ok": true, "mediator_id": id}), |_| {
                format!("已登记调解员：{name}\n编号：{id}")
            })
        }
        MediatorCommand::List { unit } => {
            let scope = unit
                .map(|u| -> CliResult<Scope> {
                    Ok(Scope {
                        unit: unit_code(ledger, &u)?,
                        subtree: true,
                    })
                })
                .transpose()?;
            let list = ledger.mediators(scope.as_ref())?;
            out.emit(&list, |list| {
                if list.is_empty() {
                    return "尚未登记调解员".into();
                }
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|m| {
                        vec![
                            m.id.to_string(),
                            m.name.clone(),
                            m.role.label().to_string(),
                            m.phone.clone().unwrap_or_default(),
                            m.unit.clone(),
                            m.specialties.join("、"),
                            if m.active { "在岗" } else { "已停用" }.to_string(),
                        ]
                    })
                    .collect();
                table(
                    &["编号", "姓名", "身份", "电话", "单位", "擅长", "状态"],
                    &rows,
                )
            })
        }
        MediatorCommand::Deactivate { id } => set_active(ledger, &id, false, out),
        MediatorCommand::Activate { id } => set_active(ledger, &id, true, out),
    }
}

fn set_active(ledger: &mut Ledger, key: &str, active: bool, out: Output) -> CliResult<()> {
    let id = ledger.resolve_mediator(key.trim())?;
    ledger.set_mediator_active(id, active)?;
    let name = ledger.mediator(id)?.name;
    out.emit(
        &json!({"ok": true, "mediator_id": id, "active": active}),
        |_| {
            format!(
                "调解员 {name} 已{}",
                if active { "重新启用" } else { "停用" }
            )
        },
    )
}

pub fn screening(ledger: &mut Ledger, command: ScreeningCommand, out: Output) -> CliResult<()> {
    let ScreeningCommand::Report {
        from,
        to,
        found,
        note,
        on,
    } = command;
    let start = date(&from, "from")?;
    let end = date(&to, "to")?;
    let round =
        ledger.report_screening(start, end, found, &note, opt_date(on.as_deref(), "on")?)?;
    let unit = my_unit(ledger)?;
    out.emit(
        &json!({"ok": true, "round_id": round, "unit": unit, "found": found}),
        |_| {
            if found == 0 {
                format!("已上报 {start} 至 {end} 的排查：零上报")
            } else {
                format!("已上报 {start} 至 {end} 的排查：发现纠纷{found}件")
            }
        },
    )
}

pub fn scheme(ledger: &mut Ledger, command: SchemeCommand, out: Output) -> CliResult<()> {
    if let SchemeCommand::Set { file } = command {
        let scheme: Scheme = read_json(&file)?;
        ledger.configure_scheme(scheme)?;
        if out.json {
            return out.emit(&json!({"ok": true, "scheme": ledger.scheme()?}), |_| {
                String::new()
            });
        }
        crate::output::line("已更新预警等级方案");
    }
    let scheme = ledger.scheme()?;
    out.emit(&scheme, |s| {
        let rows: Vec<Vec<String>> = s
            .grades
            .iter()
            .map(|g| {
                vec![
                    g.key.clone(),
                    g.name.clone(),
                    format!("每{}天", g.cadence_days),
                    g.color.clone(),
                ]
            })
            .collect();
        table(&["代码", "名称", "回访周期", "颜色"], &rows)
    })
}

pub fn events(ledger: &mut Ledger, command: EventsCommand, out: Output) -> CliResult<()> {
    match command {
        EventsCommand::Export { file } => {
            let events = ledger.events()?;
            let text = serde_json::to_string_pretty(&events)
                .map_err(|e| CliError::Io(format!("无法写出事件：{e}")))?;
            std::fs::write(&file, text)
                .map_err(|e| CliError::Io(format!("无法写入文件“{}”：{e}", file.display())))?;
            out.emit(
                &json!({"ok": true, "events": events.len(), "file": file}),
                |_| format!("已导出{}条事件到 {}", events.len(), file.display()),
            )
        }
        EventsCommand::Import { file } => {
            let events: Vec<Event> = read_json(&file)?;
            let report = ledger.ingest(&events)?;
            let doc = json!({
                "ok": true,
                "inserted": report.inserted,
                "duplicates": report.duplicates,
                "refolded": report.refolded,
            });
            out.emit(&doc, |_| {
                format!(
                    "已导入{}条事件，{}条已存在{}",
                    report.inserted,
                    report.duplicates,
                    if report.refolded {
                        "（已重新整理台账）"
                    } else {
                        ""
                    }
                )
            })
        }
    }
}

/// Walks the device's hash chain; a break is reported with its position and
/// exits 1 (the records, not the person's input, are wrong).
pub fn verify(ledger: &Ledger, out: Output) -> CliResult<()> {
    let problems = ledger.check_file()?;
    if let Some(first) = problems.first() {
        return Err(CliError::Integrity(format!(
            "台账文件已损坏或被改动：{first}（共 {} 处问题）",
            problems.len()
        )));
    }
    let report = ledger.verify_chain()?;
    if let Some(b) = &report.broken {
        return Err(CliError::Integrity(format!(
            "台账哈希链在第 {} 条记录处断开：{}（此前 {} 条完好）",
            b.seq, b.message, report.checked
        )));
    }
    let blobs = ledger.verify_attachments()?;
    if let Some((number, file)) = blobs.damaged.first() {
        return Err(CliError::Integrity(format!(
            "附件已损坏或被改动：{number} 的“{file}”（共 {} 个附件有问题）",
            blobs.damaged.len()
        )));
    }
    // A chain rewritten from end to end is whole in itself: the hub's
    // signed checkpoint says what it was.
    if let Some(cp) = tiaojie_sync::engine::verify_checkpoint(ledger)?
        && !cp.matches
    {
        return Err(CliError::Integrity(format!(
            "本机第 {} 条及以前的记录与同步中心 {} 签收的不一致：台账被整体改写过",
            cp.seq,
            cp.at.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M")
        )));
    }
    out.emit(&report, |r| {
        let stubs = match r.redacted {
            0 => String::new(),
            n => format!("（其中 {n} 条已按保管期限清除内容，链接保留）"),
        };
        format!(
            "台账完好：本机 {} 条记录的哈希链完整{stubs}，最新哈希 {}",
            r.checked,
            &r.head[..16]
        )
    })
}

pub fn encrypt(path: &std::path::Path, out: Output) -> CliResult<()> {
    let pass = crate::db::passphrase("TIAOJIE_PASSPHRASE")?;
    tiaojie_ledger::vault::encrypt_file(path, &pass)?;
    let key = tiaojie_ledger::vault::key_path(path);
    out.emit(&json!({"ok": true, "ledger": path.display().to_string(), "key_file": key.display().to_string()}), |_| {
        format!(
            "台账已加密：{}\n密钥文件：{}（须与台账放在一起；没有口令，两者都无法读取）",
            path.display(),
            key.display()
        )
    })
}

pub fn change_passphrase(path: &std::path::Path, out: Output) -> CliResult<()> {
    let old = crate::db::passphrase("TIAOJIE_PASSPHRASE")?;
    let new = crate::db::passphrase("TIAOJIE_NEW_PASSPHRASE")?;
    tiaojie_ledger::vault::change_passphrase(path, &old, &new)?;
    out.emit(&json!({"ok": true}), |_| "口令已更改。".to_string())
}

pub fn backup(ledger: &Ledger, file: &std::path::Path, out: Output) -> CliResult<()> {
    let pass = if ledger.encrypted() {
        Some(crate::db::passphrase("TIAOJIE_PASSPHRASE")?)
    } else {
        None
    };
    ledger.backup_to(file, pass.as_deref())?;
    out.emit(
        &json!({"ok": true, "file": file.display().to_string(), "encrypted": ledger.encrypted()}),
        |_| {
            if ledger.encrypted() {
                format!(
                    "已备份到 {}（已加密，密钥文件 {}，用同一口令打开）",
                    file.display(),
                    tiaojie_ledger::vault::key_path(file).display()
                )
            } else {
                format!(
                    "已备份到 {}（未加密：建议先运行 tiaojie encrypt）",
                    file.display()
                )
            }
        },
    )
}

pub fn user(
    ledger: &Ledger,
    session: Option<&tiaojie_ledger::store::users::Session>,
    c: crate::cli::UserCommand,
    out: Output,
) -> CliResult<()> {
    match c {
        crate::cli::UserCommand::Add { name, role } => {
            let role = tiaojie_ledger::domain::roles::Role::parse(&role, "role")?;
            let pin = crate::db::pin("TIAOJIE_NEW_PIN")?;
            ledger.add_user(session, &name, role, &pin)?;
            out.emit(
                &json!({"ok": true, "name": name.trim(), "role": role}),
                |_| format!("已添加用户：{}（{}）", name.trim(), role.label()),
            )
        }
        crate::cli::UserCommand::List => {
            if ledger.has_users()? {
                ledger.require(
                    session,
                    tiaojie_ledger::domain::roles::Permission::ManageUsers,
                )?;
            }
            let users = ledger.users()?;
            out.emit(&users, |u| {
                if u.is_empty() {
                    return "尚未设置用户（单用户模式：任何人都可进行全部操作）".into();
                }
                u.iter()
                    .map(|x| {
                        format!(
                            "{}　{}{}\n",
                            x.name,
                            x.role_name,
                            if x.active { "" } else { "（已停用）" }
                        )
                    })
                    .collect()
            })
        }
    }
}

pub fn access_log(
    ledger: &Ledger,
    session: Option<&tiaojie_ledger::store::users::Session>,
    limit: u32,
    out: Output,
) -> CliResult<()> {
    let entries = ledger.access_log(session, limit)?;
    out.emit(&entries, |e| {
        if e.is_empty() {
            return "没有访问记录".into();
        }
        e.iter()
            .map(|x| format!("{}　{}　{}　{}\n", x.at, x.user, x.action, x.target))
            .collect()
    })
}

/// Lists the closed cases past their retention period, or purges them
/// (all of them, or those named) once the person confirms with `--yes`.
pub fn purge(
    ledger: &mut Ledger,
    session: Option<&tiaojie_ledger::store::users::Session>,
    a: crate::cli::PurgeArgs,
    out: Output,
) -> CliResult<()> {
    let on = opt_date(a.on.as_deref(), "on")?;
    let day = on.unwrap_or_else(tiaojie_ledger::store::today);
    let due = ledger.purge_candidates(a.retention_years, day)?;
    let chosen: Vec<uuid::Uuid> = if a.cases.is_empty() {
        due.iter().map(|c| c.case_id).collect()
    } else {
        a.cases
            .iter()
            .map(|k| ledger.resolve_case(k))
            .collect::<Result<_, _>>()?
    };
    if a.list {
        return out.emit(&due, |d| {
            if d.is_empty() {
                return format!("没有结案满{}年的案件", a.retention_years);
            }
            let rows: Vec<Vec<String>> = d
                .iter()
                .map(|c| {
                    vec![
                        c.number.clone(),
                        c.closed_on.to_string(),
                        c.expires_on.to_string(),
                    ]
                })
                .collect();
            table(&["案件编号", "结案日期", "保管期限届满"], &rows)
        });
    }
    if chosen.is_empty() {
        return out.emit(
            &json!({"ok": true, "cases": [], "events_redacted": 0}),
            |_| format!("没有结案满{}年的案件，未清除任何内容", a.retention_years),
        );
    }
    if !a.yes {
        return Err(CliError::input(
            "yes",
            format!(
                "清除后无法恢复：将清除{}件案件的全部个人信息。请先用 --list 查看，确认后加 --yes",
                chosen.len()
            ),
        ));
    }
    let report = ledger.purge_cases(&chosen, a.retention_years, on)?;
    if let Some(s) = session {
        for number in &report.cases {
            ledger.log_access(s, "purge_case", number)?;
        }
    }
    out.emit(&report, |r| {
        format!(
            "已清除{}件案件（{}）的个人信息，{}条记录只留下位置；下次同步后，上级和同步中心也会清除",
            r.cases.len(),
            r.cases.join("、"),
            r.events_redacted
        )
    })
}
