#!/usr/bin/python3
"""Makes every figure of the docs (docs/figures/*.png) from real oobsim runs.

    /usr/bin/python3 docs/figures/make_figures.py            # regenerate them all, from the repository root
    /usr/bin/python3 docs/figures/make_figures.py --check    # exit 1 if a committed figure differs from a fresh one

Each figure runs a program of the build (build/firmware/*.elf) with `oobsim run --events --vcd` into a temporary
directory, finds the moment to show in the event log (the first time the IRQ is logged, the first run_oob_call(),
...), and draws the VCD signals or the event log around it. Nothing is drawn by hand: when the pipeline or the timing
model changes, the figures change with it, and `--check` (CTest docs.figures_up_to_date) says so.

The PNGs are byte-identical from run to run: matplotlib's Agg renderer, its bundled DejaVu fonts, a fixed size and
dpi, and no metadata that changes (no date, no software version).
"""

import argparse
import collections
import filecmp
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402
from matplotlib.patches import Polygon  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "python"))
from oobsim import vcd as vcdlib  # noqa: E402

DPI = 100
WIDTH = 10.0          # inches: 1000 pixels
LANE = 0.34           # inches per waveform lane
COLORS = {"bit": "#1f5fa8", "bus": "#2b7a3d", "oob": "#c0392b", "inband": "#1f5fa8", "mark": "#7f3fbf"}

plt.rcParams.update({
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "savefig.dpi": DPI,
    "path.simplify": False,
})

Event = collections.namedtuple("Event", "cycle cpu name args")


class Run:
    """One `oobsim run` with its event log and VCD, read back."""

    def __init__(self, build_dir, workdir, name, elf, args):
        self.name = name
        self.events_path = os.path.join(workdir, name + ".events")
        self.vcd_path = os.path.join(workdir, name + ".vcd")
        cmd = [os.path.join(build_dir, "oobsim"), "run", os.path.join(build_dir, "firmware", elf), "--quiet",
               "--events", self.events_path, "--vcd", self.vcd_path, *args]
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if proc.returncode != 0:
            sys.exit(f"make_figures: `{' '.join(cmd)}` failed (exit status {proc.returncode}):\n{proc.stdout}")
        self.console = proc.stdout
        self.events = []
        with open(self.events_path) as f:
            for line in f:
                if line.startswith("#"):
                    continue
                parts = line.split()
                args = dict(p.split("=", 1) for p in parts[3:])
                cpu = None if parts[1] == "-" else int(parts[1])
                self.events.append(Event(int(parts[0]), cpu, parts[2], args))
        self.vcd = vcdlib.read(self.vcd_path)

    def find_all(self, name, cpu=None, after=-1, before=None, **args):
        """Events called `name` (on `cpu`, if given), strictly after `after`, with the given argument values."""
        out = []
        for e in self.events:
            if e.name != name or e.cycle <= after or (cpu is not None and e.cpu != cpu):
                continue
            if before is not None and e.cycle >= before:
                break
            if all(e.args.get(k) == str(v) for k, v in args.items()):
                out.append(e)
        return out

    def find(self, name, cpu=None, after=-1, nth=0, **args):
        found = self.find_all(name, cpu, after, **args)
        if len(found) <= nth:
            sys.exit(f"make_figures: {self.name}: no event {name} {args} on cpu {cpu} after cycle {after}")
        return found[nth]

    def last_before(self, name, cpu, cycle, **args):
        found = [e for e in self.find_all(name, cpu, before=cycle, **args)]
        if not found:
            sys.exit(f"make_figures: {self.name}: no event {name} {args} on cpu {cpu} before cycle {cycle}")
        return found[-1]


# ---- Waveforms ----------------------------------------------------------------------------------------------------

class Lane:
    """One row of a waveform: a VCD signal (or `source`, a function of the run giving [(cycle, value)] changes)
    drawn as a bit, or as a bus with its values written in (`fmt`, else `short` when that does not fit)."""

    def __init__(self, label, signal, kind="bit", fmt=str, color=None, source=None, short=None):
        self.label, self.signal, self.kind, self.fmt, self.source = label, signal, kind, fmt, source
        self.short = short or fmt
        self.color = color or COLORS[kind]


def log_changes(cpu, stage):
    """The IRQs in a CPU's log over time, from the event log: logged minus pulled (docs/observability.md)."""
    def changes(run):
        pending, out = set(), [(0, "x")]
        for e in run.events:
            if e.cpu != cpu:
                continue
            irq = int(e.args.get("value", -1))
            if e.name == f"irq_log_{stage}":
                pending.add(irq)
            elif e.name == f"irq_pull_{stage}":
                pending.discard(irq)
            else:
                continue
            out.append((e.cycle, ", ".join(str(i) for i in sorted(pending)) if pending else "x"))
        return out
    return changes


