use super::*;
use crate::core::catalogue::tests::sample;

fn walk(j: &mut Journey, cat: &Catalogue, events: &[Event]) -> Vec<Effect> {
    events.iter().flat_map(|e| j.handle(e.clone(), cat)).collect()
}

#[test]
fn full_journey_asks_for_a_ticket_with_the_choices() {
    let cat = sample();
    let mut j = Journey::new(IdlePolicy::default());
    assert_eq!(j.screen(), Screen::Attract);
    let effects = walk(
        &mut j,
        &cat,
        &[
            Event::Start,
            Event::ChooseLanguage(Lang::En),
            Event::ChooseTheme(0),
            Event::ChooseProcedure(1),
            Event::ToggleHave(0),
            Event::HaveDone,
            Event::ChoosePriority(1),
            Event::GetTicket,
        ],
    );
    assert_eq!(
        effects,
        vec![Effect::IssueTicket(TicketRequest {
            theme: "papiers".into(),
            procedure: "passeport".into(),
            queue: 'A',
            lang: Lang::En,
            have: vec!["email".into()],
            priority: Some("mobility".into()),
        })]
    );
    assert!(j.issuing());
    assert!(j.handle(Event::GetTicket, &cat).is_empty(), "no second ticket while issuing");
    j.handle(Event::TicketIssued, &cat);
    assert_eq!(j.screen(), Screen::Ticket);
    assert_eq!(j.handle(Event::Finish, &cat), vec![Effect::Reset]);
    assert_eq!(j.screen(), Screen::Attract);
    assert_eq!(j.lang(), Lang::Fr, "reset restores French");
    assert!(j.have().is_empty() && j.theme().is_none());
}

#[test]
fn back_goes_one_step_and_out_of_range_choices_are_ignored() {
    let cat = sample();
    let mut j = Journey::new(IdlePolicy::default());
    walk(&mut j, &cat, &[Event::Start, Event::ChooseLanguage(Lang::Fr), Event::ChooseTheme(9)]);
    assert_eq!(j.screen(), Screen::Theme);
    walk(&mut j, &cat, &[Event::ChooseTheme(0), Event::Back]);
    assert_eq!(j.screen(), Screen::Theme);
    walk(&mut j, &cat, &[Event::Back, Event::Back]);
    assert_eq!(j.screen(), Screen::Attract);
}

#[test]
fn toggling_have_twice_removes_it() {
    let cat = sample();
    let mut j = Journey::new(IdlePolicy::default());
    j.show(Screen::Have, &cat);
    j.have.clear();
    walk(&mut j, &cat, &[Event::ToggleHave(0), Event::ToggleHave(0)]);
    assert!(j.have().is_empty());
}

#[test]
fn failed_ticket_stays_on_summary_and_can_retry() {
    let cat = sample();
    let mut j = Journey::new(IdlePolicy::default());
    j.show(Screen::Summary, &cat);
    assert_eq!(j.handle(Event::GetTicket, &cat).len(), 1);
    j.handle(Event::TicketFailed, &cat);
    assert_eq!(j.screen(), Screen::Summary);
    assert!(j.ticket_failed() && !j.issuing());
    assert_eq!(j.handle(Event::GetTicket, &cat).len(), 1, "retry allowed");
}

#[test]
fn inactivity_warns_then_resets_and_more_time_extends() {
    let cat = sample();
    let policy = IdlePolicy { timeout: 60, warning: 25, ticket_timeout: 30 };
    let mut j = Journey::new(policy);
    walk(&mut j, &cat, &[Event::Start]);
    for _ in 0..34 {
        j.handle(Event::Tick, &cat);
    }
    assert_eq!(j.warning(), None);
    j.handle(Event::Tick, &cat);
    assert_eq!(j.warning(), Some(25), "warned 25 s before the reset");
    for n in 1..=12 {
        j.handle(Event::MoreTime, &cat);
        assert_eq!(j.warning(), None);
        assert_eq!(j.extensions(), n);
        for _ in 0..40 {
            j.handle(Event::Tick, &cat);
        }
        assert_eq!(j.screen(), Screen::Language, "extension {n} kept the visit");
    }
    let mut reset = Vec::new();
    for _ in 0..60 {
        reset.extend(j.handle(Event::Tick, &cat));
    }
    assert_eq!(reset, vec![Effect::Reset]);
    assert_eq!(j.screen(), Screen::Attract);
    assert_eq!(j.warning(), None, "no warning on the attract screen");
}

#[test]
fn language_can_change_on_any_screen() {
    let cat = sample();
    let mut j = Journey::new(IdlePolicy::default());
    j.show(Screen::Procedure, &cat);
    j.handle(Event::ChooseLanguage(Lang::Ar), &cat);
    assert_eq!((j.screen(), j.lang()), (Screen::Procedure, Lang::Ar));
}

#[test]
fn a_finger_down_on_the_warning_keeps_it_until_an_answer() {
    let cat = sample();
    let policy = IdlePolicy { timeout: 60, warning: 25, ticket_timeout: 40 };
    let mut j = Journey::new(policy);
    walk(&mut j, &cat, &[Event::Start, Event::ChooseLanguage(Lang::Fr)]);
    j.handle(Event::Touch, &cat);
    assert_eq!(j.warning(), None);
    for _ in 0..40 {
        j.handle(Event::Tick, &cat);
    }
    assert_eq!(j.warning(), Some(20));
    // The press of the warning's own button: the warning stays under the finger.
    j.handle(Event::Touch, &cat);
    assert_eq!(j.warning(), Some(20));
    j.handle(Event::MoreTime, &cat);
    assert_eq!(j.warning(), None);
    assert_eq!(j.screen(), Screen::Theme);
}

#[test]
fn a_screen_is_put_up_for_the_procedure_asked_and_its_theme() {
    let cat = sample();
    let at = cat.procedure_index("passeport").expect("the sample has it");
    assert_eq!(at, (0, 1));
    let mut j = Journey::new(IdlePolicy::default());
    j.show_procedure(Screen::Summary, &cat, at);
    let req = j.request(&cat).expect("a whole request");
    assert_eq!((req.theme.as_str(), req.procedure.as_str()), ("papiers", "passeport"));
    // The procedure list shows the theme; no procedure is chosen yet there.
    let mut j = Journey::new(IdlePolicy::default());
    j.show_procedure(Screen::Procedure, &cat, at);
    assert_eq!((j.theme(), j.procedure()), (Some(0), None));
    // A place the catalogue does not have leaves the plain plausible choices.
    let mut j = Journey::new(IdlePolicy::default());
    j.show_procedure(Screen::Summary, &cat, (9, 9));
    assert_eq!((j.theme(), j.procedure()), (Some(0), Some(0)));
    assert_eq!(cat.procedure_index("nothing-like-it"), None);
}
