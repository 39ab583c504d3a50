"""Where a hot path's time goes: `make bench`'s data, requests in-process.

    python tests/bench/hotspots.py [--db sqlite|postgresql] [--top N]
        [--sort cumulative|tottime] [NAME ...]

Prints, per scenario, the mean time and queries of a request through the
whole middleware stack (the test client: no server, no network), its ratio
to the floor's time measured the same way (make bench's target is 0.5x), and
with --top the functions that take it (cProfile, by cumulative time).
Profile before optimising.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench import data, run  # noqa: E402


def timed(scenario, repeat: int, stream=None) -> float:
    """The mean seconds of a request of the stream, after one to warm up."""
    stream = stream or scenario.requests(0)
    run.send(next(stream))
    started = time.perf_counter()
    for _n, request in zip(range(repeat), stream, strict=False):
        run.send(request)
    return (time.perf_counter() - started) / repeat


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("names", nargs="*")
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--top", type=int, default=0)
    parser.add_argument(
        "--sort", default="cumulative", help="the profile's order: tottime for own time"
    )
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run.setup_django(args.db, Path(tmp))
        try:
            scenarios = data.student_scenarios()
            known = [n for n in args.names if any(n in s.name for s in scenarios)]
            if not args.names or known != args.names:
                scenarios += data.teacher_scenarios() + data.admin_scenarios()
            run.analyze(args.db)
            from django.contrib.auth import get_user_model

            someone = get_user_model().objects.get(username="question-reader")
            floor = run.floor_scenarios(data.session_for(someone))[1]
            floor_ms = timed(floor, args.repeat)
            print(f"{floor.name:42} {floor_ms * 1000:7.2f} ms")
            for scenario in scenarios:
                if args.names and not any(n in scenario.name for n in args.names):
                    continue
                queries, status = run.queries_of(scenario)
                stream = scenario.requests(0)
                elapsed = timed(scenario, args.repeat, stream)
                profiler = cProfile.Profile()
                if args.top:  # a second pass: the profiler's own cost stays out
                    with profiler:
                        for _n, request in zip(
                            range(args.repeat), stream, strict=False
                        ):
                            run.send(request)
                print(
                    f"{scenario.name:42} {elapsed * 1000:7.2f} ms "
                    f"{queries:3d} queries {floor_ms / elapsed:5.2f}x floor "
                    f"(status {status})"
                )
                if args.top:
                    stats = pstats.Stats(profiler).sort_stats(args.sort)
                    stats.print_stats(args.top)
        finally:
            if args.db == "postgresql":
                from django.db import connections

                connections.close_all()
                run.pg_database("drop")


if __name__ == "__main__":
    main()
