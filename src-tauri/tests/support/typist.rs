//! A mediator at the keyboard, for the intake's timing. Every action done
//! in the real window through WebDriver is also counted as the operators of
//! the keystroke-level model (Card, Moran & Newell, 1980), so that the time
//! a person would take can be worked out for typists of different speeds.
//! The keys go where the keyboard focus is, as a person's do: a wrong Tab
//! order, a drop-down that does not filter, an Enter that does not save
//! would put the text in the wrong place, and the checks after the save
//! would fail.

use super::webdriver::Driver;
use std::time::{Duration, Instant};

/// The operators of one task, and what the app itself took.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Tally {
    /// Keystrokes: Latin letters, digits, Tab, Enter (K).
    pub keys: u32,
    /// Chinese characters and punctuation, typed through an input method.
    pub hanzi: u32,
    /// Pointing at something with the mouse (P).
    pub points: u32,
    /// Mouse clicks (BB).
    pub clicks: u32,
    /// A hand moving between keyboard and mouse (H).
    pub homes: u32,
    /// Mental preparation: deciding what comes next, reading a number off
    /// the ID card a chunk at a time (M).
    pub mentals: u32,
    /// Of `hanzi`, those of the dispute's or the visit's own words (facts,
    /// requests, what a visit found), as against names and places.
    pub words: u32,
    /// What the app took while the person waited: the form to open, the
    /// save to be confirmed (R).
    pub app_ms: f64,
}

pub struct Typist<'a> {
    d: &'a Driver,
    pub tally: Tally,
    on_keyboard: bool,
}

impl<'a> Typist<'a> {
    /// Starts with the hand on the mouse.
    pub fn new(d: &'a Driver) -> Self {
        Typist {
            d,
            tally: Tally::default(),
            on_keyboard: false,
        }
    }

    pub fn think(&mut self, times: u32) {
        self.tally.mentals += times;
    }

    fn hand_on_keyboard(&mut self) {
        if !self.on_keyboard {
            self.tally.homes += 1;
            self.on_keyboard = true;
        }
    }

    pub async fn click(&mut self, css: &str) {
        if self.on_keyboard {
            self.tally.homes += 1;
            self.on_keyboard = false;
        }
        self.tally.points += 1;
        self.tally.clicks += 1;
        self.d.click(css).await;
    }

    /// Types `text` where the focus is: ASCII a key a character, anything
    /// else a character through the input method.
    pub async fn type_text(&mut self, text: &str) {
        self.hand_on_keyboard();
        for c in text.chars() {
            if c.is_ascii() {
                self.tally.keys += 1;
            } else {
                self.tally.hanzi += 1;
            }
        }
        self.d.keys(text).await;
    }

    /// Types the task's own words (counted in `words` as well).
    pub async fn type_words(&mut self, text: &str) {
        self.tally.words += text.chars().filter(|c| !c.is_ascii()).count() as u32;
        self.type_text(text).await;
    }

    /// One key (an arrow: `\u{E015}` is ↓).
    pub async fn key(&mut self, key: &str) {
        self.hand_on_keyboard();
        self.tally.keys += 1;
        self.d.keys(key).await;
    }

    /// Waits for the app to move the keyboard focus into `testid`; the wait
    /// is the app's.
    pub async fn wait_focus(&mut self, testid: &str) {
        let took = self.d.wait_focus(testid, Duration::from_secs(10)).await;
        self.tally.app_ms += took.as_secs_f64() * 1000.0;
    }

    /// From wherever the app is: 登记, then the typical dispute's type,
    /// facts and requests, as far as the parties.
    async fn the_dispute(&mut self) {
        self.think(1);
        self.click("[data-testid=menu-intake]").await;
        self.wait_text("[data-testid=intake]", "登记纠纷").await;
        // The form opens with the cursor in 纠纷类型; typing filters the
        // list and Enter takes the first match.
        self.expect_focus("intake-dispute-type").await;
        self.think(1);
        self.type_text(DISPUTE_TYPE).await;
        self.enter().await;
        // 来源 (当事人申请) and the rest of the first rows keep their defaults.
        self.think(1);
        self.click("[data-testid=intake-facts]").await;
        self.type_words(FACTS).await;
        self.tab(1).await;
        self.expect_focus("intake-requests").await;
        self.think(1);
        self.type_words(REQUESTS).await;
    }

