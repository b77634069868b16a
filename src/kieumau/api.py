"""The JSON API under /api/: one NinjaAPI, one router per domain, auth by bearer token or session."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from kieumau.accounts.services import user_for_token
from kieumau.core import bounds
from kieumau.core.schemas import Problem


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class Session(SessionAuth):
    def authenticate(self, request: HttpRequest, key):
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


# What every operation may answer besides its own results: bad input (400 unreadable, 422 a field
# named), 404 out of scope or missing; 401 and 403 where it needs a signed-in user. They come from
# exception handlers and the input middleware, so they are added to the published schema here.
_EVERY_OPERATION = (400, 404, 422)
_SIGNED_IN = (401, 403)
_DESCRIPTIONS = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
                 404: "Not Found", 422: "Unprocessable Content"}


class KieumauAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for name, definition in Problem.model_json_schema(
            ref_template="#/components/schemas/{model}"
        ).pop("$defs", {}).items():
            components.setdefault(name, definition)
        components.setdefault("Problem", Problem.model_json_schema(
            ref_template="#/components/schemas/{model}"))
        problem = {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                codes = _EVERY_OPERATION + (_SIGNED_IN if operation.get("security") else ())
                declared = {int(code) for code in operation["responses"]}
                for code in (code for code in codes if code not in declared):
                    operation["responses"].setdefault(
                        code, {"description": _DESCRIPTIONS[code], "content": problem})
        return schema


api = KieumauAPI(
    title="kieumau API",
    version="1",
    description="Chương trình Công an xã, phường kiểu mẫu",
    auth=[BearerToken(), Session()],
    urls_namespace="api",
)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Exception):
    return api.create_response(request, {"detail": _("Không tìm thấy hoặc ngoài phạm vi của bạn.")},
                               status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: Exception):
    return api.create_response(request, {"detail": _("Vai trò của bạn không được phép thao tác này.")},
                               status=403)


@api.exception_handler(AuthenticationError)
def unauthorized(request: HttpRequest, exc: Exception):
    return api.create_response(request, {"detail": _("Cần đăng nhập (Authorization: Bearer <token>).")},
                               status=401)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError):
    message = (_("Không đọc được nội dung gửi lên (cần JSON hợp lệ).")
               if exc.status_code == 400 else str(exc))
    return api.create_response(request, {"detail": message}, status=exc.status_code)


def _message(error: dict) -> str:
    """pydantic's English message, in Vietnamese for the kinds of error people make."""
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    if kind == "missing":
        return _("Thiếu trường bắt buộc.")
    if kind in ("greater_than_equal", "greater_than"):
        return _("Phải từ %(limit)s trở lên.") % {"limit": context.get(
            "ge", context.get("gt", ""))}
    if kind in ("less_than_equal", "less_than"):
        return _("Phải không quá %(limit)s.") % {"limit": context.get(
            "le", context.get("lt", ""))}
    if kind == "string_too_long":
        return _("Quá dài: tối đa %(max)s ký tự.") % {"max": context.get("max_length", "")}
    if kind == "too_long":
        return _("Quá nhiều mục: tối đa %(max)s.") % {"max": context.get("max_length", "")}
    if kind == "string_too_short":
        return _("Không được để trống.")
    if kind == "day_invalid":
        return _("Ngày không hợp lệ: cần dạng YYYY-MM-DD, từ %(first)s đến %(last)s.") % {
            "first": bounds.FIRST_DAY.isoformat(), "last": bounds.LAST_DAY.isoformat()}
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("Phải là số nguyên.")
    if kind in ("decimal_parsing", "float_parsing", "decimal_type", "float_type"):
        return _("Phải là số.")
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("Ngày không hợp lệ (cần dạng YYYY-MM-DD).")
    if kind == "literal_error":
        return _("Giá trị phải là một trong: %(allowed)s.") % {
            "allowed": context.get("expected", "")}
    if kind == "string_type":
        return _("Chuỗi ký tự không hợp lệ.")
    if kind in ("bool_parsing", "bool_type"):
        return _("Phải là true hoặc false.")
    if kind in ("json_invalid", "model_attributes_type", "dict_type"):
        return _("Nội dung gửi lên không phải JSON hợp lệ.")
    return error.get("msg", "")


def _field(loc) -> str | None:
    """The field as the client sent it: `year`, `judgements.3.comment` (a body's parameter name
    is ours, not the client's)."""
    parts = loc[2:] if loc and loc[0] == "body" else loc[1:]
    return ".".join(str(part) for part in parts) or None


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError):
    errors = [{"field": _field(error.get("loc", ())), "message": _message(error)}
              for error in exc.errors]
    return api.create_response(
        request, {"detail": _("Dữ liệu gửi lên không hợp lệ."), "errors": errors}, status=422
    )


def _register_routers() -> None:
    from kieumau.accounts.api import router as accounts_router
    from kieumau.assessments.api import router as assessments_router
    from kieumau.citizens.api import router as citizens_router
    from kieumau.criteria.api import router as criteria_router
    from kieumau.indicators.api import router as indicators_router
    from kieumau.inspections.api import router as inspections_router
    from kieumau.orgunits.api import router as orgunits_router
    from kieumau.programs.api import router as programs_router

    api.add_router("/auth", accounts_router)
    # Assessment routes such as /orgunits/{code}/standing come before /orgunits/{code}.
    api.add_router("", assessments_router)
    api.add_router("", "kieumau.assessments.standing_api.router")
    api.add_router("", "kieumau.dashboards.api.router")
    api.add_router("/orgunits", orgunits_router)
    api.add_router("/criteria-sets", criteria_router)
    api.add_router("/indicators", indicators_router)
    api.add_router("", programs_router)
    api.add_router("", inspections_router)
    api.add_router("/citizens", citizens_router)


_register_routers()
