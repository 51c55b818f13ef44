"""Ctrl-C and SIGTERM during a batch: stop, clean up, keep earlier outputs.

The swap of a finished folder and its manifest entry go together, so signals are held
while they happen and acted on right after.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: stop, clean up, keep earlier outputs."""


def _on_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def set_sigint(handler: Any) -> Any:
    """Set the SIGINT handler (main thread only); return the previous one."""
    if not _on_main_thread() or handler is None:
        return None
    return signal.signal(signal.SIGINT, handler)


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM until the block is done, then act on them."""
    if not _on_main_thread():
        yield
        return
    received: list[int] = []

    def remember(signum: int, frame: Any) -> None:
        received.append(signum)

    previous_int = signal.signal(signal.SIGINT, remember)
    previous_term = signal.signal(signal.SIGTERM, remember)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous_int)
        signal.signal(signal.SIGTERM, previous_term)
    if received:
        raise Terminated() if received[0] == signal.SIGTERM else KeyboardInterrupt()


def _raise_terminated(signum: int, frame: Any) -> None:
    raise Terminated()


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM raises :class:`Terminated` (a KeyboardInterrupt)."""
    if not _on_main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
