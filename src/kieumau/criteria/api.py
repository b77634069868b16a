"""/api/criteria-sets: read by every signed-in user (sets are not unit-scoped); written as
`accounts.scope.may_edit_criteria_set` says: national sets by the ministry, a province's own set
by that province's admins and the ministry. Since everyone reads every set, a refused write is
403, never 404. A set travels in the same shape as its YAML file."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Body, Router, Schema, Status

from kieumau.accounts import scope
from kieumau.core.schemas import Problem as ErrorOut
from kieumau.core.schemas import SetCode, Version
from kieumau.criteria import exports, selectors, services
from kieumau.criteria.models import CriteriaSet, SetStatus
from kieumau.criteria.spec import SpecError, spec_from_mapping, spec_to_jsonable
from kieumau.criteria.validation import InvalidSet

router = Router(tags=["criteria"])


class SetItem(Schema):
    code: str
    version: str
    title: str
    outcome: str
    criteria_count: int
    reconstructed: bool


class SetList(Schema):
    count: int
    items: list[SetItem]


def _full(criteria_set: CriteriaSet) -> dict[str, Any]:
    data = spec_to_jsonable(selectors.spec_of(criteria_set))
    supersedes = criteria_set.supersedes
    return {
        **data,
        "version": criteria_set.version,
        "status": criteria_set.status,
        "supersedes": supersedes.version if supersedes else None,
        "created_at": criteria_set.created_at.isoformat(),
        "criteria_count": len(criteria_set.criteria.all()),
    }


def _invalid(problems: list[tuple[str | None, str]]) -> Status:
    return Status(
        422,
        {
            "detail": _("Bộ tiêu chí chưa lưu được: dữ liệu không hợp lệ."),
            "errors": [{"field": field, "message": message} for field, message in problems],
        },
    )


def _read_spec(payload: dict[str, Any]):
    try:
        return spec_from_mapping(payload), None
    except SpecError as error:
        return None, _invalid(list(error.errors))


@router.get("", response=SetList, summary="Các bộ tiêu chí và phiên bản")
def list_sets(request: HttpRequest, status: Version | None = None):
    sets = selectors.list_sets(status=status if status in SetStatus.values else None)
    items = [
        {
            "code": s.code,
            "version": s.version,
            "title": s.title,
            "outcome": s.outcome_rule,
            "criteria_count": s.criteria_count,
            "reconstructed": s.reconstructed,
        }
        for s in sets
    ]
    return {"count": len(items), "items": items}


@router.post(
    "", response={201: dict, 403: ErrorOut, 422: ErrorOut}, summary="Tạo bộ tiêu chí (dự thảo)"
)
def create_set(request: HttpRequest, payload: Body[dict[str, Any]]):
    scope.require_admin(request.auth)
    spec, error = _read_spec(payload)
    if error:
        return error
    try:
        created = services.create_set(actor=request.auth, spec=spec)
    except InvalidSet as invalid:
        return _invalid([(p.path, p.message) for p in invalid.problems])
    return Status(201, _full(selectors.get_set_by_pk(created.pk)))


@router.get("/{code}", response=dict, summary="Một bộ tiêu chí với các nhóm và tiêu chí")
def get_set(request: HttpRequest, code: SetCode, version: Version | None = None):
    return _full(selectors.get_set(code=code, version=version))


@router.put(
    "/{code}",
    response={200: dict, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Sửa một phiên bản (phiên bản đang được dùng thì tạo phiên bản mới)",
)
def save_set(request: HttpRequest, code: SetCode, version: Version, payload: Body[dict[str, Any]]):
    scope.require_admin(request.auth)
    criteria_set = selectors.get_set(code=code, version=version)
    scope.require_criteria_set_editor(request.auth, owner=criteria_set.owner)
    spec, error = _read_spec(payload)
    if error:
        return error
    try:
        saved = services.save_set(actor=request.auth, criteria_set=criteria_set, spec=spec)
    except InvalidSet as invalid:
        return _invalid([(p.path, p.message) for p in invalid.problems])
    except services.SetSuperseded:
        newest = selectors.get_set(code=code)
        message = _("Phiên bản %(old)s đã được thay thế; hãy sửa phiên bản %(new)s.") % {
            "old": criteria_set.version,
            "new": newest.version,
        }
        return Status(409, {"detail": message})
    return Status(200, _full(selectors.get_set_by_pk(saved.pk)))


@router.post("/{code}/publish", response={200: dict, 403: ErrorOut}, summary="Công bố dự thảo")
def publish_set(request: HttpRequest, code: SetCode, version: Version):
    scope.require_admin(request.auth)
    criteria_set = selectors.get_set(code=code, version=version)
    scope.require_criteria_set_editor(request.auth, owner=criteria_set.owner)
    services.publish_set(actor=request.auth, criteria_set=criteria_set)
    return Status(200, _full(selectors.get_set_by_pk(criteria_set.pk)))


@router.get("/{code}/export.yaml", summary="Tải bộ tiêu chí dạng YAML (nạp lại được)")
def export_yaml(request: HttpRequest, code: SetCode, version: Version | None = None):
    criteria_set = selectors.get_set(code=code, version=version)
    response = HttpResponse(exports.to_yaml(criteria_set), content_type=exports.YAML_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.filename(criteria_set, "yaml")}"'
    )
    return response


@router.get("/{code}/export.xlsx", summary="Tải bộ tiêu chí dạng Excel")
def export_xlsx(request: HttpRequest, code: SetCode, version: Version | None = None):
    criteria_set = selectors.get_set(code=code, version=version)
    response = HttpResponse(exports.to_xlsx(criteria_set), content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.filename(criteria_set, "xlsx")}"'
    )
    return response
