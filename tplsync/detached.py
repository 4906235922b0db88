"""Work on daemon threads: an error elsewhere never waits for it to finish.

``concurrent.futures`` joins its workers when the interpreter exits, so a
command failing on a template file would first wait out every page still
being fetched (and its retries). Reads only, here: abandoning one is safe.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class Detached(Generic[R]):
    """``function()`` started on a daemon thread; :meth:`result` waits for it."""

    def __init__(self, function: Callable[[], R]) -> None:
        self._value: R | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(function,), daemon=True)
        self._thread.start()

    def _run(self, function: Callable[[], R]) -> None:
        try:
            self._value = function()
        except BaseException as error:  # handed to whoever asks for the result
            self._error = error

    def result(self) -> R:
        """The function's value, or its exception raised here."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]


def detached_map(function: Callable[[T], R], items: Sequence[T], workers: int) -> list[R]:
    """``[function(item) for item in items]`` with at most ``workers`` at a time.

    After a failure no further item starts; the first error is raised once
    the calls under way have ended.
    """
    results: list[R | None] = [None] * len(items)
    pending = iter(range(len(items)))
    lock = threading.Lock()
    errors: list[BaseException] = []

    def work() -> None:
        while not errors:
            with lock:
                index = next(pending, None)
            if index is None:
                return
            try:
                results[index] = function(items[index])
            except BaseException as error:
                errors.append(error)

    for worker in [Detached(work) for _ in range(min(workers, len(items)))]:
        worker.result()
    if errors:
        raise errors[0]
    return results  # type: ignore[return-value]
