//! The real app window under Xvfb, driven through tauri-driver and
//! WebKitWebDriver, against a real hub on loopback. Screenshots of each main
//! screen go to `test-output/screens/`.

mod support;

use support::webdriver::Driver;
use support::{Display, TauriDriver, app_binary, screenshot_path};
use tiaojie_ledger::Ledger;
use tiaojie_ledger::domain::unit::UnitSpec;
use tiaojie_server::state::{AppState, Limits};
use tiaojie_server::{admin, serve};
use tiaojie_sync::engine;

/// One window at a time: the tests share the machine's displays and ports.
static ONE_WINDOW: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const DISTRICT: &str = "430302000000";
const STATION: &str = "430302001000";
const VILLAGE: &str = "430302001001";

/// A hub on a loopback port, in this process, with the three-level tree.
async fn hub(dir: &std::path::Path) -> (String, AppState) {
    let store = serve::open_store(&format!("sqlite:{}", dir.join("hub.sqlite3").display()))
        .await
        .unwrap();
    let state = serve::state(store, Limits::default()).await.unwrap();
    admin::add_unit(
        &state,
        UnitSpec::new(DISTRICT, "青山区矛盾纠纷调解中心", Some("青山区"), 3, None),
    )
    .await
    .unwrap();
    admin::add_unit(
        &state,
        UnitSpec::new(
            STATION,
            "双马派出所调解中心",
            Some("双马所"),
            2,
            Some(DISTRICT),
        ),
    )
    .await
    .unwrap();
    admin::add_unit(
        &state,
        UnitSpec::new(VILLAGE, "青山村调解室", None, 1, Some(STATION)),
    )
    .await
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let app = tiaojie_server::app(state.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, state)
}

async fn code(state: &AppState, unit: &str) -> String {
    admin::create_enroll_code(state.store.as_ref(), unit, 24)
        .await
        .unwrap()
        .0
}

/// A device of `unit` in this process, enrolled and synced.
async fn device(
    dir: &std::path::Path,
    url: &str,
    state: &AppState,
    unit: &str,
    name: &str,
    level: u8,
) -> Ledger {
    let mut l = Ledger::open(dir.join(format!("{unit}.sqlite3"))).unwrap();
    l.init(UnitSpec::new(unit, name, None, level, None), 0)
        .unwrap();
    engine::enroll_ledger(&mut l, url, &code(state, unit).await, "测试设备")
        .await
        .unwrap();
    sync(&mut l).await;
    l
}

async fn sync(l: &mut Ledger) {
    let mut client = engine::client(l).unwrap();
    engine::sync_once(l, &mut client, &mut |_| {})
        .await
        .unwrap();
}

/// First run with a hub: the unit, the person, the code.
async fn first_run(d: &Driver, url: &str, code: &str, unit: &str, name: &str, level: u8) {
    d.find("[data-testid=setup]").await;
    d.screenshot(&screenshot_path("01-first-run")).await;
    d.click("[data-testid=setup-mode-enroll]").await;
    d.fill("[data-testid=setup-hub-url]", url).await;
    d.fill("[data-testid=setup-enroll-code]", code).await;
    d.fill("[data-testid=setup-unit-code]", unit).await;
    d.fill("[data-testid=setup-unit-name]", name).await;
    d.click(&format!("[data-testid=setup-level-{level}]")).await;
    d.fill("[data-testid=setup-mediator-name]", "王秀英").await;
    // The ledger is encrypted unless the box is cleared.
    d.fill("[data-testid=setup-passphrase]", PASSPHRASE).await;
    d.fill("[data-testid=setup-passphrase2]", PASSPHRASE).await;
    d.click("[data-testid=setup-save]").await;
    d.find("[data-testid=today]").await;
    // The first sync brings the unit tree from the hub.
    d.wait_text("[data-testid=sync-state]", "在线").await;
}

const PASSPHRASE: &str = "青山村调解2026";

