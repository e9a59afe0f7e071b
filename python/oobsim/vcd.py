"""A reader for VCD (value change dump, IEEE 1364-2005 section 18) files, standard library only.

Debian packages no VCD parser for Python; this one reads what ``oobsim run --vcd`` writes and any ordinary
four-state VCD: the header (``$date``, ``$version``, ``$comment``, ``$timescale``), nested ``$scope``/``$upscope``,
``$var`` declarations (scalars and multi-bit vectors, with or without a ``[msb:lsb]`` range, aliases sharing an
identifier code), and the value changes: scalar (``0! 1! x! z!``), vector (``b1010 "``), real (``r1.5 #``) and string
(``sabc $``), including those of ``$dumpvars``/``$dumpall``/``$dumpon``/``$dumpoff`` sections.

Values: a scalar is ``0``, ``1``, ``'x'`` or ``'z'``. A vector is left-extended to its width (with 0, or with x or z
when its leftmost bit is x or z), then it is an ``int`` when all its bits are 0 or 1, ``'x'`` (``'z'``) when all are x
(z), else its bits as a lower-case string (``'10z1'``). A real is a ``float``; a string value is a ``str``.

    from oobsim import vcd
    w = vcd.read("run.vcd")
    w.timescale             # (1, 'ns')
    w.signals("oobsim.cpu0")
    w.transitions("oobsim.cpu0.stage")   # [(0, 0), (1234, 1), ...]: the value after each time step that changed it
    w.value_at("oobsim.cpu0.irq", 20115)
"""

import bisect
import re
from fractions import Fraction

__all__ = ["VcdError", "Var", "Vcd", "read", "parse", "parse_lines"]

_UNITS_PS = {"s": 10**12, "ms": 10**9, "us": 10**6, "ns": 10**3, "ps": 1, "fs": Fraction(1, 1000)}
_RANGE = re.compile(r"^\[(-?\d+)(?::(-?\d+))?\]$")
_ATTACHED_RANGE = re.compile(r"^(.*?)(\[(-?\d+)(?::(-?\d+))?\])$")


class VcdError(ValueError):
    """A malformed VCD file; the message names the line."""


class Var:
    """A declared variable. Several may share one identifier code (aliases)."""

    def __init__(self, var_type, width, code, name, scope, msb=None, lsb=None):
        self.type = var_type
        self.width = width
        self.code = code
        self.name = name
        self.scope = tuple(scope)
        self.msb = msb
        self.lsb = lsb

    @property
    def path(self):
        """The hierarchical name: scopes and the name joined with dots."""
        return ".".join(self.scope + (self.name,))

    def __repr__(self):
        return "Var(%s, width=%d, code=%r)" % (self.path, self.width, self.code)


def _scalar(ch):
    return int(ch) if ch in "01" else ch


def _vector(bits, width):
    """A vector value, left-extended to the variable's width as IEEE 1364 says: with 0 when its leftmost bit is 0 or
    1, with x or z when it is x or z. All bits x (z): 'x' ('z'); all 0/1: an int; otherwise the full-width string."""
    bits = bits.lower()
    if not bits:
        return bits
    if len(bits) < width:
        fill = bits[0] if bits[0] in "xz" else "0"
        bits = fill * (width - len(bits)) + bits
    if all(c in "01" for c in bits):
        return int(bits, 2)
    if all(c == bits[0] for c in bits) and bits[0] in "xz":
        return bits[0]
    return bits


class Vcd:
    """A whole VCD file in memory: the header, the variables and every value change."""

    def __init__(self):
        self.date = None
        self.version = None
        self.comments = []
        self.timescale = None  # (magnitude, unit), e.g. (1, 'ns')
        self.vars = {}  # path -> Var (the first one declared with that path)
        self.by_code = {}  # code -> [Var]
        self.scopes = []  # every scope path, as tuples, in declaration order
        self.changes = {}  # code -> [(time, value)], in file order
        self.times = []  # every timestamp, in file order
        self.end_time = 0

    # ---- Header ----------------------------------------------------------------------------------------------------

    @property
    def timescale_ps(self):
        """One time unit in picoseconds (a Fraction below 1 ps)."""
        if self.timescale is None:
            raise VcdError("the file has no $timescale")
        magnitude, unit = self.timescale
        return magnitude * _UNITS_PS[unit]

    @property
    def timescale_seconds(self):
        return Fraction(self.timescale_ps) / 10**12

    # ---- Signals ---------------------------------------------------------------------------------------------------

    def signals(self, prefix=""):
        """The paths of every variable whose path starts with prefix, in declaration order."""
        return [p for p in self.vars if p.startswith(prefix)]

    def var(self, path):
        try:
            return self.vars[path]
        except KeyError:
            raise KeyError("no variable %r in the VCD (there are %d)" % (path, len(self.vars))) from None

    def changes_of(self, path):
        """Every (time, value) change of a variable, in file order (the $dumpvars values included)."""
        return self.changes.get(self.var(path).code, [])

    def transitions(self, path):
        """(time, value) for each time step after which the variable's value differs from before it. Several changes
        in one time step count as their last; the first entry is the initial value."""
        out = []
        for t, v in self.changes_of(path):
            if out and out[-1][0] == t:
                out[-1] = (t, v)
            else:
                out.append((t, v))
        merged = []
        for t, v in out:
            if not merged or merged[-1][1] != v:
                merged.append((t, v))
        return merged

    def value_at(self, path, time):
        """The value a variable has after every change at or before `time` (None before its first)."""
        ch = self.changes_of(path)
        i = bisect.bisect_right([t for t, _ in ch], time)
        return ch[i - 1][1] if i else None


