#!/usr/bin/python3
"""What storing an import's rows costs SQLite alone: the floor under
claimkit's import time, beside which its parsing and checking show.

    floor.py SOURCE.db OUT.db      prints the seconds it took

Copies every row of a database claimkit imported into a new file with the
same schema, the way the import writes a new file: a rollback journal
(a new file's first import is not written twice through the WAL), a 32
MiB page cache, one transaction, claims in import order with their rowid
(the import stores claim rowid = seq, so the source's rowid order is that
order and nothing is sorted), the claims' two key indexes built after the rows, and the file
put back in WAL and closed.  Nothing is parsed, hashed or checked; the rows
come from SQLite's own pages.
"""
import os
import sqlite3
import sys
import time


def main(source, out):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(out + suffix):
            os.unlink(out + suffix)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    schema = src.execute("SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE sql"
                         " IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid").fetchall()
    pragmas = [(p, src.execute(f"PRAGMA {p}").fetchone()[0])
               for p in ("application_id", "user_version")]
    src.close()
    key_indexes = [sql for kind, name, _, sql in schema
                   if kind == "index" and name.startswith("claims_")]
    tables = [name for kind, name, _, _ in schema if kind == "table"]

    start = time.perf_counter()
    db = sqlite3.connect(out, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")  # as ck_open makes it
    db.execute("PRAGMA journal_mode = DELETE")  # as the first import writes
    db.execute("PRAGMA cache_size = -32768")
    db.execute("BEGIN")
    for kind, _, _, sql in schema:
        if sql not in key_indexes:
            db.execute(sql)
    for name, value in pragmas:
        db.execute(f"PRAGMA {name} = {int(value)}")
    db.execute("ATTACH ? AS src", (source,))
    for name in tables:
        if name == "claims":  # the rowid too: the import's rowid = seq
            cols = ", ".join(r[1] for r in db.execute("PRAGMA src.table_info(claims)"))
            db.execute(f"INSERT INTO main.claims(rowid, {cols}) "
                       f"SELECT rowid, {cols} FROM src.claims")
        else:
            db.execute(f"INSERT INTO main.{name} SELECT * FROM src.{name}")
    for sql in key_indexes:
        db.execute(sql)
    db.execute("COMMIT")
    db.execute("DETACH src")
    db.execute("PRAGMA journal_mode = WAL")
    db.close()
    print(f"{time.perf_counter() - start:.3f}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
