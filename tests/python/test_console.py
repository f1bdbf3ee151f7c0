"""claimkit-lua driven through a real terminal (a pty): the prompt, tab
completion, help(), history and a table result; then the same console
without a terminal (a pipe) and in script mode."""
import os
import pty
import re
import select
import subprocess
import time

import pytest

TIMEOUT = 15


class Terminal:
    def __init__(self, argv, env):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execvpe(argv[0], argv, env)
        self.seen = ""

    def expect(self, pattern):
        """Reads until `pattern` (a regex) appears after what was matched."""
        deadline = time.time() + TIMEOUT
        regex = re.compile(pattern)
        while True:
            m = regex.search(self.seen)
            if m:
                self.seen = self.seen[m.end():]
                return m
            if time.time() > deadline:
                raise AssertionError(f"no {pattern!r} in {self.seen[-2000:]!r}")
            ready, _, _ = select.select([self.fd], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    chunk = b""
                self.seen += chunk.decode("utf-8", "replace")

    def send(self, text):
        os.write(self.fd, text.encode("utf-8"))

    def close(self):
        if self.pid:
            try:
                os.kill(self.pid, 9)
            except ProcessLookupError:
                pass
            os.waitpid(self.pid, 0)
        os.close(self.fd)


@pytest.fixture
def console(build_dir):
    return str(build_dir / "lua" / "claimkit-lua")


def test_an_interactive_session(console, database, tmp_path):
    env = dict(os.environ, HOME=str(tmp_path), TERM="xterm")
    term = Terminal([console, "-d", str(database)], env)
    try:
        term.expect(r"claimkit \d+\.\d+\.\d+ console")
        term.expect(r"> ")
        term.send("help()\r")
        term.expect(r"consensus\(question, measure, filter\)")
        term.expect(r"> ")
        term.send("help('rank')\r")
        term.expect(r"rank\(metric, entity, period=\) -> number")
        term.expect(r"> ")
        # completion: db:vie<TAB> becomes db:views (the terminal redraws
        # the line in pieces, so the table below is the proof)
        term.send("db:vie\t")
        term.expect(r"ws")
        term.send("('open-closed-parity')\r")
        term.expect(r"actor\s+name\s+as_of\s+locator\s+quote\s+region\s+source\s+stance")
        term.expect(r"stanford-hai")
        term.expect(r"> ")
        term.send("ck.consensus('open-closed-parity', 'n') + 37\r")
        term.expect(r"\b42\b")
        term.expect(r"> ")
        # history: the up arrow brings the last line back
        term.send("\x1b[A\r")
        term.expect(r"\b42\b")
        term.expect(r"> ")
        # the history is saved line by line
        history = tmp_path / ".claimkit_history"
        deadline = time.time() + TIMEOUT
        want = "ck.consensus('open-closed-parity', 'n') + 37"
        while True:
            saved = history.read_text().replace("\\040", " ") if history.exists() else ""
            if saved.count(want) == 2 or time.time() > deadline:
                break
            time.sleep(0.05)
        assert "db:views('open-closed-parity')" in saved  # as completed
        assert saved.count(want) == 2, saved
    finally:
        term.close()


def test_a_pipe_runs_without_a_prompt(console, database):
    out = subprocess.run(
        [console, "-d", str(database)], check=True, capture_output=True, text=True,
        input="x = 20\nx + 22\nfor i = 1, 2 do\n  print('line', i)\nend\n"
              "db:label('competition-shift')\n", timeout=TIMEOUT).stdout
    assert out == "42\nline\t1\nline\t2\nconsensus\n"


def test_ck_register_at_the_console(console, database):
    # A Lua function stays in the console (its upvalue k included); source
    # goes into the handle's registry through the sandbox, so db:call and
    # the budget see it.  Both are then ck.<name> and listed by help().
    lines = [
        "k = 3",
        "ck.register('triple', function(x) return k * x end, "
        "{params = {'x'}, doc = 'Three times x.', returns = 'number'})",
        "ck.triple(14)",
        "ck.triple{x = 5}",
        "ck.register('per', 'function(a, b) return a / b end', "
        "{params = {{name = 'a', type = 'number'}, "
        "{name = 'b', type = 'number', default = 4}}, doc = 'a over b.'})",
        "ck.per(9)",
        "db:call('per', 9, 3)",
        "ck.register('nlabel', 'function(q) return ck.label(q) .. [[!]] end', "
        "{params = {'q'}})",
        "ck.nlabel('competition-shift')",
        "help()",
        "help('triple')",
        "help('per')",
        "ck.register('label', function() return 0 end)",
        "ck.register('bad', 'function(x) return x +* 1 end')",
        "ck.register('spin', 'function() while true do end end')",
        "ck.spin()",
        "ck.triple(1)",
    ]
    result = subprocess.run([console, "-d", str(database)], capture_output=True,
                            text=True, input="\n".join(lines) + "\n",
                            timeout=TIMEOUT)
    out, err = result.stdout.splitlines(), result.stderr.splitlines()
    assert out[:5] == ["42", "15", "2.25", "3", "consensus!"]
    listing = [line.split()[0] for line in out if re.match(r"^[a-z_]+\(", line)]
    assert "triple(x)" in listing and "per(a," in listing
    assert "nlabel(q)" in listing and "consensus(question," in listing
    assert listing.index("per(a,") < listing.index("triple(x)")
    assert "triple(x) -> number  (registered at the console)" in out
    assert "Three times x." in out
    assert "per(a, b=4) -> any" in out
    assert "a over b." in out
    assert err[0] == ("claimkit-lua: ck.register: 'label' is a function of the "
                      "database; a function registered at the console may not "
                      "hide it")
    assert err[1] == ("claimkit-lua: ck.register: bad:1: unexpected symbol "
                      "near '*'")
    assert "spin:1: instruction limit exceeded" in err[2]
    assert err[2].endswith("(CK_SCRIPT)")
    assert len(err) == 3
    assert out[-1] == "3"  # the session went on after the errors


def test_errors_in_a_pipe_are_reported_and_the_session_goes_on(console):
    result = subprocess.run([console], capture_output=True, text=True,
                            input="db:consensus('nope')\n1 + 1\n", timeout=TIMEOUT)
    assert "no question 'nope' (CK_NOTFOUND)" in result.stderr
    assert result.stdout == "2\n"


def test_script_mode_passes_arg(console, tmp_path):
    script = tmp_path / "s.lua"
    script.write_text("print(arg[0] == ..., select('#', ...), arg[1], arg[2])\n"
                      "print(db:stats().claims)\n")
    out = subprocess.run([console, str(script), "a", "b"], check=True,
                         capture_output=True, text=True, timeout=TIMEOUT).stdout
    assert out == "false\t2\ta\tb\n0\n"


def test_e_runs_a_line(console):
    out = subprocess.run([console, "-e", "print(ck.quantity('两百多亿美元', 0, 'hi'))"],
                         check=True, capture_output=True, text=True,
                         timeout=TIMEOUT).stdout
    assert out == "30000000000.0\n"


def test_tables_show_percent_points_and_basis_points_in_their_own_unit(console):
    line = "pretty(ck.quantities('毛利率19.8%，下降0.5个百分点，降息50个基点'))"
    out = subprocess.run([console, "-e", line], check=True, capture_output=True,
                         text=True, timeout=TIMEOUT).stdout
    rows = out.splitlines()[2:]
    assert len(rows) == 3
    assert rows[0].split()[-1] == "19.8%"
    assert rows[1].split()[-2:] == ["pp", "-0.5"] or rows[1].endswith("-0.5 pp")
    assert rows[2].endswith("50 bp")
    assert "-0.005" not in out and "0.005" not in out


def set_size(fd, rows, cols):
    import fcntl
    import struct
    import termios
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def test_chinese_is_typed_edited_and_read_on_a_terminal(console, tmp_path):
    """No LANG or LC_* at all, as in a bare container: the console still
    reads UTF-8, and the cursor moves over a Chinese character as one."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "TERM": "xterm"}
    term = Terminal([console], env)
    try:
        term.expect(r"> ")
        term.send('print("两百多亿美元", #"两百")\r')
        term.expect("两百多亿美元\t6")
        term.expect(r"> ")
        term.send('print(db:quantity("两百多亿美元", 0, "hi"))\r')
        term.expect(r"30000000000\.0")
        term.expect(r"> ")
        # four steps left: over ), ", > and 百; then 三 goes in before 百
        term.send('print("<两百>")')
        term.send("\x1b[D" * 4)
        term.send("三\r")
        term.expect("<两三百>")
        term.expect(r"> ")
    finally:
        term.close()


def test_help_wraps_to_the_terminal(console, tmp_path):
    doc = ("A consensus measure of the latest view of each actor on a question: n, "
           "mean, median, sd, cns, agreement, leik, entropy, bull, bear, balance.")
    env = dict(os.environ, HOME=str(tmp_path), TERM="xterm")
    term = Terminal([console], env)
    try:
        set_size(term.fd, 50, 220)
        term.expect(r"> ")
        term.send("help()\r")
        term.expect(re.escape(doc))  # one line in 220 columns
        term.expect(r"> ")
        set_size(term.fd, 50, 80)
        term.send("help('consensus')\r")
        # what came before the parameter table: the signature and the doc
        text = term.expect(r"name\s+type\s+default\s+doc").string
        term.expect(r"> ")
        assert doc not in text  # wrapped, not cut
        assert "balance" in text
        for line in text.splitlines():
            assert len(line.rstrip()) <= 80, line
    finally:
        term.close()


def test_ctrl_c_clears_the_line_and_stops_a_loop_without_exiting(console, tmp_path):
    env = dict(os.environ, HOME=str(tmp_path), TERM="xterm")
    term = Terminal([console], env)
    try:
        term.expect(r"> ")
        # at the prompt: the half-typed line (and a half-typed chunk) is dropped
        term.send("1 +")
        term.expect(r"1 \+")
        term.send("\x03")
        term.expect(r"> ")
        # a Ctrl-C hard on the keys, while the editor is still busy with
        # them: the line is dropped all the same, without another key
        term.send("2 +\x03")
        term.expect(r"\n> ")
        term.send("for i = 1, 2 do\r")
        term.expect(r">> ")
        term.send("\x03")
        term.expect(r"\n> ")
        term.send("20 + 22\r")
        term.expect(r"\b42\b")
        term.expect(r"> ")
        # during a loop that never ends: the loop is interrupted, not the console
        term.send("n = 0; while true do n = n + 1 end\r")
        time.sleep(0.5)
        term.send("\x03")
        term.expect(r"claimkit-lua: interrupted")
        term.expect(r"> ")
        term.send("print(n > 0, 'alive')\r")
        term.expect(r"true\s+alive")
        assert os.waitpid(term.pid, os.WNOHANG) == (0, 0)
    finally:
        term.close()


def test_tab_completes_globals_library_fields_and_every_method(console, tmp_path):
    env = dict(os.environ, HOME=str(tmp_path), TERM="xterm")
    term = Terminal([console], env)
    try:
        term.expect(r"> ")
        term.send("print(type(string.fo\t))\r")  # string.format
        term.expect(r"\nfunction\r?\n")
        term.expect(r"> ")
        term.send("print(type(tabu\t))\r")  # a global of the console's own
        term.expect(r"\nfunction\r?\n")
        term.expect(r"> ")
        term.send("x = db:rep\t")  # a method of the module, not of the registry
        term.expect(r"ort")
        term.send("\x03")
        term.expect(r"> ")
        term.send("print(#ck.quantiti\t('约3亿和5亿'))\r")  # a registry function
        term.expect(r"\n2\r?\n")
    finally:
        term.close()


def test_errors_are_one_line_and_minus_v_adds_the_traceback(console):
    plain = subprocess.run([console, "-e", "ck.consensus('nope')"],
                           capture_output=True, text=True, timeout=TIMEOUT)
    assert plain.returncode == 1
    assert plain.stderr == "claimkit-lua: consensus: no question 'nope' (CK_NOTFOUND)\n"
    piped = subprocess.run([console], capture_output=True, text=True, timeout=TIMEOUT,
                           input="db:consensus('nope')\nlocal t; return t.x\n")
    assert piped.stderr.splitlines() == [
        "claimkit-lua: consensus: no question 'nope' (CK_NOTFOUND)",
        "claimkit-lua: stdin:1: attempt to index a nil value (local 't')"]
    verbose = subprocess.run([console, "-v", "-e", "ck.consensus('nope')"],
                             capture_output=True, text=True, timeout=TIMEOUT)
    assert "no question 'nope' (CK_NOTFOUND)" in verbose.stderr
    assert "stack traceback:" in verbose.stderr


def test_report_at_the_console_writes_the_page_and_prints_its_path(console, database, tmp_path):
    page = tmp_path / "r.html"
    out = subprocess.run([console, "-d", str(database)], capture_output=True, text=True,
                         timeout=TIMEOUT, check=True,
                         input=f"db:report{{output = {str(page)!r}}}\n").stdout
    assert out.rstrip().endswith(f"wrote {page}")
    assert "<html" not in out and "Questions" in out
    assert "<html" in page.read_text(encoding="utf-8")
    # without an output the page comes back to the caller, as from the module
    out = subprocess.run([console, "-d", str(database)], capture_output=True, text=True,
                         timeout=TIMEOUT, check=True,
                         input="local page = db:report(); print(#page > 1000)\n").stdout
    assert out == "true\n"


def test_ctrl_c_ends_the_librarys_own_work_too(console, tmp_path):
    """A query or a sandboxed script with no budget left to end it: Ctrl-C
    reaches the library through ck_interrupt, and the console goes on."""
    env = dict(os.environ, HOME=str(tmp_path), TERM="xterm")
    term = Terminal([console], env)
    try:
        term.expect(r"> ")
        term.send("db:limit(4, 1e15); db:limit(2, 1e15)\r")  # SQL steps, Lua steps
        term.expect(r"> ")
        for call in ("db:sql('WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT "
                     "x + 1 FROM r) SELECT count(*) FROM r')",
                     "db:script('while true do end')"):
            term.send(call + "\r")
            time.sleep(0.7)
            term.send("\x03")
            term.expect(r"interrupted")
            term.expect(r"> ")
        term.send("print(ck.quantity('约3亿'), 'alive')\r")
        term.expect(r"300000000\S*\s+alive")
    finally:
        term.close()


@pytest.fixture(scope="module")
def desk_stream(tmp_path_factory, source_dir):
    """60,000 generated claims as JSON Lines (13 MB): an import long
    enough for the progress line (it shows after 0.3 s)."""
    path = tmp_path_factory.mktemp("desk") / "desk.jsonl"
    subprocess.run(["/usr/bin/python3", str(source_dir / "tests" / "bench" / "gen_scale.py"),
                    "60000", str(path)], check=True)
    return path


def read_to_exit(term):
    """Everything the terminal shows until the program exits."""
    deadline = time.time() + 120
    while time.time() < deadline:
        ready, _, _ = select.select([term.fd], [], [], 0.5)
        if not ready:
            continue
        try:
            chunk = os.read(term.fd, 65536)
        except OSError:  # the program has exited
            break
        if not chunk:
            break
        term.seen += chunk.decode("utf-8", "replace")
    return term.seen


PROGRESS = re.compile(r"\r +(\d+)% of ([\d.]+) MB, ([\d,]+) claims(?:, [\d,]+ claims/s"
                      r"|, finishing)  desk\.jsonl\x1b\[K")


def check_progress_lines(seen, claims, size):
    lines = PROGRESS.findall(seen)
    assert lines, f"no progress line in {seen[-500:]!r}"
    percents = [int(p) for p, _, _ in lines]
    counts = [int(n.replace(",", "")) for _, _, n in lines]
    assert percents == sorted(percents) and counts == sorted(counts)
    assert all(0 <= p <= 100 for p in percents) and max(counts) <= claims
    assert {mb for _, mb, _ in lines} == {f"{size / 1e6:.1f}"}
    # cleared at the end: what follows starts on a clean line
    last = list(PROGRESS.finditer(seen))[-1]
    assert seen[last.end():].startswith("\r\x1b[K")


def test_a_long_import_shows_progress_on_a_terminal(console, tmp_path, desk_stream):
    term = Terminal([console, "-d", str(tmp_path / "t.db"), "import", str(desk_stream)],
                    dict(os.environ, TERM="xterm"))
    try:
        seen = read_to_exit(term)
    finally:
        term.close()
    check_progress_lines(seen, 60000, desk_stream.stat().st_size)
    assert seen.endswith("desk.jsonl: 60000 new claims, 60000 in all\r\n")


def test_db_import_shows_progress_at_the_console(console, tmp_path, desk_stream):
    term = Terminal([console, "-d", str(tmp_path / "t.db"), "-e",
                     f"db:import('{desk_stream}') print(db:stats().claims)"],
                    dict(os.environ, TERM="xterm"))
    try:
        seen = read_to_exit(term)
    finally:
        term.close()
    check_progress_lines(seen, 60000, desk_stream.stat().st_size)
    assert seen.endswith("\r\x1b[K60000\r\n")


def test_an_import_into_a_pipe_shows_no_progress(console, tmp_path, desk_stream):
    result = subprocess.run([console, "-d", str(tmp_path / "t.db"), "import",
                             str(desk_stream)], capture_output=True, text=True,
                            timeout=120, check=True)
    assert result.stderr == ""
    assert result.stdout == f"{desk_stream}: 60000 new claims, 60000 in all\n"
