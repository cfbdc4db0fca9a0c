//! `tiaojie case show`: one case as a mediator reads it, in Chinese, with
//! its whole history (including events that did not take effect, and why).

use crate::error::CliResult;
use crate::output::{Output, yes_no, yuan};
use std::fmt::Write;
use tiaojie_ledger::Ledger;
use tiaojie_ledger::domain::labels::{EscalationStatus, Stored};
use tiaojie_ledger::store::CaseDetail;

pub fn show(
    ledger: &Ledger,
    session: Option<&tiaojie_ledger::store::users::Session>,
    key: &str,
    full_numbers: bool,
    out: Output,
) -> CliResult<()> {
    let id = ledger.resolve_case(key)?;
    let detail = ledger.case_detail_as(session, id, full_numbers)?;
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

/// An optional text as shown: absent is empty.
fn or_blank(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
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
        status = format!("{status}（{}）", outcome.printed());
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
        d.mediation_type.printed()
    );
    if let Some(m) = &d.mediator {
        let _ = writeln!(s, "承办调解员：{m}");
    }
    if r.closed_on.is_none() {
        let _ = writeln!(s, "调解期限：{}（受理后30日）", d.mediation_deadline);
    }
    let _ = writeln!(s, "\n当事人：");
    for p in &d.party_records {
        let mut parts = vec![p.side.printed(), p.name.clone()];
        if let Some(gender) = p.gender.as_ref().map(|g| g.printed())
            && !gender.is_empty()
        {
            parts.push(gender);
        }
        for (v, title) in [
            (or_blank(&p.ethnicity), ""),
            (
                p.birth_date.map(|d| d.to_string()).unwrap_or_default(),
                "出生",
            ),
            (p.age.map(|a| a.to_string()).unwrap_or_default(), "年龄"),
            (or_blank(&p.occupation), ""),
            (or_blank(&p.id_number), "身份证号"),
            (or_blank(&p.phone), "电话"),
            (or_blank(&p.address), "住址"),
        ] {
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
                g.on_date,
                g.grade_name.as_deref().unwrap_or(&g.grade),
                g.reason
            );
        }
    }
    if !d.escalations.is_empty() {
        let _ = writeln!(s, "\n上交：");
        for e in &d.escalations {
            let answered = e.answered_on.map(|d| d.to_string()).unwrap_or_default();
            let status = match &e.status {
                Stored::Known(EscalationStatus::Pending) => e.status.printed(),
                Stored::Known(_) => format!("{answered} {}", e.status.printed()),
                Stored::Other(key) => key.clone(),
            };
            let _ = writeln!(
                s,
                "  {} 由 {} 提请 {}：{}（{status}）",
                e.requested_on,
                unit_name(&e.from_unit),
                unit_name(&e.to_unit),
                e.reason
            );
            let answer = or_blank(&e.answer);
            if !answer.is_empty() {
                let _ = writeln!(s, "    答复：{answer}");
            }
        }
    }
    for sp in &d.supports {
        let reply = match (&sp.reply, sp.answered_on) {
            (Some(reply), Some(on)) if !reply.is_empty() => format!("{on} 答复：{reply}"),
            (Some(reply), None) if !reply.is_empty() => format!(" 答复：{reply}"),
            _ => "待答复".into(),
        };
        let _ = writeln!(
            s,
            "\n请求支援：{} 请求 {}：{}（{reply}）",
            sp.requested_on,
            unit_name(&sp.to_unit),
            sp.matter
        );
    }
    for rf in &d.referrals {
        let outcome = match (&rf.outcome, rf.answered_on) {
            (Some(outcome), Some(on)) if !outcome.is_empty() => format!("{on} 反馈：{outcome}"),
            (Some(outcome), None) if !outcome.is_empty() => format!(" 反馈：{outcome}"),
            _ => "待反馈".into(),
        };
        let _ = writeln!(
            s,
            "\n移送：{} 移送{}（{}）：{}，限 {} 前反馈（{outcome}）",
            rf.referred_on,
            rf.department.printed(),
            rf.receiver,
            rf.matter,
            rf.deadline
        );
    }
    if !d.sessions.is_empty() {
        let _ = writeln!(
            s,
            "\n调解记录（共{}次，调解不成{}次）：",
            d.sessions_held, d.failed_sessions
        );
        for x in &d.sessions {
            let _ = writeln!(
                s,
                "  {} 在{}调解，{}：{}",
                x.on_date,
                x.place,
                x.result.printed(),
                x.summary
            );
            let mediators = x.mediators.join("、");
            if !mediators.is_empty() {
                let _ = writeln!(s, "    调解员：{mediators}");
            }
        }
        if d.suggest_escalation {
            let _ = writeln!(s, "  提示：已多次调解不成，可考虑上交上级调解中心");
        }
    }
    if let Some(a) = &d.agreement {
        let form = a.form.printed();
        let _ = writeln!(s, "\n{form}（{}），金额 {} 元：", a.on, yuan(a.amount_fen));
        for (i, t) in a.terms.iter().enumerate() {
            let due = t.due.map(|d| format!("（{d} 前履行）")).unwrap_or_default();
            let _ = writeln!(s, "  {}. {}{due}", i + 1, t.content);
        }
    }
    if !d.performances.is_empty() {
        let _ = writeln!(s, "\n履行情况：");
        for p in &d.performances {
            let done = if p.fulfilled { "（已履行）" } else { "" };
            let _ = writeln!(s, "  {} {}{done}", p.on_date, p.note);
        }
    }
    if !d.followups.is_empty() {
        let _ = writeln!(s, "\n回访记录：");
        for f in &d.followups {
            let mut parts = vec![format!("{} {} 回访", f.on_date, f.visitor)];
            if let Some(sat) = &f.satisfaction {
                parts.push(sat.printed());
            }
            for (v, title) in [
                (&f.performance, "履行"),
                (&f.new_risk, "新的风险"),
                (&f.measures, "措施"),
            ] {
                if !v.is_empty() {
                    parts.push(format!("{title}：{v}"));
                }
            }
            if f.lawsuit {
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
