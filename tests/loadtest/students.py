"""The load test's students: each a thread that starts attempts, answers
their questions and rates its cards over HTTP, sending 10 % of its posts
twice at once (a doubled click) and 10 % stale (an answer sent again after a
later one, a rating with the token of a card as it was before its last
rating). A request that fails (connection refused or reset, a timeout, a
5xx) is sent again after a short pause, to the other server when there are
two. What the students saw stored is written down for the count after."""

from __future__ import annotations

import http.client
import random
import re
import threading
import time
from dataclasses import dataclass, field

from tests.loadtest.seed import headers

TIMEOUT = 30  # seconds for one request
GIVE_UP = 60  # seconds one operation may keep retrying
DUPLICATE = 0.10
STALE = 0.10
STALE_DURATION_MS = 1  # marks a stale rating: no stored review may carry it
ATTEMPT_URL = re.compile(r"/attempts/(\d+)/$")


@dataclass
class Ledger:
    """Everything the students sent and saw, shared by their threads."""

    answers: dict = field(default_factory=dict)  # (attempt, question) -> position
    ratings: dict = field(default_factory=dict)  # (card, token) -> (rating, ms)
    requests: int = 0
    posts: int = 0
    duplicated: int = 0
    stale: int = 0
    server_errors: int = 0  # 5xx answers
    failed: int = 0  # requests that failed: connection errors, timeouts, 5xx
    retried_ok: int = 0  # operations that failed at first, then succeeded
    gave_up: int = 0  # operations that never succeeded
    refused: list = field(default_factory=list)  # 4xx to a post that was fresh
    latencies: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, **counts) -> None:
        with self.lock:
            for name, value in counts.items():
                setattr(self, name, getattr(self, name) + value)


class Budget:
    """The run's bound: a number of operations and a moment to stop."""

    def __init__(self, operations: int, seconds: float):
        self.left = operations
        self.deadline = time.monotonic() + seconds
        self.lock = threading.Lock()

    def take(self) -> bool:
        with self.lock:
            if self.left <= 0 or time.monotonic() > self.deadline:
                return False
            self.left -= 1
            return True


