"""Tests of python/oobsim/vcd.py, the standard-library VCD reader, on hand-written files."""

import re
from fractions import Fraction

import pytest

from oobsim import vcd

SAMPLE = """$date today $end
$version some simulator 1.0 $end
$comment two lines
of comment $end
$timescale 10 ps $end
$scope module top $end
$var wire 1 ! clk $end
$var wire 8 " data [7:0] $end
$scope module sub $end
$var reg 4 # nib[3:0] $end
$var wire 1 ! clk_alias $end
$var real 64 $ level $end
$upscope $end
$upscope $end
$enddefinitions $end
#0
$dumpvars
0!
bx "
b0 #
r0 $
$end
#5
1!
b1010 "
#5
b11 "
#10
0!
b1z0 #
r2.5 $
#12
z!
"""


def test_header():
    w = vcd.parse(SAMPLE)
    assert w.date == "today"
    assert w.version == "some simulator 1.0"
    assert w.comments == ["two lines of comment"]
    assert w.timescale == (10, "ps")
    assert w.timescale_ps == 10
    assert w.timescale_seconds == Fraction(1, 10**11)
    assert w.end_time == 12


def test_scopes_and_vars():
    w = vcd.parse(SAMPLE)
    assert w.scopes == [("top",), ("top", "sub")]
    assert w.signals("top.sub") == ["top.sub.nib", "top.sub.clk_alias", "top.sub.level"]
    data = w.var("top.data")
    assert (data.width, data.msb, data.lsb, data.type) == (8, 7, 0, "wire")
    nib = w.var("top.sub.nib")  # the range attached to the name
    assert (nib.name, nib.width, nib.msb, nib.lsb) == ("nib", 4, 3, 0)
    assert w.var("top.sub.clk_alias").code == w.var("top.clk").code
    assert [v.path for v in w.by_code["!"]] == ["top.clk", "top.sub.clk_alias"]
    with pytest.raises(KeyError):
        w.var("top.nothing")


def test_values():
    w = vcd.parse(SAMPLE)
    assert w.changes_of("top.clk") == [(0, 0), (5, 1), (10, 0), (12, "z")]
    assert w.changes_of("top.sub.clk_alias") == w.changes_of("top.clk")
    # Two changes at time 5: transitions() keeps the last.
    assert w.changes_of("top.data") == [(0, "x"), (5, 10), (5, 3)]
    assert w.transitions("top.data") == [(0, "x"), (5, 3)]
    assert w.transitions("top.sub.nib") == [(0, 0), (10, "01z0")]  # left-extended to 4 bits
    assert w.changes_of("top.sub.level") == [(0, 0.0), (10, 2.5)]
    assert w.value_at("top.data", 4) == "x"
    assert w.value_at("top.data", 5) == 3
    assert w.value_at("top.clk", 11) == 0
    assert w.times == [0, 5, 5, 10, 12]


def test_vectors_extend_to_their_width():
    text = """$timescale 1ns $end
$scope module m $end
$var wire 4 a v $end
$upscope $end
$enddefinitions $end
#0
bx a
#1
bx1 a
#2
b1 a
#3
bz a
#4
b0z a
#5
bXXXX a
"""
    w = vcd.parse(text)
    assert w.changes_of("m.v") == [(0, "x"), (1, "xxx1"), (2, 1), (3, "z"), (4, "000z"), (5, "x")]


def test_transitions_drop_repeats():
    text = """$timescale 1ns $end
$scope module m $end
$var wire 1 a s $end
$upscope $end
$enddefinitions $end
#0
0a
#3
0a
#4
1a
1a
#9
0a
"""
    w = vcd.parse(text)
    assert w.transitions("m.s") == [(0, 0), (4, 1), (9, 0)]
    assert w.timescale == (1, "ns")


@pytest.mark.parametrize(
    "text, message",
    [
        ("$timescale 1ns $end\n#0\n", "before $enddefinitions"),
        ("$timescale 3ns $end\n$enddefinitions $end\n", "bad $timescale"),
        ("$enddefinitions $end\n#0\n1?\n", "no $var declares"),
        ("$scope module m $end\n$var wire 1 a s $end\n$upscope $end\n$enddefinitions $end\n#5\n#4\n",
         "time goes back"),
        ("$scope module m $end\n$enddefinitions $end\n", "inside scope"),
        ("$timescale 1ns $end\n", "no $enddefinitions"),
        ("$comment never ends\n", "has no $end"),
    ],
)
def test_malformed(text, message):
    with pytest.raises(vcd.VcdError, match=re.escape(message)):
        vcd.parse(text)


def test_read_file(tmp_path):
    p = tmp_path / "x.vcd"
    p.write_text(SAMPLE)
    assert vcd.read(str(p)).transitions("top.clk") == [(0, 0), (5, 1), (10, 0), (12, "z")]
