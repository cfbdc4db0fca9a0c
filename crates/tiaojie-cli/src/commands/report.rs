//! What the ledger shows: the ledger list, follow-ups due, today's to-do
//! list, statistics.

use super::{my_unit, opt_date, unit_code, unit_label};
use crate::cli::{CaseListArgs, DueArgs, SortArg, StatsArgs, TodayArgs};
use crate::error::CliResult;
use crate::output::{Output, clip, table, yuan};
use chrono::NaiveDate;
use tiaojie_ledger::Ledger;
use tiaojie_ledger::domain::labels::{CaseStatus, DisputeType};
use tiaojie_ledger::domain::scheme::DueState;
use tiaojie_ledger::store::queries::{CaseFilter, CaseRow, DueVisit, Page, Scope, SortKey};
use tiaojie_ledger::store::users::Session;
use tiaojie_ledger::store::{Count, Stats, StatsFilter};

pub fn list(
    ledger: &Ledger,
    session: Option<&Session>,
    a: CaseListArgs,
    out: Output,
) -> CliResult<()> {
    let page = a.page.max(1);
    let size = a.page_size.clamp(1, 1000);
    let mut filter = filter_of(ledger, a)?;
    ledger.restrict_search(session, &mut filter)?;
    let result = ledger.list_cases(&filter)?;
    out.emit(&result, |p| {
        let pages = p.total.div_ceil(u64::from(size)).max(1);
        format!("{}共 {} 件，第 {page}/{pages} 页", list_text(p), p.total)
    })
}

/// The ledger filter the list flags describe (the export uses the same).
pub fn filter_of(ledger: &Ledger, a: CaseListArgs) -> CliResult<CaseFilter> {
    let scheme = ledger.scheme()?;
    let grades = a
        .grades
        .iter()
        .map(|g| Ok(scheme.resolve(g, "grade")?.key.clone()))
        .collect::<CliResult<Vec<_>>>()?;
    let statuses = a
        .statuses
        .iter()
        .map(|s| CaseStatus::parse(s, "status"))
        .collect::<Result<Vec<_>, _>>()?;
    let dispute_types = a
        .types
        .iter()
        .map(|t| DisputeType::parse(t, "type"))
        .collect::<Result<Vec<_>, _>>()?;
    let scope = match &a.unit {
        Some(u) => Some(Scope {
            unit: unit_code(ledger, u)?,
            subtree: a.subtree,
        }),
        None => None,
    };
    let page = a.page.max(1);
    let size = a.page_size.clamp(1, 1000);
    let filter = CaseFilter {
        grades,
        statuses,
        dispute_types,
        level: a.level,
        scope,
        received_from: opt_date(a.from.as_deref(), "from")?,
        received_to: opt_date(a.to.as_deref(), "to")?,
        text: a.search,
        // Decided from the signed-in user by `Ledger::restrict_search`.
        whole_numbers_only: false,
        sort: match a.sort {
            SortArg::Received => SortKey::Received,
            SortArg::Number => SortKey::Number,
            SortArg::Grade => SortKey::Grade,
            SortArg::Status => SortKey::Status,
        },
        ascending: a.asc,
        offset: (page - 1).saturating_mul(size),
        limit: size,
    };
    Ok(filter)
}

/// The ledger table for people.
pub fn list_text(page: &Page<CaseRow>) -> String {
    if page.rows.is_empty() {
        return "台账中没有符合条件的案件\n".into();
    }
    let rows: Vec<Vec<String>> = page
        .rows
        .iter()
        .map(|c| {
            let mut status = c.status.clone();
            if c.escalation_pending {
                status.push_str("（上交待受理）");
            }
            vec![
                c.number.clone(),
                c.received_on.to_string(),
                c.dispute_type.clone(),
                c.grade_name.clone().unwrap_or_else(|| "未评定".into()),
                status,
                clip(&c.parties, 24),
                if c.unit_name.is_empty() {
                    c.unit.clone()
                } else {
                    c.unit_name.clone()
                },
            ]
        })
        .collect();
    table(
        &[
            "案号",
            "受理日期",
            "纠纷类型",
            "预警",
            "状态",
            "当事人",
            "承办单位",
        ],
        &rows,
    )
}

pub fn due(ledger: &Ledger, a: DueArgs, out: Output) -> CliResult<()> {
    let on = opt_date(a.on.as_deref(), "on")?.unwrap_or_else(tiaojie_ledger::store::today);
    let unit = match &a.unit {
        Some(u) => unit_code(ledger, u)?,
        None => my_unit(ledger)?,
    };
    let visits = ledger.due_visits(
        on,
        &Scope {
            unit,
            subtree: a.subtree,
        },
    )?;
    out.emit(&visits, |v| due_text(v, on))
}

