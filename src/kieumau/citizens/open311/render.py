"""GeoReport v2 bodies in JSON or XML. XML is built with ElementTree (never parsed here); tests
parse it with defusedxml."""

import json
from xml.etree import ElementTree as ET

from django.http import HttpResponse

CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _element(name: str, value, lists: dict[str, str]) -> ET.Element:
    node = ET.Element(name)
    if isinstance(value, dict):
        for key, inner in value.items():
            node.append(_element(key, inner, lists))
    elif isinstance(value, list):
        child = lists.get(name, "item")
        for inner in value:
            node.append(_element(child, inner, lists))
    else:
        node.text = _text(value)
    return node


def to_xml(value, *, root: str, item: str | None = None, lists: dict[str, str] | None = None
           ) -> bytes:
    lists = dict(lists or {})
    if item:
        lists[root] = item
    tree = _element(root, value, lists)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(tree, encoding="utf-8") \
        .split(b"?>", 1)[-1].lstrip()


def respond(value, *, fmt: str, root: str, item: str | None = None,
            lists: dict[str, str] | None = None, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        body = to_xml(value, root=root, item=item, lists=lists)
    else:
        body = json.dumps(value, ensure_ascii=False).encode()
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def respond_errors(errors: list[tuple[int, str]], *, fmt: str, status: int | None = None
                   ) -> HttpResponse:
    """The standard error list: [{"code": 400, "description": "…"}] / <errors><error>…."""
    body = [{"code": code, "description": description} for code, description in errors]
    return respond(body, fmt=fmt, root="errors", item="error",
                   status=status or (errors[0][0] if errors else 400))
