"""A group's page: its sections, its responses (comment, replace, insert, delete, reply),
its Word pack and an upload of the marked-up pack instead."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from .. import write_packs
from ..model import Allocation
from .live import HEADERS, Live
from .db import Group
from .guard import Refused, check_origin
from .uploads import receive_upload

KINDS = ("comment", "replace", "insert", "delete", "reply")
NEEDS_TEXT = ("comment", "replace", "insert", "reply")


def routes(live: Live) -> list[Route]:
    async def page(request: Request) -> Response:
        group = _group(live, request)
        note = request.query_params.get("note", "")
        return live.page("group.html", group=group, sections=_sections(live, group),
                         csrf=live.csrf(group.token), closed=live.session.closed,
                         upload=(live.store.uploads(group.id) or [None])[-1],
                         note=note if note in NOTES else "", notes=NOTES,
                         error=request.query_params.get("error", "")[:300])

    async def listing(request: Request) -> Response:
        group = _group(live, request)
        items = await run_in_threadpool(live.store.responses, group.id)
        return JSONResponse({"state": live.store.meta("state"),
                             "items": [r.public() for r in items]}, headers=HEADERS)

    async def create(request: Request) -> Response:
        group = _group(live, request)
        live.guard_post(request, group.token, request.headers.get("x-csrf-token"))
        _open(live)
        body = await _json(request)
        fields = _validate(live, group, body)
        row, new = await run_in_threadpool(live.store.add_response, group.id, **fields)
        return JSONResponse({"item": row.public(), "new": new}, status_code=201 if new else 200,
                            headers=HEADERS)

    async def change(request: Request) -> Response:
        group = _group(live, request)
        live.guard_post(request, group.token, request.headers.get("x-csrf-token"))
        _open(live)
        body = await _json(request)
        rid = int(request.path_params["rid"])
        if body.get("action") == "withdraw":
            done = await run_in_threadpool(live.store.withdraw, group.id, rid)
        elif body.get("action") == "edit":
            text = _text(live, body.get("text"))
            current = live.store.response(group.id, rid)
            if current is not None and current.kind == "delete":
                raise Refused(400, "a deletion has no text to edit.")
            done = await run_in_threadpool(live.store.edit_response, group.id, rid, text)
        else:
            raise Refused(400, "say what to do: edit or withdraw.")
        if not done:
            raise Refused(404, "no such response of this group (it may have been withdrawn).")
        return JSONResponse({"ok": True}, headers=HEADERS)

    async def pack(request: Request) -> Response:
        group = _group(live, request)
        data = await run_in_threadpool(_pack_bytes, live, group)
        name = _ascii(group.name) + ".docx"
        return Response(data, media_type=DOCX, headers={
            **HEADERS, "Content-Disposition": f'attachment; filename="{name}"'})

    async def upload(request: Request) -> Response:
        group = _group(live, request)
        live.throttle(request, group.token)
        check_origin(request)
        async with request.form(max_files=1, max_fields=4,
                                max_part_size=live.limits.body_bytes) as form:
            live.guard_post(request, group.token, str(form.get("csrf") or ""))
            _open(live)
            file = form.get("file")
            if not isinstance(file, UploadFile):
                raise Refused(400, "choose a .docx file to upload.")
            error = await receive_upload(live, group, file)
        where = f"/g/{group.token}"
        if error:
            return JSONResponse({"error": error}, status_code=422, headers=HEADERS) \
                if _wants_json(request) else _back(where, error=error)
        return JSONResponse({"ok": True}, headers=HEADERS) if _wants_json(request) \
            else _back(where, note="uploaded")

    return [Route("/g/{token}", page), Route("/g/{token}/api/responses", listing),
            Route("/g/{token}/api/responses", create, methods=["POST"]),
            Route("/g/{token}/api/responses/{rid:int}", change, methods=["POST"]),
            Route("/g/{token}/pack.docx", pack), Route("/g/{token}/upload", upload,
                                                       methods=["POST"])]


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NOTES = {"uploaded": "Your file was read and will be collated with the other responses."}


def _group(live: Live, request: Request) -> Group:
    token = request.path_params["token"]
    live.throttle(request, token)
    group = live.store.group_by_token(token)
    if group is None:
        raise Refused(404, "this link is not part of the session; check it with the "
                           "facilitator.")
    return group


def _open(live: Live) -> None:
    if not live.session.accepting:
        raise Refused(409, "the session is closed; responses can no longer be changed.")


async def _json(request: Request) -> dict:
    try:
        body = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        raise Refused(400, "the request is not JSON.") from None
    if not isinstance(body, dict):
        raise Refused(400, "the request is not a JSON object.")
    return body


def _text(live: Live, value: object, strip: bool = True) -> str:
    text = (value if isinstance(value, str) else "").replace("\r\n", "\n")
    text = text.strip() if strip else text.rstrip()
    if len(text) > live.limits.text_chars:
        raise Refused(400, f"the text is longer than {live.limits.text_chars} characters.")
    return "".join(ch for ch in text if ch in "\n\t" or ord(ch) >= 32)


def _int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise Refused(400, "paragraph, start and end must be whole numbers.")
    return value


def _validate(live: Live, group: Group, body: dict) -> dict:
    """The response's fields, checked against the group's own sections and paragraphs."""
    kind, nonce = body.get("kind"), body.get("nonce")
    if kind not in KINDS:
        raise Refused(400, "kind must be comment, replace, insert, delete or reply.")
    if not isinstance(nonce, str) or not 8 <= len(nonce) <= 64:
        raise Refused(400, "each response needs a nonce of 8 to 64 characters.")
    text = _text(live, body.get("text"), strip=kind != "insert")
    if kind in NEEDS_TEXT and not text.strip():
        raise Refused(400, "write the comment or the new text first.")
    if kind == "delete":
        text = ""
    parent = None
    if kind == "reply":
        parent_row = live.store.response(group.id, _int(body.get("parent")))
        if parent_row is None or parent_row.kind != "comment" or parent_row.withdrawn:
            raise Refused(400, "a reply must answer one of this group's own comments.")
        parent = parent_row.id
        para, start, end = parent_row.paragraph, parent_row.start, parent_row.end
    else:
        para, start, end = (_int(body.get(k)) for k in ("paragraph", "start", "end"))
    _in_sections(live, group, para)
    text_of = live.session.texts[para]
    if not 0 <= start <= end <= len(text_of):
        raise Refused(400, "the selected words are not in that paragraph.")
    quote = text_of[start:end]              # for an insertion: the words it follows
    if kind == "insert":
        start = end
        text = _spaced(text, text_of, end)
    elif start == end:
        raise Refused(400, "select some words first.")
    return {"nonce": nonce, "kind": kind, "paragraph": para, "start": start, "end": end,
            "quote": quote, "text": text, "parent": parent}


def _spaced(text: str, paragraph: str, at: int) -> str:
    """Inserted words get the space a typist would put between them and the words before."""
    if at and not paragraph[at - 1].isspace() and not text[:1].isspace() \
            and text[:1] not in ".,;:!?)]}’”'":
        return " " + text
    return text


def _in_sections(live: Live, group: Group, para: int) -> None:
    draft = live.session.draft
    section = draft.section_of(para) if 0 <= para < len(draft.paragraphs) else None
    if section is None or section.id not in group.sections:
        raise Refused(403, "that paragraph is not in this group's sections.")


def _sections(live: Live, group: Group) -> list[dict]:
    draft = live.session.draft
    out = []
    for s in draft.sections:
        if s.id not in group.sections:
            continue
        paras = [{"index": p.index, "label": _label(p.label), "text": p.text,
                  "heading": p.outline is not None} for p in draft.paragraphs[s.start:s.end]
                 if p.text.strip()]
        out.append({"id": s.id, "number": s.number, "title": s.title, "paragraphs": paras})
    return out


def _label(label: str) -> str:
    """Word's number as shown; bullets drawn from symbol fonts become a plain bullet."""
    return "".join("•" if 0xE000 <= ord(ch) <= 0xF8FF else ch for ch in label).strip()


def _pack_bytes(live: Live, group: Group) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_packs(live.session.draft, [Allocation(group.name, group.sections)], tmp)
        return Path(paths[0]).read_bytes()


def _ascii(name: str) -> str:
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in " -_") else "-"
                   for ch in name).strip() or "pack"


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _back(where: str, **query: str) -> Response:
    return RedirectResponse(f"{where}?{urlencode(query)}", status_code=303, headers=HEADERS)


__all__ = ["routes"]