def depth_changes(cpu, up, down):
    """A nesting depth counted from events (`up` opens one level, `down` closes one); 'x' at depth 0."""
    def changes(run):
        depth, out = 0, [(0, "x")]
        for e in run.events:
            if e.cpu == cpu and e.name in (up, down):
                depth = depth + 1 if e.name == up else max(depth - 1, 0)
                out.append((e.cycle, depth if depth else "x"))
        return out
    return changes


def value_at(run, lane, t):
    if lane.source is None:
        return run.vcd.value_at(lane.signal, t)
    value = "x"
    for c, v in lane.source(run):
        if c > t:
            break
        value = v
    return value


def segments(run, lane, t0, t1):
    """[(start, end, value)] of the lane's signal over [t0, t1], changes within a cycle merged (as in the VCD)."""
    if lane.source is None:
        trans = run.vcd.transitions(lane.signal)
    else:
        merged = collections.OrderedDict()
        for c, v in lane.source(run):
            merged[c] = v
        trans = list(merged.items())
    value = value_at(run, lane, t0)
    out = []
    start = t0
    for t, v in trans:
        if t <= t0:
            continue
        if t >= t1:
            break
        out.append((start, t, value))
        start, value = t, v
    out.append((start, t1, value))
    return out


def draw_lanes(ax, run, lanes, t0, t1, marks=(), title=None, xlabel="cycle", numbered=True):
    """Draws `lanes` (top to bottom) over [t0, t1] on `ax`, with vertical marks [(cycle, text)]: numbered (the text
    goes in a legend, mark_legend()) or with their text on top."""
    n = len(lanes)
    span = t1 - t0
    for i, lane in enumerate(lanes):
        y = n - 1 - i
        ax.axhline(y - 0.1, color="#e6e6e6", lw=0.6, zorder=0)
        for start, end, v in segments(run, lane, t0, t1):
            if lane.kind == "bit":
                if v in ("x", "z"):
                    ax.plot([start, end], [y + 0.35, y + 0.35], color="#999999", lw=1)
                    continue
                level = y + (0.7 if v == 1 else 0.0)
                ax.plot([start, end], [level, level], color=lane.color, lw=1.4, solid_capstyle="butt")
                if v == 1:
                    ax.fill_between([start, end], y, y + 0.7, color=lane.color, alpha=0.18, lw=0)
                if end < t1:
                    nxt = value_at(run, lane, end)
                    if nxt in (0, 1) and nxt != v:
                        ax.plot([end, end], [y, y + 0.7], color=lane.color, lw=1.4)
            else:
                empty = v in ("x", "z")
                if empty:
                    ax.plot([start, end], [y + 0.35, y + 0.35], color="#999999", lw=1)
                    continue
                d = min(span * 0.004, (end - start) / 2)
                poly = Polygon([(start, y + 0.35), (start + d, y + 0.7), (end - d, y + 0.7), (end, y + 0.35),
                                (end - d, y), (start + d, y)], closed=True, facecolor=lane.color, alpha=0.2,
                               edgecolor=lane.color, lw=1.1)
                ax.add_patch(poly)
                for text in (lane.fmt(v), lane.short(v)):
                    if (end - start) > span * (0.01 + 0.0072 * len(text)):
                        ax.text((start + end) / 2, y + 0.35, text, ha="center", va="center", fontsize=8,
                                color="#1a1a1a")
                        break
    for k, (cycle, text) in enumerate(marks):
        ax.axvline(cycle, color=COLORS["mark"], lw=0.9, ls="--", zorder=0.5)
        if numbered:
            ax.text(cycle, n - 0.1, str(k + 1), ha="center", va="bottom", fontsize=8, color="white",
                    fontweight="bold", bbox=dict(boxstyle="circle,pad=0.2", fc=COLORS["mark"], ec="none"))
        else:
            ax.text(cycle, n - 0.1, text, ha="center", va="bottom", fontsize=8, color=COLORS["mark"])
    ax.set_yticks([n - 1 - i + 0.35 for i in range(n)])
    ax.set_yticklabels([lane.label for lane in lanes])
    ax.set_ylim(-0.3, n + 0.35)
    ax.set_xlim(t0, t1)
    ax.ticklabel_format(axis="x", useOffset=False, style="plain")
    ax.tick_params(axis="y", length=0)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    if xlabel:
        ax.set_xlabel(xlabel)
    if title:
        ax.set_title(title, loc="left")


def legend_columns(marks):
    """Two columns when there are more than three marks and their texts are short enough for half the width."""
    return 2 if len(marks) > 3 and max(len(t) for _, t in marks) <= 62 else 1


def mark_legend(fig, marks, y):
    """The text of the numbered marks, under the plot."""
    cols = legend_columns(marks)
    per_col = (len(marks) + cols - 1) // cols
    for k, (cycle, text) in enumerate(marks):
        col, row = divmod(k, per_col)
        fig.text(0.02 + col * 0.49, y - row * 0.22 / fig.get_figheight(), f"{k + 1}  cycle {cycle}: {text}",
                 fontsize=8.5, va="top", color="#222222")


