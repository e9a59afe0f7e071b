"""Tests of check_docs.py itself: a docs test that could not fail would let the docs rot."""

import os
import subprocess
import sys
import textwrap

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKER = os.path.join(HERE, "check_docs.py")
sys.path.insert(0, HERE)
import check_docs  # noqa: E402


@pytest.fixture
def repo(tmp_path):
    """A tiny stand-in for the repository: a root with a `build/` holding a script, and a doc folder."""
    root = tmp_path / "root"
    (root / "build").mkdir(parents=True)
    (root / "docs").mkdir()
    tool = root / "build" / "tool"
    tool.write_text("#!/bin/sh\necho \"tool says $1\"\nexit ${2:-0}\n")
    tool.chmod(0o755)
    return root


def run(root, doc_text, *options):
    doc = root / "docs" / "doc.md"
    doc.write_text(textwrap.dedent(doc_text))
    proc = subprocess.run([sys.executable, CHECKER, "--root", str(root), *options, str(doc)],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=60)
    return proc.returncode, proc.stdout, doc


PASSING = """\
    # A doc

    <!-- runnable -->
    ```console
    $ build/tool hello
    tool says hello
    $ printf 'a\\nb\\nc\\nd\\n'
    a
    ...
    d
    $ echo "speed 123.4 MIPS, 42 cycles"
    speed ... MIPS, 42 cycles
    ```
    """


def test_passing_doc(repo):
    status, out, _ = run(repo, PASSING)
    assert status == 0, out
    assert out.count("ok   ") == 3


def test_wrong_number_fails(repo):
    status, out, _ = run(repo, PASSING.replace("42 cycles\n    ```", "43 cycles\n    ```"))
    assert status == 1
    assert "output differs" in out and "+speed 123.4 MIPS, 42 cycles" in out


def test_failing_command_fails(repo):
    status, out, _ = run(repo, """\
        <!-- runnable -->
        ```console
        $ build/tool hello 3
        tool says hello
        ```
        """)
    assert status == 1 and "exit status 3" in out


def test_pipefail(repo):
    status, out, _ = run(repo, """\
        <!-- runnable -->
        ```console
        $ build/tool x 5 | cat
        tool says x
        ```
        """)
    assert status == 1 and "exit status 5" in out


def test_missing_line_fails(repo):
    status, _, _ = run(repo, """\
        <!-- runnable -->
        ```console
        $ printf 'a\\nb\\n'
        a
        ```
        """)
    assert status == 1


def test_unmarked_block_is_not_run(repo):
    status, out, _ = run(repo, """\
        ```console
        $ false
        ```
        <!-- runnable -->
        ```console
        $ true
        ```
        """)
    assert status == 0, out


def test_marker_needs_console_block(repo):
    status, out, _ = run(repo, """\
        <!-- runnable -->
        ```sh
        true
        ```
        """)
    assert status == 2 and "```console" in out


def test_continuation_and_out_dir(repo):
    status, out, _ = run(repo, """\
        <!-- runnable -->
        ```console
        $ echo one \\
        >   two > out/f.txt
        $ cat out/f.txt
        one two
        ```
        """)
    assert status == 0, out
    assert not (repo / "out").exists()       # commands write into the sandbox, not the repository


def test_blocks_share_the_sandbox(repo):
    status, out, _ = run(repo, """\
        <!-- runnable -->
        ```console
        $ echo kept > out/state
        ```
        Text.
        <!-- runnable -->
        ```console
        $ cat out/state
        kept
        ```
        """)
    assert status == 0, out


def test_timeout(repo):
    status, out, _ = run(repo, """\
        <!-- runnable timeout=1 -->
        ```console
        $ sleep 5 | cat
        ```
        """)
    assert status == 1 and "timed out" in out


def test_broken_link(repo):
    (repo / "docs" / "there.md").write_text("x")
    status, out, _ = run(repo, "[ok](there.md) [url](https://example.org) [bad](missing.md#x) `[code](nope.md)`\n")
    assert status == 1 and "missing.md" in out and "nope.md" not in out and "there.md" not in out


def test_anchors(repo):
    (repo / "docs" / "there.md").write_text("# Title\n## 4. The IRQ log (`--x`)\n```\n# not a heading\n```\n## Title\n")
    status, out, _ = run(repo, "[a](there.md#4-the-irq-log---x) [b](there.md#title-1) [c](#own) [d](there.md#nope)"
                              " [e](there.md#not-a-heading)\n# Own\n")
    assert status == 1, out
    assert "there.md#nope" in out and "there.md#not-a-heading" in out
    assert "#4-the" not in out and "title-1" not in out and "#own" not in out


def test_update_rewrites_expected_output(repo):
    status, _, doc = run(repo, """\
        <!-- runnable -->
        ```console
        $ build/tool new
        tool says old
        ```
        """, "--update")
    assert status == 1
    assert "tool says new" in doc.read_text()
    status, out, _ = run(repo, doc.read_text())
    assert status == 0, out


def test_update_keeps_elisions(repo):
    status, _, doc = run(repo, """\
        <!-- runnable -->
        ```console
        $ printf 'took 1.5 s\\ncycles 41\\n'
        took ... s
        cycles 40
        ```
        """, "--update")
    assert status == 1
    assert "took ... s\ncycles 41\n" in doc.read_text()


def test_update_keeps_a_block_whose_command_failed(repo):
    text = """\
        <!-- runnable -->
        ```console
        $ build/tool new 1
        tool says old
        ```
        """
    status, _, doc = run(repo, text, "--update")
    assert status == 1
    assert "tool says old" in doc.read_text()


def test_file_copy(repo):
    (repo / "docs" / "prog.py").write_text("print(1)\nprint(2)\n")
    good = "<!-- file: prog.py -->\n```python\nprint(1)\nprint(2)\n```\n"
    status, out, _ = run(repo, good)
    assert status == 0, out
    status, out, _ = run(repo, good.replace("print(2)\n```", "print(3)\n```"))
    assert status == 1 and "differs from prog.py" in out
    status, out, _ = run(repo, "<!-- file: nope.py -->\n```python\nx\n```\n")
    assert status == 1 and "missing file" in out


def test_ellipsis_matching():
    m = check_docs.output_matches
    assert m(["a", "...", "z"], ["a", "z"])
    assert m(["a", "...", "z"], ["a", "b", "c", "z"])
    assert not m(["a", "...", "z"], ["a", "b"])
    assert m(["x ... y"], ["x 1 2 y"])
    assert not m(["x ... y"], ["x 1 2 y!"])
    assert m(["..."], [])
    assert not m([], ["extra"])
