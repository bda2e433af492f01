"""Structural rules of the source tree (issue 33), checked statically.

The Python modules under src/hanlex are read with `ast`; the Cython files
(.pyx, .pxd, .pxi) with the small parser below, which needs no Cython. The rules:

1. no import cycle among the modules (module-level imports only; imports under
   `if TYPE_CHECKING:` are not edges, nor are imports inside functions);
2. no import inside a function body, unless the import or the line just above it
   carries a comment saying why ("optional" dependency, or a "lazy" import);
3. no Python module (.py) over MAX_MODULE_LINES lines;
4. no function (def, cdef, cpdef; methods and inline functions included) over
   MAX_FUNCTION_LINES lines, from its def line to the last line of its body;
5. no Python-level function (def; cpdef) with more than MAX_PARAMS positional
   parameters (self/cls and keyword-only parameters not counted), and no C-level
   function (cdef functions and methods, and their declarations in .pxd files;
   not what a `cdef extern` block declares) with more than MAX_PARAMS parameters
   of any kind (self included).

Each test lists every violation it finds: the list is the to-do of the refactor.
`python tests/test_architecture.py [FILE]` prints (or writes) all of them.
"""
from __future__ import annotations

import ast
import io
import re
import sys
import textwrap
import tokenize
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "hanlex"

MAX_MODULE_LINES = 450
MAX_FUNCTION_LINES = 80
MAX_PARAMS = 8
#: a deferred import is allowed when its comment (or the one on the line above) says why
EXCUSE = re.compile(r"optional|lazy", re.IGNORECASE)
CYTHON_SUFFIXES = (".pyx", ".pxd", ".pxi")


# ---------------------------------------------------------------------------
# What the rules look at


@dataclass
class Function:
    path: str          # as shown in reports
    qualname: str      # Class.method, outer.inner
    kind: str          # "def" (Python or Cython def), "cpdef", "cdef"
    first: int         # the def line (decorators excluded)
    last: int          # the last line of the body
    params: list[str]  # the parameters as written
    method: bool = False
    declaration: bool = False  # a signature without a body (a .pxd declaration)

    @property
    def length(self) -> int:
        return self.last - self.first + 1

    @property
    def python_level(self) -> bool:
        return self.kind in ("def", "cpdef")

    @property
    def positional(self) -> int:
        """Positional parameters: before a bare * or *args; a first self/cls not counted."""
        count = 0
        for i, p in enumerate(self.params):
            p = p.strip()
            if p == "/":
                continue
            if p.startswith("*"):  # *, *args or **kwargs: what follows is keyword-only
                break
            if i == 0 and param_name(p) in ("self", "cls"):
                continue
            count += 1
        return count

    @property
    def total(self) -> int:
        """Parameters of any kind (the markers / and * are not parameters)."""
        return sum(1 for p in self.params if p.strip() not in ("/", "*"))


@dataclass
class Import:
    line: int
    node: ast.stmt  # an ast.Import or ast.ImportFrom


@dataclass
class Deferred:
    path: str
    line: int
    text: str
    function: str
    excused: bool


@dataclass
class Module:
    name: str          # dotted name (hanlex.x.y); a .pxd's is its .pyx's
    path: Path
    display: str
    suffix: str
    lines: int
    is_package: bool = False
    functions: list[Function] = field(default_factory=list)
    imports: list[Import] = field(default_factory=list)   # module-level, run at import time
    deferred: list[Deferred] = field(default_factory=list)


# ---------------------------------------------------------------------------
# Cython: logical lines


@dataclass
class Stmt:
    first: int   # first physical line
    last: int    # last physical line
    indent: int  # columns before the statement's first character
    code: str    # comments removed, string literals replaced by "", lines joined