def waveform_figure(run, lanes, t0, t1, marks, title, numbered=True):
    marks = sorted(marks)
    cols = legend_columns(marks)
    legend_rows = (len(marks) + cols - 1) // cols if numbered else 0
    height = 0.75 + LANE * len(lanes) + 0.45 + 0.22 * legend_rows
    fig = plt.figure(figsize=(WIDTH, height))
    bottom_in = 0.45 + 0.22 * legend_rows + 0.05
    ax = fig.add_axes([0.2, bottom_in / height, 0.78, (LANE * len(lanes)) / height])
    draw_lanes(ax, run, lanes, t0, t1, marks, numbered=numbered)
    fig.text(0.02, 1 - 0.12 / height, title, fontsize=10, fontweight="bold", va="top")
    if numbered:
        mark_legend(fig, marks, (0.22 * legend_rows + 0.05) / height + 0.01)
    return fig


def irq_name(n):
    return f"irq {n}"


def thread_namer(names):
    return lambda v: names.get(v, f"thread {v}")


def stage_name(v):
    return "oob" if v == 1 else "in-band"


# ---- The figures ----------------------------------------------------------------------------------------------------

def cpu_lanes(cpu, which, ppi=None, spi=None):
    c = f"oobsim.cpu{cpu}."
    table = {
        "ppi": Lane(f"timer line (PPI {ppi})", f"oobsim.gic.cpu{cpu}.ppi{ppi}.line"),
        "spi": Lane(f"SPI {spi} line", f"oobsim.gic.spi{spi}.line"),
        "trap": Lane("in trap", c + "in_trap"),
        "hard": Lane("hard irqs on (MIE)", c + "hard_irqs_on", color="#555555"),
        "inband_stall": Lane("in-band stall", c + "inband_stall", color=COLORS["inband"]),
        "oob_stall": Lane("oob stall", c + "oob_stall", color=COLORS["oob"]),
        "stage": Lane("stage", c + "stage", "bus", stage_name, color="#8e6c00"),
        "log_inband": Lane("in-band log", None, "bus", lambda v: f"irq {v}", COLORS["inband"],
                           log_changes(cpu, "inband"), short=str),
        "log_oob": Lane("oob log", None, "bus", lambda v: f"irq {v}", COLORS["oob"], log_changes(cpu, "oob"),
                        short=str),
        "traps": Lane("trap depth", None, "bus", lambda v: f"{v} trap{'s' if v > 1 else ''}", "#1f5fa8",
                      depth_changes(cpu, "trap", "mret"), short=str),
        "replay": Lane("replaying a log", c + "replay"),
        "irq": Lane("handler running", c + "irq", "bus", irq_name, color="#2b7a3d", short=str),
        "irq_stage": Lane("... on stage", c + "irq_stage", "bus", stage_name, color="#2b7a3d"),
        "pipeline": Lane("in the pipeline", c + "in_pipeline"),
    }
    return [table[w] for w in which]


def fig_replay(runs):
    r = runs["replay"]
    logged = r.find("irq_log_inband", cpu=0, value=30)
    fire = r.last_before("line", 0, logged.cycle, irq=30, level=1)
    save = r.last_before("inband_stall", 0, fire.cycle)
    replay = r.find("replay_begin", cpu=0, after=logged.cycle)
    restore = r.last_before("inband_unstall", 0, replay.cycle)
    entry = r.find("handler_entry_inband", cpu=0, after=replay.cycle, value=30)
    end = r.find("replay_end", cpu=0, after=entry.cycle)
    marks = [(save.cycle, "local_irq_save(): the in-band stage is stalled (hard irqs stay on)"),
             (fire.cycle, "the timer fires: the CPU takes the interrupt at once"),
             (logged.cycle, "the pipeline logs IRQ 30 in the in-band log and returns"),
             (restore.cycle, "local_irq_restore(): unstall, the log is not empty..."),
             (replay.cycle, "... replay: stall again, pull IRQ 30"),
             (entry.cycle, "the in-band handler runs (hard irqs on, in-band stalled)")]
    lanes = cpu_lanes(0, ["ppi", "trap", "hard", "inband_stall", "log_inband", "replay", "irq"], ppi=30)
    return waveform_figure(r, lanes, save.cycle - 150, end.cycle + 250, marks,
                           "An IRQ logged in a virtually masked section, then replayed at local_irq_restore() "
                           "(pfw_replay_on_restore, CPU 0)")


