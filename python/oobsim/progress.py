"""A one-line progress bar on stderr, for runs longer than a second when stderr is a terminal."""

from __future__ import annotations

import sys
import time


class ProgressBar:
    """``update(cycle)`` redraws ``label [#####.....] 42% 840000/2000000 cycles``; nothing is drawn during the first
    ``delay`` seconds (short runs stay quiet) nor when the stream is not a terminal (logs stay clean)."""

    def __init__(self, total: int, label: str = "", stream=None, delay: float = 1.0, width: int = 30,
                 unit: str = "cycles"):
        self.unit = unit
        self.total = max(1, total)
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.started = time.monotonic()
        self.delay = delay
        self.width = width
        self.drawn = False

    def update(self, cycle: int) -> None:
        if not self.enabled or time.monotonic() - self.started < self.delay:
            return
        fraction = min(1.0, cycle / self.total)
        filled = int(fraction * self.width)
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write(f"\r{self.label} [{bar}] {fraction * 100:3.0f}% {cycle}/{self.total} {self.unit}")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.drawn = False
