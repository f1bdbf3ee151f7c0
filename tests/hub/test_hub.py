"""A desk's hub (docs/hub.md): ck_sync against a real PostgreSQL server that
the tests start (hubpg.py).  Convergence of four analysts syncing in random
order, a conflicting edit refused and resolved, roles, killed syncs, and
hubs that are unreachable, refuse the password, are newer or are no hub."""
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

import claimkit
import hubpg

ROUNDS = int(os.environ.get("CK_HUB_ROUNDS", "20"))
KILLS = int(os.environ.get("CK_HUB_KILLS", "8"))


@pytest.fixture(scope="module")
def server():
    s = hubpg.Server()
    yield s
    s.stop()


_dbs = iter(range(10**6))


@pytest.fixture
def hub(server):
    name = f"desk{next(_dbs)}"
    server.createdb(name)
    return name


def records(rng):
    """The desk's codebook: the same in every analyst's packs."""
    return {
        "frameworks": [{"id": "tech", "name": "Tech"}],
        "sources": [{"id": f"s{i}", "title": f"Call {i}", "published": f"2026-0{i + 1}-15"}
                    for i in range(4)],
        "actors": [{"id": f"a{i}", "name": f"Broker {i}",
                    "region": "domestic" if i % 2 else "overseas"} for i in range(6)],
        "entities": [{"id": "deepseek", "name": "DeepSeek"}],
        "metrics": [{"id": "revenue", "name": "Revenue", "unit": "CNY", "framework": "tech"}],
        "questions": [{"id": f"q{i}", "text": f"Question {i}?", "framework": "tech",
                       "scale": [-2, 2]} for i in range(3)],
    }


def claims(rng, analyst, n):
    out = []
    for _ in range(n):
        c = {"source": f"s{analyst}", "actor": f"a{rng.randrange(6)}",
             "locator": f"{rng.randrange(60)}:{rng.randrange(60):02d}",
             "as_of": f"2026-0{rng.randrange(1, 10)}-1{rng.randrange(10)}"}
        if rng.random() < 0.5:
            c.update(question=f"q{rng.randrange(3)}", stance=rng.randrange(-2, 3))
        else:
            c.update(entity="deepseek", metric="revenue", period=f"2026-Q{rng.randrange(1, 5)}",
                     value=round(rng.uniform(1, 100), 2))
        out.append(c)
    if analyst == 2:  # a claim with an explicit id, versioned on the hub
        out.append({"id": "call-note-2", "source": "s2", "actor": "a1", "question": "q0",
                    "stance": rng.randrange(-2, 3)})
    return out


def hub_state(server, db):
    return server.psql(db, "SELECT kind, id, version, record FROM records "
                           "ORDER BY kind, id").stdout


def test_four_analysts_converge_and_a_conflict_is_refused(server, hub, tmp_path):
    rng = random.Random(25)
    url = server.conninfo(hub)
    dbs = [claimkit.open(str(tmp_path / f"analyst{i}.db")) for i in range(4)]
    for i, db in enumerate(dbs):
        db.import_pack(dict(records(rng), claims=claims(rng, i, 30)))
    conflict_round = ROUNDS // 2
    for rnd in range(ROUNDS):
        i = rng.randrange(4)
        if rng.random() < 0.5:
            dbs[i].import_pack({"claims": claims(rng, i, rng.randrange(1, 8))})
        if rnd == conflict_round:
            # Analysts 0 and 1 both change actor a3 from the version they hold.
            dbs[0].sync(url)
            dbs[1].sync(url)
            dbs[0].import_pack({"actors": [{"id": "a3", "name": "Broker Three (0)"}]})
            dbs[1].import_pack({"actors": [{"id": "a3", "name": "Broker Three (1)"}]})
            dbs[0].sync(url)
            before = dbs[1].export()
            with pytest.raises(claimkit.InvalidError) as e:
                dbs[1].sync(url)
            msg = str(e.value)
            assert "actor 'a3'" in msg and "version 2" in msg and "version 1" in msg, msg
            assert dbs[1].export() == before  # the file is untouched
            assert "Broker Three (0)" in hub_state(server, hub)
            # Resolved: a pull takes the hub's version, the edit is made again
            # on it and pushed.
            dbs[1].sync(url, only="pull")
            assert "Broker Three (0)" in dbs[1].export()
            dbs[1].import_pack({"actors": [{"id": "a3", "name": "Broker Three (1)"}]})
            dbs[1].sync(url)
            assert "Broker Three (1)" in hub_state(server, hub)
            continue
        dbs[i].sync(url)
    for _ in range(2):
        for db in dbs:
            db.sync(url)
    exports = [db.export() for db in dbs]
    assert all(x == exports[0] for x in exports)
    fresh = claimkit.open(str(tmp_path / "fresh.db"))
    fresh.sync(url)
    assert fresh.export() == exports[0]  # the hub holds exactly the same
    pack = json.loads(exports[0])
    n = int(server.psql(hub, "SELECT count(*) FROM claims").stdout)
    assert n == len(pack["claims"]) > 120
    assert "Broker Three (1)" in exports[0]
    # Syncing again changes nothing on either side.
    state = hub_state(server, hub)
    dbs[2].sync(url)
    assert hub_state(server, hub) == state and dbs[2].export() == exports[0]
    assert server.psql(hub, "SELECT version FROM records WHERE kind = 'actor' "
                            "AND id = 'a3'").stdout.strip() == "3"