def fig_two_stages(runs):
    r = runs["responder"]
    # The second stalled section of CPU 0 holds the 2000-cycle case: find the timer firing inside one.
    fire = None
    for e in r.find_all("line", cpu=0, irq=30, level=1):
        stall = [s for s in r.find_all("inband_stall", 0, before=e.cycle)]
        unstall = [u for u in r.find_all("inband_unstall", 0, before=e.cycle)]
        if stall and (not unstall or stall[-1].cycle > unstall[-1].cycle):
            fire = e
            break
    save = r.last_before("inband_stall", 0, fire.cycle)
    to_oob = r.find("stage_switch", cpu=0, after=fire.cycle, value=1)
    entry = r.find("handler_entry_oob", cpu=0, after=fire.cycle, value=30)
    resched = r.find("oob_reschedule", cpu=0, after=entry.cycle)
    back = r.find("stage_switch", cpu=0, after=resched.cycle, value=0)
    restore = r.find("inband_unstall", cpu=0, after=back.cycle)
    names = {1: "main/0", int(resched.args["value"]): "responder"}
    marks = [(save.cycle, "in-band code enters a local_irq_save() section"),
             (fire.cycle, "the timer fires (its handler is IRQF_OOB)"),
             (to_oob.cycle, "the pipeline switches the CPU to the oob stage"),
             (entry.cycle, "the oob handler runs and wakes the oob responder thread"),
             (resched.cycle, "irq_exit_pipeline(): the companion core switches to its thread"),
             (back.cycle, "the thread waits again: back to the in-band stage, still stalled"),
             (restore.cycle, "local_irq_restore(): the in-band section ends")]
    lanes = cpu_lanes(0, ["ppi", "inband_stall", "stage", "oob_stall", "hard", "irq"], ppi=30)
    lanes.append(Lane("thread", "oobsim.cpu0.thread", "bus", thread_namer(names), color="#6b4c9a"))
    return waveform_figure(r, lanes, save.cycle - 150, restore.cycle + 200, marks,
                           "Two stages: the oob stage runs inside the in-band stage's critical section "
                           "(pfw_oob_responder, CPU 0)")


def fig_virtual_vs_hard(runs):
    panels = []
    for key, title in (("latency", "pipelined kernel"), ("latency_classic", "classic kernel")):
        r = runs[key]
        fire = r.find("line", cpu=0, nth=1, irq=30, level=1)    # the 2000-cycle section (the first has none)
        panels.append((r, fire.cycle, title))
    fig = plt.figure(figsize=(WIDTH, 5.4))
    names = ["ppi", "inband_stall", "hard", "stage", "irq"]
    for k, (r, fire, title) in enumerate(panels):
        ax = fig.add_axes([0.2, 0.56 - k * 0.47, 0.78, 0.34])
        lanes = cpu_lanes(0, names, ppi=30)
        if key == "latency_classic":
            lanes[1].label = "in-band stall (none)"
        entry = [e for e in r.events if e.cpu == 0 and e.cycle > fire and e.name.startswith("handler_entry")][0]
        draw_lanes(ax, r, lanes, fire - 700, fire + 2100, [(fire, "timer fires"), (entry.cycle, "handler")],
                   numbered=False,
                   title=f"{title}: timer fires at cycle {fire}, its handler runs at {entry.cycle} "
                         f"(+{entry.cycle - fire})", xlabel="cycle" if k == 1 else None)
    fig.text(0.02, 0.985, "The same program, a 2000-cycle local_irq_save() section: virtual vs hard masking "
             "(pfw_oob_latency, CPU 0)", fontsize=10, fontweight="bold", va="top")
    return fig


def fig_run_oob_call(runs):
    r = runs["run_oob_call"]
    entry = r.find("run_oob_call_entry", cpu=0)
    exit_ = r.find("run_oob_call_exit", cpu=0, after=entry.cycle)
    first_log = r.find("irq_log_oob", cpu=0, after=entry.cycle)
    oob_replay = r.find("replay_begin", cpu=0, after=entry.cycle, value=1)
    inband_replay = r.find("replay_begin", cpu=0, after=oob_replay.cycle, value=0)
    back = r.last_before("stage_switch", 0, oob_replay.cycle, value=0)
    marks = [(entry.cycle, "run_oob_call() from in-band: switch to oob, stall oob"),
             (first_log.cycle, "fn injects 41, 36, 40, 35: oob IRQs to the oob log, in-band ones to the in-band log"),
             (back.cycle, "fn returned on oob: unstall oob, switch to in-band (row 2)"),
             (oob_replay.cycle, "sync: the oob log first, on the oob stage: 40, 41"),
             (inband_replay.cycle, "then the in-band log: 35, 36 (hard irqs on)"),
             (exit_.cycle, "run_oob_call() returns fn's value")]
    lanes = cpu_lanes(0, ["stage", "oob_stall", "inband_stall", "hard", "log_oob", "log_inband", "irq"])
    return waveform_figure(r, lanes, entry.cycle - 100, exit_.cycle + 120, marks,
                           "Stage escalation: run_oob_call() with IRQs waiting in both logs (pfw_run_oob_call, CPU 0)")


