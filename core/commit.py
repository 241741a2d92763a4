"""Side effects after commit: how a task leaves a transaction (docs/architecture.md).

Used by every app above the leaves; `notifications`, a leaf that imports nothing (not even
`core`: tests/notifications/test_imports.py), keeps its own copy of these lines in
`notifications/outbox.py`.

`after_commit(func, *args)` calls `func(*args)` once the current transaction commits (at
once outside one). `robust`: a failure, such as a broker that is down, is logged and never
raised into the request whose work has already committed; the relays (notices, webhooks,
`sign_decisions`) send again what did not leave. The callback is a named function, because
Django logs a failed robust callback by its `__qualname__` (a `functools.partial` would log
nothing useful).
"""

from collections.abc import Callable

from django.db import transaction


def after_commit(func: Callable[..., object], *args: object) -> None:
    def call() -> None:
        func(*args)

    call.__qualname__ = f"{func.__name__}({', '.join(map(repr, args))})"[:200]
    transaction.on_commit(call, robust=True)
