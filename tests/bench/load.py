"""A small closed-loop HTTP load generator (loopback only, bounded in time)."""

from __future__ import annotations

import http.client
import socket
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass


def free_port() -> int:
    """A loopback port nothing listens on yet."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: str = ""
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Result:
    name: str
    requests: int
    seconds: float
    latencies: tuple[float, ...]
    errors: int

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies) * 1000 if self.latencies else 0.0

    @property
    def p95_ms(self) -> float:
        if len(self.latencies) < 20:
            return self.median_ms
        return statistics.quantiles(self.latencies, n=20)[-1] * 1000


def run(
    name: str,
    port: int,
    requests: Callable[[int], Iterator[Request]],
    *,
    concurrency: int = 4,
    max_requests: int = 600,
    max_seconds: float = 8.0,
    expect: tuple[int, ...] = (200,),
) -> Result:
    """Each worker sends its own stream of requests until the budget is spent."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    budget = iter(range(max_requests))
    deadline = time.perf_counter() + max_seconds

    def worker(index: int) -> None:
        nonlocal errors
        for request in requests(index):
            with lock:
                if next(budget, None) is None:
                    return
            if time.perf_counter() > deadline:
                return
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            started = time.perf_counter()
            conn.request(
                request.method,
                request.path,
                body=request.body.encode() or None,
                headers=dict(request.headers),
            )
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            conn.close()
            with lock:
                latencies.append(elapsed)
                if response.status not in expect:
                    errors += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Result(
        name, len(latencies), time.perf_counter() - started, tuple(latencies), errors
    )