def fig_nmi(runs):
    r = runs["nested"]
    inband = r.find("handler_entry_inband", cpu=0, value=30)
    send = r.find("oob_ipi_send", cpu=0, after=inband.cycle)
    oob = r.find("handler_entry_oob", cpu=0, after=send.cycle)
    oob_exit = r.find("handler_exit_oob", cpu=0, after=oob.cycle)
    inband_exit = r.find("handler_exit_inband", cpu=0, after=oob_exit.cycle)
    trap2 = r.find("trap", cpu=0, after=send.cycle)
    marks = [(inband.cycle, "the in-band handler of IRQ 30 runs (in-band stalled, hard irqs on)"),
             (send.cycle, "it sends this CPU an oob IPI (SGI 1)"),
             (trap2.cycle, "the IPI interrupts the in-band handler: a nested trap"),
             (oob.cycle, "the oob handler runs, on the oob stage, hard irqs off"),
             (oob_exit.cycle, "back to the in-band handler, which never knew"),
             (inband_exit.cycle, "the in-band handler returns")]
    lanes = cpu_lanes(0, ["inband_stall", "hard", "traps", "stage", "irq", "irq_stage"])
    return waveform_figure(r, lanes, inband.cycle - 250, inband_exit.cycle + 150, marks,
                           "Seemingly NMIs: an oob IRQ preempts in-band code, whatever its virtual mask "
                           "(pfw_nested, CPU 0)")


XCALL_KINDS = ("main", "idle", "xcall")


def xcall_thread_name(tid, cpus=4):
    """The kernel creates main/N for every CPU, then idle/N, then xcall/N (docs/kernel.md); ids count from 1."""
    kind, cpu = divmod(tid - 1, cpus)
    return f"{XCALL_KINDS[kind]}/{cpu}" if kind < len(XCALL_KINDS) else f"thread {tid}"


def draw_xcall_panel(ax, r, issue, t1, title):
    cpus = 4
    ticket = issue.args["value"]
    t0 = issue.cycle - 150
    thread_color = {"main": "#cfd8e6", "idle": "#eeeeee", "xcall": "#f2d7a6"}
    for cpu in range(cpus):
        y = cpus - 1 - cpu
        switches = [e for e in r.events if e.cpu == cpu and e.name == "kthread_switch"]
        current = None
        for e in switches:
            if e.cycle <= t0:
                current = int(e.args["value"])
        spans = []
        start = t0
        for e in switches:
            if t0 < e.cycle < t1:
                spans.append((start, e.cycle, current))
                start, current = e.cycle, int(e.args["value"])
        spans.append((start, t1, current))
        for s, e, tid in spans:
            name = xcall_thread_name(tid) if tid else "?"
            if tid and int(name.split("/")[1]) != cpu:
                sys.exit(f"make_figures: thread {tid} runs on cpu {cpu}: the thread numbering changed")
            kind = name.split("/")[0]
            ax.broken_barh([(s, e - s)], (y, 0.24), facecolors=thread_color.get(kind, "#ffffff"),
                           edgecolors="#999999", lw=0.5)
            if e - s > (t1 - t0) * 0.06:
                ax.text(s + (t1 - t0) * 0.004, y + 0.12, name, ha="left", va="center", fontsize=7, color="#333333")
        # soft interrupts and the call's function above the thread that runs them
        for begin, end, color, h, label in (("softint_entry", "softint_exit", "#9ecae1", 0.34, None),
                                            ("xcall_func_start", "xcall_func_end", "#2b7a3d", 0.22, "fn")):
            opened = None
            for e in r.events:
                if e.cpu != cpu or not (t0 <= e.cycle <= t1):
                    continue
                if e.name == begin and (begin != "xcall_func_start" or e.args["value"] == ticket):
                    opened = e.cycle
                elif e.name == end and opened is not None:
                    ax.broken_barh([(opened, e.cycle - opened)], (y + 0.28 + (0.34 - h) / 2, h), facecolors=color,
                                   edgecolors="none")
                    if label:
                        ax.text((opened + e.cycle) / 2, y + 0.45, label, ha="center", va="center", fontsize=7.5,
                                color="white", fontweight="bold")
                    opened = None
    # issue, SGIs (with arrows to their receipt), wait return
    ax.plot([issue.cycle], [cpus - 1 + 0.75], marker="v", color="black", ms=6)
    ax.text(issue.cycle, cpus - 1 + 0.85, "xc_broadcast()", fontsize=7.5, ha="center", va="bottom")
    wait_ret = r.find("xcall_wait_return", cpu=issue.cpu, after=issue.cycle, value=ticket)
    ax.plot([wait_ret.cycle], [cpus - 1 + 0.75], marker="v", color="#c0392b", ms=6)
    ax.text(wait_ret.cycle, cpus - 1 + 0.85, "xc_wait() returns", fontsize=7.5, ha="center", va="bottom",
            color="#c0392b")
    for send in r.find_all("sgi_send", after=issue.cycle, before=wait_ret.cycle):
        targets = int(send.args["targets"], 16)
        for cpu in range(cpus):
            if targets >> cpu & 1:
                got = r.find("iar", cpu=cpu, after=send.cycle, irq=send.args["sgi"])
                ax.annotate("", xy=(got.cycle, cpus - 1 - cpu + 0.62), xytext=(send.cycle, cpus - 1 - send.cpu),
                            arrowprops=dict(arrowstyle="->", color="#7f3fbf", lw=0.8))
    ax.set_yticks([cpus - 1 - c + 0.3 for c in range(cpus)])
    ax.set_yticklabels([f"cpu {c}" for c in range(cpus)])
    ax.set_ylim(-0.1, cpus + 0.25)
    ax.set_xlim(t0, t1)
    ax.ticklabel_format(axis="x", useOffset=False, style="plain")
    ax.tick_params(axis="y", length=0)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.set_title(title, loc="left")
    return wait_ret