class Student(threading.Thread):
    def __init__(self, n: int, plan: dict, student: dict, ports, ledger, budget):
        super().__init__(name=f"student-{n}", daemon=True)
        self.rng = random.Random(n)
        self.ports = ports  # the servers' ports; requests alternate between them
        self.turn = n
        self.ledger = ledger
        self.budget = budget
        self.quiz = plan["quiz"]
        self.session = student["session"]
        self.questions = student["questions"]
        self.tokens = dict.fromkeys(student["cards"], 0)  # card -> reps
        self.cards = list(self.tokens)
        self.attempt = None
        self.open: list[int] = []  # the attempt's questions not answered yet
        self.answered: list = []  # (attempt, question, position) sent and stored

    def run(self) -> None:
        while self.budget.take():
            if self.rng.random() < 0.5:
                self.answer_step()
            else:
                self.rate_step()

    # --- requests -------------------------------------------------------------

    def _port(self) -> int:
        self.turn += 1
        return self.ports[self.turn % len(self.ports)]

    def request(self, method: str, path: str, body: str = "", *, htmx=True):
        """(status, Location) once a server answers anything but a 5xx."""
        started = time.monotonic()
        failures = 0
        while True:
            port = self._port()  # a retry goes to the other server
            self.ledger.add(requests=1)
            sent = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
                try:
                    conn.request(
                        method,
                        path,
                        body=body.encode() or None,
                        headers=headers(self.session, post=method == "POST", htmx=htmx),
                    )
                    response = conn.getresponse()
                    response.read()
                finally:
                    conn.close()
            except (OSError, http.client.HTTPException):
                status = None
            else:
                status = response.status
            if status is not None and status < 500:
                with self.ledger.lock:
                    self.ledger.latencies.append(time.perf_counter() - sent)
                    if failures:
                        self.ledger.retried_ok += 1
                return status, response.getheader("Location", "")
            failures += 1
            self.ledger.add(failed=1, server_errors=int(status is not None))
            if time.monotonic() - started > GIVE_UP:
                self.ledger.add(gave_up=1)
                return None, ""
            time.sleep(min(0.1 * failures, 1.0))

    def post(self, path: str, body: str, *, twice: bool, stale: bool = False):
        """Post once, or twice at once (a doubled click); the status of the
        first copy that succeeded, or of the last refusal."""
        self.ledger.add(posts=1, duplicated=int(twice), stale=int(stale))
        if not twice:
            return self.request("POST", path, body)[0]
        results = [None, None]

        def send(i):
            results[i] = self.request("POST", path, body)[0]

        other = threading.Thread(target=send, args=(1,))
        other.start()
        send(0)
        other.join()
        ok = [s for s in results if s is not None and s < 400]
        return ok[0] if ok else results[0]

    def _refused(self, what: str, status) -> None:
        if status is not None:  # a give-up is counted already
            with self.ledger.lock:
                self.ledger.refused.append(f"{what}: {status}")

    # --- quizzes --------------------------------------------------------------

    def start_attempt(self) -> bool:
        status, location = self.request(
            "POST", f"/quizzes/{self.quiz}/start/", htmx=False
        )
        found = ATTEMPT_URL.search(location)
        if status != 302 or not found:
            self._refused("start", status)
            return False
        self.attempt = int(found.group(1))
        self.open = self.rng.sample(self.questions, len(self.questions))
        return True

    def answer_step(self) -> None:
        roll = self.rng.random()
        if roll < STALE and self.answered:
            # An answer sent again after later ones, with another choice: the
            # stored one stands (the app answers with it).
            attempt, question, position = self.rng.choice(self.answered[-20:])
            other = (position + 1) % 3
            path = f"/attempts/{attempt}/answer/{question}/"
            self.post(path, f"choice={other}", twice=False, stale=True)
            return
        if not self.open and not self.start_attempt():
            return
        question = self.open[0]
        position = self.rng.randrange(3)
        path = f"/attempts/{self.attempt}/answer/{question}/"
        status = self.post(path, f"choice={position}", twice=roll < STALE + DUPLICATE)
        if status is None or status >= 400:
            self._refused("answer", status)
            self.open.pop(0)  # unknown whether stored: never sent again
            return
        self.open.pop(0)
        self.answered.append((self.attempt, question, position))
        with self.ledger.lock:
            self.ledger.answers[(self.attempt, question)] = position

    # --- flashcards -----------------------------------------------------------

    def rate_step(self) -> None:
        if not self.cards:
            return
        card = self.rng.choice(self.cards)
        token = self.tokens[card]
        path = f"/flashcards/cards/{card}/rate/"
        roll = self.rng.random()
        if roll < STALE and token > 0:
            # The card as it was before its last rating: changes nothing.
            body = f"rating=3&token={token - 1}&duration_ms={STALE_DURATION_MS}"
            self.post(path, body, twice=False, stale=True)
            return
        rating = self.rng.randint(1, 4)
        duration = self.rng.randrange(1000, 60_000)
        body = f"rating={rating}&token={token}&duration_ms={duration}"
        status = self.post(path, body, twice=roll < STALE + DUPLICATE)
        if status is None or status >= 400:
            self._refused("rating", status)
            self.cards.remove(card)  # its token is unknown now
            return
        self.tokens[card] = token + 1
        with self.ledger.lock:
            self.ledger.ratings[(card, token)] = (rating, duration)


def run_students(plan: dict, ports, *, seconds: float, operations: int) -> Ledger:
    ledger = Ledger()
    budget = Budget(operations, seconds)
    threads = [
        Student(n, plan, student, ports, ledger, budget)
        for n, student in enumerate(plan["students"])
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        # Past the deadline each finishes the operation it is in (retries
        # included, at most GIVE_UP seconds): nothing is left half-sent.
        thread.join(timeout=seconds + GIVE_UP + 2 * TIMEOUT)
    return ledger
