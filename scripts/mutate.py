#!/usr/bin/env python3
"""Mutation testing for fluxacdc's C sources: do the tests fail when the code is wrong?

    scripts/mutate.py [options] [MODULE[:FUNC,FUNC...]...]

A MODULE is a path under src/ without ".c" (diff, util/duration); with
":FUNC,..." only mutants inside those functions count.  With no MODULE, the
default set (the pure modules and apply's and Connect's decision functions).

Each mutant is one small, plausible bug planted in ONE copy of the tree
(never in the checkout it runs from: an interrupted run leaves nothing
behind): a comparison or boundary flip, a condition forced to 0 or 1, an
operand of && or || dropped, a ! dropped, return 0 <-> return -1, a constant
changed, an enum value swapped for its neighbour, an entry dropped from a
static table.  The copy is rebuilt incrementally (-O0, LeakSanitizer only)
and the mutant is killed when the unit tests fail or leak (the module's own
suite first, then all of them), else when the CLI tests do, else when the
module's own and the torture unit tests under ASan+UBSan report (as make
check's would), else (with
--integration) when the integration script that covers the file fails.  A
test run that passes its time bound kills the mutant too (a hang).
Allocation-failure handling (an if that only reports out of memory) is
counted apart as "oom", not scored: the torture tests cover it.

Mutants whose behaviour is provably unchanged are listed in
tests/mutate/equivalent.txt with the reason, keyed by a description that
names file, function, change and source line but no line number, so that
edits elsewhere in the file do not unkey them.  They are reported, never
silently dropped, and excluded from the score.

Prints, per module, killed / survived / equivalent / not compiling and the
score killed / (killed + survived), then every survivor as
    src/FILE.c:LINE: KEY
Exit status: 0 when every module reaches --min-score (default 0: report only),
1 otherwise, 2 on a usage or build error.
"""

import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import OrderedDict, defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The pure modules and the apply/connect decisions (issue 19).  apply.c and
# connect.c are adapters: only their decision functions count.
DEFAULT_MODULES = [
    "diff", "desired", "manifest", "interp", "dsn", "debezium", "plan_json",
    "mysql_facts", "secret", "connect_json", "connect_checks", "check",
    "util/duration", "observed", "connect_write", "apply_gate",
    "apply:fx_apply_exit_code,fx_apply_count",
]

# The one integration script that covers a file best (--integration).
INTEGRATION = {
    "apply": "test_apply_faults.sh",
    "apply_gate": "test_apply.sh",
    "observed": "test_faults.sh",
    "connect_write": "test_faults.sh",
    "connect": "test_faults.sh",
    "connect_json": "test_faults.sh",
    "connect_checks": "test_plan.sh",
    "mysql_facts": "test_plan_db.sh",
    "diff": "test_plan.sh",
    "desired": "test_apply.sh",
    "plan_json": "test_plan.sh",
    "debezium": "test_tail.sh",
    "check": "test_plan_db.sh",
}

EQUIVALENT_FILE = "tests/mutate/equivalent.txt"
STOP = threading.Event()  # set on SIGINT/SIGTERM: finish nothing more, report

# ---------------------------------------------------------------- tokenizer

PUNCT = sorted("""... <<= >>= -> ++ -- << >> <= >= == != && || += -= *= /= %= &= ^= |= ##
{ } [ ] ( ) ; , < > = + - * / % & | ^ ! ~ ? : . #""".split(), key=len, reverse=True)


class Tok:
    __slots__ = ("kind", "text", "start", "end", "line", "func")

    def __init__(self, kind, text, start, end, line):
        self.kind, self.text, self.start, self.end, self.line = kind, text, start, end, line
        self.func = None

    def __repr__(self):
        return "%s(%r)" % (self.kind, self.text)


def tokenize(src):
    """C tokens (kind: id, num, str, chr, punct) with offsets and lines;
    comments and preprocessor lines are skipped (never mutated)."""
    toks, i, n, line = [], 0, len(src), 1
    at_line_start = True
    while i < n:
        c = src[i]
        if c == "\n":
            line += 1
            i += 1
            at_line_start = True
            continue
        if c in " \t\r\f\v":
            i += 1
            continue
        if c == "#" and at_line_start:
            while i < n and src[i] != "\n":
                if src[i] == "\\" and i + 1 < n and src[i + 1] == "\n":
                    line += 1
                    i += 2
                    continue
                i += 1
            continue
        at_line_start = False
        if src.startswith("//", i):
            while i < n and src[i] != "\n":
                i += 1
            continue
        if src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            line += src.count("\n", i, j)
            i = j
            continue
        if c == '"' or c == "'":
            j = i + 1
            while j < n and src[j] != c:
                j += 2 if src[j] == "\\" else 1
            j += 1
            toks.append(Tok("str" if c == '"' else "chr", src[i:j], i, j, line))
            line += src.count("\n", i, j)
            i = j
            continue
        if c.isalpha() or c == "_":
            m = re.compile(r"[A-Za-z_0-9]+").match(src, i)
            toks.append(Tok("id", m.group(), i, m.end(), line))
            i = m.end()
            continue
        if c.isdigit() or (c == "." and i + 1 < n and src[i + 1].isdigit()):
            m = re.compile(r"[0-9.][0-9A-Za-z_.]*").match(src, i)
            toks.append(Tok("num", m.group(), i, m.end(), line))
            i = m.end()
            continue
        for p in PUNCT:
            if src.startswith(p, i):
                toks.append(Tok("punct", p, i, i + len(p), line))
                i += len(p)
                break
        else:
            i += 1
    return toks