/// One line per visit due: most serious grade first.
pub fn due_text(visits: &[DueVisit], on: NaiveDate) -> String {
    if visits.is_empty() {
        return format!("{on} 没有应回访的案件\n");
    }
    let mut s = String::new();
    for v in visits {
        let state = match v.state {
            DueState::Due => "今日应回访".to_string(),
            DueState::Overdue(days) => format!("已逾期{days}天"),
            DueState::NotYet => "未到回访日".to_string(),
        };
        s.push_str(&format!(
            "【{}】{}  {}  应回访日 {}  {state}\n",
            v.grade_name, v.number, v.parties, v.next_visit
        ));
    }
    s
}

pub fn todo(ledger: &Ledger, a: TodayArgs, out: Output) -> CliResult<()> {
    let on = opt_date(a.on.as_deref(), "on")?.unwrap_or_else(tiaojie_ledger::store::today);
    let todo = ledger.today_list(on, None)?;
    let name = |code: &str| unit_label(ledger, code).unwrap_or_else(|_| code.to_string());
    out.emit(&todo, |t| {
        let mut s = format!("【应回访】\n{}", due_text(&t.due, t.on));
        if t.due_total > t.due.len() as u64 {
            s.push_str(&format!(
                "共 {} 件需要回访，以上是最紧急的 {} 件；全部请用 tiaojie due 查看\n",
                t.due_total,
                t.due.len()
            ));
        }
        s.push_str("\n【待本单位受理的上交】\n");
        if t.escalations_pending.is_empty() {
            s.push_str("无\n");
        }
        for e in &t.escalations_pending {
            s.push_str(&format!(
                "{}  {} 于 {} 提请：{}\n",
                e.number,
                name(&e.from_unit),
                e.requested_on,
                e.reason
            ));
        }
        s.push_str("\n【被上级退回的上交】\n");
        if t.escalations_returned.is_empty() {
            s.push_str("无\n");
        }
        for e in &t.escalations_returned {
            let when = e.answered_on.map(|d| d.to_string()).unwrap_or_default();
            let why = e.answer.clone().unwrap_or_default();
            s.push_str(&format!(
                "{}  {} 于 {when} 退回：{why}\n",
                e.number,
                name(&e.to_unit)
            ));
        }
        s.push_str("\n【逾期未反馈的移送】\n");
        if t.overdue_referrals.is_empty() {
            s.push_str("无\n");
        }
        for r in &t.overdue_referrals {
            s.push_str(&format!(
                "{}  移送{}（{}），限 {} 前反馈，已逾期{}天\n",
                r.number, r.department, r.receiver, r.deadline, r.days_late
            ));
        }
        s
    })
}

pub fn stats(ledger: &Ledger, a: StatsArgs, out: Output) -> CliResult<()> {
    let scope = match &a.unit {
        Some(u) => Some(Scope {
            unit: unit_code(ledger, u)?,
            subtree: a.subtree,
        }),
        None => None,
    };
    let filter = StatsFilter {
        scope,
        from: opt_date(a.from.as_deref(), "from")?,
        to: opt_date(a.to.as_deref(), "to")?,
    };
    let stats = ledger.stats(&filter)?;
    out.emit(&stats, stats_text)
}

fn stats_text(s: &Stats) -> String {
    let counts = |title: &str, list: &[Count]| {
        let items: Vec<String> = list
            .iter()
            .map(|c| format!("{} {}", c.label, c.count))
            .collect();
        format!(
            "{title}：{}\n",
            if items.is_empty() {
                "无".to_string()
            } else {
                items.join("，")
            }
        )
    };
    let mut out = format!(
        "案件 {} 件（在办 {}，已结 {}，调解成功 {}）\n",
        s.total, s.open, s.closed, s.resolved
    );
    out.push_str(&counts("预警等级", &s.by_grade));
    out.push_str(&counts("纠纷类型", &s.by_type));
    out.push_str(&counts("来源", &s.by_source));
    out.push_str(&counts("状态", &s.by_status));
    out.push_str(&counts("层级", &s.by_level));
    out.push_str(&counts("受理月份", &s.by_month));
    out.push_str(&format!(
        "调解协议 {} 份，协议金额 {} 元\n",
        s.agreements,
        yuan(s.agreement_amount_fen)
    ));
    out.push_str(&counts("回访满意度", &s.satisfaction));
    out.push_str(&format!(
        "涉访风险 {} 件（化解 {}），民转刑风险 {} 件（化解 {}）\n",
        s.petition_risk, s.petitions_prevented, s.criminal_risk, s.criminal_prevented
    ));
    out.push_str(&format!(
        "排查上报 {} 次，其中零上报 {} 次\n",
        s.screenings, s.nil_reports
    ));
    out
}
