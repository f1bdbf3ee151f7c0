#!/usr/bin/env python3
"""The desk's JSON Lines (gen_scale.py) in the other formats claimkit imports,
for the benchmark of the same claims in each:

    formats.py DESK.jsonl PACK.json CODEBOOK.jsonl SHEET.csv

PACK.json is one claim pack of every record, lists in claimkit's order and
records in the order of the lines; CODEBOOK.jsonl the records that are not
claims (a sheet holds claims only) and SHEET.csv the claims, a row each, a
column per field any of them has.
"""
import csv
import json
import sys

LISTS = {"source": "sources", "framework": "frameworks", "actor": "actors",
         "entity": "entities", "metric": "metrics", "question": "questions",
         "claim": "claims", "script": "scripts"}


def main(argv):
    desk, pack_out, codebook_out, sheet_out = argv[1:5]
    lists = {name: [] for name in LISTS.values()}
    with open(desk, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            lists[LISTS[r.pop("type")]].append(r)
    with open(pack_out, "w", encoding="utf-8") as f:
        f.write('{"claimkit":1')
        for name, records in lists.items():
            if records:
                f.write(f',\n"{name}":[\n')
                f.write(",\n".join(json.dumps(r, ensure_ascii=False, separators=(",", ":"))
                                   for r in records))
                f.write("\n]")
        f.write("}\n")
    with open(codebook_out, "w", encoding="utf-8") as f:
        for name, kind in ((n, k) for k, n in LISTS.items()):
            if name != "claims":
                for r in lists[name]:
                    f.write(json.dumps({"type": kind, **r}, ensure_ascii=False,
                                       separators=(",", ":")) + "\n")
    fields = []
    for r in lists["claims"]:
        fields.extend(k for k in r if k not in fields)
    with open(sheet_out, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        for r in lists["claims"]:
            w.writerow({k: repr(v) if isinstance(v, float) else v for k, v in r.items()})


if __name__ == "__main__":
    main(sys.argv)
