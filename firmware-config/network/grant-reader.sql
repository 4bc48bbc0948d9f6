-- A reader's role on the network's database (the network's coordinator, a console that
-- shows the whole network): it reads every site's figures and changes none. Run by the
-- network's owner once the tables exist (docs/SITE.md, section 5):
--   psql -v role=reseau_lecture -f grant-reader.sql reseau
-- The role itself is made first: CREATE ROLE reseau_lecture LOGIN PASSWORD '...';
GRANT USAGE ON SCHEMA public TO :"role";
GRANT SELECT ON network_figures, network_months, network_days TO :"role";
INSERT INTO network_members (role, site) VALUES (:'role', '') ON CONFLICT DO NOTHING;
