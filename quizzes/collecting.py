"""Python's cycle collector paused for one long piece of work.

Importing a long essay builds hundreds of thousands of objects that all stay
alive until the import ends (claims, terms, drafts, model instances). The
collector, triggered by every few hundred new objects, walks them again and
again and finds nothing to free: a third of a 1 MB import went on that.
Reference counting still frees everything as usual; only cycles wait until
the work is done."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The collector off for the block, and back as it was after it (so a
    block inside another leaves it off until the outer one ends)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
