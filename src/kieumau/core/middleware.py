from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.cache import patch_vary_headers


class PagesNeedSignIn(LoginRequiredMiddleware):
    """Every page needs a signed-in user unless marked `login_not_required`; the API answers
    401 in JSON itself, so it is left to its own authentication."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


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
