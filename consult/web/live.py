"""What every view of a live session shares: the session, its limits, templates, checks."""
from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from .guard import Limits, RateLimiter, Refused, check_csrf, check_origin, csrf_token
from .session import Session

HEADERS = {"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff",
           "Referrer-Policy": "same-origin",
           "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
                                      "style-src 'self'; script-src 'self'; "
                                      "frame-ancestors 'none'; form-action 'self'",
           "Cache-Control": "no-store"}


class Live:
    """What every view needs: the session, its limits and the page templates."""

    def __init__(self, session: Session, limits: Limits, public_url: str = "") -> None:
        self.session, self.store, self.limits = session, session.store, limits
        self.public_url = public_url.rstrip("/")
        self.limiter = RateLimiter(limits.rate, limits.burst)
        self.secret = self.store.meta("secret")
        self.facilitator = self.store.meta("facilitator")
        self.env = Environment(loader=PackageLoader("consult.web", "templates"),
                               autoescape=select_autoescape(["html"]))

    def page(self, name: str, status: int = 200, **context) -> HTMLResponse:
        html = self.env.get_template(name).render(**context)
        return HTMLResponse(html, status_code=status, headers=HEADERS)

    def csrf(self, token: str) -> str:
        return csrf_token(self.secret, token)

    def throttle(self, request: Request, key: str) -> None:
        if not self.limiter.allow(key or (request.client.host if request.client else "?")):
            raise Refused(429, "too many requests; wait a moment and try again.")

    def guard_post(self, request: Request, token: str, sent: str | None) -> None:
        """Origin and CSRF checks every POST passes before anything is read or written."""
        check_origin(request)
        check_csrf(self.secret, token, sent)

    def base(self, request: Request) -> str:
        return self.public_url or str(request.base_url).rstrip("/")
