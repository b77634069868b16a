import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

OCTOBER = dt.date(2026, 10, 1)


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    """Uploaded spreadsheets go to a temporary folder, not var/test-media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def catalogue(db):
    """The shipped catalogue, by code."""
    from kieumau.indicators.models import Indicator
    from kieumau.indicators.services import load_indicators

    load_indicators()
    return {indicator.code: indicator for indicator in Indicator.objects.all()}


def save(actor, unit, month, **values):
    """Write values through the service, as a person would through the form."""
    from kieumau.indicators import services
    from kieumau.indicators.models import Indicator

    rows = [
        services.ValueInput(unit, Indicator.objects.get(code=code), month, value, ref=code)
        for code, value in values.items()
    ]
    return services.set_values(actor=actor, rows=rows, source="form")


def stored(unit, code, month):
    from kieumau.indicators.models import IndicatorValue

    row = IndicatorValue.objects.filter(unit=unit, indicator__code=code, month=month).first()
    return None if row is None else row.value


def workbook_bytes(workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def as_upload(content: bytes, name: str = "chi-so.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def open_template(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))

from tests.committed import committed  # noqa: E402, F401  (fixture: data committed for real)
