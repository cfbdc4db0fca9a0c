//! `tiaojie case show`: one case as a mediator reads it, in Chinese, with
//! its whole history (including events that did not take effect, and why).

use crate::error::CliResult;
use crate::output::{Output, yes_no, yuan};
use serde_json::{Map, Value};
use std::fmt::Write;
use tiaojie_ledger::Ledger;
use tiaojie_ledger::domain::labels::{
    AgreementForm, ClosingOutcome, Department, Gender, MediationType, Satisfaction, SessionResult,
    Side, printed,
};
use tiaojie_ledger::store::CaseDetail;

pub fn show(
    ledger: &Ledger,
    session: Option<&tiaojie_ledger::store::users::Session>,
    key: &str,
    full_numbers: bool,
    out: Output,
) -> CliResult<()> {
    let id = ledger.resolve_case(key)?;
    let mut detail = ledger.case_detail(id)?;
    if full_numbers {
        ledger.require_logged(
            session,
            tiaojie_ledger::domain::roles::Permission::ViewFullNumbers,
            "view_full_numbers",
            &detail.row.number,
        )?;
    } else {
        // Masked unless asked for, and allowed.
        tiaojie_docs::mask::mask_party_records(&mut detail.party_records);
    }
    let units: Vec<(String, String)> = ledger
        .units()?
        .into_iter()
        .map(|u| (u.spec.code, u.spec.name))
        .collect();
    let unit_name = |code: &str| -> String {
        units
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, n)| format!("{n}（{code}）"))
            .unwrap_or_else(|| code.to_string())
    };
    out.emit(&detail, |d| text(d, &unit_name))
}

/// A column of a sub-table row as text; null is empty.
fn cell(row: &Map<String, Value>, key: &str) -> String {
    match row.get(key) {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| v.to_string())
            })
            .collect::<Vec<_>>()
            .join("、"),
        Some(other) => other.to_string(),
    }
}

fn truthy(row: &Map<String, Value>, key: &str) -> bool {
    matches!(row.get(key), Some(Value::Bool(true)))
        || row.get(key).and_then(Value::as_i64).is_some_and(|n| n != 0)
}

fn text(d: &CaseDetail, unit_name: &dyn Fn(&str) -> String) -> String {
    let r = &d.row;
    let mut s = String::new();
    let _ = writeln!(s, "{}", r.number);
    let _ = writeln!(s, "编号：{}", r.id);
    let _ = writeln!(s, "承办单位：{}", unit_name(&r.unit));
    if d.origin_unit != r.unit {
        let _ = writeln!(s, "受理单位：{}", unit_name(&d.origin_unit));
    }
    let mut status = r.status.clone();
    if let Some(outcome) = &d.closing_outcome {
        status = format!("{status}（{}）", printed::<ClosingOutcome>(outcome));
    }
    if r.escalation_pending {
        status.push_str("，上交待上级受理");
    }
    let _ = writeln!(s, "状态：{status}");
    let grade = match (&r.grade_name, d.graded_on) {
        (Some(name), Some(on)) => format!("{name}（{on} 评定）"),
        (Some(name), None) => name.clone(),
        _ => "未评定".into(),
    };
    let _ = writeln!(s, "预警等级：{grade}");
    let _ = writeln!(
        s,
        "受理日期：{}　纠纷类型：{}　来源：{}　调解类型：{}",
        r.received_on,
        r.dispute_type,
        r.source,
        printed::<MediationType>(&d.mediation_type)
    );
    if let Some(m) = &d.mediator {
        let _ = writeln!(s, "承办调解员：{m}");
    }
    if r.closed_on.is_none() {
        let _ = writeln!(s, "调解期限：{}（受理后30日）", d.mediation_deadline);
    }
    let _ = writeln!(s, "\n当事人：");
    for p in &d.party_records {
        let mut parts = vec![printed::<Side>(&cell(p, "side")), cell(p, "name")];
        let gender = cell(p, "gender");
        if !gender.is_empty() {
            parts.push(printed::<Gender>(&gender));
        }
        for (key, title) in [
            ("ethnicity", ""),
            ("birth_date", "出生"),
            ("age", "年龄"),
            ("occupation", ""),
            ("id_number", "身份证号"),
            ("phone", "电话"),
            ("address", "住址"),
        ] {
            let v = cell(p, key);
            if !v.is_empty() {
                parts.push(if title.is_empty() {
                    v
                } else {
                    format!("{title} {v}")
                });
            }
        }
        let _ = writeln!(s, "  {}", parts.join("，"));
    }
    let _ = writeln!(s, "\n纠纷简要情况：{}", d.facts);
    if !d.requests.is_empty() {
        let _ = writeln!(s, "申请事项：{}", d.requests);
    }
    let _ = writeln!(
        s,
        "涉及金额：{} 元　涉及人数：{}　涉访风险：{}　民转刑风险：{}",
        yuan(d.amount_fen),
        d.people_involved,
        yes_no(d.petition_risk),
        yes_no(d.criminal_risk)
    );
    if !d.key_persons.is_empty() {
        let _ = writeln!(s, "重点人员：{}", d.key_persons);
    }
    sections(&mut s, d, unit_name);
    let _ = writeln!(s, "\n办理经过：");
    for (i, h) in d.history.iter().enumerate() {
        let who = match &h.actor {
            Some(a) => format!("{}，{a}", unit_name(&h.unit)),
            None => unit_name(&h.unit),
        };
        let _ = writeln!(s, "  {}. {}〔{who}〕", i + 1, h.text);
        match (&h.note, h.applied) {
            (Some(note), false) => {
                let _ = writeln!(s, "     未生效：{note}");
            }
            (Some(note), true) => {
                let _ = writeln!(s, "     说明：{note}");
            }
            (None, _) => {}
        }
    }
    s
}

