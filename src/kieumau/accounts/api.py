from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from kieumau.accounts import services
from kieumau.core import bounds
from kieumau.core.http import client_address
from kieumau.core.schemas import text

router = Router(tags=["auth"])


class Credentials(Schema):
    username: text(bounds.MAX_USERNAME)
    password: text(bounds.MAX_PASSWORD)


class TokenOut(Schema):
    token: str


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
    return Status(200, {"token": services.issue_token(user=user, ip_address=ip)})
