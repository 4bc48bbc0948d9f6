//! The network's database: a PostgreSQL shared by many sites (a département's France
//! Services, a network of CCAS), holding each site's anonymous daily figures
//! (`core::network`), never a ticket. A site sends a finished day as one transaction that
//! replaces what it sent of that day before, so resending changes nothing; the days it
//! sent are kept there too, so a site that was offline for days sends them all next time.
//!
//! Per month the figures are summed again in the same transaction (`network_months`): a
//! report over years reads months, not days.

use super::sql::{args, Db, PgDb, Value};
use super::{SiteLink, StoreError};
use crate::core::network::{Figure, Gathered};
use chrono::{Datelike, NaiveDate};

const TABLES: &str = "
CREATE TABLE network_figures (site TEXT NOT NULL, day TEXT NOT NULL, section TEXT NOT NULL,
    item TEXT NOT NULL, count BIGINT NOT NULL, PRIMARY KEY (site, day, section, item));
CREATE INDEX network_figures_day ON network_figures (day, section, item);
CREATE TABLE network_months (site TEXT NOT NULL, month TEXT NOT NULL, section TEXT NOT NULL,
    item TEXT NOT NULL, count BIGINT NOT NULL, PRIMARY KEY (site, month, section, item));
CREATE TABLE network_days (site TEXT NOT NULL, day TEXT NOT NULL, PRIMARY KEY (site, day));";

/// Row-level security: the owner's `network_members` says which site each role sends
/// (firmware-config/network/grant-site.sql) or that a role reads every site
/// (grant-reader.sql: the site `''`). A site's role then reads and writes its own site's
/// rows only, a reader reads all and writes none. Each role sees its own membership rows
/// only. The owner, who made the tables, is not bound by the policies.
const MEMBERS: &str = "
CREATE TABLE network_members (role NAME NOT NULL, site TEXT NOT NULL, PRIMARY KEY (role, site));
ALTER TABLE network_members ENABLE ROW LEVEL SECURITY;
CREATE POLICY network_members_own ON network_members FOR SELECT USING (role = current_user);
GRANT SELECT ON network_members TO PUBLIC;";

/// The tables a site's figures go to, each with its two policies.
const SITE_TABLES: [&str; 3] = ["network_figures", "network_months", "network_days"];

fn policies(table: &str) -> String {
    let own = "site IN (SELECT m.site FROM network_members m WHERE m.role = current_user AND m.site <> '')";
    format!(
        "ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
         CREATE POLICY {table}_read ON {table} FOR SELECT USING (
             EXISTS (SELECT 1 FROM network_members m WHERE m.role = current_user AND m.site = '') OR {own});
         CREATE POLICY {table}_own ON {table} USING ({own}) WITH CHECK ({own});"
    )
}

/// The guide's scripts (firmware-config/network/) with psql's variables filled in, as
/// `psql -v role=... -v site=...` fills them: a site's rights when `site` is given, a
/// reader's otherwise. Run by the network's owner.
pub fn grants(role: &str, site: Option<&str>) -> String {
    let literal = |s: &str| format!("'{}'", s.replace('\'', "''"));
    let script = match site {
        Some(_) => include_str!("../../firmware-config/network/grant-site.sql"),
        None => include_str!("../../firmware-config/network/grant-reader.sql"),
    };
    script
        .replace(":\"role\"", &format!("\"{}\"", role.replace('"', "\"\"")))
        .replace(":'role'", &literal(role))
        .replace(":'site'", &literal(site.unwrap_or_default()))
}

/// What a role that may not make the network's tables is told.
fn owner_needed(e: postgres::Error, what: &str) -> StoreError {
    if e.code() == Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE) {
        return StoreError::Refused {
            problem: format!("the network's database has no {what} yet, and this role may not make it ({e})"),
            fix: "run `guichet report --network` once with the network owner's settings (docs/SITE.md, section 5)"
                .into(),
        };
    }
    e.into()
}

/// The network's database, as `[network]` names it.
#[derive(Clone)]
pub struct Network {
    link: SiteLink,
}

fn month_of(day: NaiveDate) -> String {
    day.format("%Y-%m").to_string()
}

