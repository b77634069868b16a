"""Survey writes: an anonymous answer (validated, limited, tallied), one-time codes, publishing a
month's figures to the indicators."""

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kieumau.accounts import scope
from kieumau.citizens import catalog, limits, selectors
from kieumau.citizens.models import SCALE, SurveyAnswer, SurveyCode, SurveyTally
from kieumau.core import audit
from kieumau.core.sql import AFTER, Write, run_chain
from kieumau.orgunits.models import Level, OrgUnit

FORM_TOKEN_SALT = "kieumau.citizens.survey"
FORM_TOKEN_MAX_AGE = 2 * 3600
COMMENT_MAX = 500
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off a slip
CODE_LENGTH = 8
MAX_CODES_PER_BATCH = 500
# An answer counts as satisfied when its five aspects average "hài lòng" (4) or better.
SATISFIED_SUM = 20


class SurveyRefused(Exception):
    """Nothing was stored; `errors` maps a field (or "") to a Vietnamese message."""

    def __init__(self, errors: dict[str, str], status: int = 400) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors, self.status = errors, status


@dataclass(frozen=True, slots=True)
class AnswerInput:
    procedure: str
    scores: dict[str, object]  # aspect name -> submitted text
    comment: str = ""
    code: str = ""


def form_token(*, unit: OrgUnit) -> str:
    """A signed, expiring token naming the unit; spent once on submission."""
    return signing.TimestampSigner(salt=FORM_TOKEN_SALT).sign(
        f"{unit.pk}:{secrets.token_urlsafe(12)}")


