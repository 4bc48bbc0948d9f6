//! A network's figures (issue 27): 50 sites × 5 years of daily figures in the network's
//! database on a throwaway cluster of Debian's server, then `guichet report --network`'s
//! reading and building over a year, the five years, a span cutting months, and one
//! month by day; and a site sending one day into that full database.

use super::table::Table;
use guichet::commands::report_network::read;
use guichet::core::network::Figure;
use guichet::store::network::{grants, send_day, Network};
use guichet::store::{Cluster, SiteLink};
use std::time::{Duration, Instant};

const SITES: u32 = 50;

/// Each weekday of each site: about 75 figures, as a France Services of 30 visits a day
/// sends (totals, 8 themes, 9 partners, outcomes, redirections, autonomy, languages, first
/// visits, 9 opening hours, 15 wait minutes and 15 service minutes).
const FILL: &str = "
INSERT INTO network_figures (site, day, section, item, count)
SELECT 'Site ' || s, d::date::text, v.section, v.item, 1 + (s * 7 + extract(doy FROM d)::int * 13 + v.k * 31) % 9
FROM generate_series(1, $SITES) s,
     generate_series('2021-12-01'::date, '2026-11-30'::date, '1 day') d,
     (SELECT * FROM (VALUES ('total', 'tickets', 1), ('total', 'visits', 2), ('total', 'no_show', 3),
        ('total', 'not_seen', 4), ('total', 'with_priority', 5)) t(section, item, k)
      UNION ALL SELECT 'theme', 'Thème ' || i, 10 + i FROM generate_series(1, 8) i
      UNION ALL SELECT 'operator', 'Partenaire ' || i, 20 + i FROM generate_series(1, 9) i
      UNION ALL SELECT 'outcome', o, 30 FROM unnest(ARRAY['done', 'redirected', 'follow_up']) o
      UNION ALL SELECT 'redirected_to', r, 34 FROM unnest(ARRAY['Mairie', 'CCAS']) r
      UNION ALL SELECT 'autonomy', a, 36 FROM unnest(ARRAY['alone', 'with_them', 'for_them', 'unknown']) a
      UNION ALL SELECT 'language', l, 40 FROM unnest(ARRAY['fr', 'ar', 'uk']) l
      UNION ALL SELECT 'first_visit', f, 44 FROM unnest(ARRAY['yes', 'no']) f
      UNION ALL SELECT 'hour', lpad(h::text, 2, '0') || 'h', 50 + h FROM generate_series(8, 16) h
      UNION ALL SELECT 'wait_min', m::text, 70 + m FROM generate_series(0, 14) m
      UNION ALL SELECT 'service_min', m::text, 90 + m FROM generate_series(5, 19) m) v
WHERE extract(isodow FROM d) < 6;
INSERT INTO network_months (site, month, section, item, count)
SELECT site, substr(day, 1, 7), section, item, sum(count) FROM network_figures GROUP BY 1, 2, 3, 4;
INSERT INTO network_days (site, day) SELECT DISTINCT site, day FROM network_figures;
ANALYZE;";

fn day(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap_or_default()
}

pub fn run(t: &mut Table) {
    let Ok(dir) = tempfile::Builder::new().prefix("guichet-bench-network-").tempdir().map(|d| d.keep()) else {
        return t.missing("network report", "no temporary folder".into());
    };
    let cluster = match Cluster::start(&dir) {
        Ok(c) => c,
        Err(e) => return t.missing("network report", e),
    };
    // Read as the guide's reader role and sent as a site's role: both through row-level
    // security, as a coordinator and a site do (the owner is not bound by it).
    let made = cluster.create_database("network").map_err(|e| e.to_string()).and_then(|conninfo| {
        let as_role = |role: &str| {
            SiteLink::new(&cluster.conninfo_as("network", role), None).map(Network::new).map_err(|e| e.to_string())
        };
        let owner = Network::new(SiteLink::new(&conninfo, None).map_err(|e| e.to_string())?);
        let mut client = owner.connect().map_err(|e| e.to_string())?;
        let start = Instant::now();
        client.batch_execute(&FILL.replace("$SITES", &SITES.to_string())).map_err(|e| e.to_string())?;
        let roles = format!(
            "CREATE ROLE lecture LOGIN; CREATE ROLE site_7 LOGIN; {} {}",
            grants("lecture", None),
            grants("site_7", Some("Site 7"))
        );
        client.batch_execute(&roles).map_err(|e| e.to_string())?;
        let rows: i64 =
            client.query_one("SELECT count(*) FROM network_figures", &[]).map_err(|e| e.to_string())?.get(0);
        println!("network: {rows} daily figures of {SITES} sites over 5 years made in {:.0?}", start.elapsed());
        Ok((as_role("lecture")?, as_role("site_7")?, rows))
    });
    let (network, site, rows) = match made {
        Ok(n) => n,
        Err(e) => return t.missing("network report", e),
    };
    let spans = [
        ("a year (2025)", "2025-01-01", "2025-12-31"),
        ("5 years", "2021-12-01", "2026-11-30"),
        ("a span cutting months (2022-03-15 → 2026-11-20)", "2022-03-15", "2026-11-20"),
        ("a month cut by its ends, by day (2026-11-03 → 2026-11-27)", "2026-11-03", "2026-11-27"),
    ];
    for (what, from, to) in spans {
        // The first run warms the server's cache, as a second report would find it.
        let mut times: Vec<Duration> = Vec::new();
        let mut visits = 0;
        for _ in 0..5 {
            let start = Instant::now();
            match read(&network, day(from), day(to)) {
                Ok(r) => visits = r.all.visits,
                Err(e) => return t.missing(format!("network report over {what}"), format!("{e:#}")),
            }
            times.push(start.elapsed());
        }
        times.sort();
        let worst = times[times.len() - 1].as_secs_f64() * 1000.0;
        t.at_most(
            format!("network report, {SITES} sites ({rows} daily figures in 5 years), over {what}"),
            format!(
                "median {:.0} ms, worst {worst:.0} ms of 5 (connect, read, build; {visits} visits)",
                times[2].as_secs_f64() * 1000.0
            ),
            worst,
            1000.0,
            "≤ 1 s",
        );
    }
    let figures: Vec<Figure> =
        (0..75).map(|i| Figure { section: "theme".into(), item: format!("Thème {i}"), count: 1 + i % 4 }).collect();
    let mut times: Vec<Duration> = Vec::new();
    if let Ok(mut client) = site.connect() {
        for d in 1..=20 {
            let start = Instant::now();
            if let Err(e) = send_day(&mut client, "Site 7", day(&format!("2026-11-{d:02}")), &figures) {
                return t.missing("a site sends a day", e.to_string());
            }
            times.push(start.elapsed());
        }
    }
    times.sort();
    if let Some(worst) = times.last() {
        t.track(
            "network: a site sends one day (75 figures, its month summed again) into the full database",
            format!(
                "median {:.1} ms, worst {:.1} ms of {}",
                times[times.len() / 2].as_secs_f64() * 1000.0,
                worst.as_secs_f64() * 1000.0,
                times.len()
            ),
        );
    }
}
