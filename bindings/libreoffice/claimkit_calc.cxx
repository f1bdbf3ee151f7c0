/*
** claimkit_calc.cxx -- claimkit's Calc cell functions as a native UNO
** component, calling the library's C ABI directly.
**
** The behaviour is claimkit_addin.py's, which stays the specification
** (tests/python/test_calc_parity.py holds the two to it): the comments
** name the Python function each part follows (_arg, _database_in_place,
** _call, _free_call ...).  Why C++ at all: Calc calls an add-in through
** the same reflection either way, but a Python method spends 28-33 us a
** cell in pyuno, the binding and ctypes, several VLOOKUPs; here a cell is
** the library's call, under a microsecond of this file's and Calc's own.
**
** The functions, their parameters and their kinds come from the registry
** through generate.py (claimkit_cells.inc), as the Python table does.
*/
#include <claimkit.h>

#include <com/sun/star/beans/XPropertySet.hpp>
#include <com/sun/star/container/XNameAccess.hpp>
#include <com/sun/star/document/XDocumentProperties.hpp>
#include <com/sun/star/document/XDocumentPropertiesSupplier.hpp>
#include <com/sun/star/lang/IllegalArgumentException.hpp>
#include <com/sun/star/lang/XServiceInfo.hpp>
#include <com/sun/star/lang/XServiceName.hpp>
#include <com/sun/star/sheet/XCellRangeReferrer.hpp>
#include <com/sun/star/table/XCell.hpp>
#include <com/sun/star/table/XCellRange.hpp>
#include <com/sun/star/text/XTextRange.hpp>
#include <com/sun/star/uno/RuntimeException.hpp>
#include <com/sun/star/uno/XComponentContext.hpp>
#include <cppuhelper/factory.hxx>
#include <cppuhelper/implbase3.hxx>
#include <cppuhelper/implementationentry.hxx>
#include <cppuhelper/supportsservice.hxx>
#include <org/claimkit/XClaimkit.hpp>
#include <uno/lbnames.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <pwd.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <unordered_map>
#include <utility>
#include <vector>