def read(path):
    """Reads a VCD file."""
    with open(path, "r", encoding="ascii", errors="replace") as f:
        return parse_lines(f)


def parse(text):
    """Parses VCD text."""
    return parse_lines(text.splitlines())


def _tokens(lines):
    for n, line in enumerate(lines, 1):
        for tok in line.split():
            yield n, tok


def parse_lines(lines):
    """Parses an iterable of VCD lines."""
    w = Vcd()
    toks = _tokens(lines)
    scope = []
    definitions_done = False
    time = 0
    line_no = 0

    def until_end(keyword):
        words = []
        for n, t in toks:
            if t == "$end":
                return words
            words.append(t)
        raise VcdError("%s at line %d has no $end" % (keyword, line_no))

    def change(code, value, n):
        if code not in w.by_code:
            raise VcdError("line %d: a value change of %r, which no $var declares" % (n, code))
        w.changes.setdefault(code, []).append((time, value))

    for n, tok in toks:
        line_no = n
        if tok.startswith("$"):
            if tok == "$date":
                w.date = " ".join(until_end(tok))
            elif tok == "$version":
                w.version = " ".join(until_end(tok))
            elif tok == "$comment":
                w.comments.append(" ".join(until_end(tok)))
            elif tok == "$timescale":
                text = "".join(until_end(tok))
                m = re.fullmatch(r"(1|10|100)(s|ms|us|ns|ps|fs)", text)
                if not m:
                    raise VcdError("line %d: bad $timescale %r" % (n, text))
                w.timescale = (int(m.group(1)), m.group(2))
            elif tok == "$scope":
                words = until_end(tok)
                if len(words) != 2:
                    raise VcdError("line %d: $scope needs a type and a name" % n)
                scope.append(words[1])
                w.scopes.append(tuple(scope))
            elif tok == "$upscope":
                until_end(tok)
                if not scope:
                    raise VcdError("line %d: $upscope outside any scope" % n)
                scope.pop()
            elif tok == "$var":
                words = until_end(tok)
                if len(words) < 4:
                    raise VcdError("line %d: $var needs a type, a size, a code and a name" % n)
                var_type, size, code, name = words[:4]
                msb = lsb = None
                rest = words[4:]
                m = _ATTACHED_RANGE.match(name)
                if m and m.group(1):
                    name = m.group(1)
                    rest = [m.group(2)] + rest
                if rest:
                    r = _RANGE.match("".join(rest))
                    if not r:
                        raise VcdError("line %d: bad bit range %r" % (n, " ".join(rest)))
                    msb = int(r.group(1))
                    lsb = int(r.group(2)) if r.group(2) is not None else msb
                try:
                    width = int(size)
                except ValueError:
                    raise VcdError("line %d: bad $var size %r" % (n, size)) from None
                v = Var(var_type, width, code, name, scope, msb, lsb)
                w.by_code.setdefault(code, []).append(v)
                w.vars.setdefault(v.path, v)
            elif tok == "$enddefinitions":
                until_end(tok)
                if scope:
                    raise VcdError("line %d: $enddefinitions inside scope %s" % (n, ".".join(scope)))
                definitions_done = True
            elif tok in ("$dumpvars", "$dumpall", "$dumpon", "$dumpoff", "$end"):
                pass  # the value changes inside these sections are read as any others
            else:
                until_end(tok)  # an unknown section: skipped
            continue
        if not definitions_done:
            raise VcdError("line %d: %r before $enddefinitions" % (n, tok))
        c = tok[0]
        if c == "#":
            try:
                t = int(tok[1:])
            except ValueError:
                raise VcdError("line %d: bad time %r" % (n, tok)) from None
            if t < time:
                raise VcdError("line %d: time goes back from %d to %d" % (n, time, t))
            time = t
            w.times.append(t)
            w.end_time = max(w.end_time, t)
        elif c in "01xXzZ":
            change(tok[1:], _scalar(c.lower()), n)
        elif c in "bB":
            code = next(toks, (n, None))[1]
            if code is None:
                raise VcdError("line %d: vector value without a code" % n)
            width = w.by_code[code][0].width if code in w.by_code else 0
            change(code, _vector(tok[1:], width), n)
        elif c in "rR":
            code = next(toks, (n, None))[1]
            try:
                value = float(tok[1:])
            except ValueError:
                raise VcdError("line %d: bad real %r" % (n, tok)) from None
            change(code, value, n)
        elif c in "sS":
            code = next(toks, (n, None))[1]
            change(code, tok[1:], n)
        else:
            raise VcdError("line %d: unexpected %r" % (n, tok))
    if not definitions_done:
        raise VcdError("no $enddefinitions: not a VCD file, or a truncated one")
    return w
