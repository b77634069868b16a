from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kieumau.accounts import selectors, services
from kieumau.accounts.forms import SignInForm
from kieumau.core.http import client_address


@login_not_required
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = services.sign_in(
                username=form.cleaned_data["username"], password=form.cleaned_data["password"],
                ip_address=client_address(request), request=request,
            )
        except services.SignInLocked as locked:
            form.add_error(None, _("Tài khoản tạm khóa do đăng nhập sai nhiều lần. "
                                   "Thử lại sau %(time)s.") % {"time": _local_time(locked.until)})
            status = 429
        except services.BadCredentials:
            form.add_error(None, _("Tên đăng nhập hoặc mật khẩu không đúng."))
            status = 401
        else:
            login(request, user)
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
                target = "home"
            return redirect(target)
    return render(request, "accounts/sign_in.html", {"form": form}, status=status)


def _local_time(moment) -> str:
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%H:%M")


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    """Ends the session and revokes the user's API tokens (services.sign_out)."""
    if request.user.is_authenticated:
        services.sign_out(user=request.user, ip_address=client_address(request))
    logout(request)
    return redirect("accounts:sign_in")


@require_GET
def tokens(request: HttpRequest) -> HttpResponse:
    """The user's own API tokens still in force, each with a button to revoke it."""
    return render(request, "accounts/tokens.html",
                  {"tokens": list(selectors.live_tokens(request.user))})


@require_POST
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    token = selectors.own_token_or_404(request.user, pk)
    services.revoke_token(actor=request.user, token=token, ip_address=client_address(request))
    messages.success(request, _("Đã thu hồi mã truy cập."))
    return redirect("accounts:tokens")


@require_POST
def revoke_all_tokens(request: HttpRequest) -> HttpResponse:
    count = services.revoke_all_tokens(user=request.user, actor=request.user, reason="revoked",
                                       ip_address=client_address(request))
    messages.success(request, _("Đã thu hồi %(count)d mã truy cập.") % {"count": count})
    return redirect("accounts:tokens")