def lex(text: str) -> tuple[list[Stmt], dict[int, str]]:
    """The logical lines of Python or Cython source, and its comments by line.

    Brackets and backslashes join physical lines; string literals (prefixed,
    triple-quoted, spanning lines) become "" so that nothing inside them (C code
    in a `cdef extern` verbatim block, a docstring) is read as code; blank and
    comment-only lines are no statements.
    """
    stmts: list[Stmt] = []
    comments: dict[int, str] = {}
    buf: list[str] = []
    first = None
    indent = depth = 0
    line, i, n, line_start = 1, 0, len(text), 0

    def flush(last: int) -> None:
        nonlocal buf, first, depth
        code = "".join(buf).strip()
        if code:
            stmts.append(Stmt(first, last, indent, code))
        buf, first, depth = [], None, 0

    while i < n:
        ch = text[i]
        if ch == "\\" and text[i + 1:i + 2] in ("\n", "\r"):  # explicit line joining
            i += 3 if text[i + 1:i + 3] == "\r\n" else 2
            line += 1
            buf.append(" ")
            continue
        if ch in "\r\n":
            i += 2 if text[i:i + 2] == "\r\n" else 1
            if first is not None:
                if depth == 0:
                    flush(line)
                else:
                    buf.append(" ")
            line += 1
            line_start = i
            continue
        if ch == "#":
            j = i
            while j < n and text[j] not in "\r\n":
                j += 1
            comments[line] = text[i:j]
            i = j
            continue
        if first is None:
            if ch in " \t\f":
                i += 1
                continue
            first = line
            indent = len(text[line_start:i].expandtabs(8))
        if ch in "'\"":
            # (a backslash escapes the quote in raw strings too, as far as where the
            # literal ends is concerned, so the prefix changes nothing here)
            triple = text[i:i + 3] == ch * 3
            j = i + (3 if triple else 1)
            while j < n:
                c = text[j]
                if c == "\\" and j + 1 < n:
                    if text[j + 1] == "\n" or text[j + 1] == "\r":
                        line += 1
                        j += 3 if text[j + 1:j + 3] == "\r\n" else 2
                    else:
                        j += 2
                    continue
                if triple and text.startswith(ch * 3, j):
                    j += 3
                    break
                if not triple and c == ch:
                    j += 1
                    break
                if c in "\r\n":
                    if not triple:  # unterminated: the line ends it
                        break
                    if c == "\r" and text[j + 1:j + 2] == "\n":
                        j += 1
                    line += 1
                j += 1
            buf.append('""')
            i = j
            continue
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        buf.append(ch)
        i += 1
    if first is not None:
        flush(line)
    return stmts, comments


def matching(s: str, start: int) -> int:
    """Index of the bracket closing the one at s[start] (len(s) if unbalanced)."""
    depth = 0
    for k in range(start, len(s)):
        if s[k] in "([{":
            depth += 1
        elif s[k] in ")]}":
            depth -= 1
            if depth == 0:
                return k
    return len(s)


def split_params(text: str) -> list[str]:
    """A parameter list split at its top-level commas: not those inside brackets
    (`const uint8_t[:, ::1] x`, `x=(1, 2)`) or in a lambda's parameters."""
    parts: list[str] = []
    cur: list[str] = []
    depth = 0
    in_lambda = False
    i = 0
    while i < len(text):
        c = text[i]
        if c in "'\"":  # a literal (lex blanks them, but the text may come from elsewhere)
            j = i + 1
            while j < len(text) and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            cur.append(text[i:j + 1])
            i = j + 1
            continue
        if depth == 0 and not in_lambda and text.startswith("lambda", i) \
                and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")) \
                and not (text[i + 6:i + 7].isalnum() or text[i + 6:i + 7] == "_"):
            in_lambda = True
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == ":" and depth == 0 and in_lambda:
            in_lambda = False
        elif c == "," and depth == 0 and not in_lambda:
            parts.append("".join(cur))
            cur = []
            i += 1
            continue
        cur.append(c)
        i += 1
    parts.append("".join(cur))
    parts = [p.strip() for p in parts if p.strip()]
    if parts == ["void"]:  # C's empty parameter list
        return []
    return parts


def _top_level(s: str, char: str) -> int:
    """Index of the first `char` outside brackets in s (-1: none)."""
    depth = 0
    for k, c in enumerate(s):
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == char and depth == 0:
            return k
    return -1


def param_name(p: str) -> str:
    """The name a parameter binds: `const uint8_t[:, ::1] x=None` -> x."""
    p = p.strip().lstrip("*")
    eq = _top_level(p, "=")
    if eq >= 0:
        p = p[:eq]
    colon = _top_level(p, ":")  # an annotation (def x: int)
    if colon >= 0:
        p = p[:colon]
    p = re.sub(r"\s+(?:not|or)\s+None\s*$", "", p)
    p = re.sub(r"(?:\s*\[[^\]]*\])+\s*$", "", p)  # a C array parameter: int a[4]
    m = re.search(r"([A-Za-z_]\w*)\s*$", p)
    return m.group(1) if m else p.strip()


# ---------------------------------------------------------------------------
# Cython: statements


_MODIFIER = re.compile(r"(?:inline|public|api|readonly|static)\b\s*")
_DATA_BLOCKS = {"struct", "union", "enum", "packed", "fused", "cppclass", "namespace"}
_DEF = re.compile(r"(?:async\s+)?def\s+([A-Za-z_]\w*)\s*\(")


@dataclass
class Signature:
    name: str
    params: list[str]
    has_body: bool      # ends in a colon: a definition
    inline_body: bool   # a body on the same line (def f(): return 1)


def _signature(name: str, rest: str, open_paren: int) -> Signature:
    close = matching(rest, open_paren)
    params = split_params(rest[open_paren + 1:close])
    tail = rest[close + 1:]
    colon = _top_level(tail, ":")
    return Signature(name, params, colon >= 0, colon >= 0 and bool(tail[colon + 1:].strip()))


