import json
from xml.sax.saxutils import escape

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import Http404, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from kieumau.core import bounds


class PagesNeedSignIn(LoginRequiredMiddleware):
    """Every page needs a signed-in user unless marked `login_not_required`; the API answers
    401 in JSON itself, so it is left to its own authentication."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class RefuseBadInput:
    """Refuses, before any view runs, what no view can be trusted to handle: a NUL character in
    the path, a query, a form field, a file name or a JSON string (PostgreSQL cannot store it),
    a query value longer than any field reads, and a body Django cannot parse (a multipart
    request without a boundary, too many fields). Pages get a Vietnamese page, the API JSON
    naming the field; never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            problem = _input_problem(request)
        except (MultiPartParserError, TooManyFieldsSent, TooManyFilesSent, RequestDataTooBig,
                UnicodeDecodeError):
            problem = (400, None, _("Không đọc được nội dung gửi lên (định dạng không hợp lệ "
                                    "hoặc quá lớn)."))
        if problem is None:
            return self.get_response(request)
        status, field, message = problem
        if request.path_info.startswith("/open311/"):
            return _open311_error(request, message)
        if request.path_info.startswith("/api/"):
            errors = [{"field": field, "message": message}] if field else []
            return JsonResponse({"detail": message, "errors": errors}, status=status)
        return render(request, "400.html", {"message": message, "field": field}, status=status)


def _open311_error(request, message: str) -> HttpResponse:
    """GeoReport v2's own error list, in the format the path asks for, status 400."""
    if request.path_info.endswith(".xml"):
        body = (f'<?xml version="1.0" encoding="utf-8"?><errors><error><code>400</code>'
                f"<description>{escape(message)}</description></error></errors>")
        return HttpResponse(body, status=400, content_type="text/xml; charset=utf-8")
    return JsonResponse([{"code": 400, "description": message}], status=400, safe=False)


def _input_problem(request) -> tuple[int, str | None, str] | None:
    nul = _("Không được chứa ký tự NUL (\\0).")
    if "\x00" in request.path:
        return 422, "path", nul
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            return 422, key.replace("\x00", ""), nul
        if any(len(value) > bounds.MAX_PARAMETER for value in values):
            return 422, key, _("Quá dài: tối đa %(max)d ký tự.") % {"max": bounds.MAX_PARAMETER}
    if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return None
    content_type = request.META.get("CONTENT_TYPE", "")
    if content_type.startswith("multipart/"):
        if "boundary=" not in content_type:
            return 400, None, _("Yêu cầu multipart thiếu boundary.")
        for upload in request.FILES.values():
            if "\x00" in (upload.name or ""):
                return 422, "file", nul
    if content_type.startswith(("multipart/", "application/x-www-form-urlencoded")):
        for key, values in request.POST.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return 422, key.replace("\x00", ""), nul
        return None
    body = request.body
    if b"\x00" in body:
        return 422, None, nul
    if b"\\u0000" in body:
        try:
            found = next(bounds.nul_fields(json.loads(body)), None)
        except ValueError:
            return None  # not JSON: the view answers for it
        if found is not None:
            return 422, found or None, nul
    return None


class VaryOnHtmx:
    """Pages answer an htmx request with a fragment and a browser with the whole page at the same
    URL, so every answer says it depends on `HX-Request`: otherwise Back after a search can show
    the fragment the browser cached."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_vary_headers(response, ("HX-Request",))
        return response


class OwnErrorPages:
    """With debug on (the demo), a missing or out-of-scope page still shows the product's own
    Vietnamese 404 and 403 pages instead of Django's English debug page; with debug off Django
    already uses templates/404.html and 403.html. The API keeps its JSON answers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and getattr(request, "resolver_match", None) is None
            and not request.path_info.startswith("/api/")
        ):  # no URL matched: the debug page listing the URL patterns
            return render(request, "404.html", status=404)
        return response

    def process_exception(self, request, exception):
        if not settings.DEBUG or request.path_info.startswith("/api/"):
            return None
        if isinstance(exception, Http404):
            return render(request, "404.html", status=404)
        if isinstance(exception, PermissionDenied):
            return render(request, "403.html", status=403)
        return None