def match_forward(toks, k):
    """Index of the bracket closing the one at toks[k]."""
    pairs = {"(": ")", "[": "]", "{": "}"}
    o, c, d = toks[k].text, pairs[toks[k].text], 0
    for j in range(k, len(toks)):
        if toks[j].kind != "punct":
            continue
        if toks[j].text == o:
            d += 1
        elif toks[j].text == c:
            d -= 1
            if d == 0:
                return j
    return len(toks) - 1


def mark_functions(toks):
    """Sets tok.func to the enclosing function's name (None at file scope)."""
    depth, k, n = 0, 0, len(toks)
    while k < n:
        t = toks[k]
        if t.kind == "punct" and t.text == "{" and depth == 0 and k > 0 and toks[k - 1].text == ")":
            # find the '(' matching toks[k-1]; the name is the identifier before it
            d, j = 0, k - 1
            while j >= 0:
                if toks[j].text == ")":
                    d += 1
                elif toks[j].text == "(":
                    d -= 1
                    if d == 0:
                        break
                j -= 1
            name = toks[j - 1].text if j > 0 and toks[j - 1].kind == "id" else "?"
            end = match_forward(toks, k)
            for m in range(k, end + 1):
                toks[m].func = name
            k = end + 1
            continue
        if t.kind == "punct" and t.text in "{([":
            depth += 1
        elif t.kind == "punct" and t.text in "})]":
            depth -= 1
        k += 1


def parse_enums(texts):
    """enumerator -> (list of the enum's enumerators) over the given sources."""
    out = {}
    for src in texts:
        toks = tokenize(src)
        for k, t in enumerate(toks):
            if t.text != "enum":
                continue
            j = k + 1
            if j < len(toks) and toks[j].kind == "id":
                j += 1
            if j >= len(toks) or toks[j].text != "{":
                continue
            end = match_forward(toks, j)
            names, expect = [], True
            depth = 0
            for m in range(j + 1, end):
                tm = toks[m]
                if tm.text in "([{":
                    depth += 1
                elif tm.text in ")]}":
                    depth -= 1
                elif depth == 0 and tm.text == ",":
                    expect = True
                elif depth == 0 and expect and tm.kind == "id":
                    names.append(tm.text)
                    expect = False
            if len(names) >= 2:
                for nm in names:
                    out[nm] = names
    return out


# ---------------------------------------------------------------- mutants

class Mutant:
    __slots__ = ("file", "module", "func", "line", "start", "end", "repl", "op", "desc",
                 "context", "key", "status", "detail", "equivalent", "seconds")

    def __init__(self, file, module, func, line, start, end, repl, op, desc, context):
        self.file, self.module, self.func, self.line = file, module, func, line
        self.start, self.end, self.repl, self.op, self.desc = start, end, repl, op, desc
        self.context = context
        self.key = None
        self.status = None
        self.detail = ""
        self.equivalent = None
        self.seconds = 0.0

    def apply(self, src):
        return src[:self.start] + self.repl + src[self.end:]


def squash(s, limit=70):
    s = " ".join(s.split())
    return s if len(s) <= limit else s[:limit - 3] + "..."


ROR = {"<": "<=", "<=": "<", ">": ">=", ">=": ">", "==": "!=", "!=": "=="}
STOP_LEFT = {"(", ",", ";", "=", "?", ":", "{", "return", "&&", "||"}
STOP_RIGHT = {")", ",", ";", "?", ":", "}", "&&", "||"}


def operand_bounds(toks, k, direction):
    """Token index range of the operand left (-1) or right (+1) of toks[k]."""
    d, j = 0, k + direction
    while 0 <= j < len(toks):
        t = toks[j].text
        if direction > 0:
            if t in "([{" and toks[j].kind == "punct":
                d += 1
            elif t in ")]}" and toks[j].kind == "punct":
                if d == 0:
                    break
                d -= 1
            elif d == 0 and t in STOP_RIGHT:
                break
        else:
            if t in ")]}" and toks[j].kind == "punct":
                d += 1
            elif t in "([{" and toks[j].kind == "punct":
                if d == 0:
                    break
                d -= 1
            elif d == 0 and t in STOP_LEFT:
                break
        j += direction
    return (k + 1, j - 1) if direction > 0 else (j + 1, k - 1)