def _check_token(*, token: str, unit: OrgUnit) -> None:
    if not token or len(token) > 200:
        raise SurveyRefused({"": _("Phiếu không hợp lệ; hãy mở lại trang khảo sát.")})
    try:
        value = signing.TimestampSigner(salt=FORM_TOKEN_SALT).unsign(
            token, max_age=FORM_TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        raise SurveyRefused({"": _("Phiếu đã quá hạn; hãy mở lại trang khảo sát.")}) from None
    except signing.BadSignature:
        raise SurveyRefused({"": _("Phiếu không hợp lệ; hãy mở lại trang khảo sát.")}) from None
    if value.split(":", 1)[0] != str(unit.pk):
        raise SurveyRefused({"": _("Phiếu không hợp lệ; hãy mở lại trang khảo sát.")})


def clean_answer(data: AnswerInput) -> dict:
    """Field values for a `SurveyAnswer`, or SurveyRefused naming every bad field."""
    errors: dict[str, str] = {}
    values: dict = {}
    if data.procedure not in catalog.procedure_codes():
        errors["procedure"] = _("Hãy chọn thủ tục đã làm.")
    values["procedure"] = data.procedure
    fields = {"access": "access", "procedure": "procedure_score", "officer": "officer",
              "result": "result", "feedback": "feedback"}
    for aspect, field in fields.items():
        raw = str(data.scores.get(aspect, "") or "").strip()
        if raw not in {str(n) for n in SCALE}:
            errors[f"score_{aspect}"] = _("Hãy chọn một mức từ 1 đến 5.")
        else:
            values[field] = int(raw)
    comment = (data.comment or "").strip()
    if "\x00" in comment:
        errors["comment"] = _("Góp ý có ký tự không hợp lệ.")
    elif len(comment) > COMMENT_MAX:
        errors["comment"] = _("Góp ý dài quá %(max)s ký tự.") % {"max": COMMENT_MAX}
    values["comment"] = comment
    if errors:
        raise SurveyRefused(errors)
    return values


def _code_digest(code: str) -> str:
    normalised = code.strip().upper().replace("-", "").replace(" ", "")
    return hmac.new(settings.SECRET_KEY.encode(), f"survey-code:{normalised}".encode(),
                    hashlib.sha256).hexdigest()


def submit_answer(*, unit: OrgUnit, data: AnswerInput, token: str, address: str,
                  now: dt.datetime | None = None) -> None:
    """Store one anonymous answer, or raise SurveyRefused having stored no answer.

    `address` is the client address: it is used only to spend the per-address budget, through a
    keyed digest, and never stored with the answer.

    Every check that needs no write comes first: a mistyped one-time code keeps the form and
    the budgets. Then the writes go as one chain (`run_chain`: one statement on PostgreSQL,
    with no transaction around it): the flood budgets, the spent form token, the spent code,
    the answer and its month's tally, each only if the one before did its work. So a budget
    counts every attempt that gets that far, a replayed form included, and what a refusal stops
    is never half-made (bench/bench_survey_load.py measures this path)."""
    if unit.level != Level.COMMUNE:
        raise SurveyRefused({"": _("Đơn vị không nhận khảo sát.")}, status=404)
    values = clean_answer(data)
    _check_token(token=token, unit=unit)
    now = now or timezone.now()
    code = (data.code or "").strip()
    if code and (len(code) > 20 or not code.isprintable()):
        raise SurveyRefused({"code": _("Mã phiếu không đúng hoặc đã dùng.")})
    if code and not code_unused(unit=unit, code=code):
        raise SurveyRefused({"code": _("Mã phiếu không đúng hoặc đã dùng.")})
    month = timezone.localtime(now).date().replace(day=1)
    budgets = [] if code else [limits.budget_write(
        key=f"survey-addr:{limits.address_key(address)}", limit=settings.SURVEY_ADDRESS_PER_HOUR,
        window_seconds=3600, now=now)]
    budgets.append(limits.budget_write(key=f"survey-unit:{unit.pk}",
                                       limit=settings.SURVEY_UNIT_PER_HOUR,
                                       window_seconds=3600, now=now))
    spent = limits.nonce_write(token=token,
                               expires_at=now + dt.timedelta(seconds=FORM_TOKEN_MAX_AGE))
    writes = [*budgets, spent, *([_code_write(unit=unit, code=code)] if code else []),
              *_answer_writes(unit=unit, month=month, values=values)]
    done = run_chain(writes)
    if done < len(budgets):
        raise SurveyRefused({"": _("Đơn vị đang nhận quá nhiều phiếu; xin thử lại sau ít phút.")},
                            status=429)
    if done == len(budgets):
        raise SurveyRefused({"": _("Phiếu này đã được gửi. Cảm ơn bạn.")}, status=409)
    if done < len(writes):  # the code was spent by another answer since it was checked
        raise SurveyRefused({"code": _("Mã phiếu không đúng hoặc đã dùng.")})
    if secrets.randbelow(200) == 0:
        limits.forget_expired(now=now)


def code_unused(*, unit: OrgUnit, code: str) -> bool:
    """Whether `code` is one of the unit's codes and not used yet (a read: the answer's writes
    spend it)."""
    return SurveyCode.objects.filter(unit=unit, digest=_code_digest(code), used=False).exists()


def _code_write(*, unit: OrgUnit, code: str) -> Write:
    table = connection.ops.quote_name(SurveyCode._meta.db_table)
    return Write(f'UPDATE {table} SET "used" = %s WHERE "unit_id" = %s AND "digest" = %s '
                 f'AND "used" = %s AND {AFTER} RETURNING 1',
                 [True, unit.pk, _code_digest(code), False])


ANSWER_COLUMNS = ("procedure", "access", "procedure_score", "officer", "result", "feedback",
                  "comment")
SCORE_COLUMNS = ("access", "procedure_score", "officer", "result", "feedback")
TALLY_SUMS = tuple(selectors.TALLY_SUMS.values())  # in SCORE_COLUMNS order


def record_answer(*, unit: OrgUnit, month: dt.date, values: dict) -> None:
    """Store a checked answer and add it to its month's tally (callers own the checks: the
    demo loader for sample data; `submit_answer` sends the same writes after its own)."""
    run_chain(_answer_writes(unit=unit, month=month, values=values))


def _answer_writes(*, unit: OrgUnit, month: dt.date, values: dict) -> list[Write]:
    """The answer (one INSERT: the answer path is the one residents flood, and the ORM's model
    machinery costs twice the statement; the table's constraints still check every value) and
    its month's tally (one upsert: the month's first answer creates the row, later ones add)."""
    answers = connection.ops.quote_name(SurveyAnswer._meta.db_table)
    tallies = connection.ops.quote_name(SurveyTally._meta.db_table)
    day = connection.ops.adapt_datefield_value(month)
    scores = [values[column] for column in SCORE_COLUMNS]
    added = ", ".join(f'"{c}" = {tallies}."{c}" + excluded."{c}"'
                      for c in ("answers", "satisfied", *TALLY_SUMS))
    return [
        Write(f"INSERT INTO {answers} "
              f'({", ".join(f'"{c}"' for c in ("unit_id", "month", *ANSWER_COLUMNS))}) '
              f"SELECT {', '.join(['%s'] * 9)} WHERE {AFTER} RETURNING 1",
              [unit.pk, day, *(values[column] for column in ANSWER_COLUMNS)]),
        Write(f'INSERT INTO {tallies} ("unit_id", "month", "answers", "satisfied", '
              f'{", ".join(f'"{c}"' for c in TALLY_SUMS)}) '
              f"SELECT %s, %s, 1, %s, %s, %s, %s, %s, %s WHERE {AFTER} "
              f'ON CONFLICT ("unit_id", "month") DO UPDATE SET {added} RETURNING 1',
              [unit.pk, day, 1 if sum(scores) >= SATISFIED_SUM else 0, *scores]),
    ]


class BadCodeRequest(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@transaction.atomic
def issue_codes(*, actor, unit: OrgUnit, count: int) -> list[str]:
    """Create `count` one-time codes for printing; the clear codes exist only in this answer."""
    scope.require_write(actor, unit)
    if unit.level != Level.COMMUNE:
        raise BadCodeRequest(_("Chỉ Công an xã, phường phát mã phiếu khảo sát."))
    if not 1 <= count <= MAX_CODES_PER_BATCH:
        raise BadCodeRequest(_("Số mã phải từ 1 đến %(max)s.") % {"max": MAX_CODES_PER_BATCH})
    batch = (SurveyCode.objects.visible_to(actor).filter(unit=unit)
             .order_by("-batch").values_list("batch", flat=True).first() or 0) + 1
    codes = ["".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
             for _ in range(count)]
    SurveyCode.objects.bulk_create(
        [SurveyCode(unit=unit, digest=_code_digest(code), batch=batch) for code in codes])
    audit.record(actor=actor, action="citizens.survey_codes_issued", unit=unit,
                 detail={"count": count, "batch": batch})
    return [f"{code[:4]}-{code[4:]}" for code in codes]
