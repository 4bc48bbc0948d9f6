-- The rights of one kiosk (or desk PC) on the site's database, and no more: it reads and
-- writes the queue's rows; it cannot make, change or drop a table, nor read another
-- database. Run by the database's owner once the tables exist (docs/SITE.md):
--   psql -v role=kiosk_entree -f grant-kiosk.sql guichet
-- The role itself is made first: CREATE ROLE kiosk_entree LOGIN PASSWORD '...';
GRANT USAGE ON SCHEMA public TO :"role";
GRANT SELECT, INSERT, UPDATE ON tickets, counters, settings, calls, audit, kept, staff TO :"role";
-- Calls of past days, old audit entries and removed staff accounts go.
GRANT DELETE ON calls, audit, staff TO :"role";
