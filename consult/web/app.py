"""The ASGI app of a live session: routes, static files and the answers to refused requests."""
from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from . import facilitator_views, group_views
from .db import Closed
from .guard import BodyLimit, Limits, Refused
from .live import HEADERS, Live
from .session import Session

STATIC = Path(__file__).with_name("static")


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