namespace {

using css::uno::Any;
using css::uno::Reference;
using css::uno::Sequence;
using rtl::OUString;
using rtl::OUStringToOString;
using Caller = Reference<css::beans::XPropertySet>;
using Rows = Sequence<Sequence<Any>>;

const char SERVICE[] = "org.claimkit.Claimkit";
const char DEFAULT_DB[] = "~/.local/share/claimkit/claims.db";
const char WORKBOOK_NAME[] = "CLAIMKIT_DB";
const double WORKBOOK_SECONDS = 0.25;
const long long CALC_EPOCH = -25569; /* 1899-12-30, Calc's day 0, from 1970 */

enum class Kind { NUMBER, STRING, TABLE };

struct Entry {
  const char *cell, *function;
  Kind kind;
  std::vector<std::string> labels, types;
  /* each parameter's "format" in ck_functions(): period, date or "" */
  std::vector<std::string> formats;
};

#define CK_CELL_ENTRIES
#include "claimkit_cells.inc"
#undef CK_CELL_ENTRIES

/* A library failure as claimkit.Error carries it: the status code and the
   message. */
struct CkError {
  int code;
  std::string message;
};

std::string utf8(const OUString &s) {
  return OUStringToOString(s, RTL_TEXTENCODING_UTF8).getStr();
}

OUString ustr(const std::string &s) {
  return OUString(s.data(), static_cast<sal_Int32>(s.size()),
                  RTL_TEXTENCODING_UTF8);
}

bool is(const char *a, const char *b) { return a && std::strcmp(a, b) == 0; }

/* ---- JSON: the library's results, read and written as Python does -------- */

/* A JSON value; numbers keep the text the library wrote (Python's repr),
   a REAL with no text is a number from ck_num(). */
struct J {
  enum T { NUL, TRUE_, FALSE_, INT, REAL, STR, ARR, OBJ } t = NUL;
  std::string s;
  double d = 0;
  std::vector<J> a;           /* ARR items, OBJ values */
  std::vector<std::string> k; /* OBJ keys */
  static J num(double d) {
    J j;
    j.t = REAL;
    j.d = d;
    return j;
  }
  const J *get(const std::string &key) const {
    for (size_t i = 0; i < k.size(); i++)
      if (k[i] == key)
        return &a[i];
    return nullptr;
  }
};

void put_utf8(std::string &out, unsigned long c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

/* The library writes well-formed JSON: this reads it, and throws on
   anything else rather than guess. */
struct Reader {
  const char *p;
  void ws() {
    while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
      p++;
  }
  [[noreturn]] void bad() {
    throw CkError{CK_ERROR, "the library's result is not JSON"};
  }
  unsigned long hex4() {
    unsigned long c = 0;
    for (int i = 0; i < 4; i++, p++) {
      char h = *p;
      c <<= 4;
      if (h >= '0' && h <= '9')
        c |= static_cast<unsigned long>(h - '0');
      else if (h >= 'a' && h <= 'f')
        c |= static_cast<unsigned long>(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F')
        c |= static_cast<unsigned long>(h - 'A' + 10);
      else
        bad();
    }
    return c;
  }
  std::string string() {
    std::string out;
    p++; /* the opening quote */
    while (*p != '"') {
      if (!*p)
        bad();
      if (*p != '\\') {
        out += *p++;
        continue;
      }
      p++;
      char e = *p++;
      switch (e) {
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'u': {
        unsigned long c = hex4();
        if (c >= 0xD800 && c < 0xDC00 && p[0] == '\\' && p[1] == 'u') {
          p += 2;
          unsigned long low = hex4();
          c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
        }
        put_utf8(out, c);
        break;
      }
      case 0: bad();
      default: out += e;
      }
    }
    p++;
    return out;
  }
  J value() {
    ws();
    J j;
    if (*p == '{' || *p == '[') {
      char close = *p == '{' ? '}' : ']';
      j.t = *p == '{' ? J::OBJ : J::ARR;
      p++;
      ws();
      if (*p == close) {
        p++;
        return j;
      }
      for (;;) {
        ws();
        if (j.t == J::OBJ) {
          if (*p != '"')
            bad();
          j.k.push_back(string());
          ws();
          if (*p++ != ':')
            bad();
        }
        j.a.push_back(value());
        ws();
        if (*p == ',') {
          p++;
          continue;
        }
        if (*p++ != close)
          bad();
        return j;
      }
    }
    if (*p == '"') {
      j.t = J::STR;
      j.s = string();
    } else if (std::strncmp(p, "null", 4) == 0) {
      p += 4;
    } else if (std::strncmp(p, "true", 4) == 0) {
      j.t = J::TRUE_;
      p += 4;
    } else if (std::strncmp(p, "false", 5) == 0) {
      j.t = J::FALSE_;
      p += 5;
    } else {
      char *end;
      j.d = std::strtod(p, &end);
      if (end == p)
        bad();
      j.s.assign(p, static_cast<size_t>(end - p));
      j.t = j.s.find_first_of(".eE") == std::string::npos ? J::INT : J::REAL;
      p = end;
    }
    return j;
  }
};

J parse(const char *text) {
  Reader r{text};
  J j = r.value();
  r.ws();
  if (*r.p)
    r.bad();
  return j;
}

/* A JSON string as json.dumps(ensure_ascii=False) writes it. */
void dump_string(std::string &out, const std::string &s) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    case '\n': out += "\\n"; break;
    case '\r': out += "\\r"; break;
    case '\t': out += "\\t"; break;
    case '\b': out += "\\b"; break;
    case '\f': out += "\\f"; break;
    default:
      if (c < 0x20) {
        char u[8];
        std::snprintf(u, sizeof u, "\\u%04x", c);
        out += u;
      } else {
        out += static_cast<char>(c);
      }
    }
  }
  out += '"';
}

/* json.dumps(value, ensure_ascii=False): ", " and ": " between items. */
void dump(std::string &out, const J &j) {
  switch (j.t) {
  case J::NUL: out += "null"; break;
  case J::TRUE_: out += "true"; break;
  case J::FALSE_: out += "false"; break;
  case J::INT:
  case J::REAL:
    if (std::isnan(j.d))
      out += "NaN";
    else if (std::isinf(j.d))
      out += j.d > 0 ? "Infinity" : "-Infinity";
    else if (!j.s.empty())
      out += j.s;
    else {
      char b[32];
      std::snprintf(b, sizeof b, "%.17g", j.d);
      out += b;
    }
    break;
  case J::STR: dump_string(out, j.s); break;
  case J::ARR:
  case J::OBJ:
    out += j.t == J::ARR ? '[' : '{';
    for (size_t i = 0; i < j.a.size(); i++) {
      if (i)
        out += ", ";
      if (j.t == J::OBJ) {
        dump_string(out, j.k[i]);
        out += ": ";
      }
      dump(out, j.a[i]);
    }
    out += j.t == J::ARR ? ']' : '}';
    break;
  }
}

/* _cell: a result as a cell value. */
Any cell_value(const J &j) {
  switch (j.t) {
  case J::NUL: return Any(OUString());
  case J::TRUE_: return Any(1.0);
  case J::FALSE_: return Any(0.0);
  case J::INT:
  case J::REAL: return Any(j.d);
  case J::STR: return Any(ustr(j.s));
  default: {
    std::string out;
    dump(out, j);
    return Any(ustr(out));
  }
  }
}

/* _unbounded: why a number result is an error cell, or "". */
std::string unbounded(const std::string &function, double d) {
  if (std::isinf(d))
    return function + ": the result is " + (d > 0 ? "+" : "-") +
           "\xE2\x88\x9E (an open bound), which a cell shows as #NUM!";
  if (std::isnan(d))
    return function + ": the result is not a number";
  return "";
}

