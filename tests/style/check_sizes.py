#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Rooms one can see at a glance: no C++ file (*.cpp, *.hpp, *.h) in sim/, data/,
engine/, render/ or apps/ over 600 lines, no function there over 120 lines.

    check_sizes.py --root REPO [--build BUILD_DIR] [--jobs N]

The function rule used to run clang-tidy's readability-function-size
(LineThreshold 120) on every translation unit, which took ~170 s of the 2-core
CI. It is now measured here, in pure Python, in well under a second per 10,000
lines, with no compiler and no compile_commands.json (--build and --jobs are
still accepted, and ignored, so that tests/CMakeLists.txt keeps working).

How functions are found: each file is lexed with one regular expression that
drops // and /* */ comments and preprocessor lines (with their backslash
continuations), and turns string literals (escaped quotes, prefixes, raw
strings R"delim(...)delim") and character literals into placeholder tokens, so
that no brace or parenthesis inside them counts. Brackets are then matched,
and the scopes that hold declarations (the file, namespaces, extern "C" { }
blocks, class/struct/union bodies) are walked. For each `{` there, the
statement header (the tokens since the previous `;`, `{` or `}` of that scope,
with (...) and [...] groups taken whole, access specifiers and template <...>
clauses left out) decides what the braces are:
  - `namespace ...` or `extern "C"` alone: walked in turn;
  - a bare `=` in the header (`X kTable[] = {`, `auto f = [](int) {`): an
    initializer, skipped;
  - class/struct/union before any parameter list: a class body, walked in
    turn (functions defined in it count); enum: skipped;
  - a parameter list, i.e. a (...) group right after a name (`f(`,
    `A::B::f(`, `~A(`, `f<int>(`, `operator()(`, `operator<(`, `operator T(`)
    and followed only by what may follow one (const, &, &&, noexcept, override,
    final, -> T, try, attributes, a constructor's `: a_(a), b_{b}` member
    initializers): a function body;
  - anything else (a braced variable initializer `std::vector<int> v{1, 2}`):
    skipped.
A function body is skipped whole once found, so lambdas and local classes in it
belong to the enclosing function: only outermost function bodies are measured.
Lambdas assigned at namespace or class scope (`const auto f = [](int x) {...};`)
are not measured, just as clang-tidy's readability-function-size does not
measure lambdas.

