"""The facilitator's pages: the dashboard with links and QR codes, the live status, the
"share responses" view, closing the session and the files it writes."""
from __future__ import annotations

import hmac
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from ..errors import ConsultError
from .live import HEADERS, Live
from .guard import Refused
from .qr import qr_svg
from .returns import close_session
from .session import COLLATED, REPORTS
from .status import share_items, status

FILES = {COLLATED: "collated.docx", f"{REPORTS}/report.html": "report.html",
         f"{REPORTS}/report.csv": "report.csv", f"{REPORTS}/report.md": "report.md"}


def routes(live: Live) -> list[Route]:
    async def dashboard(request: Request) -> Response:
        token = _facilitator(live, request)
        base = live.base(request)
        groups = [{"name": g.name, "url": f"{base}/g/{g.token}", "qr": qr_svg(f"{base}/g/{g.token}"),
                   "sections": ", ".join(g.sections)} for g in live.store.groups()]
        files = [(path, label) for path, label in FILES.items()
                 if live.session.path(path).is_file()] if live.session.closed else []
        return live.page("facilitator.html", token=token, csrf=live.csrf(token), groups=groups,
                         closed=live.session.closed, files=files,
                         error=request.query_params.get("error", "")[:300])

    async def status_json(request: Request) -> Response:
        _facilitator(live, request)
        found = await run_in_threadpool(status, live.store, live.session.draft)
        return JSONResponse(found, headers=HEADERS)

    async def share(request: Request) -> Response:
        token = _facilitator(live, request)
        groups = live.store.groups()
        n = request.query_params.get("n", "1")
        k = min(max(int(n) if n.isdigit() else 1, 1), len(groups))
        group = groups[k - 1]
        minutes = request.query_params.get("minutes", "3")
        items = await run_in_threadpool(share_items, live.store, live.session.draft, group)
        return live.page("share.html", token=token, group=group, items=items, n=k,
                         total=len(groups), seconds=120 if minutes == "2" else 180,
                         minutes=minutes if minutes in ("2", "3") else "3")

    async def close(request: Request) -> Response:
        token = _facilitator(live, request)
        live.guard_post(request, token, str((await request.form(max_files=0,
                                                                max_fields=4)).get("csrf") or ""))
        if live.session.closed:
            return RedirectResponse(f"/f/{token}", status_code=303, headers=HEADERS)
        try:
            await run_in_threadpool(close_session, live.session)
        except ConsultError as exc:
            return RedirectResponse(f"/f/{token}?{urlencode({'error': str(exc)})}",
                                    status_code=303, headers=HEADERS)
        return RedirectResponse(f"/f/{token}", status_code=303, headers=HEADERS)

    async def files(request: Request) -> Response:
        _facilitator(live, request)
        name = request.path_params["name"]
        if name not in FILES or not live.session.closed or not live.session.path(name).is_file():
            raise Refused(404, "no such file.")
        inline = name.endswith(".html")
        return FileResponse(live.session.path(name), filename=FILES[name],
                            content_disposition_type="inline" if inline else "attachment",
                            headers={**HEADERS, "Content-Security-Policy":
                                     "default-src 'none'; style-src 'unsafe-inline'; "
                                     "img-src data:"})

    return [Route("/f/{token}", dashboard), Route("/f/{token}/api/status", status_json),
            Route("/f/{token}/share", share), Route("/f/{token}/close", close, methods=["POST"]),
            Route("/f/{token}/files/{name:path}", files)]


def _facilitator(live: Live, request: Request) -> str:
    token = request.path_params["token"]
    live.throttle(request, token)
    if not hmac.compare_digest(token.encode(), live.facilitator.encode()):
        raise Refused(404, "this link is not part of the session.")
    return token