/// The hand-overs, sessions, agreement, performance and follow-ups.
fn sections(s: &mut String, d: &CaseDetail, unit_name: &dyn Fn(&str) -> String) {
    if !d.gradings.is_empty() {
        let _ = writeln!(s, "\n预警评定：");
        for g in &d.gradings {
            let _ = writeln!(
                s,
                "  {} {}：{}",
                cell(g, "on_date"),
                cell(g, "grade_name"),
                cell(g, "reason")
            );
        }
    }
    if !d.escalations.is_empty() {
        let _ = writeln!(s, "\n上交：");
        for e in &d.escalations {
            let status = match cell(e, "status").as_str() {
                "pending" => "待受理".to_string(),
                "accepted" => format!("{} 已受理", cell(e, "answered_on")),
                "returned" => format!("{} 已退回", cell(e, "answered_on")),
                other => other.to_string(),
            };
            let _ = writeln!(
                s,
                "  {} 由 {} 提请 {}：{}（{status}）",
                cell(e, "requested_on"),
                unit_name(&cell(e, "from_unit")),
                unit_name(&cell(e, "to_unit")),
                cell(e, "reason")
            );
            let answer = cell(e, "answer");
            if !answer.is_empty() {
                let _ = writeln!(s, "    答复：{answer}");
            }
        }
    }
    for sp in &d.supports {
        let reply = cell(sp, "reply");
        let reply = if reply.is_empty() {
            "待答复".into()
        } else {
            format!("{} 答复：{reply}", cell(sp, "answered_on"))
        };
        let _ = writeln!(
            s,
            "\n请求支援：{} 请求 {}：{}（{reply}）",
            cell(sp, "requested_on"),
            unit_name(&cell(sp, "to_unit")),
            cell(sp, "matter")
        );
    }
    for rf in &d.referrals {
        let outcome = cell(rf, "outcome");
        let outcome = if outcome.is_empty() {
            "待反馈".into()
        } else {
            format!("{} 反馈：{outcome}", cell(rf, "answered_on"))
        };
        let _ = writeln!(
            s,
            "\n移送：{} 移送{}（{}）：{}，限 {} 前反馈（{outcome}）",
            cell(rf, "referred_on"),
            printed::<Department>(&cell(rf, "department")),
            cell(rf, "receiver"),
            cell(rf, "matter"),
            cell(rf, "deadline")
        );
    }
    if !d.sessions.is_empty() {
        let _ = writeln!(
            s,
            "\n调解记录（共{}次，调解不成{}次）：",
            d.sessions_held, d.failed_sessions
        );
        for x in &d.sessions {
            let result = printed::<SessionResult>(&cell(x, "result"));
            let _ = writeln!(
                s,
                "  {} 在{}调解，{result}：{}",
                cell(x, "on_date"),
                cell(x, "place"),
                cell(x, "summary")
            );
            let mediators = cell(x, "mediators");
            if !mediators.is_empty() {
                let _ = writeln!(s, "    调解员：{mediators}");
            }
        }
        if d.suggest_escalation {
            let _ = writeln!(s, "  提示：已多次调解不成，可考虑上交上级调解中心");
        }
    }
    if let Some(a) = &d.agreement {
        let form = printed::<AgreementForm>(&a.form);
        let _ = writeln!(s, "\n{form}（{}），金额 {} 元：", a.on, yuan(a.amount_fen));
        for (i, t) in a.terms.iter().enumerate() {
            let due = t.due.map(|d| format!("（{d} 前履行）")).unwrap_or_default();
            let _ = writeln!(s, "  {}. {}{due}", i + 1, t.content);
        }
    }
    if !d.performances.is_empty() {
        let _ = writeln!(s, "\n履行情况：");
        for p in &d.performances {
            let done = if truthy(p, "fulfilled") {
                "（已履行）"
            } else {
                ""
            };
            let _ = writeln!(s, "  {} {}{done}", cell(p, "on_date"), cell(p, "note"));
        }
    }
    if !d.followups.is_empty() {
        let _ = writeln!(s, "\n回访记录：");
        for f in &d.followups {
            let mut parts = vec![format!(
                "{} {} 回访",
                cell(f, "on_date"),
                cell(f, "visitor")
            )];
            let sat = cell(f, "satisfaction");
            if !sat.is_empty() {
                parts.push(printed::<Satisfaction>(&sat));
            }
            for (key, title) in [
                ("performance", "履行"),
                ("new_risk", "新的风险"),
                ("measures", "措施"),
            ] {
                let v = cell(f, key);
                if !v.is_empty() {
                    parts.push(format!("{title}：{v}"));
                }
            }
            if truthy(f, "lawsuit") {
                parts.push("当事人已起诉".into());
            }
            let _ = writeln!(s, "  {}", parts.join("，"));
        }
    }
    match (d.last_visit_on, d.row.closed_on) {
        (_, Some(closed)) => {
            let _ = writeln!(s, "\n结案日期：{closed}");
        }
        (Some(last), None) => {
            let _ = writeln!(s, "\n最近回访：{last}");
        }
        (None, None) => {}
    }
}