def parse_cdef(code: str) -> tuple[str, Signature | str | None]:
    """What a cdef/cpdef statement is: ("function", Signature), ("class", name),
    ("extern", None), ("data", None) for struct/union/enum/fused and `cdef:`
    blocks, or ("variable", None)."""
    m = re.match(r"cp?def\b\s*", code)
    rest = code[m.end():]
    while (mod := _MODIFIER.match(rest)):
        rest = rest[mod.end():]
    if rest.startswith(":"):
        return "block", None
    word = re.match(r"[A-Za-z_]\w*", rest)
    word = word.group() if word else ""
    if word == "class":
        name = re.match(r"class\s+([A-Za-z_][\w.]*)", rest)
        return "class", name.group(1) if name else "?"
    if word == "extern":
        return "extern", None
    if word in _DATA_BLOCKS:
        return "data", None
    pos = matching(rest, 0) + 1 if rest.startswith("(") else 0  # a ctuple return type
    depth = 0
    for k in range(pos, len(rest)):
        c = rest[k]
        if c in "[{":
            depth += 1
        elif c in "]}":
            depth -= 1
        elif depth == 0 and c == "=":
            return "variable", None  # cdef int x = f(y)
        elif depth == 0 and c == "(":
            break
    else:
        return "variable", None
    name = re.search(r"([A-Za-z_]\w*)\s*$", rest[:k])
    inside = rest[k + 1:].lstrip()
    if name is None or inside.startswith(("*", "&", "(")):  # void (*callback)(int)
        return "variable", None
    return "function", _signature(name.group(1), rest, k)


@dataclass
class _Block:
    indent: int
    kind: str      # class, function, extern, data, block (cdef:), typecheck, other
    name: str = ""
    function: Function | None = None


def _is_typecheck(code: str) -> bool:
    return re.fullmatch(r"if\s+(?:typing\.)?TYPE_CHECKING\s*:", code) is not None


def _import_nodes(code: str) -> list[ast.stmt]:
    """An import statement as ast nodes ([] for a cimport or what does not parse)."""
    if re.search(r"\bcimport\b", code):
        return []
    try:
        return [node for node in ast.parse(code).body
                if isinstance(node, (ast.Import, ast.ImportFrom))]
    except SyntaxError:
        return []


def analyse_cython(text: str, display: str) -> tuple[list[Function], list[Import], list[Deferred]]:
    """The functions of a Cython file, its module-level (runtime) imports and the
    imports inside its functions."""
    stmts, comments = lex(text)
    functions: list[Function] = []
    imports: list[Import] = []
    deferred: list[Deferred] = []
    stack: list[_Block] = []
    for st in stmts:
        while stack and stack[-1].indent >= st.indent:
            stack.pop()
        for b in stack:
            if b.function is not None:
                b.function.last = max(b.function.last, st.last)
        kinds = [b.kind for b in stack]
        if any(k in ("extern", "data", "typecheck") for k in kinds):
            continue  # declarations of C names, fields, enum values; imports for type checkers
        code = st.code
        header = code.endswith(":")
        owner = next((b for b in reversed(stack) if b.kind in ("class", "function")), None)
        in_function = "function" in kinds
        path = [b.name for b in stack if b.kind in ("class", "function")]
        if stack and stack[-1].kind == "block":  # inside `cdef:`: declarations, written bare
            code = "cdef " + code

        found: tuple[str, Signature] | None = None
        if (m := _DEF.match(code)):
            found = "def", _signature(m.group(1), code, m.end() - 1)
        elif re.match(r"cp?def\b", code) and not in_function:
            what, info = parse_cdef(code)
            if what == "function":
                found = "cpdef" if code.startswith("cpdef") else "cdef", info
            elif what == "class":
                stack.append(_Block(st.indent, "class", info))
            elif what in ("extern", "data", "block") and header:
                stack.append(_Block(st.indent, what))
        elif re.match(r"ctypedef\b", code):
            if header:
                stack.append(_Block(st.indent, "data"))
        elif (m := re.match(r"class\s+([A-Za-z_]\w*)", code)) and header:
            stack.append(_Block(st.indent, "class", m.group(1)))
        elif _is_typecheck(code):
            stack.append(_Block(st.indent, "typecheck"))
        elif re.match(r"(?:import|from)\b", code):
            for node in _import_nodes(code):
                if in_function:
                    near = [comments.get(k, "") for k in range(st.first - 1, st.last + 1)]
                    deferred.append(Deferred(display, st.first, code, ".".join(path),
                                             any(EXCUSE.search(c) for c in near)))
                else:
                    imports.append(Import(st.first, node))
        elif header:
            stack.append(_Block(st.indent, "other"))
        if found is not None:
            kind, sig = found
            fn = Function(display, ".".join([*path, sig.name]), kind, st.first, st.last,
                          sig.params, method=owner is not None and owner.kind == "class",
                          declaration=not sig.has_body)
            functions.append(fn)
            if sig.has_body and not sig.inline_body:
                stack.append(_Block(st.indent, "function", sig.name, fn))
    return functions, imports, deferred


