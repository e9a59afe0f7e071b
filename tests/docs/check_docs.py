#!/usr/bin/python3
"""Runs the runnable command blocks of oobsim's Markdown docs and checks the output they claim.

The convention (docs/tutorials/README.md, "Runnable blocks"):

    <!-- runnable -->
    ```console
    $ build/oobsim run build/firmware/pfw_run_oob_call.elf --cpus 4 | grep PASS
    run_oob_call: PASS (4 cpus): oob 40, 41 then in-band 35, 36; in-band held while stalled
    ```

- The HTML comment `<!-- runnable -->` (invisible on GitHub) marks the fenced block that follows it (the next
  non-blank line), which must be a ```console block. Options go inside the comment: `timeout=SECONDS` (per command,
  default 60).
- In the block, a line starting with `$ ` is a command; a command line ending with `\\` continues on the next line
  (a leading `> ` there is dropped). The lines up to the next command are its expected output: stdout and stderr
  together, as a terminal shows them.
- The output must match exactly, line by line (trailing spaces and trailing blank lines ignored), except for
  ellipses: a line that is just `...` matches any number of lines (none included); `...` inside a line matches any
  text within that line, and is only tried when the line does not match literally. Simulated numbers (cycles,
  counts) are printed in full so that they are checked; elide only what depends on the host (speed, paths).
- Each command runs in a fresh `bash` with `set -o pipefail`, from the repository root (a copy of it made of
  symbolic links, where `build` is the build directory under test and `out/` is empty at the start of each file);
  `cd` and variables do not carry over to the next command. A command that exits non-zero fails the check: to show a
  failure, write `cmd; echo "exit status $?"`. PATH starts with /usr/bin (Debian's python3) and PYTHONPATH is
  `python`, so `python3 -m oobsim` works as written.
- The blocks of one file run in order and share the copy: a later block may use what an earlier one wrote to `out/`.

A fenced block (of any language) after `<!-- file: PATH -->` must be the text of that file (PATH relative to the page):
a program shown in a page is the one its runnable blocks run.

Also checked, in every file given: each relative link and image (`[..](path)`, `![..](path)`) points to an existing
file (and an anchor `#x` into a Markdown file to one of its headings, as GitHub names them), and every runnable marker is followed by a console block with at least one command.

Usage: check_docs.py [--build-dir DIR] [--root DIR] [--list] [--show] [--update] FILE.md...
  --list    print the commands only; --show    print each command's actual output (for writing a doc);
  --update  rewrite the expected output of every failing runnable block whose commands all succeeded with the actual
            output, keeping the lines elided with `...` that still match (not for blocks with a `...` line).
Exit status: 0 all good, 1 a check failed, 2 bad usage or a malformed block.
"""

import argparse
import collections
import difflib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