def fig_xcall(runs):
    r = runs["xcall_broadcast"]
    low = r.find("xcall_issue", cpu=0, value=4)
    high = r.find("xcall_issue", cpu=0, value=(1 << 31) | 4)
    fig = plt.figure(figsize=(WIDTH, 6.2))
    for k, (issue, title) in enumerate(((low, "low priority: the function runs in each CPU's xcall/N thread"),
                                        (high, "high priority (XC_HIGHPRI): it runs in each CPU's soft interrupt"))):
        ax = fig.add_axes([0.08, 0.55 - k * 0.46, 0.9, 0.31])
        wait_ret = r.find("xcall_wait_return", cpu=0, after=issue.cycle, value=issue.args["value"])
        draw_xcall_panel(ax, r, issue, wait_ret.cycle + 250, title)
        if k == 1:
            ax.set_xlabel("cycle")
    fig.text(0.02, 0.99, "xc_broadcast() from CPU 0, then xc_wait(), on 4 CPUs (pfw_xcall_broadcast)", fontsize=10,
             fontweight="bold", va="top")
    fig.text(0.02, 0.955, "Lower band: the thread running (main/N, xcall/N, idle/N). Green: the call's function; blue: a "
             "soft interrupt;\npurple arrows: SGIs (IPIs), from the sender to the IAR that takes them.", fontsize=8.5,
             va="top")
    return fig


def ticket_label(value):
    value = int(value)
    return f"{'hi|' if value >> 31 else ''}{value & 0x7fffffff}"


def fig_xcall_slots(runs):
    r = runs["xcall_slots"]
    issues = r.find_all("xcall_issue")
    busy = r.find("xcall_slot_busy")
    t0 = issues[0].cycle - 400
    t1 = r.find("xcall_wait_return", value=issues[-1].args["value"]).cycle + 1300
    cpus = 4
    rows = ["low slot", "high slot"] + [f"cpu {c}" for c in range(cpus)]
    ypos = {name: len(rows) - 1 - k for k, name in enumerate(rows)}
    fig = plt.figure(figsize=(WIDTH, 4.2))
    ax = fig.add_axes([0.1, 0.14, 0.88, 0.72])
    min_w = (t1 - t0) * 0.006
    for issue in issues:
        ticket = issue.args["value"]
        high = int(ticket) >> 31
        color = "#c0392b" if high else "#2b7a3d"
        ends = r.find_all("xcall_func_end", after=issue.cycle, value=ticket)
        done = ends[-1].cycle
        y = ypos["high slot" if high else "low slot"]
        ax.broken_barh([(issue.cycle, done - issue.cycle)], (y + 0.1, 0.5), facecolors=color, alpha=0.35,
                       edgecolors=color)
        ax.text(issue.cycle + (t1 - t0) * 0.004, y + 0.35, f"ticket {ticket_label(ticket)} (cpu {issue.cpu})",
                va="center", fontsize=7.5)
        y = ypos[f"cpu {issue.cpu}"]
        ax.plot([issue.cycle], [y + 0.75], marker="v", color=color, ms=6)
        ax.text(issue.cycle, y + 0.82, f"issue {ticket_label(ticket)}", fontsize=7.5, ha="center", va="bottom")
        wait = r.find("xcall_wait", cpu=issue.cpu, after=issue.cycle, value=ticket)
        ret = r.find("xcall_wait_return", cpu=issue.cpu, after=wait.cycle, value=ticket)
        ax.broken_barh([(wait.cycle, ret.cycle - wait.cycle)], (y + 0.2, 0.3), facecolors="none", edgecolors=color,
                       hatch="////", lw=0.6)
        ax.text(ret.cycle + (t1 - t0) * 0.003, y + 0.35, "xc_wait", va="center", fontsize=7, color=color)
        for start in r.find_all("xcall_func_start", after=issue.cycle, value=ticket):
            end = r.find("xcall_func_end", cpu=start.cpu, after=start.cycle, value=ticket)
            y = ypos[f"cpu {start.cpu}"]
            ax.broken_barh([(start.cycle, max(end.cycle - start.cycle, min_w))], (y + 0.1, 0.5), facecolors=color)
            if end.cycle - start.cycle > (t1 - t0) * 0.08:
                ax.text((start.cycle + end.cycle) / 2, y + 0.35, f"fn of {ticket_label(ticket)}", ha="center",
                        va="center", fontsize=7.5, color="white", fontweight="bold")
            else:
                ax.text(start.cycle, y + 0.62, f"fn of {ticket_label(ticket)}", ha="center", va="bottom",
                        fontsize=7.5, color=color, fontweight="bold")
    after = r.find("xcall_issue", cpu=busy.cpu, after=busy.cycle)
    y = ypos[f"cpu {busy.cpu}"]
    ax.broken_barh([(busy.cycle, after.cycle - busy.cycle)], (y + 0.2, 0.3), facecolors="#dddddd",
                   edgecolors="#888888", lw=0.6)
    ax.text(busy.cycle + (t1 - t0) * 0.004, y + 0.35, "xc_unicast(): low slot busy, waits", va="center",
            fontsize=7.5)
    ax.set_yticks([y + 0.35 for y in ypos.values()])
    ax.set_yticklabels(list(ypos.keys()))
    ax.set_ylim(-0.1, len(rows) + 0.2)
    ax.set_xlim(t0, t1)
    ax.ticklabel_format(axis="x", useOffset=False, style="plain")
    ax.tick_params(axis="y", length=0)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.set_xlabel("cycle")
    fig.text(0.02, 0.98, "Two slots, no queue: a low call waits for the busy low slot, a high call goes through "
             "(pfw_xcall_slots)", fontsize=10, fontweight="bold", va="top")
    fig.text(0.02, 0.935, "Green: low priority, red: high. A slot is busy from a call's issue to the end of its last "
             "function; hatched: the caller sleeps in xc_wait().", fontsize=8.5, va="top")
    return fig


