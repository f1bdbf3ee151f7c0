#!/usr/bin/env python3
"""Generates the Calc add-in's sources from the library's registry.

    generate.py OUTDIR

Writes, into OUTDIR: idl/org/claimkit/XClaimkit.idl, CalcAddIns.xcu,
description.xml, META-INF/manifest.xml and pythonpath/claimkit_calc.py (the
table the component reads).  The cell functions, their parameters and every
text the Function Wizard shows come from ck_functions(), so the wizard says
what the header says.  Needs CLAIMKIT_LIBRARY (or a build tree) for the
claimkit package beside this file's repository.
"""
import json
import pathlib
import pprint
import sys
from xml.sax.saxutils import escape, quoteattr

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "bindings" / "python"))
import claimkit  # noqa: E402

SERVICE = "org.claimkit.Claimkit"
INTERFACE = "org.claimkit.XClaimkit"

# Cell function -> (registry function, kind): number, string, any, table.
CELLS = {
    "CKVALUE": ("value", "number"),
    "CKCONSENSUS": ("consensus", "number"),
    "CKSTANCE": ("stance", "number"),
    "CKLABEL": ("label", "string"),
    "CKSPLIT": ("split", "number"),
    "CKGAP": ("gap", "number"),
    "CKRATIO": ("ratio", "number"),
    "CKRANK": ("rank", "number"),
    "CKCHANGE": ("change", "number"),
    "CKESTIMATES": ("estimates", "number"),
    "CKTRACK": ("track", "number"),
    "CKQTY": ("quantity", "any"),
    "CKVIEWS": ("views", "table"),
    "CKSOURCES": ("sources", "table"),
    "CKSQL": ("sql", "table"),
    "CKDRIFT": ("drift", "table"),
    "CKREVISIONS": ("revisions", "table"),
}

DB_DOC = ("claim database file; empty: the workbook's (a cell named CLAIMKIT_DB, "
          "or a document property CLAIMKIT_DB), else $CLAIMKIT_DB, else "
          "~/.local/share/claimkit/claims.db")

# Every method's first parameter: Calc hands an add-in function whose first
# parameter is an XPropertySet the calling document's model, and shows the
# parameter to nobody (the wizard, the cell).  The workbook's database is
# read from it.
CALLER = "[in] com::sun::star::beans::XPropertySet doc"

IDL_KEYWORDS = {"any", "attribute", "boolean", "byte", "char", "const", "double",
                "enum", "exception", "float", "hyper", "in", "inout", "interface",
                "long", "module", "out", "raises", "sequence", "service", "short",
                "string", "struct", "type", "typedef", "unsigned", "void", "get",
                "set", "property", "optional", "true", "false", "published",
                "singleton", "readonly", "bound", "from"}


def idl_name(name):
    """IDL identifiers may be neither keywords nor end in "_"."""
    return name + "Arg" if name in IDL_KEYWORDS else name


def method_name(cell):
    return "ck" + cell[2:].capitalize()  # CKVALUE -> ckValue


