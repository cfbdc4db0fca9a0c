//! Desktop notifications for the most serious cases' follow-up visits (red,
//! in the default scheme: daily). Checked half a minute after start and
//! every hour; each case is announced once a day. A laptop without a
//! notification service simply shows none: the 今日工作 list has them all
//! anyway.

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::Duration;
use tauri::{AppHandle, Runtime};
use tauri_plugin_notification::NotificationExt;
use tiaojie_ledger::Ledger;
use tiaojie_ledger::domain::scheme::DueState;
use tiaojie_ledger::store::queries::Scope;
use uuid::Uuid;

const EVERY: Duration = Duration::from_secs(3600);

/// The first check waits this long: on an old laptop the window's start
/// and 今日工作 (which lists the same visits) come first.
const FIRST_AFTER: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    pub case_id: Uuid,
    pub title: String,
    pub body: String,
}

/// Visits of the most serious grade due or overdue on `on` at this device's
/// unit, leaving out the cases in `told`.
pub fn due(
    ledger: &Ledger,
    on: chrono::NaiveDate,
    told: &HashSet<Uuid>,
) -> tiaojie_ledger::Result<Vec<Reminder>> {
    let Some(top) = ledger.scheme()?.grades.into_iter().max_by_key(|g| g.rank) else {
        return Ok(vec![]);
    };
    let scope = Scope {
        unit: ledger.device()?.unit_code,
        subtree: false,
    };
    Ok(ledger
        .due_visits_of(on, &scope, &top.key)?
        .into_iter()
        .filter(|v| !told.contains(&v.case_id))
        .map(|v| {
            let when = match v.state {
                DueState::Overdue(days) => format!("已逾期{days}天"),
                _ => "今日应回访".to_string(),
            };
            Reminder {
                case_id: v.case_id,
                title: format!("{}预警案件{when}", v.grade_name),
                body: format!("{}　{}", v.number, v.parties),
            }
        })
        .collect())
}

pub fn start<R: Runtime>(app: AppHandle<R>, path: PathBuf, key: crate::state::KeyCell) {
    let _ = std::thread::Builder::new()
        .name("reminders".into())
        .spawn(move || {
            std::thread::sleep(FIRST_AFTER);
            let mut told: HashSet<Uuid> = HashSet::new();
            let mut day = tiaojie_ledger::store::today();
            loop {
                let today = tiaojie_ledger::store::today();
                if today != day {
                    told.clear();
                    day = today;
                }
                if let Ok(ledger) = crate::state::open_ledger(&path, &key)
                    && let Ok(list) = due(&ledger, today, &told)
                {
                    for r in list {
                        let _ = app
                            .notification()
                            .builder()
                            .title(&r.title)
                            .body(&r.body)
                            .show();
                        told.insert(r.case_id);
                    }
                }
                std::thread::sleep(EVERY);
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;
    use tiaojie_ledger::domain::intake::{CaseIntake, PartyInput};
    use tiaojie_ledger::domain::unit::UnitSpec;

    #[test]
    fn red_visits_due_today_once_each() {
        let mut l = Ledger::open_in_memory().unwrap();
        l.init(
            UnitSpec::new("430302001001", "青山村调解室", None, 1, None),
            0,
        )
        .unwrap();
        let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let intake = |name: &str| CaseIntake {
            received_on: Some(day.to_string()),
            dispute_type: "邻里".into(),
            source: "当事人申请".into(),
            facts: "争执".into(),
            parties: vec![PartyInput {
                name: name.into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        let red = l.open_case(&intake("张三")).unwrap();
        let green = l.open_case(&intake("李四")).unwrap();
        l.grade_case(red.id, "red", "冲突激烈", Some(day)).unwrap();
        l.grade_case(green.id, "green", "一般", Some(day)).unwrap();
        let mut told = HashSet::new();
        assert!(
            due(&l, day, &told).unwrap().is_empty(),
            "due from the next day"
        );
        let next = day + chrono::Days::new(1);
        let list = due(&l, next, &told).unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].title, "红色预警案件今日应回访");
        assert!(list[0].body.contains("张三") && list[0].body.contains(&red.number));
        let later = due(&l, next + chrono::Days::new(2), &told).unwrap();
        assert_eq!(later[0].title, "红色预警案件已逾期2天");
        told.insert(red.id);
        assert!(due(&l, next, &told).unwrap().is_empty());
    }
}