# ---------------------------------------------------------------------------
# Python modules


def _comments(text: str) -> dict[int, str]:
    out: dict[int, str] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.COMMENT:
                out[tok.start[0]] = tok.string
    except (tokenize.TokenError, SyntaxError):
        return lex(text)[1]
    return out


def _is_typecheck_node(node: ast.If) -> bool:
    t = node.test
    return (isinstance(t, ast.Name) and t.id == "TYPE_CHECKING") or \
        (isinstance(t, ast.Attribute) and t.attr == "TYPE_CHECKING")


def analyse_python(text: str, display: str) -> tuple[list[Function], list[Import], list[Deferred]]:
    tree = ast.parse(text)
    comments = _comments(text)
    functions: list[Function] = []
    imports: list[Import] = []
    deferred: list[Deferred] = []

    def params_of(a: ast.arguments) -> list[str]:
        out = [p.arg for p in a.posonlyargs] + (["/"] if a.posonlyargs else [])
        out += [p.arg for p in a.args]
        if a.vararg:
            out.append("*" + a.vararg.arg)
        elif a.kwonlyargs:
            out.append("*")
        out += [p.arg for p in a.kwonlyargs]
        if a.kwarg:
            out.append("**" + a.kwarg.arg)
        return out

    def visit(node: ast.AST, path: list[str], in_function: bool, in_class: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                functions.append(Function(display, ".".join(path + [child.name]), "def",
                                          child.lineno, child.end_lineno, params_of(child.args),
                                          method=in_class))
                visit(child, path + [child.name], True, False)
            elif isinstance(child, ast.ClassDef):
                visit(child, path + [child.name], in_function, True)
            elif isinstance(child, (ast.Import, ast.ImportFrom)):
                if in_function:
                    near = [comments.get(k, "") for k in range(child.lineno - 1, child.end_lineno + 1)]
                    seg = ast.get_source_segment(text, child) or ""
                    deferred.append(Deferred(display, child.lineno, " ".join(seg.split()),
                                             ".".join(path), any(EXCUSE.search(c) for c in near)))
                else:
                    imports.append(Import(child.lineno, child))
            elif isinstance(child, ast.If) and not in_function and _is_typecheck_node(child):
                for sub in child.orelse:  # the body runs for type checkers only
                    visit(ast.Module(body=[sub], type_ignores=[]), path, in_function, in_class)
            elif isinstance(child, ast.Lambda):
                continue
            else:
                visit(child, path, in_function, in_class)

    visit(tree, [], False, False)
    return functions, imports, deferred


# ---------------------------------------------------------------------------
# The tree


class SourceTree:
    """Every .py and Cython file of a package folder, analysed."""

    def __init__(self, root: Path, base: Path | None = None):
        self.root = root
        self.base = base if base is not None else root.parent.parent
        self.modules: list[Module] = []
        for path in sorted(root.rglob("*")):
            rel = path.relative_to(root)
            if path.suffix not in (".py",) + CYTHON_SUFFIXES or not path.is_file() \
                    or any(part.startswith(".") or part == "__pycache__" for part in rel.parts):
                continue
            parts = [root.name, *rel.with_suffix("").parts]
            is_package = parts[-1] == "__init__"
            if is_package:
                parts.pop()
            text = path.read_text(encoding="utf-8")
            try:
                display = str(path.relative_to(self.base))
            except ValueError:
                display = str(path)
            mod = Module(".".join(parts), path, display, path.suffix, len(text.splitlines()),
                         is_package)
            if path.suffix == ".py":
                mod.functions, mod.imports, mod.deferred = analyse_python(text, display)
            else:
                mod.functions, imports, mod.deferred = analyse_cython(text, display)
                if path.suffix == ".pyx":  # a .pxd's or .pxi's imports do not run by themselves
                    mod.imports = imports
            self.modules.append(mod)

    # -- rule 1
    def graph(self) -> dict[str, dict[str, tuple[str, int]]]:
        """module -> {imported module: (file, line)}, over the .py and .pyx modules."""
        runtime = {m.name: m for m in self.modules if m.suffix in (".py", ".pyx")}
        edges: dict[str, dict[str, tuple[str, int]]] = {name: {} for name in runtime}
        for m in runtime.values():
            for imp in m.imports:
                for target in self._targets(m, imp.node, runtime):
                    if target != m.name:
                        edges[m.name].setdefault(target, (m.display, imp.line))
        return edges

    @staticmethod
    def _targets(m: Module, node: ast.stmt, known: dict) -> list[str]:
        if isinstance(node, ast.Import):
            return [a.name for a in node.names if a.name in known]
        if node.level:
            base = m.name.split(".") if m.is_package else m.name.split(".")[:-1]
            if node.level > 1:
                base = base[:-(node.level - 1)]
            base = ".".join(base + ([node.module] if node.module else []))
        else:
            base = node.module or ""
        out = []
        for a in node.names:
            sub = f"{base}.{a.name}"
            if sub in known:
                out.append(sub)       # from package import submodule
            elif base in known:
                out.append(base)      # from module import name
        return out

    def cycles(self) -> list[list[str]]:
        """One shortest cycle through each strongly connected group of modules."""
        edges = self.graph()
        index: dict[str, int] = {}
        low: dict[str, int] = {}
        on: set[str] = set()
        stack: list[str] = []
        groups: list[list[str]] = []

        def connect(v: str) -> None:
            index[v] = low[v] = len(index)
            stack.append(v)
            on.add(v)
            for w in sorted(edges[v]):
                if w not in index:
                    connect(w)
                    low[v] = min(low[v], low[w])
                elif w in on:
                    low[v] = min(low[v], index[w])
            if low[v] == index[v]:
                group = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    group.append(w)
                    if w == v:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))

        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, 10 * len(edges) + 100))
        try:
            for v in sorted(edges):
                if v not in index:
                    connect(v)
        finally:
            sys.setrecursionlimit(limit)
        out = []
        for group in sorted(groups):
            members = set(group)
            start = group[0]
            prev: dict[str, str] = {}
            frontier = [start]
            found = None
            while frontier and found is None:  # breadth first: the shortest way back to start
                nxt = []
                for v in frontier:
                    for w in sorted(edges[v]):
                        if w not in members:
                            continue
                        if w == start:
                            found = v
                            break
                        if w not in prev:
                            prev[w] = v
                            nxt.append(w)
                    if found is not None:
                        break
                frontier = nxt
            path = [found]
            while path[-1] != start:
                path.append(prev[path[-1]])
            cycle = path[::-1] + [start]
            out.append({"cycle": cycle, "members": group,
                        "edges": [(a, b, edges[a][b]) for a, b in pairwise(cycle)]})
        return out

    # -- the reports
    def cycle_violations(self) -> list[str]:
        out = []
        for c in self.cycles():
            steps = "\n".join(f"      {a} -> {b}  ({f}:{line})" for a, b, (f, line) in c["edges"])
            out.append(f"cycle {' -> '.join(c['cycle'])}\n{steps}\n"
                       f"      (modules of this tangle: {', '.join(c['members'])})")
        return out

    def deferred_violations(self) -> list[str]:
        return [f"{d.path}:{d.line}: {d.text}  (in {d.function})"
                for m in self.modules for d in m.deferred if not d.excused]

    def module_length_violations(self) -> list[str]:
        long = sorted((m for m in self.modules if m.suffix == ".py" and m.lines > MAX_MODULE_LINES),
                      key=lambda m: -m.lines)
        return [f"{m.display}: {m.lines} lines (limit {MAX_MODULE_LINES})" for m in long]

    def functions(self) -> list[Function]:
        """Every function; a .pxd declaration only when its .pyx does not define it."""
        defined = {(m.path.with_suffix(""), f.qualname) for m in self.modules
                   if m.suffix == ".pyx" for f in m.functions if not f.declaration}
        return [f for m in self.modules for f in m.functions
                if not (f.declaration and m.suffix == ".pxd"
                        and (m.path.with_suffix(""), f.qualname) in defined)]

    def function_length_violations(self) -> list[str]:
        long = sorted((f for f in self.functions() if f.length > MAX_FUNCTION_LINES),
                      key=lambda f: (-f.length, f.path, f.first))
        return [f"{f.path}:{f.first}: {f.kind} {f.qualname}: {f.length} lines "
                f"(limit {MAX_FUNCTION_LINES})" for f in long]

    def parameter_violations(self) -> list[str]:
        out = []
        for f in self.functions():
            if f.python_level and f.positional > MAX_PARAMS:
                text = (f"{f.path}:{f.first}: {f.kind} {f.qualname}: {f.positional} "
                        f"positional parameters (Python-level, limit {MAX_PARAMS})")
                out.append((f.positional, text))
            elif not f.python_level and f.total > MAX_PARAMS:
                what = "declaration" if f.declaration else "cdef"
                text = (f"{f.path}:{f.first}: {what} {f.qualname}: {f.total} "
                        f"parameters (C-level, limit {MAX_PARAMS})")
                out.append((f.total, text))
        return [text for _, text in sorted(out, key=lambda t: (-t[0], t[1]))]

    def all_violations(self) -> dict[str, list[str]]:
        return {
            "1. import cycles": self.cycle_violations(),
            "2. imports inside functions without an 'optional'/'lazy' comment":
                self.deferred_violations(),
            f"3. Python modules over {MAX_MODULE_LINES} lines": self.module_length_violations(),
            f"4. functions over {MAX_FUNCTION_LINES} lines": self.function_length_violations(),
            f"5. functions over {MAX_PARAMS} parameters": self.parameter_violations(),
        }