    /// Enter saves the form: the operators and the case number shown.
    async fn save(mut self) -> (Tally, String) {
        self.think(1);
        self.enter().await;
        let number = self
            .wait_text("[data-testid=intake-success-number]", "人调字第")
            .await;
        (self.tally, number)
    }

    pub async fn tab(&mut self, times: u32) {
        self.hand_on_keyboard();
        self.tally.keys += times;
        for _ in 0..times {
            self.d.keys("\u{E004}").await;
        }
    }

    pub async fn enter(&mut self) {
        self.hand_on_keyboard();
        self.tally.keys += 1;
        self.d.keys("\u{E007}").await;
    }

    /// Waits for the app to show `expected` in `css`; the wait is the app's.
    pub async fn wait_text(&mut self, css: &str, expected: &str) -> String {
        let started = Instant::now();
        let text = self.d.wait_text(css, expected).await;
        self.tally.app_ms += started.elapsed().as_secs_f64() * 1000.0;
        text
    }

    /// The keyboard focus is in the field marked `testid` (not counted: a
    /// person sees where the cursor is). A click's focus can land a frame
    /// after WebDriver answers (the page scrolls the field into view
    /// first): up to a second is allowed for it.
    pub async fn expect_focus(&self, testid: &str) {
        self.d.wait_focus(testid, Duration::from_secs(1)).await;
    }
}

/// One side of the typical dispute, as the mediator types it: the address
/// after the village's name, which the field starts with.
pub struct TypicalParty {
    pub name: &'static str,
    pub id_number: &'static str,
    pub phone: &'static str,
    pub address_after_village: &'static str,
}

/// The typical village dispute: a neighbours' quarrel over a wall, two
/// parties with their ID cards and phones, a sentence of facts and one of
/// what is asked.
pub const DISPUTE_TYPE: &str = "邻里";
pub const FACTS: &str = "张三与李秀兰因宅基地边界围墙发生争执，双方多次推搡";
pub const REQUESTS: &str = "要求李秀兰拆除越界围墙";
pub const PARTIES: [TypicalParty; 2] = [
    TypicalParty {
        name: "张三",
        id_number: "430302195807120030",
        phone: "13800138000",
        address_after_village: "三组",
    },
    TypicalParty {
        name: "李秀兰",
        id_number: "430302196203050048",
        phone: "13907310000",
        address_after_village: "五组",
    },
];

/// Registers the typical dispute from 今日工作, as a mediator who knows the
/// form would: the mouse to open the form and to jump to a field the Tab
/// key does not reach quickly, the keyboard for the rest. Returns the
/// operators and the case number shown.
pub async fn register_typical_dispute(d: &Driver) -> (Tally, String) {
    let mut t = Typist::new(d);
    t.the_dispute().await;
    for (i, p) in PARTIES.iter().enumerate() {
        if i == 0 {
            // Past 重点人员 and the party's 删除 link.
            t.tab(3).await;
        } else {
            t.think(1);
            t.click(&format!("[data-testid=party-{i}-name]")).await;
        }
        t.expect_focus(&format!("party-{i}-name")).await;
        t.think(1);
        t.type_text(p.name).await;
        t.tab(1).await;
        t.expect_focus(&format!("party-{i}-id-number")).await;
        // Read off the card in four chunks (6-4-4-4).
        t.think(4);
        t.type_text(p.id_number).await;
        t.tab(1).await;
        t.expect_focus(&format!("party-{i}-phone")).await;
        t.think(3);
        t.type_text(p.phone).await;
        t.tab(1).await;
        t.expect_focus(&format!("party-{i}-address")).await;
        t.think(1);
        t.type_text(p.address_after_village).await;
    }
    t.save().await
}

