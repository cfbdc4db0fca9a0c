//! `tiaojie case ...`: intake and the actions on one case.

use super::{case_done, date, intake, opt_date, unit_code, unit_label};
use crate::cli::{AgreeArgs, CaseCommand, FollowupArgs, SessionArgs};
use crate::error::{CliError, CliResult};
use crate::output::Output;
use serde_json::json;
use tiaojie_ledger::Ledger;
use tiaojie_ledger::domain::intake::Fen;
use tiaojie_ledger::domain::labels::{
    AgreementForm, ClosingOutcome, Department, Satisfaction, SessionResult,
};
use tiaojie_ledger::event::Term;
use tiaojie_ledger::store::{AgreementInput, FollowUpInput, SessionInput};

pub fn run(ledger: &mut Ledger, command: CaseCommand, out: Output) -> CliResult<()> {
    use CaseCommand::*;
    match command {
        Add(args) => {
            let intake = intake::from_args(*args)?;
            let case = ledger.open_case(&intake)?;
            out.emit(
                &json!({"ok": true, "case_id": case.id, "number": case.number}),
                |_| format!("已登记受理：{}\n编号：{}", case.number, case.id),
            )
        }
        List(args) => super::report::list(ledger, None, args, out),
        Show { case, full_numbers } => super::show::show(ledger, None, &case, full_numbers, out),
        Grade {
            case,
            grade,
            reason,
            on,
        } => {
            let id = ledger.resolve_case(&case)?;
            ledger.grade_case(id, &grade, &reason, opt_date(on.as_deref(), "on")?)?;
            let row = ledger.case_row(id)?;
            let name = row.grade_name.clone().unwrap_or_default();
            case_done(
                ledger,
                id,
                json!({"grade": row.grade}),
                &format!("已评定为{name}预警"),
                out,
            )
        }
        Escalate {
            case,
            to,
            reason,
            on,
        } => {
            let id = ledger.resolve_case(&case)?;
            let to = unit_code(ledger, &to)?;
            let escalation = ledger.escalate(id, &to, &reason, opt_date(on.as_deref(), "on")?)?;
            let done = format!("已提请{}受理，等待上级答复", unit_label(ledger, &to)?);
            case_done(
                ledger,
                id,
                json!({"escalation_id": escalation, "to_unit": to}),
                &done,
                out,
            )
        }
        Accept { case, note, on } => {
            let id = ledger.resolve_case(&case)?;
            ledger.accept_escalation(id, &note, opt_date(on.as_deref(), "on")?)?;
            case_done(ledger, id, json!({}), "已受理上交案件，现由本单位办理", out)
        }
        Return { case, reason, on } => {
            let id = ledger.resolve_case(&case)?;
            ledger.return_escalation(id, &reason, opt_date(on.as_deref(), "on")?)?;
            case_done(ledger, id, json!({}), "已退回上交案件", out)
        }
        Support {
            case,
            to,
            matter,
            on,
        } => {
            let id = ledger.resolve_case(&case)?;
            let to = unit_code(ledger, &to)?;
            let support =
                ledger.request_support(id, &to, &matter, opt_date(on.as_deref(), "on")?)?;
            let done = format!("已请求{}支援", unit_label(ledger, &to)?);
            case_done(
                ledger,
                id,
                json!({"support_id": support, "to_unit": to}),
                &done,
                out,
            )
        }
        SupportReply { case, reply, on } => {
            let id = ledger.resolve_case(&case)?;
            ledger.answer_support(id, &reply, opt_date(on.as_deref(), "on")?)?;
            case_done(ledger, id, json!({}), "已答复支援请求", out)
        }
        Refer {
            case,
            department,
            receiver,
            matter,
            deadline,
            on,
        } => {
            let id = ledger.resolve_case(&case)?;
            let department = Department::parse(&department, "department")?;
            let deadline = date(&deadline, "deadline")?;
            let on = opt_date(on.as_deref(), "on")?;
            let referral = ledger.refer(id, department, &receiver, &matter, deadline, on)?;
            let done = format!("已移送{department}（{receiver}），限 {deadline} 前反馈");
            case_done(ledger, id, json!({"referral_id": referral}), &done, out)
        }
        ReferralResult { case, outcome, on } => {
            let id = ledger.resolve_case(&case)?;
            ledger.answer_referral(id, &outcome, opt_date(on.as_deref(), "on")?)?;
            case_done(ledger, id, json!({}), "已登记移送结果", out)
        }
        Session(args) => session(ledger, args, out),
        Agree(args) => agree(ledger, args, out),
        Perform {
            case,
            note,
            fulfilled,
            on,
        } => {
            let id = ledger.resolve_case(&case)?;
            ledger.record_performance(id, &note, fulfilled, opt_date(on.as_deref(), "on")?)?;
            case_done(ledger, id, json!({}), "已登记履行情况", out)
        }
        Followup(args) => followup(ledger, args, out),
        Close {
            case,
            outcome,
            note,
            on,
        } => {
            let id = ledger.resolve_case(&case)?;
            let outcome = ClosingOutcome::parse(&outcome, "outcome")?;
            ledger.close_case(id, outcome, &note, opt_date(on.as_deref(), "on")?)?;
            case_done(
                ledger,
                id,
                json!({"outcome": outcome}),
                &format!("已结案（{outcome}）"),
                out,
            )
        }
        Attach {
            case,
            files,
            kind,
            note,
        } => super::attach::attach(ledger, &case, &files, &kind, &note, out),
        Attachments { case } => super::attach::list(ledger, &case, out),
        AttachmentExport { id, out: file } => super::attach::export(ledger, None, &id, &file, out),
        Detach { id, reason } => super::attach::detach(ledger, &id, &reason, out),
    }
}

