//! A small W3C WebDriver client, enough to drive the app's window through
//! tauri-driver: find, click, type, read, wait, screenshot. Every wait polls
//! for a condition with a deadline; nothing sleeps blindly.

use base64::Engine;
use serde_json::{Value, json};
use std::path::Path;
use std::time::{Duration, Instant};

pub const WAIT: Duration = Duration::from_secs(30);

/// An element reference: its one value, whatever the key (W3C says
/// `element-6066-…-cecc`; WebKitWebDriver answers with another suffix).
fn element_id(v: &Value) -> Option<String> {
    v.as_object()?.values().next()?.as_str().map(str::to_string)
}

/// An error with its causes, so that a failed command says why.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cause = c.source();
    }
    s
}

pub struct Driver {
    base: String,
    http: reqwest::Client,
}

#[derive(Clone, Debug)]
pub struct Element(String);

impl Driver {
    /// Opens a session that starts `application` in a window.
    pub async fn start(driver_url: &str, application: &Path) -> Driver {
        // A fresh connection for every command: a kept-alive one that the
        // driver closes just as the next command goes out fails with "error
        // sending request" (seen in CI, once, on a screenshot).
        tiaojie_sync::client::tls_init();
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(120))
            .pool_max_idle_per_host(0)
            .build()
            .unwrap();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "wry",
            "tauri:options": {"application": application.display().to_string()}
        }}});
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            match http
                .post(format!("{driver_url}/session"))
                .json(&caps)
                .send()
                .await
            {
                Ok(resp) => {
                    let body: Value = resp.json().await.unwrap();
                    let id = body["value"]["sessionId"]
                        .as_str()
                        .unwrap_or_else(|| panic!("no session: {body}"))
                        .to_string();
                    return Driver {
                        base: format!("{driver_url}/session/{id}"),
                        http,
                    };
                }
                Err(e) if Instant::now() < deadline => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => panic!("tauri-driver did not answer: {e}"),
            }
        }
    }

    async fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let url = format!("{}{path}", self.base);
        let mut attempt = 0;
        let resp = loop {
            let req = match method {
                "GET" => self.http.get(&url),
                "DELETE" => self.http.delete(&url),
                _ => self
                    .http
                    .post(&url)
                    .json(body.as_ref().unwrap_or(&json!({}))),
            };
            match req.send().await {
                Ok(resp) => break resp,
                // A command that never connected is sent again, and so is a
                // GET that failed on the way (it changes nothing); a POST that
                // may have arrived is not (it might click twice).
                Err(e)
                    if (e.is_connect() || (method == "GET" && e.is_request())) && attempt < 3 =>
                {
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(300 * attempt)).await;
                }
                Err(e) => return Err(error_chain(&e)),
            }
        };
        let status = resp.status();
        let v: Value = resp.json().await.map_err(|e| e.to_string())?;
        if status.is_success() {
            Ok(v["value"].clone())
        } else {
            Err(v["value"].to_string())
        }
    }

    pub async fn try_find(&self, css: &str) -> Option<Element> {
        let v = self
            .call(
                "POST",
                "/element",
                Some(json!({"using": "css selector", "value": css})),
            )
            .await
            .ok()?;
        element_id(&v).map(Element)
    }

    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        self.find_all_by("css selector", css).await
    }

    async fn find_all_by(&self, using: &str, value: &str) -> Vec<Element> {
        let v = self
            .call(
                "POST",
                "/elements",
                Some(json!({"using": using, "value": value})),
            )
            .await
            .unwrap_or(Value::Null);
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| element_id(e).map(Element))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Waits until an element matching `css` is there and shown.
    pub async fn find(&self, css: &str) -> Element {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(e) = self.try_find(css).await
                && self.displayed(&e).await
            {
                return e;
            }
            if Instant::now() > deadline {
                self.fail(&format!("no element {css} within {WAIT:?}"))
                    .await;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Saves what the window shows, then fails the test.
    pub async fn fail(&self, why: &str) -> ! {
        let shot = super::screenshot_path("failure");
        if let Ok(v) = self.call("GET", "/screenshot", None).await
            && let Some(png) = v
                .as_str()
                .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        {
            let _ = std::fs::create_dir_all(shot.parent().unwrap());
            let _ = std::fs::write(&shot, png);
        }
        let script =
            "return document.body ? document.body.innerText : document.documentElement.outerHTML";
        let body = self
            .call(
                "POST",
                "/execute/sync",
                Some(json!({"script": script, "args": []})),
            )
            .await;
        panic!(
            "{why}\nthe window shows: {body:?}\nscreenshot: {}",
            shot.display()
        );
    }

    /// Opens the Element Plus select inside `css` and picks the option whose
    /// text starts with `option` (the dropdown lives elsewhere in the page;
    /// the shown one is used).
    pub async fn choose(&self, css: &str, option: &str) {
        self.click(css).await;
        let xpath = format!(
            "//li[contains(concat(' ', normalize-space(@class), ' '), ' el-select-dropdown__item ')][starts-with(normalize-space(), '{option}')]"
        );
        let deadline = Instant::now() + WAIT;
        loop {
            for e in self.find_all_by("xpath", &xpath).await {
                if self.displayed(&e).await {
                    self.click_element(&e).await;
                    return;
                }
            }
            assert!(
                Instant::now() < deadline,
                "no option {option:?} shown for {css}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until some element matching `css` shows `expected`.
    pub async fn wait_any_text(&self, css: &str, expected: &str) -> Element {
        let deadline = Instant::now() + WAIT;
        loop {
            for e in self.find_all(css).await {
                if self.element_text(&e).await.contains(expected) {
                    return e;
                }
            }
            assert!(
                Instant::now() < deadline,
                "no {css} shows {expected:?} within {WAIT:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn displayed(&self, e: &Element) -> bool {
        self.call("GET", &format!("/element/{}/displayed", e.0), None)
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false)
    }

    pub async fn click(&self, css: &str) {
        let e = self.find(css).await;
        self.click_element(&e).await;
    }

    pub async fn click_element(&self, e: &Element) {
        let deadline = Instant::now() + WAIT;
        loop {
            match self
                .call("POST", &format!("/element/{}/click", e.0), None)
                .await
            {
                Ok(_) => return,
                // Covered by an animation that is finishing: try again.
                Err(err) if Instant::now() < deadline => {
                    let _ = err;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(err) => panic!("click failed: {err}"),
            }
        }
    }

    /// Clears an input and types `text` into it.
    pub async fn fill(&self, css: &str, text: &str) {
        let e = self.find(css).await;
        let _ = self
            .call("POST", &format!("/element/{}/clear", e.0), None)
            .await;
        self.call(
            "POST",
            &format!("/element/{}/value", e.0),
            Some(json!({"text": text})),
        )
        .await
        .unwrap_or_else(|err| panic!("typing into {css}: {err}"));
    }

    /// The element that has the keyboard focus.
    pub async fn active(&self) -> Element {
        let v = self
            .call("GET", "/element/active", None)
            .await
            .unwrap_or_else(|e| panic!("no focused element: {e}"));
        Element(element_id(&v).unwrap_or_else(|| panic!("no focused element: {v}")))
    }

    /// Types `text` where the keyboard focus is, as a person does; Tab
    /// (`\u{E004}`) and Enter (`\u{E007}`) are keys like any other.
    pub async fn keys(&self, text: &str) {
        let e = self.active().await;
        self.call(
            "POST",
            &format!("/element/{}/value", e.0),
            Some(json!({"text": text})),
        )
        .await
        .unwrap_or_else(|err| panic!("typing {text:?}: {err}"));
    }

    /// What an input of `css` holds.
    pub async fn value(&self, css: &str) -> String {
        let e = self.find(css).await;
        self.call("GET", &format!("/element/{}/property/value", e.0), None)
            .await
            .unwrap_or_default()
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The test id of the focused element, or of the nearest marked element
    /// around it: where the keyboard is.
    pub async fn focus_testid(&self) -> String {
        self.script(
            "const a = document.activeElement; \
             return (a && a.closest('[data-testid]')?.dataset.testid) || ''",
        )
        .await
        .as_str()
        .unwrap_or_default()
        .to_string()
    }

    /// Waits up to `limit` for the keyboard focus to be in the element
    /// marked `testid` (or inside it): how long it took. The test fails,
    /// with a picture, when it does not come.
    pub async fn wait_focus(
        &self,
        testid: &str,
        limit: std::time::Duration,
    ) -> std::time::Duration {
        let started = std::time::Instant::now();
        loop {
            let at = self.focus_testid().await;
            if at == testid {
                return started.elapsed();
            }
            if started.elapsed() > limit {
                self.fail(&format!("the keyboard is at {at:?}, not {testid:?}"))
                    .await;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    pub async fn press_enter(&self, css: &str) {
        let e = self.find(css).await;
        self.call(
            "POST",
            &format!("/element/{}/value", e.0),
            Some(json!({"text": "\u{E007}"})),
        )
        .await
        .unwrap();
    }

    pub async fn text(&self, css: &str) -> String {
        let e = self.find(css).await;
        self.element_text(&e).await
    }

    pub async fn element_text(&self, e: &Element) -> String {
        self.call("GET", &format!("/element/{}/text", e.0), None)
            .await
            .unwrap()
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Waits until the text of `css` contains `expected`; returns the text.
    pub async fn wait_text(&self, css: &str, expected: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(e) = self.try_find(css).await {
                let t = self.element_text(&e).await;
                if t.contains(expected) {
                    return t;
                }
                assert!(
                    Instant::now() < deadline,
                    "{css} shows {t:?}, never {expected:?}"
                );
            } else {
                assert!(
                    Instant::now() < deadline,
                    "no element {css} within {WAIT:?}"
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn script(&self, js: &str) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({"script": js, "args": []})),
        )
        .await
        .unwrap()
    }

    /// Resizes the window, as a small laptop screen would leave it.
    pub async fn set_window_size(&self, width: u32, height: u32) {
        self.call(
            "POST",
            "/window/rect",
            Some(json!({"width": width, "height": height})),
        )
        .await
        .unwrap_or_else(|e| panic!("resizing the window to {width}×{height}: {e}"));
    }

    /// Saves what the window shows now, an open dialog included.
    pub async fn screenshot_now(&self, path: &Path) {
        let v = self
            .call("GET", "/screenshot", None)
            .await
            .unwrap_or_else(|e| panic!("screenshot {}: {e}", path.display()));
        let png = base64::engine::general_purpose::STANDARD
            .decode(v.as_str().unwrap())
            .unwrap();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, png).unwrap();
    }

    /// Saves what the window shows, once any dialog has finished closing.
    pub async fn screenshot(&self, path: &Path) {
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            let mut open = false;
            for e in self.find_all(".el-overlay").await {
                open |= self.displayed(&e).await;
            }
            if !open {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        self.screenshot_now(path).await;
    }

    pub async fn quit(self) {
        let _ = self.call("DELETE", "", None).await;
    }
}