MARKER = re.compile(r"^\s*<!--\s*runnable\b(?P<opts>[^>]*?)\s*-->\s*$")
COPY_MARKER = re.compile(r"^\s*<!--\s*file:\s*(?P<path>\S+)\s*-->\s*$")
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`\s]*)")
LINK = re.compile(r"!?\[(?:[^\]\\]|\\.)*\]\((?P<target><[^>]*>|[^)\s]+)(?:\s+\"[^\"]*\")?\)")
DEFAULT_TIMEOUT = 60


class DocError(Exception):
    """A malformed runnable block: the doc itself is wrong, whatever the commands would print."""


class Command:
    def __init__(self, line_no, text, expected, timeout):
        self.line_no = line_no          # 1-based line of the `$ ` line
        self.text = text                # the command, continuation lines joined with newlines
        self.expected = expected        # list of expected output lines
        self.timeout = timeout


class Block:
    def __init__(self, path, marker_line, first_line, last_line, commands):
        self.path = path
        self.marker_line = marker_line
        self.first_line = first_line    # 0-based index of the first line inside the fence
        self.last_line = last_line      # 0-based index of the closing fence
        self.commands = commands


def parse_options(text, where):
    timeout = DEFAULT_TIMEOUT
    for item in text.split():
        key, _, value = item.partition("=")
        if key == "timeout" and value.isdigit() and int(value) > 0:
            timeout = int(value)
        else:
            raise DocError(f"{where}: unknown runnable option '{item}' (known: timeout=SECONDS)")
    return timeout


def parse_block(path, lines, marker_index, timeout):
    where = f"{path}:{marker_index + 1}"
    i = marker_index + 1
    while i < len(lines) and not lines[i].strip():
        i += 1
    m = FENCE.match(lines[i]) if i < len(lines) else None
    if not m:
        raise DocError(f"{where}: a runnable marker must be followed by a fenced ```console block")
    if m.group("info") != "console":
        raise DocError(f"{where}: a runnable block must be ```console, not '{m.group('info') or '(none)'}'")
    fence, indent = m.group("fence"), len(m.group("indent"))
    start = i + 1
    end = start
    while end < len(lines) and not re.match(r"^\s*" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}\s*$",
                                            lines[end]):
        end += 1
    if end == len(lines):
        raise DocError(f"{where}: the runnable block is never closed")
    body = [line[indent:] if line[:indent].strip() == "" else line for line in lines[start:end]]
    commands = []
    j = 0
    while j < len(body):
        line = body[j]
        if not line.startswith("$ "):
            if not commands:
                raise DocError(f"{path}:{start + j + 1}: output before the first `$ ` command of a runnable block")
            commands[-1].expected.append(line)
            j += 1
            continue
        line_no = start + j + 1
        text = line[2:]
        while text.endswith("\\"):
            j += 1
            if j == len(body):
                raise DocError(f"{path}:{line_no}: the command's last line ends with a backslash")
            cont = body[j]
            text += "\n" + (cont[2:] if cont.startswith("> ") else cont)
        commands.append(Command(line_no, text, [], timeout))
        j += 1
    if not commands:
        raise DocError(f"{where}: a runnable block without a `$ ` command")
    return Block(path, marker_index + 1, start, end, commands)


def fenced_body(path, lines, marker_index):
    """(first line index, closing fence index, body lines) of the fenced block after a marker line."""
    i = marker_index + 1
    while i < len(lines) and not lines[i].strip():
        i += 1
    m = FENCE.match(lines[i]) if i < len(lines) else None
    if not m:
        raise DocError(f"{path}:{marker_index + 1}: a file marker must be followed by a fenced block")
    fence, indent = m.group("fence"), len(m.group("indent"))
    end = i + 1
    while end < len(lines) and not re.match(r"^\s*" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}\s*$",
                                            lines[end]):
        end += 1
    if end == len(lines):
        raise DocError(f"{path}:{marker_index + 1}: the block is never closed")
    return i + 1, end, [line[indent:] for line in lines[i + 1:end]]


def check_copy(path, lines, marker_index, target):
    """A block marked `<!-- file: PATH -->` must be the file's text (PATH relative to the page)."""
    start, end, body = fenced_body(path, lines, marker_index)
    source = os.path.join(os.path.dirname(os.path.abspath(path)), target)
    if not os.path.isfile(source):
        return end, [f"{path}:{marker_index + 1}: file marker names a missing file: {target}"]
    with open(source, encoding="utf-8") as f:
        want = f.read().rstrip("\n").split("\n")
    if body != want:
        diff = difflib.unified_diff(body, want, "the page's copy", target, lineterm="", n=1)
        return end, [f"{path}:{start + 1}: the block differs from {target}:\n" + "\n".join("  " + d for d in diff)]
    return end, []