def fig_rows(runs, case):
    r = runs["rows"]
    start = r.find("case", cpu=0, value=case)
    entry = r.find("run_oob_call_entry", cpu=0, after=start.cycle)
    exit_ = r.find("run_oob_call_exit", cpu=0, after=entry.cycle)
    nxt = r.find_all("case", cpu=0, after=exit_.cycle)
    end_of_case = nxt[0].cycle if nxt else r.events[-1].cycle
    # until the last handler of the case has returned
    handlers = [e for e in r.events if e.cpu == 0 and exit_.cycle < e.cycle < end_of_case
                and e.name.startswith("handler_exit")]
    t1 = (handlers[-1].cycle if handlers else exit_.cycle) + 150
    marks = [(entry.cycle, "run_oob_call()"), (exit_.cycle, "returns")]
    lanes = cpu_lanes(0, ["stage", "oob_stall", "hard", "log_oob", "log_inband", "irq"])
    titles = {1: "case 1, row 1: oob -> oob", 2: "case 2, row 1 with oob stalled on entry",
              3: "case 3, row 2: in-band -> oob", 4: "case 4, row 3: oob -> in-band",
              5: "case 5, row 4: in-band -> in-band"}
    return waveform_figure(r, lanes, start.cycle - 50, t1, marks,
                           f"{titles[case]} (tutorial_run_oob_call_rows, CPU 0)", numbered=False)