/* ---- cell arguments (_arg) ------------------------------------------------
 */

/* A cell argument as the registry takes it: Python's None, int, float,
   str, bool, list, or a Range (rows x cols, row-major) of values. */
struct Val {
  enum T { NONE, BOOL, INT, REAL, TEXT, LIST, RANGE } t = NONE;
  long long i = 0;
  double d = 0;
  std::string s;
  std::vector<Val> items;
  size_t rows = 0, cols = 0;
  bool text() const { return t == TEXT; }
};

/* Days since 1970-01-01 as (year, month, day): Hinnant's civil_from_days. */
void civil(long long z, long long &y, unsigned &m, unsigned &d) {
  z += 719468;
  long long era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = static_cast<unsigned>(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<long long>(yoe) + era * 400 + (m <= 2);
}

/* A Calc day number as YYYY-MM-DD, or YYYY-MM for the first of a month
   when `month` is set (_date, _period). */
std::string calc_date(double value, bool month) {
  long long y;
  unsigned m, d;
  civil(static_cast<long long>(value) + CALC_EPOCH, y, m, d);
  if (y > 9999)
    throw css::uno::RuntimeException("date value out of range");
  char b[32];
  if (month && d == 1)
    std::snprintf(b, sizeof b, "%04lld-%02u", y, m);
  else
    std::snprintf(b, sizeof b, "%04lld-%02u-%02u", y, m, d);
  return b;
}

/* A number cell where the parameter's format (period, date: what a date
   cell there means) and type say what it is, as _arg does. */
Val number_arg(double value, const char *form, const char *kind) {
  Val v;
  if (is(kind, "string") && value == 0)
    return v; /* an empty cell: Calc passes it as 0 */
  if (is(form, "period") && value >= 1) {
    v.t = Val::TEXT;
    v.s = value == std::trunc(value) && value >= 1900 && value <= 2100
              ? std::to_string(static_cast<long long>(value))
              : calc_date(value, true);
    return v;
  }
  if (is(form, "date") && value >= 1) {
    v.t = Val::TEXT;
    v.s = calc_date(value, false);
    return v;
  }
  if (value == std::trunc(value) && std::fabs(value) < 9007199254740992.0) {
    v.t = Val::INT; /* 2026 typed in a cell, or an index */
    v.i = static_cast<long long>(value);
  } else {
    v.t = Val::REAL;
    v.d = value;
  }
  return v;
}

Val arg(const Any &a, const char *form = nullptr, const char *kind = nullptr);

Val range_arg(const Rows &rows, const char *form, const char *kind) {
  size_t cells = 0;
  for (const auto &row : rows)
    cells += static_cast<size_t>(row.getLength());
  if (cells == 1 && !is(kind, "array")) {
    for (const auto &row : rows)
      if (row.getLength())
        return arg(row[0], form, kind);
  }
  Val v;
  bool list = !kind || is(kind, "array") || is(kind, "any");
  v.t = list ? Val::LIST : Val::RANGE;
  for (const auto &row : rows)
    for (const Any &c : row)
      v.items.push_back(arg(c, form, list ? "any" : kind));
  v.rows = static_cast<size_t>(rows.getLength());
  v.cols = rows.getLength() ? static_cast<size_t>(rows[0].getLength()) : 0;
  return v;
}

/* _arg: a cell argument as the registry takes it; name and kind are the
   parameter's name and type, when known. */
Val arg(const Any &a, const char *form, const char *kind) {
  switch (a.getValueTypeClass()) {
  case css::uno::TypeClass_VOID: return Val();
  case css::uno::TypeClass_STRING: {
    OUString s;
    a >>= s;
    Val v;
    if (!s.isEmpty()) {
      v.t = Val::TEXT;
      v.s = utf8(s);
    }
    return v;
  }
  case css::uno::TypeClass_BOOLEAN: {
    Val v;
    v.t = Val::BOOL;
    v.i = *static_cast<const sal_Bool *>(a.getValue()) ? 1 : 0;
    return v;
  }
  case css::uno::TypeClass_DOUBLE:
  case css::uno::TypeClass_FLOAT:
  case css::uno::TypeClass_BYTE:
  case css::uno::TypeClass_SHORT:
  case css::uno::TypeClass_UNSIGNED_SHORT:
  case css::uno::TypeClass_LONG:
  case css::uno::TypeClass_UNSIGNED_LONG:
  case css::uno::TypeClass_HYPER: {
    double d = 0;
    a >>= d;
    return number_arg(d, form, kind);
  }
  case css::uno::TypeClass_SEQUENCE: {
    Rows rows;
    if (a >>= rows)
      return range_arg(rows, form, kind);
    Sequence<Any> flat;
    if (a >>= flat) { /* each element a row: a cell, or a row of cells */
      Rows as_rows(flat.getLength());
      for (sal_Int32 i = 0; i < flat.getLength(); i++)
        if (!(flat[i] >>= as_rows.getArray()[i]))
          as_rows.getArray()[i] = Sequence<Any>(&flat[i], 1);
      return range_arg(as_rows, form, kind);
    }
    break;
  }
  default: break;
  }
  throw css::uno::RuntimeException("a cell argument of an unexpected type");
}

void encode(std::string &out, const Val &v) {
  switch (v.t) {
  case Val::NONE: out += "null"; break;
  case Val::BOOL: out += v.i ? "true" : "false"; break;
  case Val::INT: out += std::to_string(v.i); break;
  case Val::REAL: {
    if (!std::isfinite(v.d))
      throw css::uno::RuntimeException(
          "Out of range float values are not JSON compliant");
    char b[40];
    std::snprintf(b, sizeof b, "%.17g", v.d);
    out += b;
    if (!std::strpbrk(b, ".eE"))
      out += ".0"; /* a real stays a real */
    break;
  }
  case Val::TEXT: dump_string(out, v.s); break;
  case Val::LIST:
  case Val::RANGE:
    out += '[';
    for (size_t i = 0; i < v.items.size(); i++) {
      if (i)
        out += ", ";
      encode(out, v.items[i]);
    }
    out += ']';
    break;
  }
}

const char DB_SUFFIXES[][9] = {".db", ".sqlite", ".sqlite3", ".ckdb"};

/* _names_a_database: a text that can only be a database file's path. */
bool names_a_database(const Val &v) {
  if (!v.text())
    return false;
  for (const char *suffix : DB_SUFFIXES) {
    size_t n = std::strlen(suffix);
    if (v.s.size() >= n &&
        strncasecmp(v.s.c_str() + v.s.size() - n, suffix, n) == 0)
      return true;
  }
  return false;
}

/* os.path.expanduser */
std::string expand(const std::string &path) {
  if (path.empty() || path[0] != '~')
    return path;
  size_t slash = path.find('/');
  std::string user = path.substr(
      1, slash == std::string::npos ? std::string::npos : slash - 1);
  std::string home;
  if (user.empty()) {
    const char *h = std::getenv("HOME");
    if (h)
      home = h;
    else if (const passwd *pw = getpwuid(getuid()))
      home = pw->pw_dir;
    else
      return path;
  } else if (const passwd *pw = getpwnam(user.c_str())) {
    home = pw->pw_dir;
  } else {
    return path;
  }
  while (home.size() > 1 && home.back() == '/')
    home.pop_back();
  return home + (slash == std::string::npos ? "" : path.substr(slash));
}

bool is_file(const std::string &path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

using Params = std::vector<const Any *>;

/* _database_in_place: a database path typed in a parameter's place, as
   users do when they count semicolons wrong: taken as the database when it
   names a file and nothing follows it, else refused with where it goes. */
void database_in_place(const std::string &cell,
                       const std::vector<std::string> &labels, Params &params,
                       Val &db) {
  if (db.t != Val::NONE)
    return;
  for (size_t i = 0; i < params.size(); i++) {
    /* only a text, or a range of one, can name a file: a cell's text is
       looked at without converting it, as most are no path */
    const Any &a = *params[i];
    if (a.getValueTypeClass() == css::uno::TypeClass_STRING) {
      const OUString &text = *static_cast<const OUString *>(a.getValue());
      bool suffix = false;
      for (const char *s : DB_SUFFIXES)
        suffix = suffix || text.endsWithIgnoreAsciiCaseAsciiL(
                               s, static_cast<sal_Int32>(std::strlen(s)));
      if (!suffix)
        continue;
    } else if (a.getValueTypeClass() != css::uno::TypeClass_SEQUENCE) {
      continue;
    }
    Val value = arg(a);
    if (!names_a_database(value))
      continue;
    bool rest = true;
    for (size_t j = i + 1; j < params.size(); j++)
      rest = rest && arg(*params[j]).t == Val::NONE;
    if (rest && is_file(expand(value.s))) {
      params.resize(i);
      db = value;
      return;
    }
    std::string joined;
    for (const auto &l : labels)
      joined += (joined.empty() ? "" : "; ") + l;
    throw CkError{
        CK_INVALID,
        cell + ": '" + value.s + "' is given as " +
            (i < labels.size() ? labels[i] : "an extra argument") +
            ", but names a database file: the database goes last, after "
            "every parameter: " +
            cell + "(" + joined +
            "; database), or once for the workbook in a cell named "
            "CLAIMKIT_DB"};
  }
}

/* _workbook_database: the text of a cell named CLAIMKIT_DB, else a
   user-defined document property CLAIMKIT_DB, else "". */
std::string workbook_database(const Caller &doc) {
  if (!doc.is())
    return "";
  try {
    Reference<css::container::XNameAccess> names(
        doc->getPropertyValue("NamedRanges"), css::uno::UNO_QUERY);
    if (names.is() && names->hasByName(WORKBOOK_NAME)) {
      Reference<css::sheet::XCellRangeReferrer> named(
          names->getByName(WORKBOOK_NAME), css::uno::UNO_QUERY_THROW);
      Reference<css::table::XCellRange> cells = named->getReferredCells();
      if (cells.is()) {
        Reference<css::text::XTextRange> text(cells->getCellByPosition(0, 0),
                                              css::uno::UNO_QUERY_THROW);
        OUString s = text->getString().trim();
        if (!s.isEmpty())
          return utf8(s);
      }
    }
  } catch (const css::uno::Exception &) { /* not a spreadsheet's model */
  }
  try {
    Reference<css::document::XDocumentPropertiesSupplier> supplier(
        doc, css::uno::UNO_QUERY_THROW);
    Reference<css::beans::XPropertySet> props(
        supplier->getDocumentProperties()->getUserDefinedProperties(),
        css::uno::UNO_QUERY_THROW);
    OUString s;
    if ((props->getPropertyValue(WORKBOOK_NAME) >>= s) && !s.trim().isEmpty())
      return utf8(s.trim());
  } catch (const css::uno::Exception &) { /* no such property */
  }
  return "";
}

/* A registry function's parameters, and whether it returns a number. */
struct Signature {
  std::vector<std::string> names, types, formats;
  bool numeric = false;
};

/* An open database (Python's Database) with its registry. */
struct Handle {
  ck_db *db = nullptr;
  std::unordered_map<std::string, Signature> functions;
  ~Handle() { ck_close(db); }
  Handle() = default;
  Handle(const Handle &) = delete;
  Handle &operator=(const Handle &) = delete;

  [[noreturn]] void fail() { throw CkError{ck_errcode(db), ck_errmsg(db)}; }

  void refresh() {
    const char *out = ck_functions(db);
    if (!out)
      fail();
    J list = parse(out);
    functions.clear();
    for (const J &fn : list.a) {
      Signature sig;
      const J *name = fn.get("name"), *returns = fn.get("returns"),
              *params = fn.get("params");
      if (!name)
        continue;
      sig.numeric = returns && returns->s == "number";
      if (params)
        for (const J &p : params->a) {
          const J *n = p.get("name"), *t = p.get("type"),
                  *f = p.get("format");
          sig.names.push_back(n ? n->s : "");
          sig.types.push_back(t ? t->s : "");
          sig.formats.push_back(f ? f->s : "");
        }
      functions[name->s] = std::move(sig);
    }
  }

  const Signature *signature(const std::string &function) {
    auto it = functions.find(function);
    if (it == functions.end()) {
      refresh(); /* registered from Lua since the last look */
      it = functions.find(function);
    }
    return it == functions.end() ? nullptr : &it->second;
  }

  /* Database.call: a number function's number, else the JSON result with
     open bounds (null lo, hi in a list of records) as -inf and +inf. */
  J call(const std::string &function, const std::string &args) {
    const Signature *sig = signature(function);
    if (sig && sig->numeric) {
      double d = ck_num(db, function.c_str(), args.c_str());
      if (std::isnan(d) && ck_errcode(db) != CK_OK)
        fail();
      return J::num(d);
    }
    const char *out = ck_call(db, function.c_str(), args.c_str());
    if (!out)
      fail();
    if (std::strcmp(out, "null") == 0) {
      double d = ck_last_num(db); /* +-inf and NaN travel as null */
      return ck_errcode(db) == CK_OK ? J::num(d) : J();
    }
    J value = parse(out);
    if (value.t != J::ARR || function == "claims")
      return value;
    for (const J &row : value.a)
      if (row.t != J::OBJ)
        return value;
    for (J &row : value.a)
      for (size_t i = 0; i < row.k.size(); i++)
        if (row.a[i].t == J::NUL && (row.k[i] == "lo" || row.k[i] == "hi"))
          row.a[i] = J::num(row.k[i] == "lo" ? -HUGE_VAL : HUGE_VAL);
    return value;
  }
};

/* What _call answers: one value, or the array of a range's shape. */
struct Out {
  bool array = false;
  J value;
  Rows cells;
};

Rows one_cell(const Any &a) {
  Sequence<Any> row(&a, 1);
  return Rows(&row, 1);
}

Sequence<OUString> service_names() {
  const OUString names[] = {"com.sun.star.sheet.AddIn", SERVICE};
  return Sequence<OUString>(names, 2);
}

class AddIn : public cppu::WeakImplHelper3<org::claimkit::XClaimkit,
                                           css::lang::XServiceName,
                                           css::lang::XServiceInfo> {
  std::recursive_mutex lock_; /* reading the workbook may calculate a cell */
  std::unordered_map<std::string, std::unique_ptr<Handle>> handles_;
  /* the workbook's database, read again once WORKBOOK_SECONDS are past */
  Caller workbook_doc_;
  std::chrono::steady_clock::time_point workbook_at_;
  std::string workbook_;
  std::string env_; /* the path $CLAIMKIT_DB or the default names */

  Reference<css::uno::XInterface> self() {
    return static_cast<cppu::OWeakObject *>(this);
  }

  /* _fail: a bad argument is Err:502, any other failure #VALUE!. */
  [[noreturn]] void fail(const CkError &e) {
    if (e.code == CK_INVALID)
      throw css::lang::IllegalArgumentException(ustr(e.message), self(), 0);
    throw css::uno::RuntimeException(ustr(e.message), self());
  }

  /* _workbook: reading the name costs several UNO calls, more than a
     cell's whole answer, and a recalculation asks it for every cell. */
  const std::string &workbook(const Caller &doc) {
    auto now = std::chrono::steady_clock::now();
    if (workbook_doc_.get() == doc.get() &&
        workbook_at_.time_since_epoch().count() &&
        std::chrono::duration<double>(now - workbook_at_).count() <
            WORKBOOK_SECONDS)
      return workbook_;
    workbook_ = workbook_database(doc);
    workbook_doc_ = doc;
    workbook_at_ = now;
    return workbook_;
  }

  /* _where: the path of the database a call uses, and why (null when the
     call's own argument names it). */
  std::pair<const std::string &, const char *> where(const Val &db,
                                                     const Caller &doc) {
    if (db.text())
      return {db.s, nullptr};
    const std::string &named = workbook(doc);
    if (!named.empty())
      return {named, "named by the workbook's CLAIMKIT_DB"};
    const char *env = std::getenv("CLAIMKIT_DB");
    if (env && *env) {
      env_ = env; /* no allocation once it has the room */
      return {env_, "named by $CLAIMKIT_DB"};
    }
    env_ = DEFAULT_DB;
    return {env_, "the default database: no database argument, no "
                  "CLAIMKIT_DB cell or property in the workbook, no "
                  "$CLAIMKIT_DB"};
  }

  /* _database: the call's database, opened read-only once per path; a
     function that reads nothing stored answers from an empty one when
     the database it was not given cannot be opened. */
  Handle &database(const Val &db, const Caller &doc,
                   const std::string *function) {
    auto [where_path, why] = where(db, doc);
    auto it = handles_.find(where_path);
    if (it != handles_.end())
      return *it->second;
    std::string path = where_path;
    auto handle = std::make_unique<Handle>();
    int rc = ck_open(expand(path).c_str(),
                     path != ":memory:" ? CK_OPEN_READONLY : 0, &handle->db);
    if (!handle->db)
      throw CkError{CK_NOMEM, "out of memory"};
    if (rc != CK_OK && rc != CK_SCRIPT) { /* CK_SCRIPT: open, a script failed */
      CkError e{rc, ck_errmsg(handle->db)};
      if (why && function &&
          (*function == "quantity" || *function == "quantities" ||
           *function == "segments" || *function == "draft")) {
        Val memory;
        memory.t = Val::TEXT;
        memory.s = ":memory:";
        return database(memory, doc, nullptr);
      }
      if (why)
        e.message += std::string(" (") + why + ")";
      throw e;
    }
    return *(handles_[path] = std::move(handle));
  }

  std::vector<Val> read(const Params &args,
                        const std::vector<std::string> *formats,
                        const std::vector<std::string> *types) {
    std::vector<Val> out;
    out.reserve(args.size());
    for (size_t i = 0; i < args.size(); i++)
      out.push_back(arg(
          *args[i],
          formats && i < formats->size() ? (*formats)[i].c_str() : nullptr,
          types && i < types->size() ? (*types)[i].c_str() : nullptr));
    while (!out.empty() && out.back().t == Val::NONE)
      out.pop_back(); /* trailing defaults */
    return out;
  }

  /* _one: one call; a function registered since the handle was opened
     opens it again. */
  J one(Handle *&handle, const Val &db, const Caller &doc,
        const std::string &function, const std::vector<const Val *> &args) {
    std::string json = "[";
    for (size_t i = 0; i < args.size(); i++) {
      if (i)
        json += ", ";
      encode(json, *args[i]);
    }
    json += ']';
    try {
      return handle->call(function, json);
    } catch (const CkError &e) {
      if (e.code != CK_NOTFOUND ||
          e.message.find("no function") == std::string::npos)
        throw;
    }
    for (auto it = handles_.begin(); it != handles_.end(); ++it)
      if (it->second.get() == handle) {
        handles_.erase(it);
        break;
      }
    handle = &database(db, doc, &function);
    return handle->call(function, json);
  }

  /* _call: a Range among the arguments makes the answer an array of the
     range's shape. */
  Out call(const std::string &function, const Params &params, const Val &db,
           const std::vector<std::string> *formats,
           const std::vector<std::string> *types, const Caller &doc) {
    std::vector<Val> args = read(params, formats, types);
    Handle *handle = &database(db, doc, &function);
    std::vector<const Val *> ranges, one_args;
    for (const Val &a : args) {
      if (a.t == Val::RANGE)
        ranges.push_back(&a);
      one_args.push_back(&a);
    }
    Out out;
    if (ranges.empty()) {
      out.value = one(handle, db, doc, function, one_args);
      return out;
    }
    for (const Val *r : ranges)
      if (r->rows != ranges[0]->rows || r->cols != ranges[0]->cols) {
        std::string shapes;
        for (const Val *q : ranges)
          shapes += (shapes.empty() ? "" : " and ") + std::to_string(q->rows) +
                    "x" + std::to_string(q->cols);
        throw CkError{CK_INVALID, function + ": ranges of different shapes (" +
                                      shapes + ")"};
      }
    out.array = true;
    out.cells.realloc(static_cast<sal_Int32>(ranges[0]->rows));
    for (size_t i = 0; i < ranges[0]->rows; i++) {
      Sequence<Any> row(static_cast<sal_Int32>(ranges[0]->cols));
      for (size_t j = 0; j < ranges[0]->cols; j++) {
        for (size_t n = 0; n < args.size(); n++)
          one_args[n] = args[n].t == Val::RANGE
                            ? &args[n].items[i * ranges[0]->cols + j]
                            : &args[n];
        row.getArray()[j] =
            cell_value(one(handle, db, doc, function, one_args));
      }
      out.cells.getArray()[i] = row;
    }
    return out;
  }

  Out entry_call(const Entry &entry, Params params, const Any &db_any,
                 const Caller &doc) {
    Val db = arg(db_any, nullptr, "string");
    database_in_place(entry.cell, entry.labels, params, db);
    return call(entry.function, params, db, &entry.formats, &entry.types, doc);
  }

  /* The answer of a cell function of the table (_number, _string, _table):
     one value as itself, an array as rows of values. */
  Any answer(const Entry &entry, const Out &out) {
    if (out.array) {
      if (entry.kind == Kind::TABLE)
        throw css::uno::RuntimeException(
            ustr(std::string(entry.cell) +
                 " takes one value per argument, not a range"),
            self());
      return Any(out.cells);
    }
    const J &v = out.value;
    if (entry.kind == Kind::NUMBER) {
      if (v.t == J::NUL)
        return Any(std::nan(""));
      if (v.t == J::ARR || v.t == J::OBJ)
        throw css::uno::RuntimeException(
            ustr(std::string(entry.function) + ": the result is not one value"),
            self());
      return cell_value(v);
    }
    if (entry.kind == Kind::STRING)
      return cell_value(v);
    return Any(table(entry, v));
  }

  /* _table: a list of records (an object is one) as a header row over
     their values. */
  Rows table(const Entry &entry, const J &v) {
    std::vector<const J *> rows;
    if (v.t == J::OBJ)
      rows.push_back(&v);
    else if (v.t == J::ARR)
      for (const J &r : v.a)
        rows.push_back(&r);
    else if (v.t == J::NUL || v.t == J::FALSE_ ||
             (v.t == J::STR && v.s.empty()) ||
             ((v.t == J::INT || v.t == J::REAL) && v.d == 0))
      return one_cell(Any(OUString()));
    else
      throw css::uno::RuntimeException(
          ustr(std::string(entry.function) + ": the result is not a table"),
          self());
    if (rows.empty())
      return one_cell(Any(OUString()));
    for (const J *r : rows)
      if (r->t != J::OBJ)
        throw css::uno::RuntimeException(
            ustr(std::string(entry.function) + ": the result is not a table"),
            self());
    const std::vector<std::string> &header = rows[0]->k;
    Rows out(static_cast<sal_Int32>(rows.size() + 1));
    Sequence<Any> top(static_cast<sal_Int32>(header.size()));
    for (size_t c = 0; c < header.size(); c++)
      top.getArray()[c] <<= ustr(header[c]);
    out.getArray()[0] = top;
    J none;
    for (size_t r = 0; r < rows.size(); r++) {
      Sequence<Any> row(static_cast<sal_Int32>(header.size()));
      for (size_t c = 0; c < header.size(); c++) {
        const J *x = rows[r]->get(header[c]);
        row.getArray()[c] = cell_value(x ? *x : none);
      }
      out.getArray()[static_cast<sal_Int32>(r + 1)] = row;
    }
    return out;
  }

  /* _free_call: CKCALL and CKERROR call the function by name; one argument
     more than it takes is the database. */
  std::pair<std::string, Out>
  free_call(const OUString &fn, const Sequence<Any> &seq, const Caller &doc) {
    if (fn.isEmpty())
      throw CkError{CK_INVALID, "no function name given"};
    std::string function = utf8(fn);
    Params args;
    for (const Any &a : seq)
      args.push_back(&a);
    Val none, memory;
    memory.t = Val::TEXT;
    memory.s = ":memory:";
    auto signature = [&](const Val &db) {
      return database(db, doc, &function).signature(function);
    };
    Val db;
    const Signature *found;
    bool opened = true;
    try {
      found = signature(none);
    } catch (const CkError &no_default) {
      opened = false;
      /* a database that cannot be opened has no functions of its own:
         the built-in ones say how many arguments the call takes */
      found = database(memory, doc, nullptr).signature(function);
      if (!found)
        throw no_default;
      if (args.size() > found->names.size()) {
        db = arg(*args.back(), nullptr, "string");
        args.pop_back();
      } else { /* or a path in a parameter's place */
        database_in_place(function, found->names, args, db);
        if (db.t == Val::NONE)
          throw no_default;
      }
      found = signature(db);
    }
    if (opened && found && args.size() > found->names.size()) {
      db = arg(*args.back(), nullptr, "string");
      args.pop_back();
      if (const Signature *s = signature(db))
        found = s;
    }
    if (found) {
      Signature sig = *found; /* the handle may be reopened below */
      database_in_place(function, sig.names, args, db);
      return {function, call(function, args, db, &sig.formats, &sig.types, doc)};
    }
    return {function, call(function, args, db, nullptr, nullptr, doc)};
  }

public:
  AddIn() = default;

  Any cell(size_t index, const Caller &doc, const Any *const *params, size_t n,
           const Any &db) {
    const Entry &entry = ENTRIES[index];
    std::lock_guard<std::recursive_mutex> guard(lock_);
    try {
      return answer(entry,
                    entry_call(entry, Params(params, params + n), db, doc));
    } catch (const CkError &e) {
      fail(e);
    } catch (const std::exception &e) { /* as pyuno makes of any error */
      throw css::uno::RuntimeException(OUString::createFromAscii(e.what()),
                                       self());
    }
  }

#include "claimkit_cells.inc"

  Any SAL_CALL ckCall(const Caller &doc, const OUString &fn,
                      const Sequence<Any> &args) override {
    std::lock_guard<std::recursive_mutex> guard(lock_);
    try {
      auto [function, out] = free_call(fn, args, doc);
      if (out.array) /* CKCALL's result is one cell */
        throw CkError{CK_INVALID,
                      function +
                          ": CKCALL takes one value per argument, not a range"};
      return cell_value(out.value);
    } catch (const CkError &e) {
      fail(e);
    } catch (const std::exception &e) { /* as pyuno makes of any error */
      throw css::uno::RuntimeException(OUString::createFromAscii(e.what()),
                                       self());
    }
  }

  OUString SAL_CALL ckError(const Caller &doc, const OUString &fn,
                            const Sequence<Any> &args) override {
    std::lock_guard<std::recursive_mutex> guard(lock_);
    try {
      auto [function, out] = free_call(fn, args, doc);
      if (out.array) { /* an array: its first error cell */
        for (const auto &row : out.cells)
          for (const Any &c : row) {
            double d;
            if ((c >>= d) && !unbounded(function, d).empty())
              return ustr(unbounded(function, d));
          }
        return OUString();
      }
      return out.value.t == J::REAL ? ustr(unbounded(function, out.value.d))
                                    : OUString();
    } catch (const CkError &e) {
      return ustr(e.message);
    } catch (const css::uno::Exception
                 &e) { /* anything the cell shows as an error */
      return e.Message;
    } catch (const std::exception &e) {
      return OUString::createFromAscii(e.what());
    }
  }

  OUString SAL_CALL getServiceName() override { return SERVICE; }
  OUString SAL_CALL getImplementationName() override { return SERVICE; }
  sal_Bool SAL_CALL supportsService(const OUString &name) override {
    return cppu::supportsService(this, name);
  }
  Sequence<OUString> SAL_CALL getSupportedServiceNames() override {
    return service_names();
  }
};

Reference<css::uno::XInterface>
    SAL_CALL create(const Reference<css::uno::XComponentContext> &) {
  return static_cast<cppu::OWeakObject *>(new AddIn);
}

OUString SAL_CALL implementation_name() { return SERVICE; }

Sequence<OUString> SAL_CALL services() { return service_names(); }

const cppu::ImplementationEntry ENTRY_POINTS[] = {
    {create, implementation_name, services, cppu::createSingleComponentFactory,
     nullptr, 0},
    {nullptr, nullptr, nullptr, nullptr, nullptr, 0}};

} // namespace

extern "C" SAL_DLLPUBLIC_EXPORT void *SAL_CALL
component_getFactory(const char *name, void *smgr, void *key) {
  return cppu::component_getFactoryHelper(name, smgr, key, ENTRY_POINTS);
}

extern "C" SAL_DLLPUBLIC_EXPORT void SAL_CALL
component_getImplementationEnvironment(const char **env, uno_Environment **) {
  *env = CPPU_CURRENT_LANGUAGE_BINDING_NAME;
}
