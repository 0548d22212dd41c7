"""Stopping on Ctrl-C, SIGTERM and SIGHUP without leaving partial output.

Raising from a signal handler at an arbitrary point can land inside native code (a model's C++
kernels) that cannot pass a Python exception on, and the process aborts with its temporary
file left behind. So the first signal only asks to stop: readers and writers check at every chunk
(:func:`checkpoint`) and raise :class:`Stopped` there, which removes the temporary output. A
second signal stops at once.
"""
from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Iterator

__all__ = ["Stopped", "checkpoint", "stop_on_signals"]

_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))
_pending: list[int] = []


class Stopped(KeyboardInterrupt):
    """The run was asked to stop by a signal (``signum``); cleanups run as on Ctrl-C."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def checkpoint() -> None:
    """Raise :class:`Stopped` if a signal asked to stop since the last check."""
    if _pending:
        raise Stopped(_pending.pop())


def _ask_to_stop(signum: int, frame: object) -> None:
    if _pending:  # the second signal: stop now
        raise Stopped(signum)
    _pending.append(signum)
    sys.stderr.write(f"\n{signal.Signals(signum).name}: stopping after the current chunk "
                     "(send it again to stop at once)\n")


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within this block Ctrl-C, SIGTERM and SIGHUP stop at the next :func:`checkpoint`."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, _ask_to_stop) for s in _SIGNALS}
    try:
        yield
    finally:
        _pending.clear()
        for s, handler in previous.items():
            signal.signal(s, handler)
