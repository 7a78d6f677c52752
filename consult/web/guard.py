"""Request safety: CSRF tokens, the Origin check, body size and rate limits."""
from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send


@dataclass
class Limits:
    """How much the server accepts."""

    body_bytes: int = 64 * 1024             # a JSON or form request
    upload_bytes: int = 10 * 1024 * 1024    # an uploaded .docx
    text_chars: int = 5000                  # a comment or suggested text
    rate: float = 50.0                      # requests a second per token, sustained
    burst: int = 400                        # and in one go


class Refused(Exception):
    """A request refused with an HTTP status and a one-line reason."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


def csrf_token(secret: str, token: str) -> str:
    """The CSRF token a page holding ``token`` must send back with every POST."""
    return hmac.new(secret.encode(), b"csrf:" + token.encode(), hashlib.sha256).hexdigest()


def check_origin(request: Request) -> None:
    """A POST must come from a page of this server (Origin, else Referer, names it)."""
    host = request.headers.get("host", "")
    origin = request.headers.get("origin") or ""
    if not origin:
        referer = request.headers.get("referer") or ""
        origin = "/".join(referer.split("/")[:3]) if referer else ""
    if not origin or origin.split("://", 1)[-1] != host:
        raise Refused(403, "the request did not come from this session's pages.")


def check_csrf(secret: str, token: str, sent: str | None) -> None:
    if not sent or not hmac.compare_digest(sent.encode(), csrf_token(secret, token).encode()):
        raise Refused(403, "the form is out of date or forged; reload the page and try again.")


@dataclass
class RateLimiter:
    """A token bucket per key (a group's or the facilitator's token, else the client)."""

    rate: float
    burst: int
    buckets: dict[str, tuple[float, float]] = field(default_factory=dict)

    def allow(self, key: str) -> bool:
        t = time.monotonic()
        level, last = self.buckets.get(key, (float(self.burst), t))
        level = min(float(self.burst), level + (t - last) * self.rate)
        if level < 1:
            self.buckets[key] = (level, t)
            return False
        self.buckets[key] = (level - 1, t)
        if len(self.buckets) > 10000:
            self.buckets.clear()
        return True


class BodyLimit:
    """ASGI middleware: refuse a request body above the limit (uploads get a larger one)."""

    def __init__(self, app: ASGIApp, limits: Limits) -> None:
        self.app, self.limits = app, limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        limit = self.limits.body_bytes + (self.limits.upload_bytes if path.endswith("/upload")
                                          else 0)
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            await too_large(scope, receive, send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise Refused(413, "the request is too large.")
            return message

        try:
            await self.app(scope, limited, send)
        except Refused as exc:
            if exc.status != 413:
                raise
            await too_large(scope, receive, send)


async def too_large(scope: Scope, receive: Receive, send: Send) -> None:
    response = PlainTextResponse("The request is too large.", status_code=413)
    await response(scope, receive, send)
