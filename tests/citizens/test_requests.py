"""Requests to the ward police: filed anonymously, handled in the unit's queue, counted on time
or late by their deadline, the resident's answer, and personal data kept to the handling unit."""

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from kieumau.citizens import selectors
from kieumau.citizens.models import CitizenRequest, RequestEvent, Status
from kieumau.citizens.requests import services
from tests.citizens.conftest import DUC_XUAN, THAI_HOA
from tests.conftest import client_for, unit

FORM = {"category": "trat-tu-cong-cong", "description": "Nhóm thanh niên tụ tập gây ồn sau 23 giờ",
        "address": "số 5 đường Lê Lợi, phường Thái Hòa, tỉnh Nghệ An", "contact_name": "Nguyễn Văn A",
        "contact_phone": "0912 345 678", "contact_email": "a@example.vn"}


def file(client: Client | None = None, code: str = THAI_HOA, **changes):
    data = {key: value for key, value in {**FORM, **changes}.items() if value is not None}
    return (client or Client()).post(f"/p/{code}/phan-anh/", data, REMOTE_ADDR="203.0.113.7")


def filed_now(unit_, *, when: dt.datetime | None = None, category: str = "trat-tu-cong-cong"):
    return services.file_request(
        unit=unit_, data=services.RequestInput(category_code=category, description="Ồn ào",
                                               contact_name="Trần Thị B", contact_phone="0900000000"),
        address="203.0.113.9", now=when)