def generate(path, rel, module, src, enums):
    toks = tokenize(src)
    mark_functions(toks)
    lines = src.split("\n")
    out = []

    oom = oom_tokens(toks, lines)

    def add(tok, start, end, repl, op, desc, anchor=None):
        ctx = squash(lines[tok.line - 1].strip())
        m = Mutant(rel, module, tok.func or "<file>", tok.line, start, end, repl, op, desc, ctx)
        if id(anchor or tok) in oom and not (op == "drop-operand" and "fx_grow" in desc):
            m.status, m.detail = "oom-path", "allocation-failure handling (tests/unit/test_torture.c)"
        out.append(m)

    def text(a, b):
        return squash(src[toks[a].start:toks[b].end], 50)

    n = len(toks)
    for k, t in enumerate(toks):
        prev = toks[k - 1] if k > 0 else None
        nxt = toks[k + 1] if k + 1 < n else None
        infunc = t.func is not None
        # comparison and boundary flips (in a for's condition: loop bounds)
        if t.kind == "punct" and t.text in ROR and infunc:
            add(t, t.start, t.end, ROR[t.text], "ror", "'%s' -> '%s'" % (t.text, ROR[t.text]))
        # conditions forced: if (c) -> if (0) / if (1); while (c) -> while (0)
        if t.kind == "id" and t.text in ("if", "while") and infunc and nxt and nxt.text == "(":
            close = match_forward(toks, k + 1)
            cond = text(k + 2, close - 1)
            if close - 1 >= k + 2 and not (close == k + 3 and toks[k + 2].text in ("0", "1")):
                forced = ("0", "1") if t.text == "if" else ("0",)
                for v in forced:
                    add(t, toks[k + 2].start, toks[close - 1].end, v, "cond",
                        "%s (%s) -> %s (%s)" % (t.text, cond, t.text, v))
        # an operand of && / || dropped
        if t.kind == "punct" and t.text in ("&&", "||") and infunc:
            a, b = operand_bounds(toks, k, +1)
            if a <= b:
                add(t, toks[k - 1].end, toks[b].end, "", "drop-operand",
                    "drop '%s %s'" % (t.text, text(a, b)), anchor=toks[a])
            a2, b2 = operand_bounds(toks, k, -1)
            if a2 <= b2:
                add(t, toks[a2].start, toks[k + 1].start, "", "drop-operand",
                    "drop '%s %s'" % (text(a2, b2), t.text), anchor=toks[a2])
        # a negation dropped
        if t.kind == "punct" and t.text == "!" and infunc and nxt:
            e = k + 1
            if nxt.text == "(":
                e = match_forward(toks, k + 1)
            while e + 1 < n and (toks[e + 1].text in (".", "->", "(", "[")):
                if toks[e + 1].text in ("(", "["):
                    e = match_forward(toks, e + 1)
                elif e + 2 < n:
                    e += 2
                else:
                    break
            end = toks[e]
            add(t, t.start, t.end, "", "negation",
                "drop '!' in '%s'" % squash(src[t.start:end.end], 50))
        # return 0 <-> return -1
        if t.kind == "id" and t.text == "return" and infunc and nxt:
            if nxt.text == "0" and k + 2 < n and toks[k + 2].text == ";":
                add(t, nxt.start, nxt.end, "-1", "return", "return 0 -> return -1")
            elif (nxt.text == "-" and k + 3 < n and toks[k + 2].text == "1"
                  and toks[k + 3].text == ";"):
                add(t, nxt.start, toks[k + 2].end, "0", "return", "return -1 -> return 0")
        # constants: 0 -> 1, 1 -> 0, n -> n+1 (not array sizes, not enum
        # initialisers' own values, not case labels' neighbours of switch)
        if t.kind == "num" and re.fullmatch(r"(0x[0-9a-fA-F]+|[0-9]+)[uUlL]*", t.text):
            if prev and prev.text == "[" and nxt and nxt.text == "]":
                continue
            # covered by the return and comparison operators, or no behaviour:
            # -1 and return 0 (return), x < 0 (ror), memset(p, 0, n)
            if prev and (prev.text == "-" or prev.text in ROR or
                         (prev.text == "return" and nxt and nxt.text == ";")):
                continue
            if nxt and nxt.text in ROR and t.text == "0":
                continue
            if t.text == "0" and "memset(" in lines[t.line - 1]:
                continue
            if not infunc and not in_initializer(toks, k):
                continue
            m = re.fullmatch(r"(0x[0-9a-fA-F]+|[0-9]+)([uUlL]*)", t.text)
            v = int(m.group(1), 0)
            nv = {0: 1, 1: 0}.get(v, v + 1)
            repl = (hex(nv) if m.group(1).startswith("0x") else str(nv)) + m.group(2)
            add(t, t.start, t.end, repl, "const", "%s -> %s" % (t.text, repl))
        # enum values swapped for the next one of the same enum
        if t.kind == "id" and t.text in enums and infunc and not (prev and prev.text == "case"):
            names = enums[t.text]
            repl = names[(names.index(t.text) + 1) % len(names)]
            add(t, t.start, t.end, repl, "enum", "%s -> %s" % (t.text, repl))
        # an entry dropped from a static table: '= {' whose items are
        # strings or brace groups
        if t.kind == "punct" and t.text == "{" and prev and prev.text == "=":
            out.extend(table_drops(toks, k, src, rel, module, lines))
    return out