def parse_doc(path):
    """The runnable blocks of a Markdown file, its relative link targets with their line numbers, and the problems
    of its file-copy blocks."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    blocks, links, copies = [], [], []
    fence = None
    i = 0
    while i < len(lines):
        line = lines[i]
        m = FENCE.match(line)
        if fence:
            if re.match(r"^\s*" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}\s*$", line):
                fence = None
        elif m:
            fence = m.group("fence")
        else:
            cp = COPY_MARKER.match(line)
            if cp:
                end, problems = check_copy(path, lines, i, cp.group("path"))
                copies.extend(problems)
                i = end + 1
                continue
            mk = MARKER.match(line)
            if mk:
                block = parse_block(path, lines, i, parse_options(mk.group("opts"), f"{path}:{i + 1}"))
                blocks.append(block)
                i = block.last_line + 1
                continue
            for lm in LINK.finditer(re.sub(r"`[^`]*`", "", line)):
                links.append((i + 1, lm.group("target").strip("<>")))
        i += 1
    if fence:
        raise DocError(f"{path}: a fenced block is never closed")
    return lines, blocks, links, copies


def heading_anchors(path):
    """The anchors GitHub gives a Markdown file's headings: lower case, punctuation dropped, spaces to hyphens,
    repeats numbered -1, -2, ..."""
    anchors, seen = set(), collections.Counter()
    fence = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = FENCE.match(line)
            if fence:
                if re.match(r"^\s*" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}\s*$", line):
                    fence = None
                continue
            if m:
                fence = m.group("fence")
                continue
            h = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
            if not h:
                continue
            slug = re.sub(r"[^\w\- ]", "", h.group(1).lower()).replace(" ", "-")
            anchors.add(slug if not seen[slug] else f"{slug}-{seen[slug]}")
            seen[slug] += 1
    return anchors


def check_links(path, links):
    errors = []
    base = os.path.dirname(os.path.abspath(path))
    for line_no, target in links:
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):
            continue                      # URLs, mailto:
        file_part, _, anchor = target.partition("#")
        linked = os.path.join(base, file_part) if file_part else os.path.abspath(path)
        if not os.path.exists(linked):
            errors.append(f"{path}:{line_no}: broken link: {target}")
        elif anchor and linked.endswith(".md") and anchor not in heading_anchors(linked):
            errors.append(f"{path}:{line_no}: no heading for the anchor: {target}")
    return errors


def line_matches(pattern, line):
    if pattern == line:
        return True
    if "..." not in pattern:
        return False
    regex = ".*".join(re.escape(part) for part in pattern.split("..."))
    return re.fullmatch(regex, line) is not None


def output_matches(expected, actual):
    """Line-by-line match where an expected line `...` stands for any number of actual lines."""
    memo = {}

    def match(i, j):
        key = (i, j)
        if key in memo:
            return memo[key]
        if i == len(expected):
            result = j == len(actual)
        elif expected[i] == "...":
            result = any(match(i + 1, k) for k in range(j, len(actual) + 1))
        else:
            result = j < len(actual) and line_matches(expected[i], actual[j]) and match(i + 1, j + 1)
        memo[key] = result
        return result

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 4 * (len(expected) + len(actual)) + 100))
    return match(0, 0)


def updated_output(expected, actual):
    """What --update writes for one command: the actual output, except that an expected line with an ellipsis that
    still matches its actual line (same position) is kept, so host times and addresses stay elided."""
    if len(expected) != len(actual):
        return actual
    return [e if "..." in e and line_matches(e, a) else a for e, a in zip(expected, actual)]


def normalize(lines):
    lines = [line.rstrip() for line in lines]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def make_sandbox(root, build_dir):
    """A directory that looks like the repository root: a symbolic link per top-level entry, `build` pointing at the
    build directory under test, and an empty `out/` for what the commands write."""
    sandbox = tempfile.mkdtemp(prefix="oobsim-docs-")
    for name in os.listdir(root):
        if name in ("out", "build") or name.startswith("build-"):
            continue
        os.symlink(os.path.join(root, name), os.path.join(sandbox, name))
    os.symlink(os.path.abspath(build_dir), os.path.join(sandbox, "build"))
    os.mkdir(os.path.join(sandbox, "out"))
    return sandbox


def run_command(command, cwd, build_dir):
    env = dict(os.environ)
    env["PATH"] = "/usr/bin:/bin:" + env.get("PATH", "")
    env["PYTHONPATH"] = "python"
    env["OOBSIM_BUILD_DIR"] = build_dir      # the Python package's simulator: the build under test
    env["LC_ALL"] = "C.UTF-8"
    env.pop("PYTHONHOME", None)
    # Its own process group, so that a timeout ends the whole pipeline, not only bash.
    proc = subprocess.Popen(["bash", "-o", "pipefail", "-c", command.text], cwd=cwd, env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=command.timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        return None, out.decode("utf-8", "replace")
    return proc.returncode, out.decode("utf-8", "replace")


def check_file(path, args):
    try:
        lines, blocks, links, copies = parse_doc(path)
    except DocError as e:
        print(f"error: {e}")
        return 2
    failures = check_links(path, links) + copies
    for error in failures:
        print(error)
    if args.list:
        for block in blocks:
            for c in block.commands:
                print(f"{path}:{c.line_no}: $ {c.text}")
        return 1 if failures else 0
    if not blocks:
        print(f"{path}: no runnable block")
    sandbox = make_sandbox(args.root, args.build_dir) if blocks else None
    updates = []
    try:
        for block in blocks:
            new_lines = []       # the block as --update would write it
            block_ok = True
            all_ran = True       # --update writes only what commands that succeeded printed
            updatable = True     # ... and not over a `...` line, which it could not place
            for c in block.commands:
                status, out = run_command(c, sandbox, args.build_dir)
                actual = normalize(out.split("\n"))
                expected = normalize(c.expected)
                new_lines.append("$ " + c.text.replace("\n", "\n> "))
                new_lines.extend(updated_output(expected, actual))
                updatable = updatable and "..." not in expected
                if args.show:
                    print(f"--- {path}:{c.line_no}: $ {c.text}  (exit status {status})")
                    print("\n".join(actual))
                problems = []
                if status is None:
                    problems.append(f"timed out after {c.timeout} s")
                elif status != 0:
                    problems.append(f"exit status {status}")
                all_ran = all_ran and status == 0
                if not output_matches(expected, actual):
                    problems.append("output differs")
                if problems:
                    block_ok = False
                    failures.append(f"{path}:{c.line_no}")
                    print(f"FAIL {path}:{c.line_no}: {', '.join(problems)}\n  $ {c.text}")
                    if "output differs" in problems:
                        # Lines that match through an ellipsis are shown as the actual text, so that the diff
                        # shows only what really differs (when no `...` line shifts the two apart).
                        shown = [a if len(expected) == len(actual) and line_matches(e, a) else e
                                 for e, a in zip(expected, actual + [""] * len(expected))]
                        diff = difflib.unified_diff(shown, actual, "expected (doc)", "actual", lineterm="", n=2)
                        print("\n".join("  " + d for d in diff))
                    elif status != 0:
                        print("\n".join("  | " + a for a in actual[-20:]))
                else:
                    print(f"ok   {path}:{c.line_no}: $ {c.text.splitlines()[0]}")
            if args.update and not block_ok and all_ran and updatable:
                updates.append((block, new_lines))
    finally:
        if sandbox:
            shutil.rmtree(sandbox, ignore_errors=True)
    if updates:
        for block, new in sorted(updates, key=lambda u: u[0].first_line, reverse=True):
            indent = re.match(r"^\s*", lines[block.first_line - 1]).group(0)
            lines[block.first_line:block.last_line] = [indent + x if x else x for x in "\n".join(new).split("\n")]
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        print(f"{path}: updated {len(updates)} block(s)")
    return 1 if failures else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="+", metavar="FILE.md")
    parser.add_argument("--root", default=os.getcwd(), help="repository root (default: the current directory)")
    parser.add_argument("--build-dir", help="build directory the commands' `build/` means (default: ROOT/build)")
    parser.add_argument("--list", action="store_true", help="only list the commands (and check links)")
    parser.add_argument("--show", action="store_true", help="print each command's actual output")
    parser.add_argument("--update", action="store_true", help="rewrite failing blocks with the actual output")
    args = parser.parse_args()
    args.root = os.path.abspath(args.root)
    args.build_dir = os.path.abspath(args.build_dir or os.path.join(args.root, "build"))
    if not os.path.isdir(args.build_dir):
        print(f"error: build directory {args.build_dir} does not exist")
        return 2
    status = 0
    for path in args.files:
        if not os.path.isfile(path):
            print(f"error: {path}: no such file")
            return 2
        status = max(status, check_file(path, args))
    return status


if __name__ == "__main__":
    sys.exit(main())