fn session(ledger: &mut Ledger, a: SessionArgs, out: Output) -> CliResult<()> {
    let id = ledger.resolve_case(&a.case)?;
    let input = SessionInput {
        on: opt_date(a.on.as_deref(), "on")?,
        place: a.place,
        mediators: a.mediators,
        attendees: a.attendees,
        summary: a.summary,
        result: SessionResult::parse(&a.result, "result")?,
    };
    let result = input.result;
    let session = ledger.record_session(id, input)?;
    let mut done = format!("已登记调解（{result}）");
    if let Ok(detail) = ledger.case_detail(id)
        && detail.suggest_escalation
    {
        done.push_str(&format!(
            "\n提示：已连续{}次调解不成，可考虑上交上级调解中心",
            detail.failed_sessions
        ));
    }
    case_done(ledger, id, json!({"session_id": session}), &done, out)
}

/// `content` or `content@2026-12-01` (the term's due date).
fn term(text: &str, index: usize) -> CliResult<Term> {
    let field = format!("terms[{index}]");
    let (content, due) = match text.rsplit_once('@') {
        Some((content, due)) => (content, Some(date(due, &format!("{field}.due"))?)),
        None => (text, None),
    };
    let content = content.trim();
    if content.is_empty() {
        return Err(CliError::input(
            format!("{field}.content"),
            format!("第{}项协议内容为空", index + 1),
        ));
    }
    Ok(Term {
        content: content.to_string(),
        due,
    })
}

fn agree(ledger: &mut Ledger, a: AgreeArgs, out: Output) -> CliResult<()> {
    let id = ledger.resolve_case(&a.case)?;
    let terms = a
        .terms
        .iter()
        .enumerate()
        .map(|(i, t)| term(t, i))
        .collect::<CliResult<Vec<_>>>()?;
    let input = AgreementInput {
        on: opt_date(a.on.as_deref(), "on")?,
        form: if a.oral {
            AgreementForm::Oral
        } else {
            AgreementForm::Written
        },
        terms,
        amount: match a.amount.as_deref() {
            Some(t) => Fen::parse_yuan(t, "amount")?,
            None => Fen(0),
        },
    };
    let form = input.form;
    let agreement = ledger.make_agreement(id, input)?;
    case_done(
        ledger,
        id,
        json!({"agreement_id": agreement}),
        &format!("已登记{form}"),
        out,
    )
}

fn followup(ledger: &mut Ledger, a: FollowupArgs, out: Output) -> CliResult<()> {
    let id = ledger.resolve_case(&a.case)?;
    let input = FollowUpInput {
        on: opt_date(a.on.as_deref(), "on")?,
        visitor: a.visitor,
        performance: a.performance,
        satisfaction: a
            .satisfaction
            .as_deref()
            .map(|s| Satisfaction::parse(s, "satisfaction"))
            .transpose()?,
        lawsuit: a.lawsuit,
        new_risk: a.new_risk,
        measures: a.measures,
    };
    let followup = ledger.follow_up(id, input)?;
    case_done(
        ledger,
        id,
        json!({"followup_id": followup}),
        "已登记回访",
        out,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_term_may_end_with_its_due_date() {
        let t = term("李四赔偿张三医药费800元@2026-12-01", 0).unwrap();
        assert_eq!(t.content, "李四赔偿张三医药费800元");
        assert_eq!(t.due.unwrap().to_string(), "2026-12-01");
        assert_eq!(term("双方互不追究", 1).unwrap().due, None);
        assert_eq!(
            term("赔偿@明天", 2).unwrap_err().field(),
            Some("terms[2].due")
        );
    }
}
