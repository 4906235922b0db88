"""Seeded, reproducible faults for the emulated APIs."""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass
from enum import Enum


class Fault(Enum):
    NONE = "none"
    ERROR = "error"  # HTTP 500, code 1000
    RATE_LIMITED = "rate-limited"  # HTTP 429 with Retry-After
    DROP = "drop"  # the request takes effect, then the connection closes unanswered
    TIMEOUT = "timeout"  # the request takes effect, the answer comes too late


@dataclass(frozen=True)
class FaultSettings:
    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    error_rate: float = 0.0
    rate_limit: float = 0.0  # requests per second; 0 means unlimited
    throttle_rate: float = 0.0  # share of requests answered 429 at random
    drop_rate: float = 0.0
    timeout_rate: float = 0.0
    timeout_delay: float = 5.0  # seconds an answer-after-timeout is held back
    seed: int = 0


class FaultInjector:
    """Decides, per request, the latency and the fault to inject.

    Draws come from one ``random.Random(seed)`` under a lock, so a sequence
    of requests meets the same faults in every run (with concurrent
    requests, in the order they arrive).
    """

    def __init__(self, settings: FaultSettings) -> None:
        self.settings = settings
        self._random = random.Random(settings.seed)
        self._lock = threading.Lock()
        self._window_start = 0.0
        self._window_count = 0

    def decide(self) -> tuple[float, Fault, float]:
        """(latency in seconds, fault, seconds to put in Retry-After)."""
        settings = self.settings
        with self._lock:
            draw = self._random.random()
            jitter = self._random.random() * settings.jitter_ms
            latency = (settings.latency_ms + jitter) / 1000
            if settings.rate_limit > 0:
                now = time.monotonic()
                if now - self._window_start >= 1.0:
                    self._window_start, self._window_count = now, 0
                self._window_count += 1
                if self._window_count > settings.rate_limit:
                    retry_after = max(0.0, 1.0 - (now - self._window_start))
                    return latency, Fault.RATE_LIMITED, retry_after
        threshold = 0.0
        for rate, fault in (
            (settings.throttle_rate, Fault.RATE_LIMITED),
            (settings.error_rate, Fault.ERROR),
            (settings.drop_rate, Fault.DROP),
            (settings.timeout_rate, Fault.TIMEOUT),
        ):
            threshold += rate
            if draw < threshold:
                return latency, fault, 0.05 if fault is Fault.RATE_LIMITED else 0.0
        return latency, Fault.NONE, 0.0
