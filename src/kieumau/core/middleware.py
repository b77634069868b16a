from django.contrib.auth.middleware import LoginRequiredMiddleware


class PagesNeedSignIn(LoginRequiredMiddleware):
    """Every page needs a signed-in user unless marked `login_not_required`; the API answers
    401 in JSON itself, so it is left to its own authentication."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