def oom_tokens(toks, lines):
    """Tokens of allocation-failure handling: an if whose branch only reports
    out of memory (goto oom, "out of memory", fx_buf_ok), and lines that set
    or name the oom flag.  Mutants there are counted apart, not scored: the
    torture test (every allocation failed in turn) is what covers them."""
    out = set()
    n = len(toks)
    for k, t in enumerate(toks):
        if t.func is None:
            continue
        l = lines[t.line - 1]
        if "out of memory" in l or re.search(r"\boom\b", l):
            out.add(id(t))
        if t.text == "if" and k + 1 < n and toks[k + 1].text == "(":
            close = match_forward(toks, k + 1)
            if close + 1 >= n:
                continue
            if toks[close + 1].text == "{":
                body = range(close + 1, match_forward(toks, close + 1) + 1)
            else:
                j = close + 1
                while j < n and toks[j].text != ";":
                    j += 1
                body = range(close + 1, min(j + 1, n))
            cond = range(k, close + 1)
            hit = any(toks[j].text == "oom" or (toks[j].kind == "str" and "out of memory" in toks[j].text)
                      for j in body) or any(toks[j].text == "fx_buf_ok" for j in cond)
            if hit:
                for j in list(cond) + list(body):
                    out.add(id(toks[j]))
                continue
            # operands that only test an allocation: !p where p = fx_strdup(..),
            # (x && !p), fx_grow(..) < 0; all of them: the whole if and its branch
            allocs = alloc_lvalues(toks, t.func)
            ops = split_operands(toks, k + 2, close - 1)
            checks = [o for o in ops if is_alloc_check(toks, o, allocs)]
            if not checks and len(ops) == 1 and bare_failure(toks, body):
                # if (!p) return -1; where p is a pointer a call returned
                a, b = ops[0]
                if (b == a + 1 and toks[a].text == "!" and
                        toks[b].text in pointer_results(toks, t.func)):
                    checks = ops
            for a, b in checks:
                for j in range(a, b + 1):
                    out.add(id(toks[j]))
            if ops and len(checks) == len(ops):
                for j in [k] + list(body):
                    out.add(id(toks[j]))
    return out


def bare_failure(toks, body):
    """The branch only fails: return -1; return NULL; goto LABEL; (braces allowed)."""
    txt = [toks[j].text for j in body if toks[j].text not in ("{", "}")]
    return txt in (["return", "-", "1", ";"], ["return", "NULL", ";"]) or (
        len(txt) == 3 and txt[0] == "goto" and txt[2] == ";")


def pointer_results(toks, func):
    """Identifiers declared as pointers in func and assigned a call's result."""
    ptrs, called = set(), set()
    idx = [k for k, t in enumerate(toks) if t.func == func]
    for k in idx:
        t = toks[k]
        if t.kind == "id" and k > 0 and toks[k - 1].text == "*" and k + 1 < len(toks) and \
                toks[k + 1].text in (",", ";", "=") and k > 1 and toks[k - 2].kind == "id":
            ptrs.add(t.text)
        if t.kind == "id" and k + 3 < len(toks) and toks[k + 1].text == "=" and \
                toks[k + 2].kind == "id" and toks[k + 3].text == "(":
            called.add(t.text)
    return ptrs & called


ALLOCATORS = {"fx_strdup", "fx_strndup", "fx_asprintf", "fx_calloc", "fx_malloc", "fx_realloc",
              "malloc", "calloc", "realloc", "strdup", "strndup", "fx_buf_detach", "json_object",
              "json_array", "json_string", "json_pack", "json_integer", "fx_connect_redact",
              "fx_connect_trace_head"}
_alloc_cache = {}


def alloc_lvalues(toks, func):
    """Lvalues (as text without spaces) assigned an allocator's result in func."""
    key = (id(toks), func)
    if key in _alloc_cache:
        return _alloc_cache[key]
    found = set()
    for k, t in enumerate(toks):
        if t.func != func or t.text != "=" or t.kind != "punct":
            continue
        j = k + 1
        while j < len(toks) and toks[j].text != ";":
            if toks[j].text in ALLOCATORS and j + 1 < len(toks) and toks[j + 1].text == "(":
                b = k - 1
                while b >= 0 and (toks[b].kind in ("id", "num") or toks[b].text in (".", "->", "[", "]")):
                    b -= 1
                found.add("".join(x.text for x in toks[b + 1:k]))
                break
            j += 1
    _alloc_cache[key] = found
    return found


def split_operands(toks, a, b):
    """Top-level || operands of toks[a..b] as index ranges."""
    out, start, d = [], a, 0
    for j in range(a, b + 1):
        x = toks[j].text
        if x in "([{" and toks[j].kind == "punct":
            d += 1
        elif x in ")]}" and toks[j].kind == "punct":
            d -= 1
        elif d == 0 and x == "||":
            out.append((start, j - 1))
            start = j + 1
    if start <= b:
        out.append((start, b))
    return out


def is_alloc_check(toks, rng, allocs):
    a, b = rng
    txt = "".join(toks[j].text for j in range(a, b + 1))
    if txt.startswith("(") and txt.endswith(")"):
        txt = txt[1:-1]
    if txt.startswith("fx_grow(") and txt.endswith("<0"):
        return True
    last = txt.rsplit("&&", 1)[-1]
    if last.startswith("!") and last[1:] in allocs:
        return True
    if last.endswith("==NULL") and last[:-6] in allocs:
        return True
    return False


def in_initializer(toks, k):
    """True when toks[k] is inside a '= { ... }' at file scope."""
    d = 0
    for j in range(k - 1, -1, -1):
        t = toks[j]
        if t.text == "}":
            d += 1
        elif t.text == "{":
            if d == 0:
                return j > 0 and (toks[j - 1].text == "=" or in_initializer(toks, j))
            d -= 1
        elif t.text == ";" and d == 0:
            return False
    return False


