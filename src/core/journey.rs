//! The visitor's journey: which screen is shown, what was chosen, and the inactivity
//! rules. A pure state machine: events in, effects out; no IO, no clock (the adapter
//! sends one `Tick` a second).

use super::catalogue::Catalogue;
use super::lang::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Screen {
    Attract,
    Language,
    Theme,
    Procedure,
    Have,
    Priority,
    Summary,
    Ticket,
}

impl Screen {
    pub const ALL: [Screen; 8] = [
        Screen::Attract,
        Screen::Language,
        Screen::Theme,
        Screen::Procedure,
        Screen::Have,
        Screen::Priority,
        Screen::Summary,
        Screen::Ticket,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Screen::Attract => "attract",
            Screen::Language => "language",
            Screen::Theme => "theme",
            Screen::Procedure => "procedure",
            Screen::Have => "have",
            Screen::Priority => "priority",
            Screen::Summary => "summary",
            Screen::Ticket => "ticket",
        }
    }

    pub fn from_name(name: &str) -> Option<Screen> {
        Screen::ALL.into_iter().find(|s| s.name() == name)
    }

    fn previous(self) -> Screen {
        match self {
            Screen::Attract | Screen::Language => Screen::Attract,
            Screen::Theme => Screen::Language,
            Screen::Procedure => Screen::Theme,
            Screen::Have => Screen::Procedure,
            Screen::Priority => Screen::Have,
            Screen::Summary => Screen::Priority,
            Screen::Ticket => Screen::Attract,
        }
    }
}

/// Inactivity timings, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdlePolicy {
    /// Silence before the visit is reset, on question screens.
    pub timeout: u32,
    /// The warning shows this long before the reset (EN 301 549 asks ≥ 20 s).
    pub warning: u32,
    /// How long the ticket stays on screen before the next visitor.
    pub ticket_timeout: u32,
}

impl Default for IdlePolicy {
    fn default() -> Self {
        IdlePolicy { timeout: 120, warning: 30, ticket_timeout: 60 }
    }
}

/// What the visitor does (or the adapter reports).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Start,
    ChooseLanguage(Lang),
    ChooseTheme(usize),
    ChooseProcedure(usize),
    ToggleHave(usize),
    HaveDone,
    ChoosePriority(usize),
    GetTicket,
    TicketIssued,
    TicketFailed,
    Back,
    Help(bool),
    /// A finger down anywhere: restarts the inactivity count, except while the warning
    /// shows: there only an answer counts (a button of the warning), so the warning stays
    /// under the finger until its button is released and does what it says.
    Touch,
    /// An action with no rule of its own (settings, volume): restarts the count.
    Activity,
    /// "I need more time" on the warning.
    MoreTime,
    /// "I have finished" on the ticket screen.
    Finish,
    Tick,
}

/// What the journey asks the adapter to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Issue a ticket for the current choices (the adapter commits it off the UI thread).
    IssueTicket(TicketRequest),
    /// The visit is over: wipe everything visible and restore the defaults.
    Reset,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketRequest {
    pub theme: String,
    pub procedure: String,
    pub queue: char,
    pub lang: Lang,
    pub have: Vec<String>,
    pub priority: Option<String>,
}

/// One visit. Read it through the accessors; change it only with [`Journey::handle`].
#[derive(Debug, Clone, Default)]
pub struct Journey {
    policy: IdlePolicy,
    screen: Option<Screen>,
    lang: Lang,
    theme: Option<usize>,
    procedure: Option<usize>,
    have: Vec<usize>,
    priority: Option<usize>,
    help: bool,
    issuing: bool,
    ticket_failed: bool,
    idle: u32,
    extensions: u32,
}

impl Journey {
    pub fn new(policy: IdlePolicy) -> Journey {
        Journey { policy, ..Journey::default() }
    }

    pub fn screen(&self) -> Screen {
        self.screen.unwrap_or(Screen::Attract)
    }
    pub fn lang(&self) -> Lang {
        self.lang
    }
    pub fn theme(&self) -> Option<usize> {
        self.theme
    }
    pub fn procedure(&self) -> Option<usize> {
        self.procedure
    }
    pub fn have(&self) -> &[usize] {
        &self.have
    }
    pub fn priority(&self) -> Option<usize> {
        self.priority
    }
    pub fn help_open(&self) -> bool {
        self.help
    }
    pub fn issuing(&self) -> bool {
        self.issuing
    }
    pub fn ticket_failed(&self) -> bool {
        self.ticket_failed
    }
    pub fn extensions(&self) -> u32 {
        self.extensions
    }

    fn timeout(&self) -> u32 {
        if self.screen() == Screen::Ticket {
            self.policy.ticket_timeout
        } else {
            self.policy.timeout
        }
    }

    /// Seconds left before the reset, when the warning is showing.
    pub fn warning(&self) -> Option<u32> {
        let left = self.timeout().saturating_sub(self.idle);
        (self.screen() != Screen::Attract && left <= self.policy.warning).then_some(left)
    }

