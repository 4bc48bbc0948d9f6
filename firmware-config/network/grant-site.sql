-- One site's role on the network's database: it sends its own site's daily figures and
-- reads them back; it can neither read nor change another site's rows (row-level
-- security), nor make, change or drop a table. Run by the network's owner once the
-- tables exist (docs/SITE.md, section 5):
--   psql -v role=fs_murat -v site='France Services de Murat' -f grant-site.sql reseau
-- `site` is the name the site's kiosks send: their `[network] site` (or `site_name`).
-- The role itself is made first: CREATE ROLE fs_murat LOGIN PASSWORD '...';
GRANT USAGE ON SCHEMA public TO :"role";
GRANT SELECT, INSERT, UPDATE, DELETE ON network_figures, network_months, network_days TO :"role";
INSERT INTO network_members (role, site) VALUES (:'role', :'site') ON CONFLICT DO NOTHING;