How they are counted, as clang-tidy counts LineThreshold ("N lines including
whitespace and comments"): the line of the body's closing `}` minus the line of
its opening `{` (for a function-try-block, from `try` to the last handler's `}`).
So `void f() {` on line 10 with `}` on line 131 has 121 lines, one too many.
Unlike the clang-tidy run, which only reported the .cpp files it compiled,
functions defined in headers and in sources outside the build are checked too,
as are bodies under a macro head such as PYBIND11_MODULE(m, x) { (which
clang-tidy did not report, its function being declared inside the macro).
Brackets that cannot be matched (say, braces split across #if branches) are
reported as a problem rather than passed over.

Exit 0 when every file and function fits, 1 naming each one that does not,
2 on a usage error (no such --root).
"""

import argparse
import os
import re
import sys

MAX_FILE_LINES = 600
MAX_FUNCTION_LINES = 120
CODE_DIRS = ("sim", "data", "engine", "render", "apps")

# One token per match; comments and preprocessor lines are matched to be dropped.
TOKEN = re.compile(r"""
    (?P<pp>^[ \t]*\#(?:[^\n\\/]|\\\n|\\.|/\*.*?\*/|/(?!\*))*)
  | (?P<comment>//(?:\\\n|[^\n])*|/\*.*?\*/)
  | (?P<str>(?:u8|u|U|L)?R"(?P<delim>[^()\\\s"]{0,16})\(.*?\)(?P=delim)"
           |(?:u8|u|U|L)?"(?:[^"\\\n]|\\.)*")
  | (?P<chr>(?:u8|u|U|L)?'(?:[^'\\\n]|\\.)*')
  | (?P<num>\.?[0-9](?:[eEpP][+-]|'[0-9A-Za-z_]|[0-9A-Za-z_.])*)
  | (?P<id>[A-Za-z_$][A-Za-z0-9_$]*)
  | (?P<punct>::|->|\.\.\.|&&|\|\||[=!<>+\-*/%&|^]=|\S)
""", re.M | re.S | re.X)

OPENERS = {"(": ")", "[": "]", "{": "}"}
CLOSERS = {")", "]", "}"}
ACCESS = {"public", "private", "protected"}
CLASS_KEYS = {"class", "struct", "union"}
# Words before a (...) group that do not make it a parameter list.
NOT_NAMES = {
    "decltype", "alignas", "alignof", "sizeof", "noexcept", "throw", "__attribute__",
    "__declspec", "requires", "static_assert", "typeid", "return", "if", "while", "for",
    "switch", "catch", "asm", "__asm__", "void", "bool", "char", "int", "long", "short",
    "unsigned", "signed", "float", "double", "auto", "const", "volatile", "typename",
}
# What may follow a function's parameter list before its body.
AFTER_PARAMETERS = {
    "{", ":", "const", "volatile", "&", "&&", "noexcept", "override", "final", "throw",
    "->", "requires", "try", "[", "mutable", "constexpr", "consteval", "__attribute__",
}
MACRO = re.compile(r"[A-Z][A-Z0-9_]+$")


def sources(root):
    for top in CODE_DIRS:
        for base, dirs, names in os.walk(os.path.join(root, top)):
            dirs.sort()
            for name in sorted(names):
                if name.endswith((".cpp", ".hpp", ".h")):
                    yield os.path.join(base, name)


def tokenize(text):
    """(text, line) for each token; string literals become '""', characters "''"."""
    tokens = []
    line, last = 1, 0
    for m in TOKEN.finditer(text):
        kind = m.lastgroup
        if kind in ("pp", "comment"):
            continue
        start = m.start()
        line += text.count("\n", last, start)
        last = start
        if kind == "str":
            tokens.append(('""', line))
        elif kind == "chr":
            tokens.append(("''", line))
        else:
            tokens.append((m.group(), line))
    return tokens


def match_brackets(tokens):
    """Index of the partner of every bracket; raises ValueError(line) when unmatched."""
    partner = {}
    stack = []
    for i, (t, line) in enumerate(tokens):
        if t in OPENERS:
            stack.append(i)
        elif t in CLOSERS:
            if not stack or OPENERS[tokens[stack[-1]][0]] != t:
                raise ValueError(line)
            j = stack.pop()
            partner[i], partner[j] = j, i
    if stack:
        raise ValueError(tokens[stack[-1]][1])
    return partner


class Scanner:
    def __init__(self, tokens):
        self.tokens = tokens
        self.partner = match_brackets(tokens)
        self.functions = []  # (name, line of the name, lines)

    def text(self, i):
        return self.tokens[i][0]

    def items(self, head):
        """The header's top-level tokens (indices), without access specifiers,
        template <...> clauses, and with `operator X` fused into one name."""
        out = []
        k = 0
        while k < len(head):
            t = self.text(head[k])
            if t in ACCESS and k + 1 < len(head) and self.text(head[k + 1]) == ":":
                k += 2
                continue
            if t == "template" and k + 1 < len(head) and self.text(head[k + 1]) == "<":
                depth = 0
                k += 1
                while k < len(head):
                    u = self.text(head[k])
                    depth += (u == "<") - (u == ">")
                    k += 1
                    if depth == 0:
                        break
                continue
            if t == "operator":
                name = "operator"
                k += 1
                if k < len(head) and self.text(head[k]) == "(" and \
                        self.partner[head[k]] == head[k] + 1:  # operator()
                    name += "()"
                    k += 1
                else:
                    while k < len(head) and self.text(head[k]) != "(":
                        name += (" " if name[-1].isalnum() and self.text(head[k])[0].isalnum()
                                 else "") + self.text(head[k])
                        k += 1
                out.append((name, head[k - 1]))
                continue
            out.append((t, head[k]))
            k += 1
        return out

    def parameters(self, items):
        """Position in items of the function's parameter list, or None."""
        for k, (t, _) in enumerate(items):
            if t != "(" or k == 0:
                continue
            prev = items[k - 1][0]
            named = prev == ">" or prev.startswith("operator") or \
                ((prev[0].isalpha() or prev[0] in "_$") and prev not in NOT_NAMES)
            if not named:
                continue
            after = items[k + 1][0] if k + 1 < len(items) else "{"
            if after in AFTER_PARAMETERS or MACRO.match(after):
                return k
        return None

    def name(self, items, k):
        """The function's name as written, e.g. A::B::f, ~A, operator(), and its line."""
        j = k - 1
        if items[j][0] == ">":  # f<int>(: step over the template arguments
            depth = 0
            while j >= 0:
                depth += (items[j][0] == ">") - (items[j][0] == "<")
                j -= 1
                if depth == 0:
                    break
        parts = [items[j][0]]
        line = self.tokens[items[j][1]][1]
        j -= 1
        while j >= 1 and items[j][0] in ("::", "~"):
            parts.insert(0, items[j][0])
            if items[j][0] == "::":
                parts.insert(0, items[j - 1][0])
                j -= 2
            else:
                j -= 1
        return "".join(parts), line

    def classify(self, head, brace):
        items = self.items(head)
        words = [t for t, _ in items]
        if "namespace" in words or words in (["extern", '""'], ["extern", '""', '""']):
            return ("scope",)
        if "=" in words:
            return ("skip",)
        k = self.parameters(items)
        keys = [n for n, t in enumerate(words) if t in CLASS_KEYS or t == "enum"]
        if keys and (k is None or keys[0] < k):
            return ("skip",) if "enum" in words[:keys[0] + 1] else ("scope",)
        if k is None:
            return ("skip",)
        if ":" in words[k + 1:] and self.text(brace - 1) not in (")", "}", "..."):
            return ("member-init",)  # Foo() : a_{a}: the braces of a member initializer
        name, line = self.name(items, k)
        start = next((self.tokens[i][1] for t, i in items[k + 1:] if t == "try"), None)
        return ("function", name, line, start)

    def scan(self, lo, hi):
        head = []
        i = lo
        while i < hi:
            t = self.text(i)
            if t in ("(", "["):
                head.append(i)
                i = self.partner[i] + 1
            elif t == ";":
                head = []
                i += 1
            elif t == "{":
                kind = self.classify(head, i)
                end = self.partner[i]
                if kind[0] == "scope":
                    self.scan(i + 1, end)
                    head = []
                elif kind[0] == "function":
                    _, name, line, start = kind
                    if start is None:
                        start = self.tokens[i][1]
                    else:  # function-try-block: through the last handler
                        while end + 2 < hi and self.text(end + 1) == "catch" and \
                                self.text(end + 2) == "(" and \
                                self.text(self.partner[end + 2] + 1) == "{":
                            end = self.partner[self.partner[end + 2] + 1]
                    self.functions.append((name, line, self.tokens[end][1] - start))
                    head = []
                else:  # skipped braces stay in the header: `X x = {...}, y{...};`
                    head.append(i)
                i = end + 1
            else:  # `}` cannot be met here: scan() stops at its scope's `}`
                head.append(i)
                i += 1


def functions(text):
    """(name, line, lines) for each outermost function body in C++ source text;
    raises ValueError(line) when its brackets do not match."""
    scanner = Scanner(tokenize(text))
    scanner.scan(0, len(scanner.tokens))
    return scanner.functions


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--root", required=True)
    p.add_argument("--build", help="ignored (clang-tidy used it)")
    p.add_argument("--jobs", type=int, default=1, help="ignored (clang-tidy used it)")
    p.add_argument("--longest", type=int, default=0, metavar="N",
                   help="also print the N longest functions")
    a = p.parse_args()
    if not os.path.isdir(a.root) or not any(
            os.path.isdir(os.path.join(a.root, top)) for top in CODE_DIRS):
        print("check_sizes: %s holds none of %s" % (a.root, ", ".join(CODE_DIRS)),
              file=sys.stderr)
        return 2
    problems = []
    measured = []
    files = list(sources(a.root))
    for path in files:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        lines = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
        if lines > MAX_FILE_LINES:
            problems.append("%s: %d lines (at most %d)" % (path, lines, MAX_FILE_LINES))
        try:
            found = functions(text)
        except ValueError as e:
            problems.append("%s:%d: unmatched bracket, functions not measured" % (path, e.args[0]))
            continue
        for name, line, count in found:
            measured.append((count, path, line, name))
            if count > MAX_FUNCTION_LINES:
                problems.append("%s:%d: function '%s' has %d lines (at most %d)" %
                                (path, line, name, count, MAX_FUNCTION_LINES))
    for problem in sorted(set(problems)):
        print(problem)
    for count, path, line, name in sorted(measured, key=lambda m: -m[0])[:a.longest]:
        print("%s:%d: function '%s' has %d lines" % (path, line, name, count))
    print("check_sizes: %d files, %d functions checked, %d over the limits" %
          (len(files), len(measured), len(set(problems))))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