def fig_why_two_stages(runs):
    """Latency histograms of the tutorial's scenario, run on both kernels through the Python API."""
    import oobsim
    sc = oobsim.load_scenario_file(os.path.join(ROOT, "docs", "tutorials", "examples", "why_two_stages.py"))
    panels = []
    for pipelined, metric in ((True, "irq_to_oob_handler"), (False, "irq_to_inband_handler")):
        res = sc.replace(pipeline=pipelined).run()
        panels.append(("pipelined kernel" if pipelined else "classic kernel", metric, res.metrics[metric]))
    cell = 100
    top = max(m.max for _, _, m in panels)
    nbins = top // cell + 2
    fig, axes = plt.subplots(1, 2, figsize=(WIDTH, 3.6), sharex=True)
    fig.subplots_adjust(left=0.07, right=0.98, top=0.78, bottom=0.15, wspace=0.18)
    for ax, (title, metric, m), color in zip(axes, panels, ("#c0392b", "#1f5fa8")):
        counts = [0] * nbins
        for lower, n in m.histogram:
            counts[lower // cell] += n
        ax.bar([k * cell for k in range(nbins)], counts, width=cell, align="edge", color=color, alpha=0.8)
        ax.set_yscale("log")
        ax.set_ylim(0.8, max(counts) * 3)
        ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
        ax.set_xlim(0, nbins * cell)
        ax.ticklabel_format(axis="x", useOffset=False, style="plain")
        for stat, ls in (("p50", ":"), ("p99", "--"), ("max", "-")):
            ax.axvline(m[stat], color="#333333", lw=0.9, ls=ls)
        ax.set_title(f"{title}: {metric}", loc="left", fontsize=9.5)
        ax.text(0.98, 0.95, f"{m.count} IRQs\np50 {m.p50}\np99 {m.p99}\nmax {m.max} cycles", transform=ax.transAxes,
                ha="right", va="top", fontsize=8.5, bbox=dict(fc="white", ec="#cccccc"))
        ax.set_xlabel(f"device IRQ raised -> handler entry (cycles, cells of {cell})")
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    axes[0].set_ylabel("IRQs (log scale)")
    fig.text(0.01, 0.97, "The same workload and the same device IRQs on both kernels "
             "(docs/tutorials/examples/why_two_stages.py, seed 1)", fontsize=10, fontweight="bold", va="top")
    fig.text(0.01, 0.9, "Dotted: p50, dashed: p99, solid: max. CPU 1 spends long stretches in local_irq_save() "
             "sections of up to 8000 cycles.", fontsize=8.5, va="top")
    return fig


RUNS = {
    "replay": ("pfw_replay_on_restore.elf", ["--cpus", "4"]),
    "responder": ("pfw_oob_responder.elf", ["--cpus", "4"]),
    "latency": ("pfw_oob_latency.elf", ["--cpus", "4"]),
    "latency_classic": ("pfw_oob_latency_classic.elf", ["--cpus", "4"]),
    "run_oob_call": ("pfw_run_oob_call.elf", ["--cpus", "4"]),
    "nested": ("pfw_nested.elf", ["--cpus", "4"]),
    "xcall_broadcast": ("pfw_xcall_broadcast.elf", ["--cpus", "4"]),
    "xcall_slots": ("pfw_xcall_slots.elf", ["--cpus", "4"]),
    "rows": ("tutorial_run_oob_call_rows.elf", ["--cpus", "1", "--trace-hint", "200=case"]),
}

FIGURES = {
    "concepts-two-stages.png": (fig_two_stages, ["responder"]),
    "concepts-virtual-vs-hard.png": (fig_virtual_vs_hard, ["latency", "latency_classic"]),
    "concepts-replay.png": (fig_replay, ["replay"]),
    "concepts-run-oob-call.png": (fig_run_oob_call, ["run_oob_call"]),
    "concepts-nmi.png": (fig_nmi, ["nested"]),
    "concepts-xcall.png": (fig_xcall, ["xcall_broadcast"]),
    "xcall-slots.png": (fig_xcall_slots, ["xcall_slots"]),
    "why-two-stages.png": (fig_why_two_stages, []),
}
for _case in range(1, 6):
    FIGURES[f"rows-case{_case}.png"] = ((lambda c: lambda runs: fig_rows(runs, c))(_case), ["rows"])


def generate(build_dir, out_dir, only=None):
    os.makedirs(out_dir, exist_ok=True)
    os.environ["OOBSIM_BUILD_DIR"] = build_dir      # where the Python package finds the simulator
    work = tempfile.mkdtemp(prefix="oobsim-figures-")
    try:
        runs = {}
        made = []
        for name, (func, needs) in FIGURES.items():
            if only and name not in only:
                continue
            for key in needs:
                if key not in runs:
                    elf, args = RUNS[key]
                    runs[key] = Run(build_dir, work, key, elf, args)
            fig = func(runs)
            path = os.path.join(out_dir, name)
            fig.savefig(path, dpi=DPI, metadata={"Software": None})
            plt.close(fig)
            made.append(path)
        return made
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description="Make the docs' figures from real oobsim runs.")
    parser.add_argument("--build-dir", default=os.path.join(ROOT, "build"), help="the build (default: build/)")
    parser.add_argument("--out", default=HERE, help="where to write them (default: docs/figures/)")
    parser.add_argument("--check", action="store_true",
                        help="make them in a temporary directory and compare with the committed ones")
    parser.add_argument("only", nargs="*", help="make only these figures (file names)")
    args = parser.parse_args()
    unknown = [n for n in args.only if n not in FIGURES]
    if unknown:
        sys.exit(f"make_figures: unknown figure(s): {', '.join(unknown)}; known: {', '.join(FIGURES)}")
    if not os.path.exists(os.path.join(args.build_dir, "oobsim")):
        sys.exit(f"make_figures: {args.build_dir}/oobsim not found: build first (or give --build-dir)")
    if not args.check:
        for path in generate(args.build_dir, args.out, args.only):
            size = os.path.getsize(path)
            digest = hashlib.sha256(open(path, "rb").read()).hexdigest()[:16]
            print(f"{os.path.relpath(path)}  {size // 1024} KiB  sha256 {digest}")
        return 0
    fresh = tempfile.mkdtemp(prefix="oobsim-figures-check-")
    try:
        generate(args.build_dir, fresh, args.only)
        bad = []
        for name in sorted(os.listdir(fresh)):
            committed = os.path.join(args.out, name)
            if not os.path.exists(committed):
                bad.append(f"{name}: missing from {args.out}")
            elif not filecmp.cmp(committed, os.path.join(fresh, name), shallow=False):
                bad.append(f"{name}: differs from what the current build makes")
        if not args.only:
            for name in sorted(os.listdir(args.out)):
                if name.endswith(".png") and name not in FIGURES:
                    bad.append(f"{name}: no longer made by make_figures.py (remove it)")
        if bad:
            print("\n".join(bad))
            print("run `/usr/bin/python3 docs/figures/make_figures.py` and commit the figures")
            return 1
        print(f"{len(os.listdir(fresh))} figures up to date")
        return 0
    finally:
        shutil.rmtree(fresh, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