# ---------------------------------------------------------------------------
# The rules, on src/hanlex


@pytest.fixture(scope="module")
def tree() -> SourceTree:
    if not SRC.is_dir():
        pytest.skip(f"no source tree at {SRC} (tests run against an installed package)")
    return SourceTree(SRC)


def _check(violations: list[str], what: str) -> None:
    if violations:
        pytest.fail(f"{len(violations)} {what}:\n" + "\n".join(f"  {v}" for v in violations),
                    pytrace=False)


def test_no_import_cycles(tree):
    _check(tree.cycle_violations(), "import cycle(s) among the modules of hanlex")


def test_imports_inside_functions_say_why(tree):
    _check(tree.deferred_violations(),
           "import(s) inside a function with no comment saying it is optional or lazy")


def test_modules_are_short(tree):
    _check(tree.module_length_violations(), f"module(s) over {MAX_MODULE_LINES} lines")


def test_functions_are_short(tree):
    _check(tree.function_length_violations(), f"function(s) over {MAX_FUNCTION_LINES} lines")


def test_functions_take_few_parameters(tree):
    _check(tree.parameter_violations(), f"function(s) over {MAX_PARAMS} parameters")


def test_the_tree_is_read(tree):
    """The checker sees the package: modules of each kind, functions, imports."""
    suffixes = {m.suffix for m in tree.modules}
    assert {".py", ".pyx", ".pxd"} <= suffixes
    assert sum(len(m.functions) for m in tree.modules if m.suffix != ".py") > 50
    assert any(tree.graph()[name] for name in tree.graph())


