"""A live session in the browser: groups respond online, the facilitator sees it come in."""
from __future__ import annotations

from .session import Session, create_session

__all__ = ["create_session", "Session", "make_app", "links", "serve"]


def make_app(folder, limits=None, public_url: str = ""):
    """The session's ASGI app (Starlette)."""
    from .app import make_app as _make
    return _make(folder, limits, public_url)


def links(folder, base: str) -> tuple[str, list[tuple[str, str]]]:
    """The facilitator's URL and (group, URL) for each group."""
    store = Session(folder).store
    base = base.rstrip("/")
    return (f"{base}/f/{store.meta('facilitator')}",
            [(g.name, f"{base}/g/{g.token}") for g in store.groups()])


def serve(folder, host: str = "127.0.0.1", port: int = 8000, public_url: str = "") -> None:
    """Serve the session with uvicorn until interrupted."""
    import uvicorn
    app = make_app(folder, public_url=public_url)
    uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=5,
                limit_concurrency=200, h11_max_incomplete_event_size=64 * 1024)
