"""The ASGI app of a live session: routes, templates, static files, safety checks."""
from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .guard import BodyLimit, Limits, RateLimiter, Refused, check_csrf, check_origin, csrf_token
from .db import Closed
from .session import Session

STATIC = Path(__file__).with_name("static")
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


def refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Refused)
    headers = dict(HEADERS)
    if exc.status == 429:
        headers["Retry-After"] = "1"
    if "application/json" in request.headers.get("accept", "") or \
            request.url.path.split("/")[3:4] == ["api"]:
        return JSONResponse({"error": exc.reason}, status_code=exc.status, headers=headers)
    return PlainTextResponse(exc.reason, status_code=exc.status, headers=headers)


def closed(request: Request, exc: Exception) -> Response:
    return refused(request, Refused(409, "the session is closed; responses can no longer be "
                                         "changed."))


def not_found(request: Request, exc: Exception) -> Response:
    return PlainTextResponse("Not found.", status_code=404, headers=HEADERS)


def make_app(folder: str | Path, limits: Limits | None = None, public_url: str = "") -> Starlette:
    """The app serving the session in ``folder``."""
    from . import facilitator_views, group_views
    live = Live(Session(Path(folder)), limits or Limits(), public_url)
    routes = group_views.routes(live) + facilitator_views.routes(live) + [
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
        Route("/", lambda request: PlainTextResponse(
            "This is a consult live session. Use the link you were given.", headers=HEADERS)),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(BodyLimit, limits=live.limits)],
                    exception_handlers={Refused: refused, Closed: closed, 404: not_found})
    app.state.live = live
    return app
