#!/usr/bin/python3
"""The layers checker on fabricated nm output: it must fail on a call up
the list and on a cycle, name caller, callee and symbol, and pass a clean
graph.  Run by ctest (layers_checker)."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_layers  # noqa: E402


def nm(*rows):
    """nm -A -P lines of an archive: (object, symbol, kind)."""
    return "\n".join(f"lib.a[{o}]: {s} {k} 0 8" if k != "U"
                     else f"lib.a[{o}]: {s} {k}" for o, s, k in rows) + "\n"


# low.c defines low_f; mid.c calls it and defines mid_f; top.c calls mid_f.
CLEAN = [("low.c.o", "low_f", "T"), ("low.c.o", "printf", "U"),
         ("mid.c.o", "mid_f", "T"), ("mid.c.o", "low_f", "U"),
         ("mid.c.o", "static_helper", "t"),
         ("top.c.o", "top_f", "T"), ("top.c.o", "mid_f", "U"),
         ("top.c.o", "table", "D")]
ORDER = "# lowest first\nlow.c  the bottom\nmid.c\n\ntop.c  # the top\n"


class CheckLayers(unittest.TestCase):
    def test_clean_graph_passes(self):
        self.assertEqual(check_layers.check(ORDER, nm(*CLEAN)), [])

    def test_call_up_is_named(self):
        rows = CLEAN + [("low.c.o", "top_f", "U")]  # low calls top
        problems = check_layers.check(ORDER, nm(*rows))
        up = [p for p in problems if "higher layer" in p]
        self.assertEqual(up, ["low.c calls top.c, a higher layer: top_f"])
        self.assertTrue(any(p.startswith("cycle among low.c, mid.c, top.c")
                            for p in problems), problems)

    def test_data_reference_counts_as_a_call(self):
        rows = CLEAN + [("mid.c.o", "table", "U")]
        self.assertEqual(check_layers.check(ORDER, nm(*rows)),
                         ["mid.c calls top.c, a higher layer: table",
                          "cycle among mid.c, top.c: mid.c (table) -> "
                          "top.c (mid_f) -> mid.c"])

    def test_cycle_found_even_where_the_list_allows_it(self):
        # Two files the list does not order (both missing) calling each
        # other: only the cycle check can see it.
        rows = CLEAN + [("a.c.o", "a_f", "T"), ("a.c.o", "b_f", "U"),
                        ("b.c.o", "b_f", "T"), ("b.c.o", "a_f", "U")]
        problems = check_layers.check(ORDER, nm(*rows))
        self.assertIn("cycle among a.c, b.c: a.c (b_f) -> b.c (a_f) -> a.c",
                      problems)
        self.assertTrue(any(p.startswith("a.c is not in the layers file")
                            for p in problems), problems)

    def test_missing_and_stale_lines(self):
        problems = check_layers.check(ORDER.replace("mid.c\n", "") +
                                      "gone.c\n", nm(*CLEAN))
        self.assertIn("mid.c is not in the layers file: add a line for it "
                      "above every file it calls (low.c) and below every "
                      "file that calls it (top.c)", problems)
        self.assertTrue(any(p.startswith("gone.c is in the layers file")
                            for p in problems), problems)

    def test_an_optional_file_may_be_absent_but_still_keeps_its_place(self):
        order = ORDER + "extra.c  (optional) built with a library only\n"
        self.assertEqual(check_layers.check(order, nm(*CLEAN)), [])
        rows = CLEAN + [("extra.c.o", "extra_f", "T"), ("low.c.o", "extra_f", "U")]
        self.assertIn("low.c calls extra.c, a higher layer: extra_f",
                      check_layers.check(order, nm(*rows)))

    def test_a_static_symbol_is_no_edge(self):
        # Two objects with the same local (t) name: no edge between them.
        rows = CLEAN + [("low.c.o", "helper", "t"), ("top.c.o", "helper", "t")]
        self.assertEqual(check_layers.check(ORDER, nm(*rows)), [])

    def test_listed_twice_is_refused(self):
        problems = check_layers.check(ORDER + "low.c\n", nm(*CLEAN))
        self.assertEqual(problems,
                         ["layers file: line 6: low.c is listed twice"])

    def test_plain_object_output_parses(self):
        # nm -A -P on loose objects (no archive): "mid.c.o: low_f U"
        text = "low.c.o: low_f T 0 8\nmid.c.o: low_f U\nmid.c.o: mid_f T 0 8\n"
        self.assertEqual(check_layers.check("low.c\nmid.c\n", text), [])
        self.assertEqual(check_layers.check("mid.c\nlow.c\n", text),
                         ["mid.c calls low.c, a higher layer: low_f"])


class RealArchive(unittest.TestCase):
    """On the real archive (ctest passes it and core/layers.txt): the list
    holds, and moving budget.c to the top of the list is caught by name."""
    archive = layers = None

    def nm_text(self):
        return check_layers.subprocess.run(
            ["nm", "-A", "-P", self.archive], check=True, capture_output=True,
            text=True).stdout

    def test_the_list_holds_and_a_wrong_one_fails(self):
        with open(self.layers, encoding="utf-8") as f:
            text = f.read()
        nm_text = self.nm_text()
        self.assertEqual(check_layers.check(text, nm_text), [])
        lines = text.splitlines()
        moved = [x for x in lines if not x.startswith("budget.c")]
        moved += [x for x in lines if x.startswith("budget.c")]
        problems = check_layers.check("\n".join(moved), nm_text)
        self.assertIn("util.c calls budget.c, a higher layer: "
                      "budget_spend_memory, budget_spent", problems)
        self.assertFalse(any(p.startswith("cycle") for p in problems))


if __name__ == "__main__":
    if len(sys.argv) == 3:  # ARCHIVE LAYERS: ctest's run
        RealArchive.archive, RealArchive.layers = sys.argv[1:]
        del sys.argv[1:]
    else:
        del RealArchive
    unittest.main()
