"""The SQLite file is a public interface: a database written by claimkit
opens read-only in Python's sqlite3 module, and its schema is exactly the
one docs/schema.md documents."""
import re
import sqlite3

import pytest


def readonly(path):
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def statements(sql):
    """CREATE statements, whitespace folded, without trailing semicolons."""
    out = []
    for stmt in sql.split(";"):
        stmt = " ".join(stmt.split())
        if stmt:
            out.append(stmt)
    return out


def documented_schema(source_dir):
    section = (source_dir / "docs" / "schema.md").read_text(encoding="utf-8")
    assert section.startswith("# Schema\n") and "\n## " not in section
    blocks = re.findall(r"```sql\n(.*?)```", section, re.S)
    assert blocks, "docs/schema.md has no sql block"
    return statements("\n".join(blocks))


def test_the_database_opens_read_only_in_python(database):
    con = readonly(database)
    assert con.execute("PRAGMA user_version").fetchone() == (3,)
    assert con.execute("PRAGMA application_id").fetchone() == (0x436B4442,)
    n = con.execute("SELECT count(*) FROM views").fetchone()[0]
    assert n > 0
    with pytest.raises(sqlite3.OperationalError):
        con.execute("DELETE FROM claims")


def test_the_documented_schema_is_the_files_schema(database, source_dir):
    con = readonly(database)
    stored = [" ".join(sql.split()) for (sql,) in con.execute(
        "SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY rowid")]
    assert documented_schema(source_dir) == stored


def test_latest_view_per_actor_is_an_index_lookup(database):
    con = readonly(database)
    plan = " ".join(row[-1] for row in con.execute(
        "EXPLAIN QUERY PLAN SELECT actor, stance FROM claims "
        "WHERE kind = 'view' AND question = ? ORDER BY actor, as_of, seq",
        ("open-closed-parity",)))
    assert "claims_view_key" in plan


def test_observations_of_a_key_are_an_index_lookup(database):
    con = readonly(database)
    plan = " ".join(row[-1] for row in con.execute(
        "EXPLAIN QUERY PLAN SELECT value FROM claims WHERE kind = 'observation' "
        "AND entity = ? AND metric = ? AND period = ?",
        ("deepseek", "aa-index", "2026-03")))
    assert "claims_observation_key" in plan


def test_a_consensus_reads_one_row_per_actor(database):
    con = readonly(database)
    plan = " ".join(row[-1] for row in con.execute(
        "EXPLAIN QUERY PLAN SELECT actor, stance, weight FROM latest_views "
        "WHERE question = ? ORDER BY actor", ("open-closed-parity",)))
    assert "PRIMARY KEY" in plan and "TEMP B-TREE" not in plan
    counted = con.execute("SELECT count(*) FROM latest_views WHERE question = ?",
                          ("open-closed-parity",)).fetchone()[0]
    actors = con.execute("SELECT count(DISTINCT actor) FROM claims WHERE question = ?",
                         ("open-closed-parity",)).fetchone()[0]
    assert counted == actors


def test_every_record_keeps_its_json(database):
    con = readonly(database)
    import json
    for table in ("sources", "actors", "entities", "metrics", "frameworks",
                  "questions", "claims"):
        for (record,) in con.execute(f"SELECT record FROM {table}"):
            assert isinstance(json.loads(record), dict)
