#!/usr/bin/python3
"""The core's files call only down (docs/internals.md).

Reads the symbols of the core's objects (nm on the claimkit_internal
archive, or nm's output in a file) and the declared order of the files
(core/layers.txt, lowest first), and fails, naming caller, callee and
symbol, when a file uses a symbol defined by a file listed after it, when
the files' graph has a cycle, or when the list and the objects disagree
(a file not listed, a listed file with no object).

    check_layers.py LAYERS.txt ARCHIVE.a
    check_layers.py LAYERS.txt --nm-output FILE   (nm -A -P's text)

Exit status 0 when the layers hold, 1 with the reasons on stderr.
"""
import re
import subprocess
import sys

# nm -A -P: "lib.a[util.c.o]: db_error T 310 ab" or "util.c.o: calloc U"
NM_LINE = re.compile(r"^(?:.*\[)?(?P<obj>[^\[\]:]+?)(?:\])?: (?P<sym>\S+) (?P<kind>\S)")


def read_layers(text):
    """The files in order, lowest first: the first word of each line that is
    not blank or a # comment (the rest of the line describes the file).  A
    line whose description starts with "(optional)" names a file only some
    builds compile (hub.c, with libpq; hub_stub.c, without)."""
    files = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name = line.split()[0]
        if name in files:
            raise ValueError(f"line {number}: {name} is listed twice")
        files.append(name)
    return files


def optional_files(text):
    """The files whose line says "(optional)": built in some builds only."""
    out = set()
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) > 1 and words[1] == "(optional)":
            out.add(words[0])
    return out


def source_of(obj):
    """util.c.o -> util.c (CMake's object names keep the source's)."""
    return obj[:-2] if obj.endswith(".o") else obj


def read_symbols(nm_text):
    """{file: set of defined global symbols}, {file: set of undefined}."""
    defined, undefined = {}, {}
    for line in nm_text.splitlines():
        m = NM_LINE.match(line)
        if not m:
            continue
        f = source_of(m.group("obj"))
        defined.setdefault(f, set())
        undefined.setdefault(f, set())
        kind = m.group("kind")
        if kind == "U":
            undefined[f].add(m.group("sym"))
        elif kind.isupper() or kind in "uvw":  # global: a call may reach it
            defined[f].add(m.group("sym"))
    return defined, undefined


def edges_of(defined, undefined):
    """{(caller, callee): sorted symbols} for every symbol one file uses and
    another defines."""
    owner = {}
    for f, syms in defined.items():
        for s in syms:
            owner.setdefault(s, f)
    edges = {}
    for f, syms in undefined.items():
        for s in syms:
            g = owner.get(s)
            if g and g != f:
                edges.setdefault((f, g), []).append(s)
    return {k: sorted(v) for k, v in edges.items()}


def cycles(files, edges):
    """The strongly connected sets of more than one file (Tarjan), each
    sorted, in a stable order."""
    succ = {f: sorted(g for (c, g) in edges if c == f) for f in files}
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):  # recursion depth is at most the number of files
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in succ[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for f in sorted(files):
        if f not in index:
            visit(f)
    return sorted(out)


def cycle_path(comp, edges):
    """One cycle through the set: a -> b -> ... -> a, with a symbol per step."""
    members = set(comp)
    start, path, seen = comp[0], [comp[0]], {comp[0]: 0}
    while True:
        here = path[-1]
        nxt = sorted(g for (c, g) in edges if c == here and g in members)
        step = next((g for g in nxt if g in seen), nxt[0])
        if step in seen:
            loop = path[seen[step]:] + [step]
            return " -> ".join(
                f"{a} ({edges[(a, b)][0]})" for a, b in zip(loop, loop[1:])
            ) + f" -> {step}"
        seen[step] = len(path)
        path.append(step)


def check(layers_text, nm_text):
    """The list of problems, empty when the layers hold."""
    problems = []
    try:
        order = read_layers(layers_text)
    except ValueError as e:
        return [f"layers file: {e}"]
    defined, undefined = read_symbols(nm_text)
    files = sorted(defined)
    if not files:
        return ["no objects in nm's output"]
    edges = edges_of(defined, undefined)
    rank = {f: i for i, f in enumerate(order)}
    for f in files:
        if f not in rank:
            callees = sorted({g for (c, g) in edges if c == f})
            callers = sorted({c for (c, g) in edges if g == f})
            problems.append(
                f"{f} is not in the layers file: add a line for it above "
                f"every file it calls ({', '.join(callees) or 'none'}) and "
                f"below every file that calls it ({', '.join(callers) or 'none'})")
    optional = optional_files(layers_text)
    for f in order:
        if f not in defined and f not in optional:
            problems.append(f"{f} is in the layers file but no object has it "
                            "(renamed or removed? take its line out)")
    for (caller, callee), syms in sorted(edges.items()):
        if caller in rank and callee in rank and rank[callee] > rank[caller]:
            problems.append(
                f"{caller} calls {callee}, a higher layer: "
                f"{', '.join(syms)}")
    for comp in cycles(files, edges):
        problems.append(f"cycle among {', '.join(comp)}: "
                        f"{cycle_path(comp, edges)}")
    return problems


def main(argv):
    if len(argv) == 4 and argv[2] == "--nm-output":
        with open(argv[3], encoding="utf-8") as f:
            nm_text = f.read()
    elif len(argv) == 3:
        nm_text = subprocess.run(["nm", "-A", "-P", argv[2]], check=True,
                                 capture_output=True, text=True).stdout
    else:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        layers_text = f.read()
    problems = check(layers_text, nm_text)
    for p in problems:
        print(f"layers: {p}", file=sys.stderr)
    if not problems:
        n = len(read_layers(layers_text))
        print(f"layers: {n} files, every call goes down")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
