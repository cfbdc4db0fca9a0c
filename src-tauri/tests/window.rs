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
    let (url, state, link) = hub_with_link(dir).await;
    // Never sent: this hub stays up for the whole test.
    std::mem::forget(link);
    (url, state)
}

/// Serves `state` on a new loopback port until `link` is sent or dropped.
async fn serve_hub(state: &AppState) -> (String, tokio::sync::oneshot::Sender<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let app = tiaojie_server::app(state.clone());
    let (link, cut) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = cut.await;
            })
            .await
            .unwrap()
    });
    (url, link)
}

/// As `hub`, with the village's link to it: sending on (or dropping) the
/// sender takes the hub off that address, as when the network goes.
async fn hub_with_link(
    dir: &std::path::Path,
) -> (String, AppState, tokio::sync::oneshot::Sender<()>) {
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
    let (url, link) = serve_hub(&state).await;
    (url, state, link)
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

/// The unit sets up a user of the encrypted ledger at `db` (the app not
/// running): 李主任, officer, 登录密码 2468.
fn add_officer(db: &std::path::Path) {
    let key = tiaojie_ledger::vault::unlock(db, PASSPHRASE).unwrap();
    let l = Ledger::open_encrypted(db, &key).unwrap();
    l.add_user(
        None,
        "李主任",
        tiaojie_ledger::domain::roles::Role::Officer,
        "2468",
    )
    .unwrap();
}

fn tomorrow() -> String {
    (chrono::Local::now().date_naive() + chrono::Days::new(1)).to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn intake_grade_follow_up_session_and_escalation_in_the_window() {
    let _one = ONE_WINDOW.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let (url, state, link) = hub_with_link(dir.path()).await;
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

    // The village's link goes: the escalation waits here, calmly said, and
    // can go to the station on a USB stick.
    link.send(()).unwrap();
    d.click("[data-testid=sync-now]").await;
    d.wait_text("[data-testid=sync-state]", "离线").await;
    d.wait_text("[data-testid=sync-offline]", "联网后自动上传")
        .await;
    assert!(d.try_find("[data-testid=sync-error]").await.is_none());
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
    d.wait_text("[data-testid=case-handover-offline]", "导出U盘交换文件")
        .await;
    js_click(&d, "[data-testid=sync-export-bundle]").await;
    d.wait_text(".el-message-box", "交换文件已导出").await;
    d.screenshot(&screenshot_path("06b-usb-exchange-file"))
        .await;
    let close = d
        .wait_any_text(".el-message-box__btns button", "关闭")
        .await;
    d.click_element(&close).await;
    wait_dialogs_closed(&d, "the exchange file's message").await;
    // Still said calmly, retries and all (useSync.test.ts `syncNotice`).
    d.wait_text("[data-testid=sync-offline]", "联网后自动上传")
        .await;
    let bundle = std::fs::read_dir(support::output_dir(&db))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "tjbundle"))
        .expect("the exchange file is in the output folder");
    let name = bundle.file_name().unwrap().to_string_lossy().to_string();
    assert!(name.starts_with(&format!("交换文件-{VILLAGE}-")), "{name}");
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

    // At a computer with network the file goes into the hub, and the
    // escalation reaches the station.
    let (town, _town_link) = serve_hub(&state).await;
    let acks = engine::import_bundle(&town, &std::fs::read(&bundle).unwrap())
        .await
        .unwrap();
    assert!(acks.iter().map(|a| a.stored).sum::<u32>() > 0, "{acks:?}");
    let mut station = device(dir.path(), &town, &state, STATION, "双马派出所调解中心", 2).await;
    let waiting = station.escalations(STATION, "pending", false).unwrap();
    assert_eq!(waiting.len(), 1, "{waiting:?}");
    assert_eq!(waiting[0].number, number);
    sync(&mut station).await;
    d.quit().await;
}