fn tomorrow() -> String {
    (chrono::Local::now().date_naive() + chrono::Days::new(1)).to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn intake_grade_follow_up_session_and_escalation_in_the_window() {
    let _one = ONE_WINDOW.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let (url, state) = hub(dir.path()).await;
    let village_code = code(&state, VILLAGE).await;
    let display = Display::get();
    let db = dir.path().join("app.sqlite3");
    let driver = TauriDriver::start(&display, &db);
    let d = Driver::start(&driver.url, &app_binary()).await;
    first_run(&d, &url, &village_code, VILLAGE, "青山村调解室", 1).await;
    d.screenshot(&screenshot_path("02-today-empty")).await;

    // Intake with two parties, on one screen.
    d.click("[data-testid=menu-intake]").await;
    d.find("[data-testid=intake]").await;
    d.choose("[data-testid=intake-dispute-type]", "邻里").await;
    d.choose("[data-testid=intake-source]", "当事人申请").await;
    d.fill(
        "[data-testid=intake-facts]",
        "张三与李四因宅基地边界围墙发生争执，双方多次推搡",
    )
    .await;
    d.fill("[data-testid=party-0-name]", "张三").await;
    d.fill("[data-testid=party-0-id-number]", "11010519491231002X")
        .await;
    d.fill("[data-testid=party-0-phone]", "13800138000").await;
    // The form starts with an applicant and a respondent.
    d.fill("[data-testid=party-1-name]", "李四").await;
    assert!(d.try_find("[data-testid=party-2]").await.is_none());
    d.screenshot(&screenshot_path("03-intake")).await;
    d.click("[data-testid=intake-save]").await;
    let number = d
        .wait_text("[data-testid=intake-success-number]", "青山村人调字第1号")
        .await;
    d.click("[data-testid=intake-view-case]").await;
    d.wait_text("[data-testid=case-number]", &number).await;

    // Graded red today: tomorrow's list has the daily follow-up, today's not.
    d.click("[data-testid=case-action-grade]").await;
    d.choose("[data-testid=dialog-grade-grade]", "红色").await;
    d.fill(
        "[data-testid=dialog-grade-reason]",
        "双方扬言动手，有民转刑风险",
    )
    .await;
    d.click("[data-testid=dialog-grade-save]").await;
    d.wait_text("[data-testid=case-timeline]", "评定为红色")
        .await;
    d.click("[data-testid=menu-today]").await;
    d.find("[data-testid=today]").await;
    assert!(d.find_all("[data-testid=today-due-row]").await.is_empty());
    d.script(&format!(
        "window.location.hash = '#/today?on={}'; return true",
        tomorrow()
    ))
    .await;
    let row = d
        .wait_any_text("[data-testid=today-due-row]", &number)
        .await;
    let text = d.element_text(&row).await;
    assert!(text.contains(&tomorrow()), "{text}");
    d.screenshot(&screenshot_path("04-today-due")).await;

    // A session that fails, then escalation to the station.
    d.click_element(&row).await;
    d.wait_text("[data-testid=case-number]", &number).await;
    d.wait_text("[data-testid=case-applicants]", "张三").await;
    d.wait_text("[data-testid=case-respondents]", "李四").await;
    // Numbers are masked on screen until asked for.
    d.wait_text("[data-testid=case-parties]", "1101**********002X")
        .await;
    assert!(
        !d.text("[data-testid=case-parties]")
            .await
            .contains("11010519491231002X")
    );
    d.click("[data-testid=case-reveal]").await;
    d.wait_text("[data-testid=case-parties]", "11010519491231002X")
        .await;
    d.wait_text("[data-testid=case-parties]", "13800138000")
        .await;
    d.click("[data-testid=case-mask]").await;
    d.click("[data-testid=case-action-session]").await;
    d.fill("[data-testid=dialog-session-place]", "青山村调解室")
        .await;
    d.fill(
        "[data-testid=dialog-session-summary]",
        "双方各执一词，未能达成一致",
    )
    .await;
    d.choose("[data-testid=dialog-session-result]", "调解不成")
        .await;
    d.click("[data-testid=dialog-session-save]").await;
    d.wait_text("[data-testid=case-timeline]", "调解不成").await;
    d.click("[data-testid=case-action-escalate]").await;
    d.choose(
        "[data-testid=dialog-escalate-to_unit]",
        "双马派出所调解中心",
    )
    .await;
    d.fill(
        "[data-testid=dialog-escalate-reason]",
        "村级调解不成，需派出所协调",
    )
    .await;
    d.click("[data-testid=dialog-escalate-save]").await;
    d.wait_text(
        "[data-testid=case-timeline]",
        "提请上交至双马派出所调解中心",
    )
    .await;
    // The case file's documents, made from what the case holds so far.
    d.click("[data-testid=doc-make]").await;
    d.wait_text("[data-testid=doc-made]", "受理登记表.pdf")
        .await;
    d.wait_text("[data-testid=doc-made]", "未生成人民调解协议书")
        .await;
    let made = support::output_dir(&db).join("文书").join(&number);
    for name in ["受理登记表.pdf", "调解记录.pdf", "卷宗封面.pdf"] {
        let pdf = std::fs::read(made.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(pdf.starts_with(b"%PDF-"), "{name}");
    }
    d.screenshot(&screenshot_path("05-case-detail")).await;
    d.script("document.querySelector('[data-testid=doc-made]').scrollIntoView({block: 'center'})")
        .await;
    d.screenshot(&screenshot_path("05b-case-documents")).await;
    d.click("[data-testid=menu-ledger]").await;
    d.wait_any_text("[data-testid=case-row]", &number).await;
    d.screenshot(&screenshot_path("06-ledger")).await;

    // The escalation reaches the station through the hub.
    d.click("[data-testid=sync-now]").await;
    d.wait_text("[data-testid=sync-pending]", "待上传 0 条")
        .await;
    let mut station = device(dir.path(), &url, &state, STATION, "双马派出所调解中心", 2).await;
    let waiting = station.escalations(STATION, "pending", false).unwrap();
    assert_eq!(waiting.len(), 1, "{waiting:?}");
    assert_eq!(waiting[0].number, number);
    sync(&mut station).await;
    d.quit().await;
}

/// Waits (up to 10 s) for the focus to be inside the element `testid`.
async fn wait_focus(d: &Driver, testid: &str) {
    let mut now = String::new();
    for _ in 0..100 {
        now = d.focus_testid().await;
        if now == testid {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the focus is in {now:?}, not in {testid:?}");
}

/// A red case of `village` received three days ago and graded two days ago:
/// its daily visit is overdue today.
fn red_case_due_today(village: &mut Ledger, applicant: &str, respondent: &str) -> String {
    let today = chrono::Local::now().date_naive();
    let party = |name: &str| tiaojie_ledger::domain::intake::PartyInput {
        name: name.into(),
        ..Default::default()
    };
    let case = village
        .open_case(&tiaojie_ledger::domain::intake::CaseIntake {
            received_on: Some((today - chrono::Days::new(3)).to_string()),
            dispute_type: "邻里".into(),
            source: "主动排查".into(),
            facts: format!("{applicant}与{respondent}因排水沟堵塞发生争吵"),
            parties: vec![party(applicant), party(respondent)],
            ..Default::default()
        })
        .unwrap();
    village
        .grade_case(
            case.id,
            "红色",
            "双方扬言动手",
            Some(today - chrono::Days::new(2)),
        )
        .unwrap();
    case.number
}

/// The app enrolled as the village, after another laptop of the village
/// registered a red case for each (applicant, respondent), graded two days
/// ago and so overdue today, and the app has synced them onto 今日工作.
struct VillageWindow {
    // Dropped in this order: the session, its WebDriver, the display, the
    // files.
    d: Driver,
    _driver: TauriDriver,
    _display: Display,
    _dir: tempfile::TempDir,
    numbers: Vec<String>,
}

async fn village_with_overdue_cases(cases: &[(&str, &str)]) -> VillageWindow {
    let dir = tempfile::tempdir().unwrap();
    let (url, state) = hub(dir.path()).await;
    let village_code = code(&state, VILLAGE).await;
    let display = Display::get();
    let driver = TauriDriver::start(&display, &dir.path().join("app.sqlite3"));
    let d = Driver::start(&driver.url, &app_binary()).await;
    let mut other = device(dir.path(), &url, &state, VILLAGE, "青山村调解室", 1).await;
    let numbers: Vec<String> = cases
        .iter()
        .map(|(applicant, respondent)| red_case_due_today(&mut other, applicant, respondent))
        .collect();
    sync(&mut other).await;
    first_run(&d, &url, &village_code, VILLAGE, "青山村调解室", 1).await;
    d.click("[data-testid=sync-now]").await;
    for number in &numbers {
        d.wait_any_text("[data-testid=today-due-row]", number).await;
    }
    VillageWindow {
        d,
        _driver: driver,
        _display: display,
        _dir: dir,
        numbers,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn visits_are_recorded_from_today_by_keys_alone() {
    let _one = ONE_WINDOW.lock().await;
    // Another laptop of the village registered two red cases, now overdue.
    let w = village_with_overdue_cases(&[("刘红兵", "陈建国"), ("赵德亮", "赵德明")]).await;
    let d = &w.d;
    let (first, second) = (&w.numbers[0], &w.numbers[1]);

    // Opened again, the list gives its first visit the focus: Enter opens
    // its dialog, whose first field is what the visit found.
    d.click("[data-testid=menu-ledger]").await;
    d.find("[data-testid=case-row]").await;
    d.click("[data-testid=menu-today]").await;
    d.wait_text("[data-testid=today-due-row]", first).await;
    wait_focus(d, "today-visit").await;
    d.keys("\u{E007}").await;
    d.find("[data-testid=dialog-followup]").await;
    wait_focus(d, "dialog-followup-performance").await;
    // Its save button is on the screen, not below the window's edge.
    let fits = d
        .script(
            "const b = document.querySelector('[data-testid=dialog-followup-save]').getBoundingClientRect(); \
             return [b.bottom, window.innerHeight]",
        )
        .await;
    let (bottom, height) = (fits[0].as_f64().unwrap(), fits[1].as_f64().unwrap());
    assert!(
        bottom > 0.0 && bottom <= height,
        "save at {bottom}, window {height}"
    );
    d.screenshot(&screenshot_path("08-today-visit")).await;
    // Enter on the empty form: refused with a message, nothing saved.
    d.keys("\u{E007}").await;
    d.wait_text("[data-field=performance]", "请填写回访情况")
        .await;
    assert!(d.try_find("[data-testid=dialog-followup]").await.is_some());
    d.keys("双方情绪平稳，排水沟已疏通").await;
    d.keys("\u{E007}").await;
    // Saved: the case leaves the list and the next one has the focus.
    let mut left = false;
    for _ in 0..100 {
        // Read in one go: the list is redrawn while it reloads.
        let texts: Vec<String> = d
            .script(
                "return [...document.querySelectorAll('[data-testid=today-due-row]')] \
                 .map((e) => e.textContent)",
            )
            .await
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        if texts.len() == 1 && texts[0].contains(second) {
            left = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(left, "the visited case is still due");
    wait_focus(d, "today-visit").await;
    d.screenshot(&screenshot_path("09-today-after-visit")).await;

    // The visit is in the case's record, by the signed-in mediator, today.
    d.click("[data-testid=menu-ledger]").await;
    let link = d.wait_any_text("[data-testid=case-row-link]", first).await;
    d.click_element(&link).await;
    d.wait_text("[data-testid=case-followups]", "上次回访")
        .await;
    d.script(
        "document.querySelector('[data-testid=case-followups]').scrollIntoView({block: 'center'})",
    )
    .await;
    d.screenshot(&screenshot_path("10-case-visits")).await;
    // The table's cells, as the page holds them (WebDriver's text of an
    // Element table leaves its body out).
    let visits = d
        .script("return document.querySelector('[data-testid=case-followups]').textContent")
        .await
        .as_str()
        .unwrap_or_default()
        .replace(char::is_whitespace, "");
    assert!(visits.contains("双方情绪平稳，排水沟已疏通"), "{visits}");
    assert!(visits.contains("王秀英"), "{visits}");
    assert!(
        visits.contains(&chrono::Local::now().date_naive().to_string()),
        "{visits}"
    );
    w.d.quit().await;
}

/// Where the dialog's save button lies: (its bottom, the window's inner
/// height), in CSS pixels.
async fn save_button_bottom(d: &Driver, testid: &str) -> (f64, f64) {
    let at = d
        .script(&format!(
            "const b = document.querySelector('[data-testid={testid}-save]'); \
             if (!b) return null; const r = b.getBoundingClientRect(); \
             return [r.bottom, window.innerHeight]"
        ))
        .await;
    match at.as_array() {
        Some(a) => (a[0].as_f64().unwrap(), a[1].as_f64().unwrap()),
        None => panic!("{testid} has no save button"),
    }
}

/// Clicks by script: WebKitWebDriver places its clicks by CSS pixels, which
/// miss once the webview is zoomed (the 特大 text size).
async fn js_click(d: &Driver, css: &str) {
    d.find(css).await;
    d.script(&format!(
        "document.querySelector('{}').click(); return true",
        css.replace('\'', "\\'")
    ))
    .await;
}

/// Opens the dialog behind `button`, checks that its save button shows
/// without scrolling, saves a screenshot and closes it.
async fn check_dialog(d: &Driver, button: &str, dialog: &str, size: &str) {
    js_click(d, &format!("[data-testid={button}]")).await;
    d.find(&format!("[data-testid={dialog}]")).await;
    // Let the dialog's opening animation end.
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let (bottom, height) = save_button_bottom(d, dialog).await;
    assert!(
        bottom > 0.0 && bottom <= height,
        "{dialog} in {size}: save button at {bottom}, window {height} tall"
    );
    d.screenshot_now(&screenshot_path(&format!("fit-{size}-{dialog}")))
        .await;
    js_click(d, &format!("[data-testid={dialog}-cancel]")).await;
    // Closed when no overlay shows any more.
    for _ in 0..50 {
        let open = d
            .script(
                "return [...document.querySelectorAll('.el-overlay')] \
                 .some((o) => getComputedStyle(o).display !== 'none')",
            )
            .await
            .as_bool()
            .unwrap_or(false);
        if !open {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{dialog} did not close");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_dialog_fits_a_1366_by_700_window_in_standard_and_largest_text() {
    let _one = ONE_WINDOW.lock().await;
    let w = village_with_overdue_cases(&[("刘红兵", "陈建国")]).await;
    let d = &w.d;
    let number = &w.numbers[0];
    // A maximized window on a 1366×768 screen, less the taskbar.
    d.set_window_size(1366, 700).await;

    for size in ["standard", "xlarge"] {
        let label = if size == "standard" {
            "标准"
        } else {
            "特大"
        };
        d.script(&format!(
            "[...document.querySelectorAll('[data-testid=text-size] label')] \
             .find((l) => l.textContent.trim() === '{label}').click(); return true"
        ))
        .await;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        js_click(d, "[data-testid=menu-today]").await;
        d.wait_any_text("[data-testid=today-due-row]", number).await;
        d.screenshot_now(&screenshot_path(&format!("fit-{size}-today")))
            .await;
        js_click(d, "[data-testid=today-due-row]").await;
        d.wait_text("[data-testid=case-number]", number).await;
        for action in [
            "grade",
            "session",
            "agreement",
            "followup",
            "escalate",
            "support",
            "refer",
            "close",
        ] {
            check_dialog(
                d,
                &format!("case-action-{action}"),
                &format!("dialog-{action}"),
                size,
            )
            .await;
        }
        js_click(d, "[data-testid=menu-mediators]").await;
        check_dialog(d, "mediators-add", "mediator-dialog", size).await;
        js_click(d, "[data-testid=menu-units]").await;
        check_dialog(d, "units-add", "unit-dialog", size).await;
    }
    w.d.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_from_another_device_appears_after_sync() {
    let _one = ONE_WINDOW.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let (url, state) = hub(dir.path()).await;
    let station_code = code(&state, STATION).await;
    let display = Display::get();
    let driver = TauriDriver::start(&display, &dir.path().join("app.sqlite3"));
    let d = Driver::start(&driver.url, &app_binary()).await;
    first_run(&d, &url, &station_code, STATION, "双马派出所调解中心", 2).await;

    // A village laptop registers a case and syncs.
    let mut village = device(dir.path(), &url, &state, VILLAGE, "青山村调解室", 1).await;
    let intake = tiaojie_ledger::domain::intake::CaseIntake {
        dispute_type: "合同".into(),
        source: "当事人申请".into(),
        facts: "赵德明欠赵德亮货款三万元未还".into(),
        parties: vec![
            tiaojie_ledger::domain::intake::PartyInput {
                name: "赵德亮".into(),
                ..Default::default()
            },
            tiaojie_ledger::domain::intake::PartyInput {
                name: "赵德明".into(),
                ..Default::default()
            },
        ],
        ..Default::default()
    };
    let case = village.open_case(&intake).unwrap();
    sync(&mut village).await;

    d.click("[data-testid=menu-ledger]").await;
    d.click("[data-testid=sync-now]").await;
    let link = d
        .wait_any_text("[data-testid=case-row-link]", &case.number)
        .await;
    d.screenshot(&screenshot_path("07-ledger-after-sync")).await;
    d.click_element(&link).await;
    d.wait_text("[data-testid=case-applicants]", "赵德亮").await;
    d.click("[data-testid=menu-stats]").await;
    d.find("[data-testid=unit-grid-cell]").await;
    d.screenshot(&screenshot_path("08-stats")).await;
    d.quit().await;

    // The ledger file is encrypted: the names are not in it, and the app
    // opens it again only with the passphrase.
    for file in ["app.sqlite3", "app.sqlite3-wal"] {
        if let Ok(bytes) = std::fs::read(dir.path().join(file)) {
            assert!(
                !bytes.windows(9).any(|w| w == "赵德亮".as_bytes()),
                "{file}"
            );
        }
    }
    let d = Driver::start(&driver.url, &app_binary()).await;
    d.find("[data-testid=unlock]").await;
    d.screenshot(&screenshot_path("09-unlock")).await;
    d.fill("[data-testid=unlock-passphrase]", "青山村调解2025")
        .await;
    d.press_enter("[data-testid=unlock-passphrase]").await;
    d.wait_text("[data-testid=unlock-error]", "口令不正确")
        .await;
    d.fill("[data-testid=unlock-passphrase]", PASSPHRASE).await;
    d.click("[data-testid=unlock-save]").await;
    d.find("[data-testid=today]").await;
    d.click("[data-testid=menu-ledger]").await;
    d.wait_any_text("[data-testid=case-row-link]", &case.number)
        .await;
    d.quit().await;

    // The unit sets up users: the next start asks who is signing in.
    {
        let path = dir.path().join("app.sqlite3");
        let key = tiaojie_ledger::vault::unlock(&path, PASSPHRASE).unwrap();
        let l = Ledger::open_encrypted(&path, &key).unwrap();
        l.add_user(
            None,
            "李主任",
            tiaojie_ledger::domain::roles::Role::Officer,
            "2468",
        )
        .unwrap();
    }
    let d = Driver::start(&driver.url, &app_binary()).await;
    d.fill("[data-testid=unlock-passphrase]", PASSPHRASE).await;
    d.press_enter("[data-testid=unlock-passphrase]").await;
    d.find("[data-testid=sign-in]").await;
    d.fill("[data-testid=sign-in-pin]", "1111").await;
    d.press_enter("[data-testid=sign-in-pin]").await;
    d.wait_text("[data-testid=sign-in-error]", "登录密码不正确")
        .await;
    d.screenshot(&screenshot_path("10-sign-in")).await;
    d.fill("[data-testid=sign-in-pin]", "2468").await;
    d.click("[data-testid=sign-in-save]").await;
    d.find("[data-testid=today]").await;
    d.quit().await;
}

/// The typical dispute registered as a mediator who knows the form would,
/// mostly from the keyboard: every key goes where the focus is, so the Tab
/// order, the filtering drop-down, the address starting with the village
/// and Enter to save are what put each value in its place. The benchmark
/// times the same steps.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_typical_dispute_is_registered_from_the_keyboard() {
    use support::typist::{self, PARTIES};
    let _one = ONE_WINDOW.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("app.sqlite3");
    drop(support::village_ledger(&db));
    let display = Display::get();
    let driver = TauriDriver::start(&display, &db);
    let d = Driver::start(&driver.url, &app_binary()).await;
    d.find("[data-testid=today]").await;
    let (tally, number) = typist::register_typical_dispute(&d).await;

    // 张三 comes back with another dispute: his name brings what was
    // registered of him, numbers masked until taken.
    d.click("[data-testid=intake-continue]").await;
    d.choose("[data-testid=intake-dispute-type]", "损害赔偿")
        .await;
    d.fill("[data-testid=intake-facts]", "张三家的狗咬伤王五")
        .await;
    d.fill("[data-testid=party-0-name]", PARTIES[0].name).await;
    d.keys("\u{E004}").await;
    d.wait_text("[data-testid=party-0-known]", "4303**********0030")
        .await;
    assert!(
        !d.text("[data-testid=party-0-known]")
            .await
            .contains(PARTIES[0].id_number)
    );
    d.screenshot(&screenshot_path("03c-intake-known-person"))
        .await;
    d.click("[data-testid=party-0-known-use-0]").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while d.value("[data-testid=party-0-id-number]").await != PARTIES[0].id_number {
        assert!(
            std::time::Instant::now() < deadline,
            "the ID number was not filled in"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        d.value("[data-testid=party-0-phone]").await,
        PARTIES[0].phone
    );
    d.fill("[data-testid=party-1-name]", "王五").await;
    d.click("[data-testid=intake-save]").await;
    let again = d
        .wait_text("[data-testid=intake-success-number]", "人调字第2号")
        .await;
    d.quit().await;

    let l = Ledger::open(&db).unwrap();
    let case = l.case_detail(l.resolve_case(&number).unwrap()).unwrap();
    assert_eq!(case.row.dispute_type, typist::DISPUTE_TYPE);
    assert_eq!(case.row.source, "当事人申请");
    assert_eq!(case.facts, typist::FACTS);
    assert_eq!(case.requests, typist::REQUESTS);
    assert_eq!(case.party_records.len(), 2);
    for ((p, record), (side, gender, born)) in PARTIES.iter().zip(&case.party_records).zip([
        ("applicant", "male", "1958-07-12"),
        ("respondent", "female", "1962-03-05"),
    ]) {
        let field = |k: &str| record[k].as_str().unwrap_or_default().to_string();
        assert_eq!(field("name"), p.name);
        assert_eq!(field("side"), side);
        assert_eq!(field("id_number"), p.id_number);
        assert_eq!(field("phone"), p.phone);
        assert_eq!(
            field("address"),
            format!("青山村{}", p.address_after_village)
        );
        // Filled from the ID number while it was typed.
        assert_eq!(field("gender"), gender, "{record:?}");
        assert_eq!(field("birth_date"), born, "{record:?}");
    }
    let back = l.case_detail(l.resolve_case(&again).unwrap()).unwrap();
    let first = &back.party_records[0];
    for (k, v) in [
        ("id_number", PARTIES[0].id_number.to_string()),
        ("phone", PARTIES[0].phone.to_string()),
        (
            "address",
            format!("青山村{}", PARTIES[0].address_after_village),
        ),
        ("gender", "male".into()),
    ] {
        assert_eq!(first[k].as_str(), Some(v.as_str()), "{k}: {first:?}");
    }
    // The village's name was not typed: the field started with it.
    let typed: u32 = [typist::DISPUTE_TYPE, typist::FACTS, typist::REQUESTS]
        .iter()
        .chain(
            PARTIES
                .iter()
                .flat_map(|p| [&p.name, &p.address_after_village]),
        )
        .map(|s| s.chars().count() as u32)
        .sum();
    assert_eq!(tally.hanzi, typed, "{tally:?}");
}