def test_analysts_syncing_at_the_same_time_converge(server, hub, tmp_path):
    """Pushes run one at a time (an advisory lock), so a pull that read up
    to a sequence number never misses a row committed later below it."""
    import threading
    rng = random.Random(4)
    url = server.conninfo(hub)
    dbs = []
    for i in range(4):
        db = claimkit.open(str(tmp_path / f"t{i}.db"))
        db.import_pack(dict(records(rng), claims=claims(rng, (0, 1, 3, 0)[i], 200)))
        dbs.append(db)
    packs = [[{"claims": claims(rng, (0, 1, 3, 0)[i], 50)} for _ in range(5)] for i in range(4)]
    errors = []

    def analyst(i):
        try:
            for pack in packs[i]:
                dbs[i].import_pack(pack)
                dbs[i].sync(url)
        except Exception as e:  # reported below, with the thread's number
            errors.append((i, e))

    threads = [threading.Thread(target=analyst, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for db in dbs:
        db.sync(url)
    exports = [db.export() for db in dbs]
    assert all(x == exports[0] for x in exports)
    assert len(json.loads(exports[0])["claims"]) == int(
        server.psql(hub, "SELECT count(*) FROM claims").stdout) > 1000


def make_roles(server):
    server.psql("postgres", """DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'alice') THEN
        CREATE ROLE alice LOGIN PASSWORD 'pa'; CREATE ROLE bob LOGIN PASSWORD 'pb';
        CREATE ROLE carol LOGIN PASSWORD 'pc';
      END IF;
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'claimkit_reviewer') THEN
        CREATE ROLE claimkit_reviewer NOLOGIN;
      END IF;
      GRANT claimkit_reviewer TO carol; END $$""")


def test_roles_change_only_their_own_and_a_reviewer_all(server, tmp_path):
    make_roles(server)
    hub = f"desk{next(_dbs)}"
    server.createdb(hub, owner="alice")
    alice_url = server.conninfo(hub, "alice", "pa")
    bob_url = server.conninfo(hub, "bob", "pb")
    carol_url = server.conninfo(hub, "carol", "pc")
    rng = random.Random(7)
    alice = claimkit.open(str(tmp_path / "alice.db"))
    alice.import_pack(dict(records(rng), claims=claims(rng, 0, 10)))
    alice.sync(alice_url)  # makes the hub
    bob = claimkit.open(str(tmp_path / "bob.db"))
    bob.sync(bob_url)
    assert server.psql(hub, "SELECT DISTINCT pushed_by FROM records").stdout.strip() == "alice"
    # bob may not change alice's actor: refused, his file untouched.
    bob.import_pack({"actors": [{"id": "a2", "name": "Bob's name"}]})
    before = bob.export()
    with pytest.raises(claimkit.InvalidError, match="pushed by role alice: role bob"):
        bob.sync(bob_url)
    assert bob.export() == before
    assert "Bob's name" not in hub_state(server, hub)
    # Around claimkit, the hub itself refuses him.
    claim = json.loads(alice.export())["claims"][0]["id"]
    r = server.psql(hub, f"SELECT claimkit_retract('{claim}')", "bob", "pb", check=False)
    assert r.returncode != 0 and "row-level security" in r.stderr
    r = server.psql(hub, "UPDATE records SET record = '{}', changed_by = current_user "
                         "WHERE kind = 'actor' AND id = 'a2' RETURNING id", "bob", "pb")
    assert r.stdout.strip() == ""  # no row of alice's is his to update
    r = server.psql(hub, "UPDATE records SET pushed_by = 'bob'", "bob", "pb", check=False)
    assert r.returncode != 0 and "permission denied" in r.stderr
    # A pull takes the hub's version back; bob's own claims are his.
    bob.sync(bob_url, only="pull")
    assert "Bob's name" not in bob.export() and bob.export() == alice.export()
    bob.import_pack({"claims": claims(rng, 1, 3)})
    bob.sync(bob_url)
    assert server.psql(hub, "SELECT count(*) FROM records WHERE pushed_by = 'bob'").stdout.strip() == "3"
    # carol reviews: she changes alice's actor and retracts alice's claim.
    carol = claimkit.open(str(tmp_path / "carol.db"))
    carol.sync(carol_url)
    carol.import_pack({"actors": [{"id": "a2", "name": "Reviewed name"}]})
    carol.sync(carol_url)
    server.psql(hub, f"SELECT claimkit_retract('{claim}')", "carol", "pc")
    alice.sync(alice_url)
    carol.sync(carol_url)
    for db in (alice, carol):
        text = db.export()
        assert "Reviewed name" in text and claim not in text
    assert server.psql(hub, "SELECT pushed_by, changed_by, version FROM records WHERE "
                            "kind = 'actor' AND id = 'a2'").stdout.strip() == "alice|carol|2"
    assert server.psql(hub, f"SELECT count(*) FROM claims WHERE id = '{claim}'").stdout.strip() == "0"
    assert server.psql(hub, f"SELECT retracted_by FROM retractions WHERE claim = '{claim}'"
                       ).stdout.strip() == "carol"


def file_state(path):
    """What a refused sync must leave as it was: the file's schema and data."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        schema = con.execute("SELECT name FROM sqlite_schema ORDER BY name").fetchall()
        claims = con.execute("SELECT id, record FROM claims ORDER BY id").fetchall()
        return schema, claims
    finally:
        con.close()


@pytest.mark.parametrize("case", ["unreachable", "refused", "password", "newer", "not-a-hub"])
def test_bad_hubs_change_nothing(server, tmp_path, case):
    make_roles(server)
    path = str(tmp_path / "a.db")
    db = claimkit.open(path)
    db.import_pack(dict(records(random.Random(1)), claims=claims(random.Random(1), 0, 5)))
    db.close()
    before = file_state(path)
    name = f"desk{next(_dbs)}"
    if case == "unreachable":
        url, err, words = f"host={tmp_path}/nowhere dbname=x", claimkit.IoError, "No such file"
    elif case == "refused":
        url, err, words = "postgresql://127.0.0.1:1/x", claimkit.IoError, "refused"
    elif case == "password":
        server.createdb(name)
        url, err, words = server.conninfo(name, "alice", "wrong"), claimkit.IoError, \
            "password authentication failed"
    elif case == "newer":
        server.createdb(name)
        other = claimkit.open(":memory:")
        other.sync(server.conninfo(name))
        server.psql(name, "UPDATE claimkit_hub SET value = '2' WHERE key = 'schema_version'")
        url, err, words = server.conninfo(name), claimkit.OtherError, "hub schema version 2, newer"
    else:
        server.createdb(name)
        server.psql(name, "CREATE TABLE ledger(id int)")
        url, err, words = server.conninfo(name), claimkit.OtherError, "is not a claimkit hub"
    db = claimkit.open(path)
    with pytest.raises(err) as e:
        db.sync(url)
    assert words in str(e.value) and "nothing changed" in str(e.value), str(e.value)
    db.close()
    assert file_state(path) == before


def test_conninfo_terms(server, hub, tmp_path):
    db = claimkit.open(str(tmp_path / "a.db"))
    with pytest.raises(claimkit.InvalidError, match="only=both: expected only=pull or only=push"):
        db.sync(server.conninfo(hub) + " only=both")
    db.import_pack(dict(records(random.Random(3)), claims=claims(random.Random(3), 0, 4)))
    db.sync(server.conninfo(hub), only="pull")  # nothing pushed
    assert server.psql(hub, "SELECT count(*) FROM records").stdout.strip() == "0"
    db.sync(server.conninfo(hub), only="push")
    assert int(server.psql(hub, "SELECT count(*) FROM claims").stdout) == 4
    # A pull alone keeps what the file knows it pushed: the next push sends
    # only what is new.
    db.sync(server.conninfo(hub), only="pull")
    con = sqlite3.connect(str(tmp_path / "a.db"))
    pushed, = con.execute("SELECT value FROM claimkit_hub_sync WHERE key = 'pushed'").fetchone()
    assert pushed == con.execute("SELECT max(seq) FROM claims").fetchone()[0]
    con.close()


SYNC_CHILD = """
import sys, claimkit
db = claimkit.open(sys.argv[1])
print("ready", flush=True)
sys.stdin.readline()
db.sync(sys.argv[2])
"""


def test_killed_syncs_leave_each_side_before_or_after(server, hub, tmp_path):
    rng = random.Random(50)
    url = server.conninfo(hub)
    seed = claimkit.open(str(tmp_path / "seed.db"))
    seed.import_pack(dict(records(rng), claims=claims(rng, 0, 2000)))
    seed.sync(url)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(sys.path)
    env["TMPDIR"] = str(tmp_path / "tmp")
    os.mkdir(env["TMPDIR"])
    outcomes = set()
    for k in range(KILLS):
        path = str(tmp_path / f"k{k}.db")
        ref_path = str(tmp_path / f"k{k}-ref.db")
        db = claimkit.open(path)
        db.import_pack(dict(records(rng), claims=claims(rng, (0, 1, 3)[k % 3], 1500)))
        db.close()
        with open(path, "rb") as f, open(ref_path, "wb") as g:
            g.write(f.read())
        file_before = claimkit.open(path).export()
        hub_before = hub_state(server, hub)
        child = subprocess.Popen([sys.executable, "-c", SYNC_CHILD, path, url], env=env,
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert child.stdout.readline().strip() == "ready"
        child.stdin.write("go\n")
        child.stdin.flush()
        time.sleep(rng.uniform(0.0, 0.6))
        child.send_signal(signal.SIGKILL)
        child.wait()
        # The hub: a killed session's transaction is gone once PostgreSQL
        # notices; wait for its backend to end.
        for _ in range(100):
            if server.psql(hub, "SELECT count(*) FROM pg_stat_activity WHERE datname = "
                                "current_database() AND pid <> pg_backend_pid()"
                           ).stdout.strip() == "0":
                break
            time.sleep(0.05)
        hub_killed = hub_state(server, hub)
        con = sqlite3.connect(path)
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        con.close()
        file_killed = claimkit.open(path).export()
        ref = claimkit.open(ref_path)
        ref.sync(url)
        hub_after = hub_state(server, hub)
        assert hub_killed in (hub_before, hub_after)
        assert file_killed in (file_before, ref.export())
        outcomes.add(("push done" if hub_killed == hub_after != hub_before else "push not done",
                      "pull done" if file_killed == ref.export() != file_before else "pull not done"))
        db = claimkit.open(path)
        db.sync(url)
        assert db.export() == ref.export()
        assert hub_state(server, hub) == hub_after
        db.close()
    assert os.listdir(env["TMPDIR"]) == []  # the pull's stream has no name
    print("killed syncs left:", sorted(outcomes))
    # The kills fell in more than one place (the sync takes ~0.5 s here).
    assert len(outcomes) >= 2


def test_console_and_lua_sync(server, hub, tmp_path, build_dir):
    a = claimkit.open(str(tmp_path / "a.db"))
    a.import_pack(dict(records(random.Random(9)), claims=claims(random.Random(9), 0, 6)))
    a.close()
    console = str(build_dir / "lua" / "claimkit-lua")
    r = subprocess.run([console, "-d", str(tmp_path / "a.db"), "sync", server.conninfo(hub)],
                       capture_output=True, text=True)
    assert r.returncode == 0 and "synced: 6 claims" in r.stdout, r.stderr
    r = subprocess.run([console, "-d", str(tmp_path / "b.db"), "sync", "--pull",
                        server.conninfo(hub)], capture_output=True, text=True)
    assert r.returncode == 0 and "synced: 6 claims" in r.stdout, r.stderr
    r = subprocess.run([console, "-d", str(tmp_path / "c.db"), "sync",
                        "host=/nowhere dbname=x"], capture_output=True, text=True)
    assert r.returncode == 1 and "nothing changed" in r.stderr
    # The Lua module's db:sync.
    script = tmp_path / "sync.lua"
    script.write_text("local db = require('claimkit').open(arg[1])\n"
                      "db:sync(arg[2])\n"
                      "print(pcall(db.sync, db, 'host=/nowhere dbname=x'))\n")
    lua = subprocess.run(
        ["lua5.4", str(script), str(tmp_path / "l.db"), server.conninfo(hub)],
        capture_output=True, text=True,
        env=dict(os.environ, LUA_CPATH=str(build_dir / "lua" / "?.so") + ";;"))
    assert lua.returncode == 0, lua.stderr
    assert claimkit.open(str(tmp_path / "l.db")).export() == claimkit.open(
        str(tmp_path / "a.db")).export()
    assert "false" in lua.stdout and "nothing changed" in lua.stdout
    # hub.c under memcheck: a push, a pull, a refused push.
    memcheck = ["valgrind", "-q", "--leak-check=full", "--errors-for-leak-kinds=definite",
                "--error-exitcode=99", console]
    b = claimkit.open(str(tmp_path / "b.db"))
    b.import_pack({"actors": [{"id": "a1", "name": "from b"}],
                   "claims": claims(random.Random(2), 1, 3)})
    b.close()
    r = subprocess.run(memcheck + ["-d", str(tmp_path / "b.db"), "sync", server.conninfo(hub)],
                       capture_output=True, text=True)
    assert r.returncode == 0 and "synced: 9 claims" in r.stdout, r.stderr
    a = claimkit.open(str(tmp_path / "a.db"))
    a.import_pack({"actors": [{"id": "a1", "name": "from a"}]})
    r = subprocess.run(memcheck + ["-d", str(tmp_path / "a.db"), "sync", server.conninfo(hub)],
                       capture_output=True, text=True)
    assert r.returncode == 1 and "actor 'a1': the hub holds version 2" in r.stderr, r.stderr


def test_a_filter_limits_the_pull(server, hub, tmp_path):
    rng = random.Random(11)
    url = server.conninfo(hub)
    a = claimkit.open(str(tmp_path / "a.db"))
    pack = records(rng)
    pack["frameworks"].append({"id": "macro", "name": "Macro"})
    pack["questions"].append({"id": "qm", "text": "Rates?", "framework": "macro",
                              "scale": [-1, 1]})
    pack["claims"] = claims(rng, 0, 40) + claims(rng, 1, 40) + [
        {"source": "s3", "actor": "a0", "question": "qm", "stance": s, "locator": f"{s}"}
        for s in (-1, 0, 1)]
    a.import_pack(pack)
    a.sync(url)
    every = json.loads(a.export())["claims"]

    def pulled(terms, path):
        db = claimkit.open(str(tmp_path / path))
        db.sync(url + " " + terms)
        return db, json.loads(db.export())["claims"]

    _, got = pulled("source=s1", "b.db")
    assert sorted(c["id"] for c in got) == sorted(c["id"] for c in every if c["source"] == "s1")
    _, got = pulled("since=2026-05-01", "c.db")
    want = [c for c in every if (c.get("as_of") or f"2026-0{int(c['source'][1]) + 1}-15")
            >= "2026-05-01"]
    assert sorted(c["id"] for c in got) == sorted(c["id"] for c in want) and 0 < len(want) < len(every)
    db, got = pulled("framework=macro", "d.db")
    assert sorted(c.get("question") for c in got) == ["qm"] * 3
    # The same file with another filter, or none, pulls what the first left out.
    db.sync(url)
    assert db.export() == a.export()
    for bad, words in (("since=2026-13-01", "not a date"), ("source=S 1", "not an id"),
                       ("source=s1 source=s2", "given twice")):
        with pytest.raises(claimkit.InvalidError, match=words):
            db.sync(url + " " + bad)


def test_the_documented_hub_schema_is_the_one_made(server, hub):
    source = hubpg.pathlib.Path(__file__).resolve().parents[2]
    header = (source / "core" / "src" / "hub_schema.h").read_text()
    body = header.split("#define CK_HUB_SCHEMA ")[1].split("#endif")[0]
    made = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', body)).encode().decode("unicode_escape")
    doc = (source / "docs" / "hub.md").read_text()
    assert doc.split("```sql\n")[-1].split("```")[0].strip() == made.strip()
    # and it is what a first sync made: every table and view it names.
    claimkit.open(":memory:").sync(server.conninfo(hub))
    names = set(re.findall(r"CREATE (?:TABLE|VIEW|SEQUENCE|FUNCTION) (\w+)", made))
    got = set(server.psql(hub, "SELECT relname FROM pg_class c JOIN pg_namespace n ON "
                               "n.oid = relnamespace WHERE nspname = 'public' AND relkind "
                               "IN ('r', 'v', 'S') UNION SELECT proname FROM pg_proc p "
                               "JOIN pg_namespace n ON n.oid = pronamespace WHERE "
                               "nspname = 'public'").stdout.split())
    assert names == got