# ---------------------------------------------------------------------------
# The checker itself


PXD = '''\
# cython: language_level=3
"""Doc with def fake(a, b, c): and cdef int g(x) in a string."""
from libc.stdint cimport uint8_t, int64_t, uint64_t

cdef enum:
    A = 1   # not a function (x)
    B = 2

ctypedef fused real:
    float
    double

cdef struct Spans:
    int64_t* ab
    Py_ssize_t n, cap

ctypedef struct Pair:
    int a
    int (*cmp)(int, int)

cdef extern from *:
    """
    static inline int helper(int a, int b, int c, int d, int e, int f, int g, int h, int i) {
        return a;
    }
    """
    int helper(int a, int b, int c, int d, int e, int f, int g, int h, int i) noexcept nogil
    const uint64_t SEED "HELPER_SEED"

cdef extern from "x.h" nogil:
    void many(int a, int b, int c, int d, int e, int f, int g, int h, int i)

cdef int scan(str t, Py_ssize_t base, const uint8_t[::1] may_start,
              const int64_t[:, ::1] marks, object match) except -1

cdef void (*callback)(int, int)
cdef int table[4]
cdef check(Py_ssize_t total, const int64_t[::1] starts)

cdef class Box:
    cdef readonly object a, b
    cdef Py_ssize_t n, m
    cdef int place(self, uint64_t x, const float* w) noexcept nogil
    cdef:
        int hidden
        int shown(self, int a, int b, int c, int d, int e, int f, int g, int h)

cdef inline int add(int a,
                    int b) noexcept nogil:
    """Sum.

    Of two."""
    # a comment

    return a + b
# trailing comment, not the function's

cdef inline uint64_t mix(uint64_t x) noexcept nogil:
    x ^= x >> 30  # (a comment with a paren
    x *= 0xBF58476D1CE4E5B9ULL
    return x
'''

PYX = '''\
import numpy as np
from hanlex._core.features import extract_rows_batch
from libc.stdlib cimport malloc
from libc.string cimport (memset,
                          memcpy)
if TYPE_CHECKING:
    import typing_only

cdef class Table:
    cdef int n

    def __cinit__(self, const uint64_t[::1] keys, const float[:, ::1] W, bint stats=True,
                  object names=("a, b", 'c)'), dict opts={"x": [1, 2], "y": (3, 4)},
                  int a=0, int b=0, int c=0, int d=0):
        cdef Py_ssize_t i, m = keys.shape[0]
        cdef char* base = <char*>malloc(m)
        cdef int f(int x)
        self.n = m

    cdef int place(self, uint64_t x, Py_ssize_t i, const float* w) noexcept nogil:
        return 0

    def __len__(self):
        return self.n


@cython.boundscheck(False)
@cython.wraparound(False)
def decode(const int32_t[::1] cps, const int64_t[::1] starts, const int64_t[::1] ends,
           weights, HashIndex lexicon not None, int lex_max, *, bint pos=False,
           key=lambda a, b: a, **kw) -> list:
    def inner(x):
        import json  # optional: only for debugging
        return x
    s = """
def fake(a, b, c, d, e, f, g, h, i, j):
    import os
"""
    # lazy, but the comment is two lines above
    x = 1
    from os import path
    with nogil:
        pass
    return inner(cps)

cpdef (int, double) pair(int a, double b=1.5):
    return a, b

cdef uint64_t insert_key(char* slots, size_t stride, uint64_t mask, uint64_t key,
                         str table) except? 0xFFFFFFFFFFFFFFFF:
    return 0

cdef real total(const real[:, ::1] x, Py_ssize_t n, (int, int) span=(0, 1)) noexcept nogil:
    return x[0, 0] \\
        + n

cdef public api int exported(int a, int b, int c, int d, int e, int f, int g, int h,
                             int i) except -1 with gil:
    return 0

def one(a, b): return a

def nine(self_, a, b, c, d, e, f, g, h, /, i=1):
    pass
'''