def table_drops(toks, k, src, rel, module, lines):
    end = match_forward(toks, k)
    items, start, d = [], k + 1, 0
    for j in range(k + 1, end + 1):
        t = toks[j]
        if t.kind == "punct" and t.text in "([{" and j != k:
            d += 1
        elif t.kind == "punct" and t.text in ")]}" and j != end:
            d -= 1
        elif (d == 0 and t.text == ",") or j == end:
            if start <= j - 1:
                items.append((start, j - 1))
            start = j + 1
    def kind(a, b):
        if toks[a].kind == "str" and all(toks[m].kind == "str" for m in range(a, b + 1)):
            return "str"
        if toks[a].text == "{" and match_forward(toks, a) == b:
            inner = [toks[m] for m in range(a + 1, b)]
            if not inner or all(x.text in ("NULL", "0", ",") for x in inner):
                return None  # a sentinel row
            return "row"
        return None
    kinds = [kind(a, b) for a, b in items]
    if len(items) < 2 or not all(kinds) and not all(x == "str" or x == "row" for x in kinds if x):
        return []
    if sum(1 for x in kinds if x) < 2:
        return []
    out = []
    for (a, b), kd in zip(items, kinds):
        if not kd:
            continue
        # delete the item and the comma after it (or before it, for the last)
        s, e = toks[a].start, toks[b].end
        if b + 1 < len(toks) and toks[b + 1].text == ",":
            e = toks[b + 1].end
        elif a - 1 > k and toks[a - 1].text == ",":
            s = toks[a - 1].start
        tok = toks[a]
        ctx = squash(lines[tok.line - 1].strip())
        out.append(Mutant(rel, module, tok.func or "<file>", tok.line, s, e, "", "drop-entry",
                          "drop entry %s" % squash(src[toks[a].start:toks[b].end], 50), ctx))
    return out


def assign_keys(mutants):
    seen = defaultdict(int)
    for m in mutants:
        base = "%s: %s: %s @ %s" % (m.file, m.func, m.desc, m.context)
        seen[base] += 1
        m.key = base if seen[base] == 1 else "%s #%d" % (base, seen[base])


def load_equivalents(path):
    eq = OrderedDict()
    if not os.path.exists(path):
        return eq
    with open(path) as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if " ## " not in line:
                sys.exit("%s:%d: an equivalent mutant needs ' ## ' and the reason it changes nothing"
                         % (path, n))
            key, reason = line.split(" ## ", 1)
            if not reason.strip():
                sys.exit("%s:%d: no reason given" % (path, n))
            eq[key.strip()] = reason.strip()
    return eq


# ---------------------------------------------------------------- running

