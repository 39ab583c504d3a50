"""Waiting on the page's state without eval: page.wait_for_function turns
its string into a function inside the page, which the Content-Security-Policy
refuses (no 'unsafe-eval'); page.evaluate runs outside the page's policy."""

import time


def wait_until(page, expression: str, timeout: float = 10.0) -> None:
    """Poll the expression until it is true (AssertionError after timeout)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"not true after {timeout} s: {expression}")
        page.wait_for_timeout(20)