fn first_of(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

fn last_of(day: NaiveDate) -> NaiveDate {
    first_of(day).checked_add_months(chrono::Months::new(1)).and_then(|d| d.pred_opt()).unwrap_or(day)
}

impl Network {
    pub fn new(link: SiteLink) -> Network {
        Network { link }
    }

    /// A connection, the tables and their row-level security made if this is the
    /// network's first use (by a role that may make them: the network's owner,
    /// docs/SITE.md).
    pub fn connect(&self) -> Result<postgres::Client, StoreError> {
        let mut client = self.link.connect()?;
        make_once(&mut client, "network_days", TABLES, "tables")?;
        let security = MEMBERS.to_string() + &SITE_TABLES.map(policies).concat();
        make_once(&mut client, "network_members", &security, "row-level security")?;
        Ok(client)
    }
}

/// Runs `ddl` under the network's lock unless `table` is there already.
fn make_once(client: &mut postgres::Client, table: &str, ddl: &str, what: &str) -> Result<(), StoreError> {
    fn there(c: &mut impl postgres::GenericClient, table: &str) -> Result<bool, postgres::Error> {
        Ok(c.query_one("SELECT to_regclass($1) IS NOT NULL", &[&table])?.get::<_, bool>(0))
    }
    if there(client, table)? {
        return Ok(());
    }
    let mut tx = client.transaction()?;
    tx.batch_execute("SELECT pg_advisory_xact_lock(7275746)")?;
    if !there(&mut tx, table)? {
        tx.batch_execute(ddl).map_err(|e| owner_needed(e, what))?;
    }
    tx.commit()?;
    Ok(())
}

/// Replaces what `site` sent of `day` by `figures`, in one transaction.
pub fn send_day(
    client: &mut postgres::Client,
    site: &str,
    day: NaiveDate,
    figures: &[Figure],
) -> Result<(), StoreError> {
    let db = PgDb::new(client.transaction()?);
    // Any row of another site's refused by row-level security says what to do.
    write_day(&db, site, day, figures).map_err(|e| not_a_member(e, site))?;
    db.into_inner().commit()?;
    Ok(())
}

fn write_day(db: &dyn Db, site: &str, day: NaiveDate, figures: &[Figure]) -> Result<(), StoreError> {
    let d = day.to_string();
    // One sender per site at a time (a kiosk's hourly job and a technician's --send).
    db.execute("SELECT pg_advisory_xact_lock(hashtext(?1))", args![site])?;
    db.execute("DELETE FROM network_figures WHERE site = ?1 AND day = ?2", args![site, d.as_str()])?;
    for chunk in figures.chunks(200) {
        let mut sql = String::from("INSERT INTO network_figures (site, day, section, item, count) VALUES ");
        let mut params: Vec<Value> = vec![site.into(), d.as_str().into()];
        for (i, f) in chunk.iter().enumerate() {
            let n = 3 + i * 3;
            sql.push_str(&format!("{}(?1, ?2, ?{n}, ?{}, ?{})", if i > 0 { ", " } else { "" }, n + 1, n + 2));
            params.extend([f.section.as_str().into(), f.item.as_str().into(), Value::Int(Some(count(f.count)))]);
        }
        sql.push_str(" ON CONFLICT (site, day, section, item) DO UPDATE SET count = excluded.count");
        db.execute(&sql, &params)?;
    }
    let month = month_of(day);
    let (first, last) = (first_of(day).to_string(), last_of(day).to_string());
    db.execute("DELETE FROM network_months WHERE site = ?1 AND month = ?2", args![site, month.as_str()])?;
    db.execute(
        "INSERT INTO network_months (site, month, section, item, count)
         SELECT site, ?2, section, item, sum(count) FROM network_figures
         WHERE site = ?1 AND day BETWEEN ?3 AND ?4 GROUP BY site, section, item",
        args![site, month.as_str(), first.as_str(), last.as_str()],
    )?;
    db.execute("INSERT INTO network_days (site, day) VALUES (?1, ?2) ON CONFLICT DO NOTHING", args![site, d.as_str()])?;
    Ok(())
}

/// A site's figures refused by row-level security: the role was not given that site.
fn not_a_member(e: StoreError, site: &str) -> StoreError {
    match e {
        StoreError::Postgres(e) if e.code() == Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE) => {
            StoreError::Refused {
                problem: format!("the network's database refuses figures for the site \"{site}\" from this role ({e})"),
                fix: format!(
                    "the network's owner gives this role the site \"{site}\" (firmware-config/network/grant-site.sql, \
                     docs/SITE.md section 5), or [network] site names the site this role was given"
                ),
            }
        }
        e => e,
    }
}

fn count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The last day `site` sent, if any.
pub fn last_sent(db: &dyn Db, site: &str) -> Result<Option<NaiveDate>, StoreError> {
    let row = db.query_one("SELECT max(day) FROM network_days WHERE site = ?1", args![site])?;
    Ok(row.opt_text(0)?.and_then(|d| d.parse().ok()))
}

