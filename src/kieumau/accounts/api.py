import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from kieumau.accounts import selectors, services
from kieumau.core import bounds
from kieumau.core.http import client_address
from kieumau.core.schemas import text

router = Router(tags=["auth"])


class Credentials(Schema):
    username: text(bounds.MAX_USERNAME)
    password: text(bounds.MAX_PASSWORD)


class TokenOut(Schema):
    token: str
    id: int
    expires_at: dt.datetime


class TokenItem(Schema):
    id: int
    created_at: dt.datetime
    expires_at: dt.datetime
    last_used_at: dt.datetime | None
    ip_address: str | None


class TokenList(Schema):
    count: int
    items: list[TokenItem]


class Message(Schema):
    detail: str


@router.post("/token", auth=None, response={200: TokenOut, 401: Message, 429: Message},
             summary="Lấy mã truy cập (Bearer token)")
def obtain_token(request: HttpRequest, credentials: Credentials):
    ip = client_address(request)
    try:
        user = services.sign_in(username=credentials.username, password=credentials.password,
                                ip_address=ip, request=request)
    except services.SignInLocked as locked:
        return Status(429, {"detail": _("Tài khoản tạm khóa do đăng nhập sai nhiều lần, "
                                        "thử lại sau %(time)s.")
                                      % {"time": timezone.localtime(locked.until).strftime("%H:%M")}})
    except services.BadCredentials:
        return Status(401, {"detail": _("Tên đăng nhập hoặc mật khẩu không đúng.")})
    secret, token = services.issue_api_token(user=user, ip_address=ip)
    return Status(200, {"token": secret, "id": token.pk, "expires_at": token.expires_at})


@router.get("/tokens", response=TokenList, summary="Các mã truy cập còn hiệu lực của bạn")
def list_tokens(request: HttpRequest):
    items = list(selectors.live_tokens(request.auth))
    return {"count": len(items), "items": items}


@router.delete("/tokens/{token_id}", response={204: None, 404: Message},
               summary="Thu hồi một mã truy cập của bạn")
def revoke_token(request: HttpRequest, token_id: int):
    token = selectors.own_token_or_404(request.auth, token_id)
    services.revoke_token(actor=request.auth, token=token, ip_address=client_address(request))
    return Status(204, None)