def main(outdir):
    out = pathlib.Path(outdir)
    with claimkit.open(frames=False) as db:
        registry = {f["name"]: f for f in db.functions()}
    version = claimkit.library_version()

    table = {}  # method -> (cell, registry name, kind, [idl params])
    for cell, (name, kind) in CELLS.items():
        fn = registry[name]
        table[method_name(cell)] = {
            "cell": cell, "function": name, "kind": kind,
            "params": [idl_name(p["name"]) for p in fn["params"]],
            "labels": [p["name"] for p in fn["params"]],
            "types": [p["type"] for p in fn["params"]],
            # "period", "date" or None: what a number cell given there means
            "formats": [p.get("format") for p in fn["params"]],
            "doc": fn["doc"],
            "param_docs": [
                p["doc"] + (f" (or the {p['record']}'s name or an alias)"
                            if "record" in p else "")
                + (f" (default {json.dumps(p['default'], ensure_ascii=False)})"
                   if "default" in p else "")
                for p in fn["params"]],
        }
    table["ckCall"] = {"cell": "CKCALL", "function": None, "kind": "call",
                       "params": ["fn", "args"], "labels": ["function", "args"],
                       "doc": "Calls any registry function, built in or registered "
                              "from Lua, by name: CKCALL(\"consensus\"; \"q\"; \"cns\"). "
                              "A list or object result is its JSON text. One more "
                              "argument than the function takes is the database.",
                       "param_docs": ["function name (ck_functions lists them)",
                                      "its arguments, in order"]}
    table["ckError"] = {"cell": "CKERROR", "function": None, "kind": "error",
                        "params": ["fn", "args"], "labels": ["function", "args"],
                        "doc": "Why a cell shows an error: the message of the same "
                               "call, CKCALL(function; args...; [database]), an "
                               "unbounded (±∞) result and a database that cannot be "
                               "opened included; an empty text when it succeeds.",
                        "param_docs": ["function name", "its arguments, in order"]}

    # --- IDL -------------------------------------------------------------
    lines = ["#include <com/sun/star/uno/XInterface.idl>",
             "#include <com/sun/star/beans/XPropertySet.idl>", "",
             "module org { module claimkit {",
             "  /** claimkit cell functions; generated from ck_functions(). */",
             "  interface XClaimkit : com::sun::star::uno::XInterface {"]
    for method, t in table.items():
        if t["kind"] in ("call", "error"):
            ret = "string" if t["kind"] == "error" else "any"
            lines.append(f"    {ret} {method}({CALLER}, [in] string fn, "
                         "[in] sequence<any> args);")
            continue
        # every cell function answers with an array: one value is an array
        # of one cell (a cell shows it as the value), a range given where
        # one value is expected an array of its shape
        ret = "sequence< sequence< any > >"
        params = ", ".join([CALLER] + [f"[in] any {p}" for p in t["params"] + ["db"]])
        lines.append(f"    {ret} {method}({params});")
    lines += ["  };", "}; };", ""]
    idl = out / "idl" / "org" / "claimkit" / "XClaimkit.idl"
    idl.parent.mkdir(parents=True, exist_ok=True)
    idl.write_text("\n".join(lines), encoding="utf-8")

    # --- CalcAddIns.xcu: the Function Wizard's texts -----------------------
    def value(text):
        return f'<value xml:lang="en">{escape(text)}</value>'

    x = ['<?xml version="1.0" encoding="UTF-8"?>',
         '<oor:component-data xmlns:oor="http://openoffice.org/2001/registry" '
         'xmlns:xs="http://www.w3.org/2001/XMLSchema" oor:name="CalcAddIns" '
         'oor:package="org.openoffice.Office">',
         '<node oor:name="AddInInfo">',
         f'<node oor:name={quoteattr(SERVICE)} oor:op="replace">',
         '<node oor:name="AddInFunctions">']
    for method, t in table.items():
        x.append(f'<node oor:name="{method}" oor:op="replace">')
        x.append(f'<prop oor:name="DisplayName">{value(t["cell"])}</prop>')
        x.append(f'<prop oor:name="Description">{value(t["doc"])}</prop>')
        x.append('<prop oor:name="Category"><value>Add-In</value></prop>')
        x.append(f'<prop oor:name="CompatibilityName">{value(t["cell"])}</prop>')
        x.append('<node oor:name="Parameters">')
        params = list(zip(t["params"], t["labels"], t["param_docs"]))
        if t["kind"] not in ("call", "error"):
            params.append(("db", "db", DB_DOC))
        for name, label, doc in params:
            x.append(f'<node oor:name="{name}" oor:op="replace">')
            x.append(f'<prop oor:name="DisplayName">{value(label)}</prop>')
            x.append(f'<prop oor:name="Description">{value(doc)}</prop>')
            x.append('</node>')
        x.append('</node></node>')
    x += ['</node></node></node>', '</oor:component-data>', '']
    (out / "CalcAddIns.xcu").write_text("\n".join(x), encoding="utf-8")

    # --- the component's table ----------------------------------------------
    py = out / "pythonpath" / "claimkit_calc.py"
    py.parent.mkdir(parents=True, exist_ok=True)
    py.write_text(
        '"""Generated by bindings/libreoffice/generate.py from ck_functions()."""\n'
        f"SERVICE = {SERVICE!r}\nINTERFACE = {INTERFACE!r}\n"
        f"FUNCTIONS = {pprint.pformat(table, width=100, sort_dicts=False)}\n",
        encoding="utf-8")

    # --- description.xml and the manifest -------------------------------------
    (out / "description.xml").write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<description xmlns="http://openoffice.org/extensions/description/2006"
             xmlns:xlink="http://www.w3.org/1999/xlink">
  <identifier value="org.claimkit.calc"/>
  <version value="{version}"/>
  <display-name><name lang="en">claimkit: who believes what</name></display-name>
</description>
""", encoding="utf-8")
    manifest = out / "META-INF" / "manifest.xml"
    manifest.parent.mkdir(parents=True, exist_ok=True)
    manifest.write_text("""<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="http://openoffice.org/2001/manifest">
  <manifest:file-entry manifest:media-type="application/vnd.sun.star.uno-typelibrary;type=RDB" manifest:full-path="XClaimkit.rdb"/>
  <manifest:file-entry manifest:media-type="application/vnd.sun.star.uno-component;type=Python" manifest:full-path="claimkit_addin.py"/>
  <manifest:file-entry manifest:media-type="application/vnd.sun.star.configuration-data" manifest:full-path="CalcAddIns.xcu"/>
</manifest:manifest>
""", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
