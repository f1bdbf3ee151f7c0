"""claimkit-lua's import and draft on inputs that are not plain files: a
device that never ends, a FIFO (read once, never rewound), an input over
draft's bound.  Each ends within 5 s (the subprocess timeout is the
assertion) with a message saying what was wrong, or does what the same
text as a file does."""
import os
import subprocess
import threading

import pytest

ENDS = 5  # seconds: an input that never ends must not hold the console


@pytest.fixture
def console(build_dir):
    return str(build_dir / "lua" / "claimkit-lua")


def run(argv, **kw):
    return subprocess.run(argv, capture_output=True, timeout=ENDS, **kw)


def feed(path, data):
    """Writes data into the FIFO at path from a thread (open blocks until
    the console opens it to read); the caller joins it."""
    def write():
        with open(path, "wb") as f:
            for at in range(0, len(data), 4096):
                f.write(data[at:at + 4096])
                f.flush()
    t = threading.Thread(target=write, daemon=True)
    t.start()
    return t


LINES = (b'{"type": "actor", "id": "first-line", "region": "overseas"}\n'
         b'{"type": "question", "id": "q", "scale": [-2, 2]}\n'
         b'{"type": "claim", "actor": "first-line", "question": "q", '
         b'"stance": 1}\n')


def test_importing_dev_zero_ends_with_the_nul_byte(console, tmp_path):
    db = tmp_path / "x.db"
    result = run([console, "-d", str(db), "import", "/dev/zero"])
    assert result.returncode == 1
    assert b"line 1, column 1: a NUL byte" in result.stderr
    assert b"binary file" in result.stderr


def test_drafting_dev_zero_ends_with_the_nul_byte(console):
    result = run([console, "draft", "/dev/zero"])
    assert result.returncode == 1
    assert result.stdout == b""
    assert (result.stderr == b"claimkit-lua draft: '/dev/zero': line 1, "
            b"column 1: a NUL byte (a transcript is UTF-8 text; is this a "
            b"binary file?)\n")


def test_a_draft_over_16_mib_is_refused(console):
    line = "发言人1 00:01 估值仍有上行空间，日均调用量达到二十万亿。\n".encode()
    text = (line * (16 * 2**20 // len(line) + 1))[:16 * 2**20 + 1]
    result = run([console, "draft"], input=text)
    assert result.returncode == 1
    assert result.stdout == b""
    assert (result.stderr == b"claimkit-lua draft: 'standard input': larger "
            b"than 16 MiB: a transcript is at most that (split it)\n")


def test_a_draft_that_never_ends_is_refused_at_the_bound(console):
    yes = subprocess.Popen(["yes", "发言人1 00:01 好"], stdout=subprocess.PIPE)
    try:
        result = run([console, "draft"], stdin=yes.stdout)
    finally:
        yes.kill()
        yes.wait()
    assert result.returncode == 1
    assert b"larger than 16 MiB" in result.stderr


def test_a_nul_byte_later_in_a_draft_says_where(console, tmp_path):
    path = tmp_path / "t.txt"
    path.write_bytes("发言人1 00:01 好\n第二行\x00".encode())
    result = run([console, "draft", str(path)])
    assert result.returncode == 1
    assert b"line 2, column 4: a NUL byte" in result.stderr


def test_a_fifo_is_imported_from_its_first_line(console, tmp_path):
    fifo = tmp_path / "in.jsonl"
    os.mkfifo(fifo)
    db = tmp_path / "x.db"
    writer = feed(fifo, LINES)
    result = run([console, "-d", str(db), "import", str(fifo)])
    writer.join(ENDS)
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith(b": 1 new claim, 1 in all\n")
    export = run([console, "-d", str(db), "export"])
    assert b'"id": "first-line"' in export.stdout


def test_a_pack_through_a_fifo_imports_as_the_file_does(console, tmp_path,
                                                         source_dir):
    pack = (source_dir / "examples" / "deepseek-v4" / "claims.json")
    fifo = tmp_path / "pack.json"
    os.mkfifo(fifo)
    writer = feed(fifo, pack.read_bytes())
    by_fifo = run([console, "-d", str(tmp_path / "a.db"), "import", str(fifo)])
    writer.join(ENDS)
    by_file = run([console, "-d", str(tmp_path / "b.db"), "import", str(pack)])
    assert by_fifo.returncode == 0, by_fifo.stderr
    assert (by_fifo.stdout.split(b": ", 1)[1] ==
            by_file.stdout.split(b": ", 1)[1])
    a = run([console, "-d", str(tmp_path / "a.db"), "export"]).stdout
    b = run([console, "-d", str(tmp_path / "b.db"), "export"]).stdout
    assert a == b and len(a) > 10000


def test_a_draft_from_a_fifo_is_the_draft_of_the_file(console, tmp_path,
                                                      source_dir):
    minutes = source_dir / "examples" / "deepseek-v4" / "minutes.txt"
    fifo = tmp_path / "minutes"
    os.mkfifo(fifo)
    writer = feed(fifo, minutes.read_bytes())
    by_fifo = run([console, "draft", "--source", "m", str(fifo)])
    writer.join(ENDS)
    by_file = run([console, "draft", "--source", "m", str(minutes)])
    assert by_fifo.returncode == 0, by_fifo.stderr
    assert by_fifo.stdout == by_file.stdout
    assert b'"claims"' in by_fifo.stdout
