//! Every page of the staff console judged from outside (tests/browser/audit.mjs): the
//! HTML by html-validate, the page in Debian's chromium by axe-core at desktop size, at
//! 200 % zoom and on a phone, and by Lighthouse's accessibility audit (score 100), with a
//! day's queue behind it (ten people waiting, two with a priority, one called to a desk, the kiosk asking
//! for help), and a network of two sites whose figures the report's network page shows
//! (photographed at desktop and phone size: GUICHET_BROWSER_SHOTS keeps the pictures).

use super::browser::{issue_context, request, Run};
use guichet::core::journey::TicketRequest;
use guichet::core::lang::Lang;
use guichet::kiosk::ticket;
use guichet::staff::{self, Console, ConsoleConfig};
use guichet::store::{Role, Store};
use std::sync::Arc;
use std::time::Instant;

const NAME: &str = "claire";
const PASSWORD: &str = "Mimosa en fleur 7";
/// The network's page on the month its sites sent.
const NETWORK_PAGE: &str = "/rapport/reseau?from=2026-11-01&to=2026-11-30";

/// A morning's tickets: ten waiting, in four languages, two with a priority.
fn a_morning(store: &Store, public_url: &str) -> Vec<String> {
    let catalogue = guichet::assets::load_catalogue(None).expect("the built-in catalogue");
    let context = issue_context(public_url);
    let langs = [Lang::Fr, Lang::Ar, Lang::Uk, Lang::Fr, Lang::Tr];
    (0..11)
        .map(|i| {
            let request = TicketRequest {
                have: if i % 3 == 0 { vec!["id-card".into()] } else { vec![] },
                priority: (i % 5 == 2).then(|| "mobility".to_string()),
                ..request(langs[i % langs.len()])
            };
            let (_, view) = ticket::issue(store, &catalogue, &context, &request).expect("a ticket is issued");
            view.url
        })
        .collect()
}

#[test]
fn every_console_page_passes_html_validate_axe_core_and_lighthouse() {
    let began = Instant::now();
    let run = Run::start();
    let store = Store::open(&run.dir.path().join("guichet.sqlite")).expect("a temporary store");
    let hash = staff::hash_password(PASSWORD).expect("a password hash");
    store.add_staff(NAME.into(), hash, Role::Admin).wait().expect("an admin account");
    let board_key = store.new_board_key().wait().expect("a board key");
    let catalogue = Arc::new(guichet::assets::load_catalogue(None).expect("the built-in catalogue"));
    let config = ConsoleConfig { site_name: "France Services de test".into(), ..ConsoleConfig::default() };
    // A network: two sites sent their November.
    let network = crate::network_sites::NetworkDb::start();
    network.site("France Services de Murat", &[2, 3, 4, 5, 9, 10, 12, 16, 17, 18, 23, 24], 5, 0);
    network.site("France Services de Condat", &[2, 3, 5, 6, 9, 12, 13, 16, 17, 19, 20, 26], 7, 3);
    let console = Console::new(store.clone(), catalogue, config).with_network(network.network.clone());
    let server = staff::spawn(console, "127.0.0.1:0".parse().expect("an address")).expect("the console starts");
    let base = format!("http://{}", server.addr);
    let tickets = a_morning(&store, &base);
    let ticket_path = tickets[0].strip_prefix(&base).expect("the ticket's address is the console's").to_string();
    // One visitor called to a desk (the ticket page then shows its actions), and the kiosk
    // asking for help (a banner on every page).
    let called = store.call_next("Bureau 2".into(), None).wait().expect("a ticket called");
    let called_path = format!("/t/{}", called.token);
    store.call_help("Borne 1".into(), "Accueil".into()).wait().expect("a call for help");

    let pages = [
        "/login",
        "/",
        &ticket_path,
        &called_path,
        "/borne",
        "/rapport",
        NETWORK_PAGE,
        "/admin",
        &format!("/admin/compte?name={NAME}"),
        "/admin/journal",
        "/admin/tableau",
        &format!("/board?key={board_key}"),
    ];
    let env = run.env([
        ("GUICHET_BASE_URL", base.clone()),
        ("GUICHET_STAFF_NAME", NAME.to_string()),
        ("GUICHET_STAFF_PASSWORD", PASSWORD.to_string()),
        ("GUICHET_PAGES", pages.join("\n")),
        ("GUICHET_SHOOT", NETWORK_PAGE.to_string()),
    ]);
    run.script("audit.mjs", &env);
    server.stop();
    println!("console audit: {} pages in {:.1} s", pages.len(), began.elapsed().as_secs_f64());
}