/// Registers the typical dispute again, its two parties now known to the
/// ledger (registered before): each party's name, then Enter on the offer
/// that comes up takes what was registered of them (ID number, phone,
/// address) and moves on. The dispute's own words are typed as before.
pub async fn register_known_dispute(d: &Driver) -> (Tally, String) {
    let mut t = Typist::new(d);
    t.the_dispute().await;
    t.tab(3).await;
    for (i, p) in PARTIES.iter().enumerate() {
        t.expect_focus(&format!("party-{i}-name")).await;
        t.think(1);
        t.type_text(p.name).await;
        t.tab(1).await;
        // The offer of who this is takes the keyboard: read it (the
        // numbers masked), Enter takes it.
        t.wait_focus(&format!("party-{i}-known-use-0")).await;
        // (Not the typist's: the offer shows the numbers masked.)
        let offer = d.text(&format!("[data-testid=party-{i}-known]")).await;
        let masked = format!("{}**********{}", &p.id_number[..4], &p.id_number[14..]);
        if !offer.contains(&masked) || offer.contains(p.id_number) {
            d.fail(&format!("the offer shows {offer:?}")).await;
        }
        t.think(1);
        t.enter().await;
    }
    // The last party filled, the keyboard is in its address: Enter saves.
    t.wait_focus(&format!("party-{}-address", PARTIES.len() - 1))
        .await;
    t.save().await
}

/// What a visit found, as the follow-up benchmark records it: typed in
/// full, or taken from the earlier wording the field offers.
pub const FINDING: &str = "双方情绪平稳，未再发生新的冲突";

/// Records the first due visit on 今日工作, the list open and its 回访
/// button focused: Enter opens the dialog at 回访情况; the finding typed
/// in full, or (`taken`) picked from what earlier visits wrote (↓, Enter);
/// Enter saves. Returns when the case has left the list.
pub async fn record_visit(d: &Driver, number: &str, taken: bool) -> Tally {
    let mut t = Typist::new(d);
    t.on_keyboard = true;
    t.wait_focus("today-visit").await;
    // Which case this is.
    t.think(1);
    t.enter().await;
    t.wait_focus("dialog-followup-performance").await;
    // What the visit found.
    t.think(1);
    if taken {
        t.wait_text("[data-testid=dialog-followup-performance-offer]", FINDING)
            .await;
        t.key("\u{E015}").await;
        t.enter().await;
        // Read back before saving.
        t.think(1);
    } else {
        t.type_words(FINDING).await;
    }
    t.enter().await;
    let started = Instant::now();
    loop {
        let rows = d
            .script(
                "return [...document.querySelectorAll('[data-testid=today-due-row]')] \
                 .map((e) => e.textContent).join('\\n')",
            )
            .await;
        if !rows.as_str().unwrap_or_default().contains(number) {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "{number} is still due after its visit"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    t.tally.app_ms += started.elapsed().as_secs_f64() * 1000.0;
    t.tally
}

/// A village ledger with two red cases whose daily visits are due, in the
/// order 今日工作 lists them: one graded two days ago and not visited since
/// (overdue), one visited yesterday, when the visit found `FINDING`.
pub fn village_with_visits_due(db: &std::path::Path) -> [String; 2] {
    let mut l = super::village_ledger(db);
    let never = super::red_case_overdue(&mut l, "刘红兵", "陈建国");
    let yesterday = super::red_case_overdue(&mut l, "赵德亮", "赵德明");
    l.follow_up(
        yesterday.id,
        tiaojie_ledger::store::FollowUpInput {
            on: Some(chrono::Local::now().date_naive() - chrono::Days::new(1)),
            visitor: "王秀英".into(),
            performance: FINDING.into(),
            ..Default::default()
        },
    )
    .unwrap();
    [never.number, yesterday.number]
}