/// Sums for `from..=to`: whole months from `network_months`, the days of a month cut by
/// the span's ends from `network_figures`; visits per day too when `per_day`.
pub fn gather(db: &dyn Db, from: NaiveDate, to: NaiveDate, per_day: bool) -> Result<Gathered, StoreError> {
    // The whole months within the span, if any.
    let first_whole = if first_of(from) == from { from } else { last_of(from).succ_opt().unwrap_or(to) };
    let last_whole = if last_of(to) == to { to } else { first_of(to).pred_opt().unwrap_or(from) };
    let mut pieces: Vec<(NaiveDate, NaiveDate, bool)> = Vec::new();
    if first_whole <= last_whole {
        pieces.push((from, first_whole.pred_opt().unwrap_or(from), false));
        pieces.push((first_whole, last_whole, true));
        pieces.push((last_whole.succ_opt().unwrap_or(to), to, false));
    } else {
        pieces.push((from, to, false));
    }
    let mut g = Gathered::default();
    for (a, b, whole) in pieces.into_iter().filter(|(a, b, _)| a <= b && *a >= from && *b <= to) {
        let (table, when, lo, hi) = if whole {
            ("network_months", "month", month_of(a), month_of(b))
        } else {
            ("network_figures", "substr(day, 1, 7)", a.to_string(), b.to_string())
        };
        let span = if whole { "month BETWEEN ?1 AND ?2" } else { "day BETWEEN ?1 AND ?2" };
        let sql = format!(
            "SELECT site, section, item, sum(count)::BIGINT FROM {table} WHERE {span} GROUP BY site, section, item"
        );
        for r in db.query(&sql, args![lo.as_str(), hi.as_str()])? {
            let f = Figure { section: r.text(1)?, item: r.text(2)?, count: r.int(3)?.max(0) as u64 };
            g.figures.push((r.text(0)?, f));
        }
        let sql = format!(
            "SELECT site, {when}, sum(count)::BIGINT FROM {table}
             WHERE {span} AND section = 'total' AND item = 'visits' GROUP BY site, {when}"
        );
        for r in db.query(&sql, args![lo.as_str(), hi.as_str()])? {
            g.months.push((r.text(0)?, r.text(1)?, r.int(2)?.max(0) as u64));
        }
    }
    if per_day {
        let sql = "SELECT day, sum(count)::BIGINT FROM network_figures
                   WHERE section = 'total' AND item = 'visits' AND day BETWEEN ?1 AND ?2 GROUP BY day ORDER BY day";
        for r in db.query(sql, args![from.to_string(), to.to_string()])? {
            g.days.push((r.text(0)?, r.int(1)?.max(0) as u64));
        }
    }
    Ok(g)
}

/// What a send did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sent {
    pub days: usize,
    pub last: Option<NaiveDate>,
}

/// Sends every finished service day of the local store `local` that the network has not
/// had yet (and the last one it had again: tickets a day left open are closed after it),
/// named from `catalogue`, as site `site`. `today` is the clock's day.
pub fn catch_up(
    local: &dyn Db,
    client: &mut postgres::Client,
    site: &str,
    catalogue: &crate::core::catalogue::Catalogue,
    today: NaiveDate,
    hour_of: &dyn Fn(i64) -> u8,
) -> Result<Sent, StoreError> {
    use crate::core::{network, report};
    let Some(yesterday) = super::service_day_now(local, today)?.pred_opt() else {
        return Ok(Sent { days: 0, last: None });
    };
    let last = last_sent(&PgDb::new(client.transaction()?), site)?;
    let start = match last {
        Some(day) => day,
        None => {
            let first = local.query_one("SELECT min(service_day) FROM tickets", &[])?.opt_text(0)?;
            match first.and_then(|d| d.parse().ok()) {
                Some(day) => day,
                None => return Ok(Sent { days: 0, last }),
            }
        }
    };
    let mut sent = Sent { days: 0, last };
    let mut month = start;
    // A month of tickets read at a time: years of catching up stay small in memory.
    while month <= yesterday {
        let end = last_of(month).min(yesterday);
        let mut visits = super::report::visits(local, month, end, hour_of)?;
        report::name_from(&mut visits, catalogue);
        let kept = super::report::kept(local, month, end)?;
        let mut day = month;
        while day <= end {
            send_day(client, site, day, &network::day_figures(day, &visits, &kept))?;
            sent = Sent { days: sent.days + 1, last: Some(day) };
            day = day.succ_opt().unwrap_or(NaiveDate::MAX);
        }
        month = end.succ_opt().unwrap_or(NaiveDate::MAX);
    }
    Ok(sent)
}

#[cfg(test)]
#[path = "network_tests.rs"]
mod tests;