/// Waits (up to 10 s) for the focus to be inside the element `testid`.
async fn wait_focus(d: &Driver, testid: &str) {
    d.wait_focus(testid, std::time::Duration::from_secs(10))
        .await;
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
        .map(|(applicant, respondent)| {
            support::red_case_overdue(&mut other, applicant, respondent).number
        })
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

/// Where the button `button` (a test id) lies: (its bottom, the window's inner
/// height), in CSS pixels.
async fn save_button_bottom(d: &Driver, button: &str) -> (f64, f64) {
    let at = d
        .script(&format!(
            "const b = document.querySelector('[data-testid={button}]'); \
             if (!b) return null; const r = b.getBoundingClientRect(); \
             return [r.bottom, window.innerHeight]"
        ))
        .await;
    match at.as_array() {
        Some(a) => (a[0].as_f64().unwrap(), a[1].as_f64().unwrap()),
        None => panic!("no button {button}"),
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

/// Asserts that the button `button` (a test id) lies inside the window as
/// it is (no scrolling), and saves a screenshot `fit-{size}-{name}`.
async fn check_fits(d: &Driver, button: &str, name: &str, size: &str) {
    gate_fits(d, button, name, size).await;
    d.screenshot_now(&screenshot_path(&format!("fit-{size}-{name}")))
        .await;
}

/// As `check_fits`, without the picture: on the screens after a restart
/// (解锁, 登录), WebKitWebDriver's snapshot of the window stopped answering
/// once the test had resized and clicked there (the app itself went on:
/// the test types and signs in after it). `a_case_from_another_device_
/// appears_after_sync` takes their pictures at 标准.
async fn gate_fits(d: &Driver, button: &str, name: &str, size: &str) {
    let (bottom, height) = save_button_bottom(d, button).await;
    assert!(
        bottom > 0.0 && bottom <= height,
        "{name} in {size}: its button at {bottom}, the window {height} tall"
    );
}

/// Opens the dialog behind `button`, checks that its save button shows
/// without scrolling and that it shows no English, saves a screenshot and
/// closes it.
async fn check_dialog(d: &Driver, button: &str, dialog: &str, size: &str, words: &mut Latin) {
    js_click(d, &format!("[data-testid={button}]")).await;
    d.find(&format!("[data-testid={dialog}]")).await;
    // Let the dialog's opening animation end.
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    check_fits(d, &format!("{dialog}-save"), dialog, size).await;
    words.read(d, dialog).await;
    js_click(d, &format!("[data-testid={dialog}-cancel]")).await;
    wait_dialogs_closed(d, dialog).await;
}

async fn wait_dialogs_closed(d: &Driver, what: &str) {
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
    panic!("{what} did not close");
}

/// Chooses a text size (`standard`, `large`, `xlarge`) with the 字号
/// switch shown, on the app's header or on a screen before sign-in.
async fn choose_text_size(d: &Driver, size: &str) {
    js_click(d, &format!("[data-testid=text-size-{size}]")).await;
    // The zoom relayouts the page.
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
}

/// Latin words shown to the user, by screen: the text of the page (an open
/// dialog included) and the placeholders of its visible fields. Words a user
/// meets as they are (the names of keys and of file kinds) are allowed.
#[derive(Default)]
struct Latin(std::collections::BTreeMap<String, std::collections::BTreeSet<String>>);

const LATIN_ALLOWED: [&str; 7] = ["PDF", "Excel", "Word", "Enter", "Ctrl", "Esc", "Tab"];

impl Latin {
    async fn read(&mut self, d: &Driver, screen: &str) {
        let text = d
            .script(
                "const parts = [document.body.innerText]; \
                 for (const e of document.querySelectorAll('input, textarea')) { \
                   if (e.placeholder && e.offsetParent !== null) parts.push(e.placeholder) } \
                 return parts.join('\\n')",
            )
            .await
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(!text.trim().is_empty(), "{screen} shows no text");
        // Not words: an address or a file's name (with a dot, a colon or a
        // slash: hub.qingshan.gov.cn:8600, 原有台账.xlsx), a code in the
        // form the hub gives (ABCD-EFGH-JKLM), a spreadsheet's column (AA).
        let not_words = |token: &str| {
            token.contains(['.', ':', '/'])
                || (token.len() >= 9
                    && token
                        .split('-')
                        .all(|p| p.len() == 4 && p.chars().all(|c| c.is_ascii_uppercase())))
        };
        for word in text
            .split(|c: char| !c.is_ascii_graphic())
            .filter(|token| !not_words(token))
            .flat_map(|token| token.split(|c: char| !c.is_ascii_alphabetic()))
            .filter(|w| w.len() >= 2 && !LATIN_ALLOWED.contains(w))
            .filter(|w| !(w.len() <= 2 && w.chars().all(|c| c.is_ascii_uppercase())))
        {
            self.0
                .entry(word.to_string())
                .or_default()
                .insert(screen.to_string());
        }
    }

    fn assert_none(&self) {
        assert!(
            self.0.is_empty(),
            "English words shown to the user (word: screens): {:?}",
            self.0
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_dialog_fits_a_1366_by_700_window_in_standard_and_largest_text() {
    let _one = ONE_WINDOW.lock().await;
    let w = village_with_overdue_cases(&[("刘红兵", "陈建国")]).await;
    let d = &w.d;
    let number = &w.numbers[0];
    let mut words = Latin::default();
    // A maximized window on a 1366×768 screen, less the taskbar.
    d.set_window_size(1366, 700).await;

    for size in ["standard", "xlarge"] {
        choose_text_size(d, size).await;
        js_click(d, "[data-testid=menu-today]").await;
        d.wait_any_text("[data-testid=today-due-row]", number).await;
        d.screenshot_now(&screenshot_path(&format!("fit-{size}-today")))
            .await;
        words.read(d, "今日工作").await;
        js_click(d, "[data-testid=today-due-row]").await;
        d.wait_text("[data-testid=case-number]", number).await;
        words.read(d, "案件详情").await;
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
                &mut words,
            )
            .await;
        }
        check_dialog(d, "attach-open", "attach-dialog", size, &mut words).await;
        js_click(d, "[data-testid=menu-mediators]").await;
        check_dialog(d, "mediators-add", "mediator-dialog", size, &mut words).await;
        words.read(d, "调解员").await;
        js_click(d, "[data-testid=menu-units]").await;
        check_dialog(d, "units-add", "unit-dialog", size, &mut words).await;
        words.read(d, "组织机构").await;
    }
    // The other screens' words: the ledger and the statistics.
    choose_text_size(d, "standard").await;
    js_click(d, "[data-testid=menu-ledger]").await;
    d.wait_any_text("[data-testid=case-row-link]", number).await;
    words.read(d, "台账").await;
    js_click(d, "[data-testid=menu-stats]").await;
    d.find("[data-testid=unit-grid-cell]").await;
    words.read(d, "统计").await;
    words.assert_none();
    w.d.quit().await;
}

/// The forms around the ledger at 1366×700, in 标准 and 特大: the first run,
/// 登记 and its confirmation, 更换使用人, 注册, 导入原有台账 with a file
/// chosen, then, after a restart, 解锁 and 登录. Each one's button lies
/// in the window without scrolling, and none shows an English word.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_run_its_forms_and_the_gates_fit_and_show_no_english() {
    let _one = ONE_WINDOW.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("app.sqlite3");
    let display = Display::get();
    let driver = TauriDriver::start(&display, &db);
    let d = Driver::start(&driver.url, &app_binary()).await;
    let mut words = Latin::default();
    d.find("[data-testid=setup]").await;
    d.set_window_size(1366, 700).await;
    // The larger size first: the typing after it is done at 标准 (WebDriver
    // places clicks in unzoomed pixels).
    const SIZES: [&str; 2] = ["xlarge", "standard"];
    for size in SIZES {
        choose_text_size(&d, size).await;
        // Its longest form: connecting to a hub.
        js_click(&d, "[data-testid=setup-mode-enroll]").await;
        d.find("[data-testid=setup-hub-url]").await;
        check_fits(&d, "setup-save", "setup", size).await;
        words.read(&d, "首次设置").await;
    }
    js_click(&d, "[data-testid=setup-mode-standalone]").await;
    d.fill("[data-testid=setup-unit-code]", VILLAGE).await;
    d.fill("[data-testid=setup-unit-name]", "青山村调解室")
        .await;
    js_click(&d, "[data-testid=setup-level-1]").await;
    d.fill("[data-testid=setup-mediator-name]", "王秀英").await;
    d.fill("[data-testid=setup-passphrase]", PASSPHRASE).await;
    d.fill("[data-testid=setup-passphrase2]", PASSPHRASE).await;
    js_click(&d, "[data-testid=setup-save]").await;
    d.find("[data-testid=today]").await;

    // An Excel ledger to import: one case, as another ledger exports it.
    let xlsx = {
        let mut other = support::village_ledger(&dir.path().join("other.sqlite3"));
        let party = |name: &str| tiaojie_ledger::domain::intake::PartyInput {
            name: name.into(),
            ..Default::default()
        };
        other
            .open_case(&tiaojie_ledger::domain::intake::CaseIntake {
                dispute_type: "邻里".into(),
                source: "主动排查".into(),
                facts: "孙玉梅与周国强因鸡舍占道发生争吵".into(),
                parties: vec![party("孙玉梅"), party("周国强")],
                ..Default::default()
            })
            .unwrap();
        let filter = tiaojie_ledger::store::queries::CaseFilter::default();
        tiaojie_docs::xlsx::export_ledger(&other, &filter, tiaojie_docs::Privacy::FULL)
            .unwrap()
            .bytes
    };
    let xlsx = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, xlsx);

    for size in SIZES {
        choose_text_size(&d, size).await;
        words.read(&d, "今日工作（未注册）").await;
        js_click(&d, "[data-testid=menu-intake]").await;
        d.find("[data-testid=intake-save]").await;
        check_fits(&d, "intake-save", "intake", size).await;
        words.read(&d, "登记").await;
        check_dialog(&d, "actor-change", "actor-dialog", size, &mut words).await;
        check_dialog(&d, "sync-enroll", "enroll-dialog", size, &mut words).await;
        // 导入: with a file chosen, its columns, checks and preview shown.
        js_click(&d, "[data-testid=menu-ledger]").await;
        js_click(&d, "[data-testid=ledger-import]").await;
        d.find("[data-testid=import-dialog]").await;
        d.script(&format!(
            "const bytes = Uint8Array.from(atob('{xlsx}'), (c) => c.charCodeAt(0)); \
             const t = new DataTransfer(); \
             t.items.add(new File([bytes], '原有台账.xlsx')); \
             const input = document.querySelector('[data-testid=import-file]'); \
             input.files = t.files; \
             input.dispatchEvent(new Event('change')); return true"
        ))
        .await;
        d.wait_text("[data-testid=import-summary]", "通过检查 1 行")
            .await;
        check_fits(&d, "import-dialog-save", "import-dialog", size).await;
        words.read(&d, "导入原有台账").await;
        js_click(&d, "[data-testid=import-dialog-cancel]").await;
        wait_dialogs_closed(&d, "import-dialog").await;
    }

    // 登记 by keys, and its confirmation.
    js_click(&d, "[data-testid=menu-intake]").await;
    wait_focus(&d, "intake-dispute-type").await;
    d.keys("邻里\u{E007}").await;
    d.fill(
        "[data-testid=intake-facts]",
        "刘红兵与陈建国因排水沟堵塞发生争吵",
    )
    .await;
    d.fill("[data-testid=party-0-name]", "刘红兵").await;
    d.fill("[data-testid=party-1-name]", "陈建国").await;
    js_click(&d, "[data-testid=intake-save]").await;
    d.find("[data-testid=intake-success]").await;
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    check_fits(&d, "intake-view-case", "intake-success", "standard").await;
    words.read(&d, "登记成功").await;
    js_click(&d, "[data-testid=intake-view-case]").await;
    d.find("[data-testid=case-number]").await;
    d.quit().await;

    // The unit has users now: the next start asks for the passphrase, then
    // who is signing in.
    add_officer(&db);
    let d = Driver::start(&driver.url, &app_binary()).await;
    d.find("[data-testid=unlock]").await;
    d.set_window_size(1366, 700).await;
    for size in ["standard", "xlarge"] {
        choose_text_size(&d, size).await;
        gate_fits(&d, "unlock-save", "unlock", size).await;
        words.read(&d, "解锁").await;
    }
    choose_text_size(&d, "standard").await;
    d.fill("[data-testid=unlock-passphrase]", PASSPHRASE).await;
    d.press_enter("[data-testid=unlock-passphrase]").await;
    d.find("[data-testid=sign-in]").await;
    for size in ["standard", "xlarge"] {
        choose_text_size(&d, size).await;
        gate_fits(&d, "sign-in-save", "sign-in", size).await;
        words.read(&d, "登录").await;
    }
    choose_text_size(&d, "standard").await;
    d.fill("[data-testid=sign-in-pin]", "2468").await;
    d.press_enter("[data-testid=sign-in-pin]").await;
    d.find("[data-testid=today]").await;
    d.quit().await;
    words.assert_none();
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
    add_officer(&dir.path().join("app.sqlite3"));
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

    // The same two come back: each name brings an offer of what was
    // registered of them, numbers masked, which takes the keyboard; Enter
    // takes it and moves on, and Enter in the last address saves.
    d.click("[data-testid=intake-view-case]").await;
    d.find("[data-testid=case-number]").await;
    let (known_tally, again) = typist::register_known_dispute(&d).await;
    assert!(again.contains("人调字第2号"), "{again}");
    // Only the names were typed of the parties.
    let names: u32 = PARTIES.iter().map(|p| p.name.chars().count() as u32).sum();
    assert_eq!(
        known_tally.hanzi,
        known_tally.words + names + typist::DISPUTE_TYPE.chars().count() as u32,
        "{known_tally:?}"
    );

    // A third dispute, begun in other words: the facts field carries on
    // the clause in the unit's phrasing; ↓ and Enter take it, and the
    // next clause is offered after the comma.
    d.click("[data-testid=intake-view-case]").await;
    d.find("[data-testid=case-number]").await;
    d.click("[data-testid=menu-intake]").await;
    d.click("[data-testid=intake-facts]").await;
    d.keys("两家因宅基").await;
    d.wait_text(
        "[data-testid=intake-facts-offer]",
        "两家因宅基地边界围墙发生争执",
    )
    .await;
    d.screenshot(&screenshot_path("03b-intake-phrasing")).await;
    d.keys("\u{E015}").await;
    d.keys("\u{E007}").await;
    let taken = d.value("[data-testid=intake-facts]").await;
    assert_eq!(taken, "两家因宅基地边界围墙发生争执");
    d.keys("，").await;
    d.wait_text("[data-testid=intake-facts-offer]", "双方多次推搡")
        .await;
    // Nothing was saved by the Enter that took the clause.
    assert!(
        d.try_find("[data-testid=intake-success-number]")
            .await
            .is_none()
    );
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
        // As the screen receives it.
        let record = serde_json::to_value(record).unwrap();
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
    // The second case holds each party's numbers and address in full,
    // taken from the first.
    let back = l.case_detail(l.resolve_case(&again).unwrap()).unwrap();
    assert_eq!(back.party_records.len(), 2);
    for (p, record) in PARTIES.iter().zip(&back.party_records) {
        let record = serde_json::to_value(record).unwrap();
        for (k, v) in [
            ("name", p.name.to_string()),
            ("id_number", p.id_number.to_string()),
            ("phone", p.phone.to_string()),
            ("address", format!("青山村{}", p.address_after_village)),
        ] {
            assert_eq!(record[k].as_str(), Some(v.as_str()), "{k}: {record:?}");
        }
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

/// The 协议书 as the mediator makes it: 生成 on the case page of a case
/// whose session reached an agreement. The PDF the app wrote is read back:
/// the committee's seal, the parties' full numbers (no users are set up,
/// so the person at the laptop may see them), each party's name and number
/// on one line of the table; its first page is saved as a picture.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_agreement_made_with_the_generate_button_is_ready_to_sign() {
    let _one = ONE_WINDOW.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("app.sqlite3");
    let CaseWindow {
        d,
        _driver,
        _display,
        number,
    } = agreed_case_page(&db).await;
    d.choose("[data-testid=doc-kind]", "人民调解协议书").await;
    // Full numbers are the default for whoever may see them.
    let full = d
        .script("return document.querySelector('[data-testid=doc-full] input').checked")
        .await;
    assert_eq!(full, serde_json::Value::Bool(true));
    d.click("[data-testid=doc-make]").await;
    d.wait_text("[data-testid=doc-made]", "人民调解协议书.pdf")
        .await;
    d.screenshot(&screenshot_path("11-agreement-made")).await;
    d.quit().await;

    let path = support::output_dir(&db)
        .join("文书")
        .join(&number)
        .join("人民调解协议书.pdf");
    let out = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed");
    assert!(out.status.success(), "{}", path.display());
    let text = String::from_utf8(out.stdout).unwrap();
    let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(squeezed.contains("青山村人民调解委员会（印章）"), "{text}");
    assert!(!squeezed.contains("调解室（印章）"), "{text}");
    let row = |side: &str, name: &str, id: &str, phone: &str| {
        text.lines()
            .any(|l| l.contains(side) && l.contains(name) && l.contains(id) && l.contains(phone))
    };
    assert!(
        row("申请人", "刘红兵", "430302195807120030", "13800138000"),
        "{text}"
    );
    assert!(
        row("被申请人", "欧阳建国", "430302196203050048", "13907310000"),
        "{text}"
    );
    let status = std::process::Command::new("pdftoppm")
        .args(["-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&path)
        .arg(screenshot_path("12-agreement-page-1").with_extension(""))
        .status()
        .expect("pdftoppm (poppler-utils) is needed");
    assert!(status.success());
}
/// A village ledger at `db` with one case of two parties with full
/// numbers, mediated to a written agreement; returns its number.
fn agreed_case(db: &std::path::Path) -> String {
    use tiaojie_ledger::domain::intake::{CaseIntake, Fen, PartyInput};
    use tiaojie_ledger::domain::labels::{AgreementForm, SessionResult};
    use tiaojie_ledger::store::{AgreementInput, SessionInput};
    let mut l = support::village_ledger(db);
    let party = |side: &str, name: &str, id: &str, phone: &str| PartyInput {
        side: Some(side.into()),
        name: name.into(),
        id_number: Some(id.into()),
        phone: Some(phone.into()),
        address: Some("青山村三组".into()),
        ..Default::default()
    };
    let case = l
        .open_case(&CaseIntake {
            dispute_type: "邻里".into(),
            source: "当事人申请".into(),
            facts: "刘红兵与欧阳建国因宅基地边界围墙发生争执".into(),
            parties: vec![
                party("applicant", "刘红兵", "430302195807120030", "13800138000"),
                party(
                    "respondent",
                    "欧阳建国",
                    "430302196203050048",
                    "13907310000",
                ),
            ],
            ..Default::default()
        })
        .unwrap();
    l.record_session(
        case.id,
        SessionInput {
            on: None,
            place: "青山村调解室".into(),
            mediators: vec!["王秀英".into()],
            attendees: String::new(),
            summary: "现场丈量，确认围墙越界约半米".into(),
            result: SessionResult::Agreed,
        },
    )
    .unwrap();
    l.make_agreement(
        case.id,
        AgreementInput {
            on: None,
            form: AgreementForm::Written,
            terms: vec![tiaojie_ledger::event::Term {
                content: "欧阳建国于本月底前拆除越界围墙".into(),
                due: None,
            }],
            amount: Fen(0),
        },
    )
    .unwrap();
    case.number
}

/// The window on the case page of `agreed_case`, in a ledger at `db`.
struct CaseWindow {
    // Dropped in this order: the session, its WebDriver, the display.
    d: Driver,
    _driver: TauriDriver,
    _display: Display,
    number: String,
}

async fn agreed_case_page(db: &std::path::Path) -> CaseWindow {
    let number = agreed_case(db);
    let display = Display::get();
    let driver = TauriDriver::start(&display, db);
    let d = Driver::start(&driver.url, &app_binary()).await;
    d.find("[data-testid=today]").await;
    open_case_page(&d, &number).await;
    CaseWindow {
        d,
        _driver: driver,
        _display: display,
        number,
    }
}

/// From anywhere in the app to the case page of `number`, by the ledger.
async fn open_case_page(d: &Driver, number: &str) {
    d.click("[data-testid=menu-ledger]").await;
    let link = d.wait_any_text("[data-testid=case-row-link]", number).await;
    d.click_element(&link).await;
    d.wait_text("[data-testid=case-number]", number).await;
}

/// The same operations through the app and through the command line leave
/// the same entries in the access log (who, what, of which case or filter):
/// both shells call one use-case layer. Run by the workspace's test command,
/// which builds the `tiaojie` command line beside the app.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_and_the_command_line_leave_the_same_access_log() {
    use tiaojie_ledger::domain::roles::Role;
    let _one = ONE_WINDOW.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("app.sqlite3");
    let number = agreed_case(&db);
    // The unit's administrator reads the log; 李主任 does the work.
    {
        let l = Ledger::open(&db).unwrap();
        l.add_user(None, "管理员", Role::Admin, "1357").unwrap();
        let admin = l.sign_in("管理员", "1357").unwrap();
        l.add_user(Some(&admin), "李主任", Role::Officer, "2468")
            .unwrap();
    }
    let cli = app_binary().with_file_name(format!("tiaojie{}", std::env::consts::EXE_SUFFIX));
    assert!(
        cli.exists(),
        "{} is missing: build the command line first (cargo build -p tiaojie-cli)",
        cli.display()
    );
    let last_month = {
        use chrono::Datelike;
        let first = chrono::Local::now().date_naive().with_day(1).unwrap();
        (first - chrono::Days::new(1)).format("%Y-%m").to_string()
    };
    let entries = |after: usize| -> Vec<(String, String, String)> {
        let l = Ledger::open(&db).unwrap();
        let s = l.sign_in("管理员", "1357").unwrap();
        let mut all: Vec<_> = l
            .access_log(Some(&s), 1000)
            .unwrap()
            .into_iter()
            .rev()
            .map(|e| (e.user, e.action, e.target))
            .collect();
        all.drain(..after.min(all.len()));
        all
    };
    let before = entries(0).len();

    // The app: full numbers on the case page, the agreement with full
    // numbers, the ledger to Excel, last month's report.
    let display = Display::get();
    let driver = TauriDriver::start(&display, &db);
    let d = Driver::start(&driver.url, &app_binary()).await;
    d.choose("[data-testid=sign-in-name]", "李主任").await;
    d.fill("[data-testid=sign-in-pin]", "2468").await;
    d.press_enter("[data-testid=sign-in-pin]").await;
    d.find("[data-testid=today]").await;
    open_case_page(&d, &number).await;
    d.click("[data-testid=case-reveal]").await;
    d.wait_any_text("[data-testid=case-party]", "430302195807120030")
        .await;
    d.choose("[data-testid=doc-kind]", "人民调解协议书").await;
    d.click("[data-testid=doc-make]").await;
    d.wait_text("[data-testid=doc-made]", "人民调解协议书.pdf")
        .await;
    d.click("[data-testid=menu-ledger]").await;
    d.click("[data-testid=ledger-export]").await;
    d.wait_text(".el-message--success", "已导出").await;
    d.click("[data-testid=menu-stats]").await;
    d.click("[data-testid=stats-report]").await;
    d.wait_text(".el-message--success", "月报已保存").await;
    d.quit().await;
    let app = entries(before);

    // The command line, the same four.
    let out = dir.path().join("cli");
    std::fs::create_dir_all(&out).unwrap();
    let runs: [Vec<String>; 4] = [
        vec![
            "case".into(),
            "show".into(),
            number.clone(),
            "--full-numbers".into(),
        ],
        vec![
            "doc".into(),
            number.clone(),
            "--kind".into(),
            "agreement".into(),
            "--full-numbers".into(),
            "--out".into(),
            out.join("协议书.pdf").display().to_string(),
        ],
        vec![
            "export".into(),
            "--out".into(),
            out.join("台账.xlsx").display().to_string(),
        ],
        vec![
            "report".into(),
            "--month".into(),
            last_month.clone(),
            "--out".into(),
            out.join("月报.xlsx").display().to_string(),
        ],
    ];
    for args in &runs {
        let run = std::process::Command::new(&cli)
            .args(args)
            .env("TIAOJIE_DB", &db)
            .env("TIAOJIE_USER", "李主任")
            .env("TIAOJIE_PIN", "2468")
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "tiaojie {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&run.stderr)
        );
    }
    let cli_entries = entries(before + app.len());
    // Signing in is the shell's own business: the app signs in once, the
    // command line at every command.
    let operations = |all: &[(String, String, String)]| -> Vec<(String, String, String)> {
        all.iter()
            .filter(|(_, action, _)| !action.starts_with("sign_in"))
            .cloned()
            .collect()
    };
    let app = operations(&app);
    assert_eq!(app.len(), 5, "{app:?}");
    assert_eq!(app, operations(&cli_entries));
}

/// A JPEG photo `w`×`h` as a phone's camera gives it, base64 for the page.
fn photo_base64(w: u32, h: u32) -> String {
    use base64::Engine;
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 120])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&img)
        .unwrap();
    base64::engine::general_purpose::STANDARD.encode(out)
}

