/*
** hub_schema.h -- the hub's PostgreSQL schema, version 1 (docs/hub.md
** shows it; tests/hub/test_hub.py checks that the two agree).
**
** One table holds every claim and record, keyed by kind and id, with the
** version a change raises, the hub sequence number a pull reads from, and
** the roles that pushed and last changed it; views show each kind with
** columns, for BI tools.  Row-level security lets a role change only the
** rows it pushed, and a member of claimkit_reviewer every row.
*/
#ifndef CK_HUB_SCHEMA_H
#define CK_HUB_SCHEMA_H

#define CK_HUB_LOCK 1131110466 /* "CkDB": the advisory lock of a push */

#define CK_HUB_SCHEMA                                                          \
  "CREATE TABLE claimkit_hub(\n"                                              \
  "  key text PRIMARY KEY, value text NOT NULL);\n"                           \
  "CREATE SEQUENCE claimkit_seq;\n"                                           \
  "CREATE TABLE records(\n"                                                   \
  "  kind text NOT NULL CHECK (kind IN ('framework', 'source', 'actor',\n"    \
  "    'entity', 'metric', 'question', 'script', 'claim', 'retraction')),\n"  \
  "  id text NOT NULL,\n"                                                     \
  "  version integer NOT NULL DEFAULT 1,\n"                                   \
  "  seq bigint NOT NULL DEFAULT nextval('claimkit_seq') UNIQUE,\n"           \
  "  record text NOT NULL,\n"                                                 \
  "  explicit_id boolean NOT NULL DEFAULT false,\n"                           \
  "  pushed_by name NOT NULL DEFAULT current_user,\n"                         \
  "  pushed_at timestamptz NOT NULL DEFAULT now(),\n"                         \
  "  changed_by name NOT NULL DEFAULT current_user,\n"                        \
  "  changed_at timestamptz NOT NULL DEFAULT now(),\n"                        \
  "  PRIMARY KEY (kind, id));\n"                                              \
  "CREATE FUNCTION claimkit_is_reviewer() RETURNS boolean STABLE\n"           \
  "  LANGUAGE sql AS $$ SELECT EXISTS (SELECT 1 FROM pg_roles r\n"            \
  "  WHERE r.rolname = 'claimkit_reviewer'\n"                                 \
  "    AND pg_has_role(current_user, r.oid, 'MEMBER')) $$;\n"                 \
  "CREATE FUNCTION claimkit_may_retract(claim text) RETURNS boolean\n"        \
  "  STABLE LANGUAGE sql AS $$ SELECT claimkit_is_reviewer() OR EXISTS\n"     \
  "  (SELECT 1 FROM records WHERE kind = 'claim' AND id = claim\n"            \
  "   AND pushed_by = current_user) $$;\n"                                    \
  "ALTER TABLE records ENABLE ROW LEVEL SECURITY;\n"                          \
  "ALTER TABLE records FORCE ROW LEVEL SECURITY;\n"                           \
  "CREATE POLICY hub_read ON records FOR SELECT USING (true);\n"              \
  "CREATE POLICY hub_push ON records FOR INSERT WITH CHECK (\n"               \
  "  pushed_by = current_user AND changed_by = current_user AND\n"            \
  "  (kind <> 'retraction' OR claimkit_may_retract(id)));\n"                  \
  "CREATE POLICY hub_change ON records FOR UPDATE\n"                          \
  "  USING (kind <> 'retraction' AND\n"                                       \
  "         (pushed_by = current_user OR claimkit_is_reviewer()))\n"          \
  "  WITH CHECK (changed_by = current_user);\n"                               \
  "CREATE FUNCTION claimkit_retract(claim text) RETURNS void\n"               \
  "  LANGUAGE plpgsql AS $$ BEGIN\n"                                          \
  "  PERFORM pg_advisory_xact_lock(1131110466);\n"                            \
  "  IF NOT EXISTS (SELECT 1 FROM records WHERE kind = 'claim'\n"             \
  "                 AND id = claim) THEN\n"                                   \
  "    RAISE EXCEPTION 'the hub holds no claim %', claim;\n"                  \
  "  END IF;\n"                                                               \
  "  INSERT INTO records(kind, id, record) VALUES ('retraction', claim,\n"    \
  "    json_build_object('retracts', claim)::text)\n"                         \
  "    ON CONFLICT DO NOTHING;\n"                                             \
  "END $$;\n"                                                                 \
  "CREATE VIEW claims AS\n"                                                   \
  "  SELECT r.id, CASE WHEN j ? 'question' THEN 'view'\n"                     \
  "         ELSE 'observation' END AS kind,\n"                                \
  "    j->>'source' AS source, j->>'actor' AS actor,\n"                       \
  "    j->>'locator' AS locator, j->>'quote' AS quote,\n"                     \
  "    j->>'as_of' AS as_of, j->'tags' AS tags,\n"                            \
  "    j->>'question' AS question, (j->>'stance')::integer AS stance,\n"      \
  "    j->>'entity' AS entity, j->>'metric' AS metric,\n"                     \
  "    j->>'period' AS period,\n"                                             \
  "    COALESCE((j->>'value')::float8,\n"                                     \
  "             ((j->>'lo')::float8 + (j->>'hi')::float8) / 2) AS value,\n"   \
  "    (j->>'lo')::float8 AS lo, (j->>'hi')::float8 AS hi,\n"                 \
  "    j->>'quantity' AS quantity, j->>'unit' AS unit,\n"                     \
  "    r.version, r.seq, r.pushed_by, r.pushed_at\n"                          \
  "  FROM records r CROSS JOIN LATERAL (SELECT r.record::jsonb AS j) x\n"     \
  "  WHERE r.kind = 'claim' AND NOT EXISTS (SELECT 1 FROM records t\n"        \
  "    WHERE t.kind = 'retraction' AND t.id = r.id);\n"                       \
  "CREATE VIEW retractions AS\n"                                              \
  "  SELECT id AS claim, seq, pushed_by AS retracted_by,\n"                   \
  "         pushed_at AS retracted_at\n"                                      \
  "  FROM records WHERE kind = 'retraction';\n"                               \
  "CREATE VIEW actors AS\n"                                                   \
  "  SELECT r.id, j->>'name' AS name, j->>'region' AS region,\n"              \
  "    j->>'kind' AS kind, COALESCE((j->>'weight')::float8, 1) AS weight,\n"  \
  "    r.version, r.pushed_by, r.changed_by\n"                                \
  "  FROM records r CROSS JOIN LATERAL (SELECT r.record::jsonb AS j) x\n"     \
  "  WHERE r.kind = 'actor';\n"                                               \
  "CREATE VIEW sources AS\n"                                                  \
  "  SELECT r.id, j->>'title' AS title, j->>'kind' AS kind,\n"                \
  "    j->>'publisher' AS publisher, j->>'published' AS published,\n"         \
  "    j->>'lang' AS lang, r.version, r.pushed_by, r.changed_by\n"            \
  "  FROM records r CROSS JOIN LATERAL (SELECT r.record::jsonb AS j) x\n"     \
  "  WHERE r.kind = 'source';\n"                                              \
  "CREATE VIEW entities AS\n"                                                 \
  "  SELECT r.id, j->>'name' AS name, j->>'kind' AS kind,\n"                  \
  "    j->>'parent' AS parent, r.version, r.pushed_by, r.changed_by\n"        \
  "  FROM records r CROSS JOIN LATERAL (SELECT r.record::jsonb AS j) x\n"     \
  "  WHERE r.kind = 'entity';\n"                                              \
  "CREATE VIEW metrics AS\n"                                                  \
  "  SELECT r.id, j->>'name' AS name, j->>'unit' AS unit,\n"                  \
  "    j->>'framework' AS framework, r.version, r.pushed_by, r.changed_by\n"  \
  "  FROM records r CROSS JOIN LATERAL (SELECT r.record::jsonb AS j) x\n"     \
  "  WHERE r.kind = 'metric';\n"                                              \
  "CREATE VIEW questions AS\n"                                                \
  "  SELECT r.id, j->>'text' AS text, j->>'framework' AS framework,\n"        \
  "    (j->'scale'->>0)::integer AS scale_min,\n"                             \
  "    (j->'scale'->>1)::integer AS scale_max,\n"                             \
  "    r.version, r.pushed_by, r.changed_by\n"                                \
  "  FROM records r CROSS JOIN LATERAL (SELECT r.record::jsonb AS j) x\n"     \
  "  WHERE r.kind = 'question';\n"                                            \
  "CREATE VIEW frameworks AS\n"                                               \
  "  SELECT r.id, j->>'name' AS name, r.version, r.pushed_by, r.changed_by\n" \
  "  FROM records r CROSS JOIN LATERAL (SELECT r.record::jsonb AS j) x\n"     \
  "  WHERE r.kind = 'framework';\n"                                           \
  "GRANT SELECT ON claimkit_hub, records, claims, retractions, actors,\n"     \
  "  sources, entities, metrics, questions, frameworks TO PUBLIC;\n"          \
  "GRANT INSERT ON records TO PUBLIC;\n"                                      \
  "GRANT UPDATE (record, version, seq, changed_by, changed_at)\n"             \
  "  ON records TO PUBLIC;\n"                                                 \
  "GRANT USAGE ON SEQUENCE claimkit_seq TO PUBLIC;\n"

#endif
