"""A progress bar for interactive runs (documents done / total, rate, ETA), reached from the
per-document callback; silent when nobody is watching (scheduled runs, tests, pipes)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

_bar: Progress | None = None


@contextmanager
def interactive(enabled: bool | None = None) -> Iterator[None]:
    """Within this block, per-document work shows a progress bar (on a terminal by default)."""
    global _bar
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        yield
        return
    _bar = Progress(
        TextColumn("documents"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
        transient=True,
    )
    try:
        with _bar:
            yield
    finally:
        _bar = None


def reporter(total: int) -> Callable[[object], None] | None:
    """A callback to call once per finished document, or None when no bar is shown."""
    bar = _bar
    if bar is None or total == 0:
        return None
    task = bar.add_task("documents", total=total, rate="")

    def advance(_: object) -> None:
        bar.advance(task)
        state = bar.tasks[task]
        if state.elapsed:
            bar.update(task, rate=f"{state.completed / state.elapsed:.1f} docs/s")

    return advance