/// Puts files into the attachment dialog's file chooser as the system's
/// file dialog does (names and base64 contents).
async fn choose_files(d: &Driver, files: &[(&str, &str, String)]) {
    let list: Vec<String> = files
        .iter()
        .map(|(name, mime, b64)| {
            format!(
                "new File([Uint8Array.from(atob('{b64}'), (c) => c.charCodeAt(0))], '{name}', {{ type: '{mime}' }})"
            )
        })
        .collect();
    d.script(&format!(
        "const input = document.querySelector('[data-testid=attach-file]'); \
         const dt = new DataTransfer(); [{}].forEach((f) => dt.items.add(f)); \
         input.files = dt.files; input.dispatchEvent(new Event('change')); return true",
        list.join(", ")
    ))
    .await;
}

/// 附件 on the case page: a phone photo added by the dialog comes back as
/// a thumbnail, reduced; the viewer opens it larger, turns and zooms it; a
/// file that is not a picture is refused by name and nothing is added.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_photo_added_by_the_dialog_shows_as_a_thumbnail_and_in_the_viewer() {
    let _one = ONE_WINDOW.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("app.sqlite3");
    let CaseWindow {
        d,
        _driver,
        _display,
        number,
    } = agreed_case_page(&db).await;
    d.set_window_size(1366, 700).await;

    // A text file named like a photo: refused by name, nothing added.
    js_click(&d, "[data-testid=attach-open]").await;
    d.find("[data-testid=attach-dialog]").await;
    choose_files(
        &d,
        &[("IMG_0003.jpg", "image/jpeg", "bm90IGEgcGhvdG8=".into())],
    )
    .await;
    js_click(&d, "[data-testid=attach-dialog-save]").await;
    d.wait_text("[data-testid=attach-error]", "IMG_0003.jpg")
        .await;
    d.screenshot_now(&screenshot_path("14-attach-refused"))
        .await;
    assert!(d.find_all("[data-testid=attachment-tile]").await.is_empty());

    // The photo, taken 3000×2000.
    choose_files(
        &d,
        &[("IMG_0001.jpg", "image/jpeg", photo_base64(3000, 2000))],
    )
    .await;
    d.wait_text("[data-testid=attach-file-name]", "IMG_0001.jpg")
        .await;
    d.choose("[data-testid=attach-kind]", "证据材料").await;
    d.fill("[data-testid=attach-caption]", "围墙越界处").await;
    check_fits(&d, "attach-dialog-save", "attach-dialog", "standard").await;
    js_click(&d, "[data-testid=attach-dialog-save]").await;
    wait_dialogs_closed(&d, "attach-dialog").await;
    d.find("[data-testid=attachment-thumb]").await;
    let tiles = d
        .script(
            "return [...document.querySelectorAll('[data-testid=attachment-tile]')] \
             .map((t) => t.textContent)",
        )
        .await;
    assert!(tiles.to_string().contains("围墙越界处"), "{tiles}");
    d.screenshot_now(&screenshot_path("15-attachment-thumbnail"))
        .await;

    // The viewer: larger, turned, zoomed.
    js_click(&d, "[data-testid=attachment-tile]").await;
    d.find("[data-testid=viewer-image]").await;
    js_click(&d, "[data-testid=viewer-rotate]").await;
    js_click(&d, "[data-testid=viewer-zoom-in]").await;
    let transform = d
        .script("return document.querySelector('[data-testid=viewer-image]').style.transform")
        .await;
    assert_eq!(
        transform.as_str(),
        Some("rotate(90deg) scale(1.25)"),
        "{transform}"
    );
    let natural = d
        .script(
            "const i = document.querySelector('[data-testid=viewer-image]'); \
             return [i.naturalWidth, i.naturalHeight]",
        )
        .await;
    assert_eq!(
        natural,
        serde_json::json!([2000, 1333]),
        "reduced to 2000 px"
    );
    d.screenshot_now(&screenshot_path("16-attachment-viewer"))
        .await;
    // 打开并打印 saves it where the person finds it.
    js_click(&d, "[data-testid=viewer-open]").await;
    let saved = support::output_dir(&db)
        .join("附件")
        .join(&number)
        .join("IMG_0001.jpg");
    for _ in 0..100 {
        if saved.exists() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    d.quit().await;

    let l = Ledger::open(&db).unwrap();
    let case = l.resolve_case(&number).unwrap();
    let all = l.attachments(case).unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(
        (
            all[0].caption.as_str(),
            all[0].width,
            all[0].file_name.as_str()
        ),
        ("围墙越界处", Some(2000), "IMG_0001.jpg")
    );
    let stored = l.attachment_content(all[0].id).unwrap();
    assert_eq!(stored.len() as u64, all[0].size);
    assert_eq!(
        std::fs::read(&saved).expect("the photo saved to open"),
        stored
    );
}