def _by_name(functions):
    return {f.qualname: f for f in functions}


def test_lexer_joins_lines_and_blanks_strings():
    stmts, comments = lex('x = f(1,\n      2)  # c\ns = """a\nb"""\ny = 1 + \\\n    2\n\n# only\n  z\n')
    assert [(s.first, s.last, s.indent, " ".join(s.code.split())) for s in stmts] == [
        (1, 2, 0, "x = f(1, 2)"), (3, 4, 0, 's = ""'), (5, 6, 0, "y = 1 + 2"), (9, 9, 2, "z")]
    assert comments == {2: "# c", 8: "# only"}
    stmts, _ = lex("a = r'\\'' + 'it\\'s' + b\"#\"\nb = c'x'\n")
    assert [s.code for s in stmts] == ['a = r"" + "" + b""', 'b = c""']


def test_split_params():
    assert split_params("const uint8_t[:, ::1] x, int y=f(1, 2), z='a, b'") == [
        "const uint8_t[:, ::1] x", "int y=f(1, 2)", "z='a, b'"]
    assert split_params("key=lambda a, b: a, d={1: 2, 3: 4}, *, e") == [
        "key=lambda a, b: a", "d={1: 2, 3: 4}", "*", "e"]
    assert split_params("void") == [] and split_params("  ") == [] and split_params("a,") == ["a"]
    assert [param_name(p) for p in ["const uint8_t[:, ::1] x=None", "HashIndex h not None",
                                    "int a[4]", "**kw", "x: Dict[str, int] = {}", "double* s"]] \
        == ["x", "h", "a", "kw", "x", "s"]


def test_parse_cdef_tells_functions_from_the_rest():
    assert parse_cdef("cdef int x = f(y)") == ("variable", None)
    assert parse_cdef("cdef void (*fp)(int, int)") == ("variable", None)
    assert parse_cdef("cdef np.ndarray[double, ndim=2] arr") == ("variable", None)
    assert parse_cdef("cdef uint32_t[::1] c = np.empty(n, dtype=np.uint32)") == ("variable", None)
    assert parse_cdef("cdef packed struct S:")[0] == "data"
    assert parse_cdef("cdef public class Foo(Base) [object FooObject, type FooType]:") == ("class", "Foo")
    assert parse_cdef("cdef extern from * nogil:")[0] == "extern"
    assert parse_cdef("cdef readonly:")[0] == "block"
    what, sig = parse_cdef("cdef (int, int) span(int a, int b) noexcept nogil:")
    assert what == "function" and sig.name == "span" and len(sig.params) == 2 and sig.has_body
    what, sig = parse_cdef("cdef const uint8_t[:, ::1] view(self, const uint8_t[:, ::1] m) except *")
    assert sig.name == "view" and len(sig.params) == 2 and not sig.has_body
    what, sig = parse_cdef("cdef inline int f(int a): return a")
    assert sig.has_body and sig.inline_body


def test_cython_declarations_file():
    functions, imports, deferred = analyse_cython(PXD, "x.pxd")
    f = _by_name(functions)
    assert set(f) == {"scan", "check", "Box.place", "Box.shown", "add", "mix"}
    assert f["scan"].declaration and f["scan"].total == 5 and (f["scan"].first, f["scan"].last) == (33, 34)
    assert f["check"].declaration and f["check"].total == 2
    assert f["Box.place"].method and f["Box.place"].total == 3 and f["Box.place"].declaration
    assert f["Box.shown"].total == 9
    assert not f["add"].declaration and f["add"].kind == "cdef"
    assert (f["add"].first, f["add"].last, f["add"].length) == (48, 55, 8)
    assert (f["mix"].first, f["mix"].last) == (58, 61)
    assert imports == [] and deferred == []


def test_cython_implementation_file():
    functions, imports, deferred = analyse_cython(PYX, "x.pyx")
    f = _by_name(functions)
    assert set(f) == {"Table.__cinit__", "Table.place", "Table.__len__", "decode", "decode.inner",
                      "pair", "insert_key", "total", "exported", "one", "nine"}
    init = f["Table.__cinit__"]
    assert init.python_level and init.method and init.positional == 9 and init.total == 10
    assert (init.first, init.last) == (12, 18)
    assert f["Table.place"].kind == "cdef" and f["Table.place"].total == 4
    assert f["Table.__len__"].positional == 0
    dec = f["decode"]
    assert dec.first == 29 and dec.last == 44 and dec.positional == 6 and dec.total == 9
    assert f["decode.inner"].positional == 1 and not f["decode.inner"].method
    assert f["pair"].kind == "cpdef" and f["pair"].python_level and f["pair"].positional == 2
    assert f["insert_key"].total == 5 and (f["insert_key"].first, f["insert_key"].last) == (49, 51)
    assert f["total"].total == 3 and f["total"].last == 55
    assert f["exported"].total == 9
    assert f["one"].length == 1 and f["one"].positional == 2
    assert f["nine"].positional == 10  # a first parameter not named self counts, and i after /
    assert [(i.line, type(i.node).__name__) for i in imports] == [(1, "Import"), (2, "ImportFrom")]
    assert [(d.line, d.function, d.excused) for d in deferred] == [
        (33, "decode.inner", True), (41, "decode", False)]