class Copy:
    """One copy of the tree, rebuilt incrementally, one mutant at a time."""

    def __init__(self, base, idx, args):
        self.dir = os.path.join(base, "w%d" % idx)
        self.args = args
        self.dirty = None  # (rel, original text) currently mutated
        self.proc = None   # the test or build running now
        ignore = shutil.ignore_patterns(".git", "build", "fluxacdc", ".stack", ".stack-bench",
                                        "corpus-run", "target", "__pycache__")
        for attempt in range(3):  # a rebase in the checkout may race the copy
            try:
                shutil.copytree(ROOT, self.dir, ignore=ignore, symlinks=True)
                break
            except shutil.Error:
                shutil.rmtree(self.dir, ignore_errors=True)
                if attempt == 2:
                    raise
                time.sleep(5)
        # CLI suites that exercise none of the mutated modules (the shell
        # completions, make install) are left out of this copy's CLI run
        for name in args.cli_skip:
            path = os.path.join(self.dir, "tests/cli/test_%s.sh" % name)
            if os.path.exists(path):
                os.remove(path)
        self.env = dict(os.environ, FLUXACDC_TEST_ROOT=self.dir)

    def run(self, cmd, timeout, log):
        t0 = time.time()
        if STOP.is_set():
            return 1, 0.0
        p = subprocess.Popen(["nice", "-n", str(self.args.nice)] + cmd, cwd=self.dir, env=self.env,
                             stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.proc = p
        try:
            rc = p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
            rc = None
        finally:
            self.proc = None
        return rc, time.time() - t0

    def test(self, cmd, timeout, log, leaks):
        """Runs a test command; rc None on timeout, 'leak' when it passed but
        LeakSanitizer reported a leak (leaks: watch for that)."""
        ldir = os.path.join(self.dir, "lsan")
        shutil.rmtree(ldir, ignore_errors=True)
        os.makedirs(ldir)
        self.env["LSAN_OPTIONS"] = "log_path=%s/lsan:exitcode=0" % ldir
        rc, secs = self.run(cmd, timeout, log)
        if rc == 0 and leaks and any(os.path.getsize(os.path.join(ldir, f)) for f in os.listdir(ldir)):
            return "leak", secs
        return rc, secs

    def kill(self):
        p = self.proc
        if p:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except OSError:
                pass

    def make_san(self, log):
        return self.run(["make", "-s", "-j1", "CFLAGS=-O0 -g0", "SANITIZE=address,undefined",
                         "DEVELOPER=", "build/san/run_unit"], 1800, log)[0]

    def make(self, targets, log):
        leak = " -fsanitize=leak" if self.args.leaks else ""
        return self.run(["make", "-s", "-j1", "CFLAGS=-O0 -g0" + leak, "LDFLAGS=" + leak.strip(),
                         "SANITIZE=", "DEVELOPER="] + targets,
                        600, log)[0]

    def write(self, rel, text):
        path = os.path.join(self.dir, rel)
        st = os.stat(path)
        with open(path, "w") as f:
            f.write(text)
        # strictly newer, so that make rebuilds even within one clock tick
        t = max(time.time_ns(), st.st_mtime_ns + 1_000_000_000)
        os.utime(path, ns=(t, t))

    def restore(self):
        if self.dirty:
            self.write(*self.dirty)
            self.dirty = None


def run_mutant(cp, m, original, base_times, args):
    logpath = os.path.join(cp.dir, "mutant.log")
    with open(logpath, "w") as log:
        if cp.dirty and cp.dirty[0] != m.file:
            cp.restore()
        cp.write(m.file, m.apply(original))
        if not cp.dirty:
            cp.dirty = (m.file, original)
        t0 = time.time()
        if cp.make(["build/run_unit"], log) != 0:
            m.status, m.detail = "invalid", "does not compile"
            return
        unit = ["build/run_unit", "--jobs", str(args.unit_jobs), "--fail-fast", "--timeout",
                "20", "--ascii"]
        bound = max(30.0, 4 * base_times["unit"])
        suite = m.module.split("/")[-1]

        def verdict(rc, stage):
            if rc == 0:
                return False
            m.status = "timeout" if rc is None else "killed"
            m.detail = stage + (" (a leak)" if rc == "leak" else "")
            return True

        if suite in base_times["suites"]:
            rc, _ = cp.test(unit + ["--filter", suite + "/*"], bound, log, base_times["unit_leaks"])
            if verdict(rc, "unit (%s)" % suite):
                return
        rc, _ = cp.test(unit, bound, log, base_times["unit_leaks"])
        if verdict(rc, "unit"):
            return
        if not args.no_cli:
            if cp.make(["fluxacdc"], log) != 0:
                m.status, m.detail = "invalid", "does not link"
                return
            rc, _ = cp.test(["tests/cli/run.sh", "./fluxacdc"], max(120.0, 4 * base_times["cli"]), log,
                            base_times["cli_leaks"])
            if verdict(rc, "cli"):
                return
        if args.asan:
            # what make check's ASan+UBSan unit run would see: an overflow,
            # a read past an array, undefined behaviour
            if cp.make_san(log) != 0:
                m.status, m.detail = "invalid", "does not build with ASan"
                return
            # the module's own suite (and the torture one) only: the full suite
            # under ASan costs a minute a mutant
            san = ["scripts/unit.sh", "build/san/run_unit", "--jobs", str(args.unit_jobs),
                   "--fail-fast", "--timeout", "60"]
            if suite in base_times["suites"]:
                san += ["--filter", "@(%s|torture)/*" % suite]
            rc, _ = cp.run(san, max(120.0, 6 * base_times["unit"]), log)
            if verdict(rc, "unit under ASan+UBSan"):
                return
        if args.integration:
            script = INTEGRATION.get(m.module)
            if script:
                if cp.make(["fluxacdc"], log) != 0:
                    m.status, m.detail = "invalid", "does not link"
                    return
                rc, _ = cp.run(["tests/integration/run.sh", "tests/integration/" + script],
                               args.integration_timeout, log)
                if rc != 0:
                    m.status, m.detail = ("timeout" if rc is None else "killed"), "integration (%s)" % script
                    return
        m.status = "survived"
        m.seconds = time.time() - t0


def baseline(cp, args):
    """Builds the unmutated copy; the tests must pass there.  Returns timings."""
    log = open(os.path.join(cp.dir, "baseline.log"), "w")
    targets = ["build/run_unit"] + ([] if args.no_cli else ["fluxacdc"])
    if cp.make(targets, log) != 0:
        sys.exit("mutate: the unmutated tree does not build (see %s/baseline.log)" % cp.dir)
    rc, unit_s = cp.test(["build/run_unit", "--jobs", str(args.unit_jobs), "--ascii"], 600, log, True)
    if rc not in (0, "leak"):
        sys.exit("mutate: the unit tests fail without any mutant (see %s/baseline.log)" % cp.dir)
    unit_leaks = args.leaks and rc == 0
    if args.leaks and rc == "leak":
        print("mutate: the unit tests leak without any mutant: leaks not watched in them", flush=True)
    cli_s, cli_leaks = 0.0, False
    if not args.no_cli:
        rc, cli_s = cp.test(["tests/cli/run.sh", "./fluxacdc"], 900, log, True)
        if rc not in (0, "leak"):
            sys.exit("mutate: the CLI tests fail without any mutant (see %s/baseline.log)" % cp.dir)
        cli_leaks = args.leaks and rc == 0
        if args.leaks and rc == "leak":
            print("mutate: the CLI tests leak without any mutant: leaks not watched in them", flush=True)
    if args.asan:
        if cp.make_san(log) != 0:
            sys.exit("mutate: the unmutated tree does not build with ASan (see %s/baseline.log)" % cp.dir)
        rc, _ = cp.run(["scripts/unit.sh", "build/san/run_unit", "--jobs", str(args.unit_jobs)], 1800, log)
        if rc != 0:
            sys.exit("mutate: the unit tests fail under ASan without any mutant (see %s/baseline.log)"
                     % cp.dir)
    out = subprocess.run([os.path.join(cp.dir, "build/run_unit"), "--list"], capture_output=True,
                         text=True, cwd=cp.dir).stdout
    suites = set(re.findall(r"^(\w+): \d+ tests?", out, re.M))
    log.close()
    return {"unit": unit_s, "cli": cli_s, "suites": suites, "unit_leaks": unit_leaks,
            "cli_leaks": cli_leaks}


def parse_module(spec):
    mod, _, funcs = spec.partition(":")
    mod = mod[4:] if mod.startswith("src/") else mod
    mod = mod[:-2] if mod.endswith(".c") else mod
    return mod, set(f for f in funcs.split(",") if f)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("modules", nargs="*", help="MODULE[:FUNC,...] (default: the decision modules)")
    ap.add_argument("-j", "--jobs", type=int, default=1, help="mutants tested at once (one tree copy each)")
    ap.add_argument("--sample", type=int, default=0, help="test at most N mutants per module (quick runs)")
    ap.add_argument("--seed", type=int, default=19, help="seed of --sample")
    ap.add_argument("--op", action="append", help="only these operators (ror cond drop-operand negation return const enum drop-entry)")
    ap.add_argument("--list", action="store_true", help="list the mutants, test none")
    ap.add_argument("--no-cli", action="store_true", help="unit tests only")
    ap.add_argument("--cli-skip", default="completion,install",
                    help="tests/cli/test_NAME.sh suites not run (default: completion,install, "
                         "which exercise no decision module; '' for all)")
    ap.add_argument("--no-leaks", dest="leaks", action="store_false",
                    help="do not build with LeakSanitizer (a mutant that only leaks then survives)")
    ap.add_argument("--no-asan", dest="asan", action="store_false",
                    help="no last stage under ASan+UBSan (a mutant that only reads past an array "
                         "or overflows then survives)")
    ap.add_argument("--rerun", metavar="FILE",
                    help="test again only the survivors of an earlier --json report (the others "
                         "keep their fate there): the score after new tests, without a full run")
    ap.add_argument("--tree", help="mutate this checkout instead of the one the script is in")
    ap.add_argument("--integration", action="store_true",
                    help="also run the integration script that covers the file (needs the stack env)")
    ap.add_argument("--integration-timeout", type=float, default=900)
    ap.add_argument("--unit-jobs", type=int, default=1, help="Criterion --jobs (default 1)")
    ap.add_argument("--nice", type=int, default=15)
    ap.add_argument("--min-score", type=float, default=0.0, help="exit 1 when a module scores less (percent)")
    ap.add_argument("--json", metavar="FILE", help="write every mutant and its fate to FILE")
    ap.add_argument("--keep", action="store_true", help="keep the tree copies (their path is printed)")
    args = ap.parse_args()
    args.cli_skip = [x for x in args.cli_skip.split(",") if x]
    global ROOT
    if args.tree:
        ROOT = os.path.abspath(args.tree)

    specs = [parse_module(s) for s in (args.modules or DEFAULT_MODULES)]
    srcs = sorted(os.path.join("src", f) for f in os.listdir(os.path.join(ROOT, "src")) if f.endswith(".h"))
    srcs += sorted(os.path.join("src/util", f) for f in os.listdir(os.path.join(ROOT, "src/util")) if f.endswith(".h"))
    header_texts = [open(os.path.join(ROOT, p)).read() for p in srcs]

    originals, mutants = {}, []
    for mod, funcs in specs:
        rel = "src/%s.c" % mod
        path = os.path.join(ROOT, rel)
        if not os.path.exists(path):
            print("mutate: no such module '%s' (%s)" % (mod, rel), file=sys.stderr)
            return 2
        src = open(path).read()
        originals[rel] = src
        ms = generate(path, rel, mod, src, parse_enums(header_texts + [src]))
        assign_keys(ms)
        if funcs:
            known = set(m.func for m in ms)
            for f in funcs - known:
                print("mutate: %s has no function '%s' with mutants" % (rel, f), file=sys.stderr)
            ms = [m for m in ms if m.func in funcs]
        if args.op:
            ms = [m for m in ms if m.op in args.op]
        mutants.extend(ms)

    eq = load_equivalents(os.path.join(ROOT, EQUIVALENT_FILE))
    keys = set(m.key for m in mutants)
    for m in mutants:
        if m.key in eq:
            m.equivalent = eq[m.key]
            m.status = "equivalent"
    stale = [k for k in eq if k.split(":", 1)[0] in originals and k not in keys]

    if args.rerun:
        # the mutants of an earlier --json report: its survivors are tested
        # again, the others keep their fate; mutants it did not test are not run
        prev = {d["key"]: d for d in json.load(open(args.rerun))}
        for m in mutants:
            p = prev.get(m.key)
            if m.status is not None:
                continue
            if p is None or p["status"] in ("not-run", "oom-path", "equivalent"):
                m.status = "not-run"
            elif p["status"] != "survived":
                m.status, m.detail = p["status"], (p["detail"] or "") + " (earlier run)"
    todo = [m for m in mutants if m.status is None]
    if args.sample and not args.rerun:
        rng = random.Random(args.seed)
        picked = []
        for mod, _ in specs:
            ms = [m for m in todo if m.module == mod]
            picked.extend(rng.sample(ms, min(args.sample, len(ms))))
        chosen = set(id(m) for m in picked)
        for m in todo:
            if id(m) not in chosen:
                m.status = "not-run"
        todo = [m for m in todo if id(m) in chosen]

    if args.list:
        for m in mutants:
            print("%s:%d: [%s] %s%s" % (m.file, m.line, m.op, m.key,
                                         "  (equivalent: %s)" % m.equivalent if m.equivalent else
                                         "  (%s)" % m.status if m.status else ""))
        print("%d mutants" % len(mutants))
        return 0

    # grouped by file, so that a copy rebuilds one object per mutant
    todo.sort(key=lambda m: (m.file, m.start))
    base = tempfile.mkdtemp(prefix="fx-mutate.")
    t_start = time.time()
    copies = []

    def on_signal(signum, frame):
        STOP.set()
        for cp in copies:
            cp.kill()
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        print("mutate: %d mutants to test (%d equivalent listed), %d tree cop%s under %s"
              % (len(todo), sum(1 for m in mutants if m.equivalent), args.jobs,
                 "y" if args.jobs == 1 else "ies", base), flush=True)
        copies = [Copy(base, i, args) for i in range(max(1, args.jobs))]
        # the other copies build while the first one checks the baseline
        def prebuild(cp):
            cp.make(["build/run_unit"] + ([] if args.no_cli else ["fluxacdc"]), subprocess.DEVNULL)
            if args.asan:
                cp.make_san(subprocess.DEVNULL)
        builders = [threading.Thread(target=prebuild, args=(cp,), daemon=True) for cp in copies[1:]]
        for th in builders:
            th.start()
        times = baseline(copies[0], args)
        for th in builders:
            while th.is_alive():
                th.join(0.5)
        print("mutate: baseline passes (unit %.1f s, cli %.1f s)" % (times["unit"], times["cli"]), flush=True)

        lock = threading.Lock()
        queue = list(todo)
        done = [0]

        def worker(cp):
            while True:
                with lock:
                    if not queue or STOP.is_set():
                        return
                    m = queue.pop(0)
                t0 = time.time()
                run_mutant(cp, m, originals[m.file], times, args)
                m.seconds = time.time() - t0
                if STOP.is_set():
                    m.status, m.detail = None, ""  # cut short: not a verdict
                    return
                with lock:
                    done[0] += 1
                    if m.status == "survived" or args.jobs == 1 or done[0] % 10 == 0:
                        print("  [%d/%d] %-8s %s:%d: %s (%.0f s)" % (done[0], len(todo), m.status,
                              m.file, m.line, m.key.split(": ", 2)[2], m.seconds), flush=True)

        threads = [threading.Thread(target=worker, args=(cp,), daemon=True) for cp in copies]
        for th in threads:
            th.start()
        for th in threads:
            while th.is_alive():
                th.join(0.5)
                if STOP.is_set():
                    for cp in copies:
                        cp.kill()
        if STOP.is_set():
            print("\nmutate: interrupted; reporting what ran", file=sys.stderr)
    finally:
        if args.keep:
            print("mutate: tree copies kept in %s" % base)
        else:
            shutil.rmtree(base, ignore_errors=True)
    wall = time.time() - t_start
    return report(specs, mutants, stale, wall, args)


def report(specs, mutants, stale, wall, args):
    print()
    print("%-16s %6s %6s %6s %6s %6s %6s %7s" % ("module", "killed", "surv", "equiv", "oom", "invalid",
                                                  "notrun", "score"))
    worst, rows = 100.0, []
    for mod, _ in specs:
        ms = [m for m in mutants if m.module == mod]
        c = defaultdict(int)
        for m in ms:
            c[m.status or "not-run"] += 1
        killed = c["killed"] + c["timeout"]
        tested = killed + c["survived"]
        score = 100.0 * killed / tested if tested else 100.0
        if tested:
            worst = min(worst, score)
        rows.append((mod, killed, c["survived"], c["equivalent"], c["oom-path"], c["invalid"],
                     c["not-run"], score))
        print("%-16s %6d %6d %6d %6d %6d %6d %6.1f%%" % rows[-1])
    tk = sum(r[1] for r in rows)
    ts = sum(r[2] for r in rows)
    print("%-16s %6d %6d %6d %6d %6d %6d %6.1f%%" % ("total", tk, ts, sum(r[3] for r in rows),
          sum(r[4] for r in rows), sum(r[5] for r in rows), sum(r[6] for r in rows),
          100.0 * tk / (tk + ts) if tk + ts else 100.0))
    print("(oom: allocation-failure handling, not scored here: test_torture fails every allocation in turn)")
    print("wall time: %d s" % wall)
    surv = [m for m in mutants if m.status == "survived"]
    if surv:
        print("\nsurvivors (to kill with a test of behaviour, or to list in %s with the reason):" % EQUIVALENT_FILE)
        for m in sorted(surv, key=lambda m: (m.file, m.line)):
            print("%s:%d: %s" % (m.file, m.line, m.key))
    eqs = [m for m in mutants if m.status == "equivalent"]
    if eqs:
        print("\nequivalent (not counted):")
        for m in sorted(eqs, key=lambda m: (m.file, m.line)):
            print("%s:%d: %s\n    because %s" % (m.file, m.line, m.key, m.equivalent))
    if stale:
        print("\n%s: entries that match no mutant any more (remove or re-key them):" % EQUIVALENT_FILE)
        for k in stale:
            print("  " + k)
    if args.json:
        with open(args.json, "w") as f:
            json.dump([{"file": m.file, "line": m.line, "module": m.module, "function": m.func,
                        "op": m.op, "key": m.key, "status": m.status or "not-run",
                        "detail": m.detail, "equivalent": m.equivalent, "seconds": round(m.seconds, 1)}
                       for m in mutants], f, indent=1)
    return 0 if worst >= args.min_score else 1


if __name__ == "__main__":
    sys.exit(main())
