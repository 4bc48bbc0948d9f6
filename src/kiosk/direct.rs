//! Screens put up directly, without a visit: `guichet screenshot`, benchmarks and checks.

use super::ticket::{self, IssueContext, TicketView};
use super::{Done, Kiosk};
use crate::core::journey::{Event, Screen};
use crate::core::lang::Lang;
use crate::store::Store;

impl Kiosk {
    /// Shows a screen directly with plausible choices (screenshots).
    pub fn show(&self, screen: Screen, lang: Lang) {
        self.show_for(screen, lang, None);
    }

    /// Shows a screen directly for the procedure of this id (its summary, its ticket);
    /// false, and nothing shown, when the catalogue has no such procedure.
    pub fn show_procedure(&self, screen: Screen, lang: Lang, id: &str) -> bool {
        let Some(at) = self.inner.cat.procedure_index(id) else { return false };
        self.show_for(screen, lang, Some(at));
        true
    }

    fn show_for(&self, screen: Screen, lang: Lang, at: Option<(usize, usize)>) {
        {
            let mut st = self.inner.state.borrow_mut();
            st.journey.handle(Event::ChooseLanguage(lang), &self.inner.cat);
            match at {
                Some(at) => st.journey.show_procedure(screen, &self.inner.cat, at),
                None => st.journey.show(screen, &self.inner.cat),
            }
        }
        self.inner.set_language(lang);
        self.inner.handle(Event::Touch);
    }

    /// The summary shown, as after a ticket that could not be saved (screenshots): nothing
    /// is issued.
    pub fn show_failed_ticket(&self) {
        // The journey's own issue request is dropped, as the issuer's answer is forged.
        let _ = self.inner.state.borrow_mut().journey.handle(Event::GetTicket, &self.inner.cat);
        self.inner.on_done(Done::Failed);
    }

    /// Issues a ticket for the current choices on this thread and shows it
    /// (screenshots and benchmarks; the visitor path uses the issuer thread).
    pub fn issue_now(&self, store: &Store, ctx: &IssueContext) -> Result<TicketView, crate::store::StoreError> {
        let req =
            self.inner.state.borrow().journey.request(&self.inner.cat).ok_or(crate::store::StoreError::NotFound)?;
        let (_, view) = ticket::issue(store, &self.inner.cat, ctx, &req)?;
        // The journey's own issue request is dropped: the ticket was issued just above.
        let _ = self.inner.state.borrow_mut().journey.handle(Event::GetTicket, &self.inner.cat);
        self.inner.on_done(Done::Issued(Box::new(view.clone()), true));
        self.inner.on_done(Done::Printed(true));
        Ok(view)
    }
}