def neighbour(commune):
    """Another commune of the same province, today."""
    from kieumau.orgunits import tree
    from kieumau.orgunits.models import OrgUnit
    from tests.conftest import TODAY

    return tree.children(units=OrgUnit.objects.all(), parent=unit("40"), day=TODAY) \
        .exclude(pk=commune.pk).order_by("code").first()


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = {1: "N", 2: (19.0, 18.0, 9.0), 3: "E", 4: (105.0, 26.0, 38.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_a_resident_files_and_gets_a_tracking_page(thai_hoa):
    response = file()
    assert response.status_code == 302
    code = re.match(r"^/t/([A-Z0-9]+)/\?new=1$", response["Location"])[1]
    filed = CitizenRequest.objects.filter(tracking_code=code).get()
    assert filed.unit == thai_hoa and filed.status == Status.RECEIVED
    assert filed.due_on == timezone.localdate() + dt.timedelta(days=7)
    assert filed.address_unit == thai_hoa  # resolved offline from the address text
    page = Client().get(response["Location"])
    text = page.content.decode()
    assert page.status_code == 200
    assert "Đã tiếp nhận" in text or "đã tiếp nhận" in text
    assert "Nguyễn Văn A" not in text and "0912" not in text


@pytest.mark.parametrize("changes, message", [
    ({"category": "khong-co"}, "Hãy chọn loại phản ánh."),
    ({"description": ""}, "Hãy ghi nội dung phản ánh."),
    ({"description": "x" * 2001}, "Nội dung dài quá 2000 ký tự."),
    ({"address": "x" * 301}, "Địa điểm dài quá 300 ký tự."),
    ({"latitude": "91", "longitude": "105"}, "Tọa độ không hợp lệ"),
    ({"latitude": "19.3"}, "Cần cả vĩ độ và kinh độ"),
    ({"latitude": "NaN", "longitude": "1"}, "Tọa độ không hợp lệ"),
    ({"contact_phone": "gọi tôi"}, "Số điện thoại không hợp lệ."),
    ({"contact_email": "không-phải-thư"}, "Địa chỉ thư điện tử không hợp lệ."),
    ({"description": "ồn\x00"}, "Có ký tự không hợp lệ."),
    ({"category": "khac\x00"}, "Có ký tự không hợp lệ."),
])
def test_bad_input_is_refused_and_stores_nothing(db, changes, message):
    response = file(**changes)
    if any("\x00" in str(value) for value in changes.values()):
        # Refused before any view by the product-wide guard (core.middleware.RefuseBadInput).
        status, message = 422, "Không được chứa ký tự NUL"
    else:
        status = 400
    assert response.status_code == status
    assert message in response.content.decode()
    assert not CitizenRequest.objects.exists()


def test_a_description_of_exactly_the_limit_is_accepted(db):
    assert file(description="x" * 2000).status_code == 302


def test_a_file_that_is_not_an_image_is_refused(db, settings):
    fake = SimpleUploadedFile("anh.jpg", b"%PDF-1.7 not an image", content_type="image/jpeg")
    response = file(photo=fake)
    assert response.status_code == 400
    assert "không phải ảnh" in response.content.decode()
    assert not CitizenRequest.objects.exists()
    media = settings.MEDIA_ROOT / "citizens"
    assert not media.exists() or not any(media.rglob("*.*"))


def test_a_filing_that_fails_after_its_photo_was_written_leaves_no_file(db, settings,
                                                                        monkeypatch):
    from kieumau.core import audit

    def broken(**kwargs):
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        services.file_request(
            unit=unit(THAI_HOA), address="203.0.113.9",
            data=services.RequestInput(category_code="trat-tu-cong-cong", description="Ồn ào"),
            photo=SimpleUploadedFile("x.jpg", jpeg_with_gps(), content_type="image/jpeg"))
    assert not CitizenRequest.objects.exists()
    media = settings.MEDIA_ROOT / "citizens"
    assert media.exists()  # the photo was written before the failure
    assert not any(media.rglob("*.jpg"))


def test_a_photo_loses_its_location_metadata(thai_hoa, users):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get(0x8825)
    response = file(photo=SimpleUploadedFile("x.jpg", original, content_type="image/jpeg"))
    assert response.status_code == 302
    filed = CitizenRequest.objects.filter(unit=thai_hoa).get()
    photo = client_for(users.thaihoa).get(f"/citizens/requests/{filed.pk}/photo/")
    assert photo.status_code == 200
    stored = b"".join(photo.streaming_content)
    exif = Image.open(io.BytesIO(stored)).getexif()
    assert not exif.get(0x8825) and not exif.get(0x010F)
    assert b"PhoneMaker" not in stored


def test_only_the_handling_unit_sees_the_reporter(thai_hoa, users):
    filed = filed_now(thai_hoa)
    own = client_for(users.thaihoa).get(f"/citizens/requests/{filed.pk}/").content.decode()
    assert "Trần Thị B" in own
    for outsider in (users.nghean, users.ministry, users.inspector):
        page = client_for(outsider).get(f"/citizens/requests/{filed.pk}/")
        assert page.status_code == 200
        assert "Trần Thị B" not in page.content.decode()
        assert "0900000000" not in page.content.decode()
    assert client_for(users.thainguyen).get(f"/citizens/requests/{filed.pk}/").status_code == 404


def test_the_queue_checks_scope(thai_hoa, users):
    filed_now(thai_hoa)
    assert client_for(users.thaihoa).get(f"/citizens/{THAI_HOA}/requests/").status_code == 200
    assert client_for(users.thainguyen).get(f"/citizens/{THAI_HOA}/requests/").status_code == 404


def test_received_in_progress_resolved_closed(thai_hoa, users):
    filed = filed_now(thai_hoa)
    for to in (Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED):
        filed = services.move_request(actor=users.thaihoa, request=filed, to=to, note="")
    assert filed.status == Status.CLOSED
    assert [e.to_status for e in filed.events.all()] == [
        "received", "in_progress", "resolved", "closed"]


def test_a_rejection_needs_a_reason(thai_hoa, users):
    filed = filed_now(thai_hoa)
    with pytest.raises(services.RequestRefused, match="lý do"):
        services.move_request(actor=users.thaihoa, request=filed, to=Status.REJECTED)
    filed = services.move_request(actor=users.thaihoa, request=filed, to=Status.REJECTED,
                                  note="Không thuộc thẩm quyền")
    assert filed.status == Status.REJECTED


def test_a_closed_request_cannot_move(thai_hoa, users):
    filed = filed_now(thai_hoa)
    filed = services.move_request(actor=users.thaihoa, request=filed, to=Status.REJECTED,
                                  note="Trùng")
    with pytest.raises(services.RequestRefused):
        services.move_request(actor=users.thaihoa, request=filed, to=Status.IN_PROGRESS)


def test_a_viewer_cannot_move_a_request(duc_xuan, users):
    from django.core.exceptions import PermissionDenied

    filed = filed_now(duc_xuan)
    with pytest.raises(PermissionDenied):
        services.move_request(actor=users.viewer, request=filed, to=Status.IN_PROGRESS)


def test_reassignment_leaves_a_trail(thai_hoa, users):
    filed = filed_now(thai_hoa)
    other = neighbour(thai_hoa)
    moved = services.reassign_request(actor=users.thaihoa, request=filed, to_unit=other,
                                      note="Địa bàn xã bên")
    assert moved.unit == other
    event = RequestEvent.objects.filter(request=filed).exclude(from_unit=None).get()
    assert (event.from_unit, event.to_unit, event.actor) == (thai_hoa, other, users.thaihoa)
    # The old unit no longer sees it in its queue; the trail names both.
    assert not selectors.queue(users.thaihoa, unit=thai_hoa).exists()


def test_reassignment_to_another_province_is_refused(thai_hoa, duc_xuan, users):
    filed = filed_now(thai_hoa)
    with pytest.raises(services.RequestRefused, match="cùng tỉnh"):
        services.reassign_request(actor=users.thaihoa, request=filed, to_unit=duc_xuan)


def test_no_from_the_resident_reopens(thai_hoa, users):
    filed = filed_now(thai_hoa)
    services.move_request(actor=users.thaihoa, request=filed, to=Status.RESOLVED,
                          note="Đã nhắc nhở")
    page = Client().post(f"/t/{filed.tracking_code}/", {"fixed": "no"})
    assert page.status_code == 302
    filed.refresh_from_db()
    assert filed.status == Status.IN_PROGRESS and filed.resident_fixed is False
    assert filed.resolved_at is None


def test_yes_from_the_resident_closes(thai_hoa, users):
    filed = filed_now(thai_hoa)
    services.move_request(actor=users.thaihoa, request=filed, to=Status.RESOLVED)
    Client().post(f"/t/{filed.tracking_code}/", {"fixed": "yes"})
    filed.refresh_from_db()
    assert filed.status == Status.CLOSED and filed.resident_fixed is True


def test_the_resident_cannot_answer_before_resolution(thai_hoa):
    filed = filed_now(thai_hoa)
    page = Client().post(f"/t/{filed.tracking_code}/", {"fixed": "yes"})
    assert page.status_code == 409
    assert Client().post(f"/t/{filed.tracking_code}/", {"fixed": "maybe"}).status_code == 400


def test_an_unknown_tracking_code_is_404(db):
    assert Client().get("/t/NOPE123456/").status_code == 404
    assert Client().get("/t/" + "A" * 40 + "/").status_code == 404


@pytest.mark.parametrize("days_late, on_time, late", [(0, 1, 0), (1, 0, 1)])
def test_handled_by_the_deadline_is_on_time_and_after_is_late(thai_hoa, users, days_late,
                                                               on_time, late):
    received = timezone.make_aware(dt.datetime(2026, 10, 5, 9, 0))
    filed = filed_now(thai_hoa, when=received)  # 7 days: due 12/10
    assert filed.due_on == dt.date(2026, 10, 12)
    resolved = timezone.make_aware(dt.datetime(2026, 10, 12, 16, 0)) + dt.timedelta(days=days_late)
    services.move_request(actor=users.thaihoa, request=filed, to=Status.RESOLVED, now=resolved)
    [row] = selectors.request_counts_by_month(users.nghean, unit=thai_hoa,
                                              first=dt.date(2026, 10, 1), last=dt.date(2026, 10, 1))
    assert (row.received, row.on_time, row.late) == (1, on_time, late)


def test_an_open_request_past_its_deadline_is_overdue(thai_hoa, users):
    old = timezone.now() - dt.timedelta(days=30)
    filed_now(thai_hoa, when=old)
    filed_now(thai_hoa)
    assert selectors.overdue_count(users.thaihoa, unit=thai_hoa) == 1
    page = client_for(users.thaihoa).get(f"/citizens/{THAI_HOA}/requests/?overdue=1")
    assert page.content.decode().count("quá hạn") >= 2


def test_filed_handled_late_counted_late_resident_sees_it(thai_hoa, users):
    """The issue's walk-through: filed, handled late, counted late, status seen by the resident."""
    received = timezone.now() - dt.timedelta(days=20)
    filed = filed_now(thai_hoa, when=received)
    services.move_request(actor=users.thaihoa, request=filed, to=Status.RESOLVED,
                          note="Đã xử lý, nhắc nhở các hộ")
    month = timezone.localtime(received).date().replace(day=1)
    [row] = selectors.request_counts_by_month(users.thaihoa, unit=thai_hoa, first=month,
                                              last=month)
    assert (row.received, row.on_time, row.late) == (1, 0, 1)
    page = Client().get(f"/t/{filed.tracking_code}/").content.decode()
    assert "đã xử lý" in page.lower() and "Đã xử lý, nhắc nhở các hộ" in page
    assert "Vấn đề đã được khắc phục chưa?" in page


def test_the_province_edits_its_categories(users):
    nghean = unit("40")
    category = services.save_category(actor=users.nghean, province=nghean, code="karaoke",
                                      name="Karaoke gây ồn", deadline_days=5)
    assert category.deadline_days == 5
    page = client_for(users.nghean).get("/citizens/40/categories/")
    assert "Karaoke gây ồn" in page.content.decode()
    # Filing in a commune of Nghệ An offers it, with its deadline.
    form = Client().get(f"/p/{THAI_HOA}/phan-anh/").content.decode()
    assert "Karaoke gây ồn" in form


@pytest.mark.parametrize("days, ok", [(0, False), (1, True), (365, True), (366, False)])
def test_category_deadlines_are_bounded(users, days, ok):
    nghean = unit("40")
    if ok:
        services.save_category(actor=users.nghean, province=nghean, code="x", name="X",
                               deadline_days=days)
    else:
        with pytest.raises(services.RequestRefused):
            services.save_category(actor=users.nghean, province=nghean, code="x", name="X",
                                   deadline_days=days)


def test_a_commune_officer_cannot_edit_categories(users):
    response = client_for(users.thaihoa).post("/citizens/40/categories/", {
        "code": "x", "name": "X", "deadline_days": "3"})
    assert response.status_code == 404  # Nghệ An is above the ward: out of its scope


def test_requests_from_one_address_are_limited(db, settings):
    settings.REQUEST_ADDRESS_PER_HOUR = 1
    assert file().status_code == 302
    second = file()
    assert second.status_code == 429
    assert CitizenRequest.objects.count() == 1


def test_publishing_feeds_the_indicators(thai_hoa, users):
    from kieumau.citizens import feed
    from kieumau.indicators.models import IndicatorValue

    received = timezone.make_aware(dt.datetime(2026, 10, 5, 9, 0))
    filed = filed_now(thai_hoa, when=received)
    services.move_request(actor=users.thaihoa, request=filed, to=Status.RESOLVED,
                          now=received + dt.timedelta(days=2))
    filed_now(thai_hoa, when=received)
    result = feed.publish_month(actor=users.thaihoa, unit=thai_hoa, month=dt.date(2026, 10, 1))
    assert result.created == 4
    values = dict(IndicatorValue.objects.filter(unit=thai_hoa, month=dt.date(2026, 10, 1))
                  .values_list("indicator__code", "value"))
    assert values["phan_anh_tiep_nhan"] == 2 and values["phan_anh_da_xu_ly"] == 1
    assert values["khao_sat_phieu"] == 0


def test_publishing_through_the_page_checks_the_role(thai_hoa, users):
    response = client_for(users.inspector).post(f"/citizens/{THAI_HOA}/publish/",
                                                {"month": "2026-10"})
    assert response.status_code == 403


def test_the_public_page_has_no_personal_data(thai_hoa, users):
    filed = filed_now(thai_hoa)
    services.move_request(actor=users.thaihoa, request=filed, to=Status.RESOLVED)
    page = Client().get(f"/p/{THAI_HOA}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Đăng ký thường trú" in text and "7 ngày làm việc" in text
    assert "Trần Thị B" not in text and "0900000000" not in text and "Ồn ào" not in text
    assert "<script" not in text


def test_other_province_request_not_in_queue(duc_xuan, users):
    filed_now(duc_xuan)
    assert selectors.queue(users.thainguyen, unit=unit(DUC_XUAN)).count() == 1


def test_an_impossible_request_number_is_404_not_500(users):
    page = client_for(users.thaihoa).get("/citizens/requests/99999999999999999999999/")
    assert page.status_code == 404


def test_a_tracking_code_with_odd_characters_is_refused(db):
    assert Client().get("/t/AB%00CD/").status_code == 422  # NUL: refused before any view
    assert Client().get("/t/AB%25CD/").status_code == 404
    assert Client().get("/t/%C3%A9%C3%A9/").status_code == 404


def test_the_publish_command_writes_every_commune_with_figures(thai_hoa, users):
    import io

    from django.core.management import call_command

    from kieumau.indicators.models import IndicatorValue

    received = timezone.make_aware(dt.datetime(2026, 10, 5, 9, 0))
    filed_now(thai_hoa, when=received)
    out = io.StringIO()
    call_command("citizens_publish", "--month", "2026-10", "--as", "nghean", stdout=out)
    assert "1 đơn vị" in out.getvalue()
    assert IndicatorValue.objects.filter(unit=thai_hoa, month=dt.date(2026, 10, 1),
                                         indicator__code="phan_anh_tiep_nhan").get().value == 1
