"""Errors a backend raises, classified so the runner knows what to do with them.

Backends translate their provider's exceptions into these; the runner never needs to know
the provider. ``retryable`` errors are retried with backoff (honouring ``retry_after``);
the others are recorded on the item and the run goes on, except ``fatal`` ones (a bad key, an
unknown model) that would fail every item alike and so stop the run.
"""
from __future__ import annotations

from typing import Any, Awaitable

__all__ = [
    "AnswerRefused",
    "AuthFailed",
    "BackendError",
    "ContentRefused",
    "MalformedResponse",
    "MissingAPIKey",
    "RateLimited",
    "RequestRejected",
    "RequestTimedOut",
    "ServerError",
    "Unreachable",
]


class BackendError(Exception):
    kind = "backend_error"
    retryable = False
    fatal = False
    # The provider may have done (and billed) the work although no result reached us.
    maybe_billed = False

    def __init__(self, message: str, *, retry_after: float | None = None, status: int | None = None,
                 pending: Awaitable[Any] | None = None):
        super().__init__(message)
        self.retry_after = retry_after
        self.status = status
        # A timed-out request that is still open: awaiting it ends when the connection really
        # closes, with the late result (already paid for) or an error. The runner keeps the
        # request's concurrency slot until then and stores a late result.
        self.pending = pending


class RateLimited(BackendError):
    kind = "rate_limited"
    retryable = True


class ServerError(BackendError):
    kind = "server_error"
    retryable = True


class RequestTimedOut(BackendError):
    kind = "timeout"
    retryable = True
    maybe_billed = True


class ContentRefused(BackendError):
    kind = "content_policy"


class AnswerRefused(ContentRefused):
    """The model answered, and its answer is a refusal (structured outputs' ``refusal``): billed."""

    maybe_billed = True


class MalformedResponse(BackendError):
    kind = "malformed_response"
    maybe_billed = True


class RequestRejected(BackendError):
    kind = "bad_request"


class AuthFailed(BackendError):
    kind = "auth"
    fatal = True


class Unreachable(BackendError):
    """No connection to the server at all (refused, unknown host, no route): nothing was sent."""

    kind = "unreachable"
    fatal = True


class MissingAPIKey(ValueError):
    """No key in the environment: raised before anything is sent (a one-line user error)."""