def test_python_module():
    source = textwrap.dedent('''\
        from __future__ import annotations
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            from .other import Other
        else:
            from . import fallback

        def f(a, b, /, c, *args, d=1, **kw):
            # lazy: pulled in on first use
            import json
            from .other import (x,  # this one is optional
                                y)
            z = 1
            from .other import z
            return json

        class K:
            def m(self, a, b, c, d, e, f, g, h, i):
                """Doc."""

                return lambda: None

            @staticmethod
            def s(*, a, b, c, d, e, f, g, h, i):
                pass
        ''')
    functions, imports, deferred = analyse_python(source, "m.py")
    f = _by_name(functions)
    assert f["f"].positional == 3 and (f["f"].first, f["f"].last) == (8, 15)
    assert f["K.m"].method and f["K.m"].positional == 9 and f["K.m"].length == 4 and f["K.m"].first == 18
    assert f["K.s"].positional == 0
    assert [i.line for i in imports] == [1, 2, 6]
    assert [(d.line, d.excused) for d in deferred] == [(10, True), (11, True), (14, False)]


def _package(tmp_path, files):
    for name, text in files.items():
        p = tmp_path / "pkg" / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(text))
    return SourceTree(tmp_path / "pkg", base=tmp_path)


def test_import_cycles_are_found(tmp_path):
    tree = _package(tmp_path, {
        "__init__.py": "from .a import A\n",
        "a.py": "import pkg.b\nA = 1\n",
        "b.py": "from . import c\n",
        "c.py": "from .a import A\n",
        "sub/__init__.py": "",
        "sub/d.py": """\
            from typing import TYPE_CHECKING
            if TYPE_CHECKING:
                from ..a import A
            def late():
                from .. import c  # lazy
            from pkg import e
            """,
        "e.py": "import numpy\nfrom pkg.sub import d\n",
        "f.pyx": "from pkg.sub.d import x\nfrom pkg cimport e\n",
        "f.pxd": "from pkg.a import A\n",
    })
    g = tree.graph()
    assert g["pkg"] == {"pkg.a": ("pkg/__init__.py", 1)}
    assert set(g["pkg.b"]) == {"pkg.c"} and set(g["pkg.c"]) == {"pkg.a"}
    assert set(g["pkg.sub.d"]) == {"pkg.e"} and set(g["pkg.f"]) == {"pkg.sub.d"}
    cycles = tree.cycles()
    assert [c["cycle"] for c in cycles] == [["pkg.a", "pkg.b", "pkg.c", "pkg.a"],
                                            ["pkg.e", "pkg.sub.d", "pkg.e"]]
    report = tree.cycle_violations()[0]
    assert "pkg.b -> pkg.c  (pkg/b.py:1)" in report
    assert tree.deferred_violations() == []


def test_no_cycle_no_report(tmp_path):
    tree = _package(tmp_path, {"__init__.py": "from . import a\n", "a.py": "from . import b\n",
                               "b.py": "import os\n\ndef f():\n    from . import a\n"})
    assert tree.cycles() == []
    assert tree.deferred_violations() == ["pkg/b.py:4: from . import a  (in f)"]


def test_pxd_declarations_defined_in_the_pyx_are_counted_once(tmp_path):
    params = ", ".join(f"int a{i}" for i in range(9))
    tree = _package(tmp_path, {
        "m.pxd": f"cdef int f({params})\ncdef int g({params})\n",
        "m.pyx": f"cdef int f({params}):\n    return 0\n",
    })
    assert tree.parameter_violations() == [
        "pkg/m.pxd:2: declaration g: 9 parameters (C-level, limit 8)",
        "pkg/m.pyx:1: cdef f: 9 parameters (C-level, limit 8)"]


def main(argv: list[str]) -> int:
    if not SRC.is_dir():
        print(f"no source tree at {SRC}")
        return 2
    lines = []
    total = 0
    for rule, violations in SourceTree(SRC).all_violations().items():
        total += len(violations)
        lines.append(f"{rule}: {len(violations)}")
        lines += [f"  {v}" for v in violations]
        lines.append("")
    text = "\n".join(lines)
    if len(argv) > 1:
        Path(argv[1]).write_text(text)
    else:
        print(text)
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