    /// Puts a screen up directly, with plausible choices (for screenshots and tests).
    pub fn show(&mut self, screen: Screen, cat: &Catalogue) {
        self.screen = Some(screen);
        let has_theme = !cat.themes.is_empty();
        if screen as u8 >= Screen::Procedure as u8 && has_theme {
            self.theme = Some(0);
        }
        if screen as u8 >= Screen::Have as u8 && has_theme {
            self.procedure = Some(0);
        }
        if screen as u8 >= Screen::Priority as u8 && !cat.have.is_empty() {
            self.have = vec![0];
        }
        if screen as u8 >= Screen::Summary as u8 && !cat.priority.is_empty() {
            self.priority = Some(0);
        }
    }

    /// Puts a screen up as `show` does, for the procedure at `(theme, procedure)`
    /// (`Catalogue::procedure_index`): every theme's list, every procedure's summary and
    /// ticket, in checks.
    pub fn show_procedure(&mut self, screen: Screen, cat: &Catalogue, (theme, procedure): (usize, usize)) {
        self.show(screen, cat);
        if cat.themes.get(theme).is_none_or(|t| procedure >= t.procedures.len()) {
            return;
        }
        if screen as u8 >= Screen::Procedure as u8 {
            self.theme = Some(theme);
        }
        if screen as u8 >= Screen::Have as u8 {
            self.procedure = Some(procedure);
        }
    }

    fn go(&mut self, screen: Screen) {
        self.screen = Some(screen);
        self.help = false;
    }

    fn reset(&mut self) -> Vec<Effect> {
        *self = Journey::new(self.policy);
        vec![Effect::Reset]
    }

    /// Applies one event and returns what the adapter must do.
    pub fn handle(&mut self, event: Event, cat: &Catalogue) -> Vec<Effect> {
        let answer_awaited = event == Event::Touch && self.warning().is_some();
        if event != Event::Tick && !answer_awaited {
            self.idle = 0;
        }
        let screen = self.screen();
        match event {
            Event::Tick if screen != Screen::Attract && !self.issuing => {
                self.idle += 1;
                if self.idle >= self.timeout() {
                    return self.reset();
                }
            }
            Event::Tick | Event::Touch | Event::Activity => {}
            Event::MoreTime => self.extensions += 1,
            Event::Start if screen == Screen::Attract => self.go(Screen::Language),
            Event::ChooseLanguage(lang) => {
                self.lang = lang;
                if screen == Screen::Language {
                    self.go(Screen::Theme);
                }
            }
            Event::ChooseTheme(i) if screen == Screen::Theme && i < cat.themes.len() => {
                if self.theme != Some(i) {
                    self.procedure = None;
                }
                self.theme = Some(i);
                self.go(Screen::Procedure);
            }
            Event::ChooseProcedure(i) if screen == Screen::Procedure => {
                let count = self.theme.and_then(|t| cat.themes.get(t)).map_or(0, |t| t.procedures.len());
                if i < count {
                    self.procedure = Some(i);
                    self.go(Screen::Have);
                }
            }
            Event::ToggleHave(i) if screen == Screen::Have && i < cat.have.len() => {
                match self.have.iter().position(|h| *h == i) {
                    Some(pos) => {
                        self.have.remove(pos);
                    }
                    None => {
                        self.have.push(i);
                        self.have.sort_unstable();
                    }
                }
            }
            Event::HaveDone if screen == Screen::Have => self.go(Screen::Priority),
            Event::ChoosePriority(i) if screen == Screen::Priority && i < cat.priority.len() => {
                self.priority = Some(i);
                self.go(Screen::Summary);
            }
            Event::GetTicket if screen == Screen::Summary && !self.issuing => {
                if let Some(request) = self.request(cat) {
                    self.issuing = true;
                    self.ticket_failed = false;
                    return vec![Effect::IssueTicket(request)];
                }
            }
            Event::TicketIssued if self.issuing => {
                self.issuing = false;
                self.go(Screen::Ticket);
            }
            Event::TicketFailed if self.issuing => {
                self.issuing = false;
                self.ticket_failed = true;
            }
            Event::Back if !self.issuing => {
                self.ticket_failed = false;
                if screen == Screen::Attract || screen == Screen::Ticket {
                    return self.reset();
                }
                self.go(screen.previous());
            }
            Event::Help(open) => self.help = open,
            Event::Finish if screen == Screen::Ticket => return self.reset(),
            _ => {}
        }
        Vec::new()
    }

    /// The ticket request for the current choices, if they are complete.
    pub fn request(&self, cat: &Catalogue) -> Option<TicketRequest> {
        let theme = cat.themes.get(self.theme?)?;
        let procedure = theme.procedures.get(self.procedure?)?;
        let priority = cat.priority.get(self.priority?)?;
        Some(TicketRequest {
            theme: theme.id.clone(),
            procedure: procedure.id.clone(),
            queue: theme.queue,
            lang: self.lang,
            have: self.have.iter().filter_map(|i| cat.have.get(*i)).map(|h| h.id.clone()).collect(),
            priority: (priority.id != "none").then(|| priority.id.clone()),
        })
    }
}

#[cfg(test)]
#[path = "journey_tests.rs"]
mod tests;
