"""Pages: ask for a report or an export, watch its progress, download it. Thin."""

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kieumau.accounts import scope
from kieumau.core.dates import today
from kieumau.orgunits import selectors as unit_selectors
from kieumau.reports import pdf, selectors, services
from kieumau.reports.forms import JobForm
from kieumau.reports.models import JobFormat

CONTENT_TYPES = {
    JobFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    JobFormat.PDF: "application/pdf",
    JobFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    JobFormat.CSV: "text/csv; charset=utf-8",
}


@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    home = request.user.home_unit
    initial = {"unit": request.GET.get("unit", home.code if home else "")[:32],
               "subject": request.GET.get("subject", services.REVIEW)[:40],
               "format": request.GET.get("format", JobFormat.DOCX)[:4],
               "plan": request.GET.get("plan", "")[:64]}
    form = JobForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            first, last = services.parse_period(
                data["date_from"].isoformat() if data["date_from"] else None,
                data["date_to"].isoformat() if data["date_to"] else None, today=today())
            # The unit that carried the code at the end of the period (codes are reused).
            unit = unit_selectors.unit_for(request.user, code=data["unit"],
                                           as_of=min(last, today()))
            if data["plan"] and not data["date_from"] and not data["date_to"]:
                first, last = services.plan_period(actor=request.user, number=data["plan"],
                                                   default=(first, last))
            options = services.ReviewOptions(**{key: data[key] for key in (
                "number", "place", "proposals", "recipients", "signer_title", "signer_name",
                "plan", "set_code")})
            job = services.start_job(actor=request.user, unit=unit, subject=data["subject"],
                                     format=data["format"], first=first, last=last,
                                     options=options)
        except services.JobRefused as refused:
            form.add_error(refused.field if refused.field in form.fields else None,
                           refused.message)
        except scope.NotVisible:
            form.add_error("unit", _("Không tìm thấy đơn vị này trong phạm vi của bạn."))
        else:
            return redirect("reports:job", pk=job.pk)
    return render(request, "reports/index.html", {
        "form": form, "jobs": selectors.recent_jobs(request.user),
        "pdf_available": pdf.available(),
    })


@require_GET
def job(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.get_job(request.user, pk)
    context = {"job": record, "pdf_available": pdf.available()}
    if request.headers.get("HX-Request"):
        return render(request, "reports/job.html#status", context)
    return render(request, "reports/job.html", context)


@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.get_job(request.user, pk)
    path = services.file_path(record)
    if path is None:
        messages.error(request, _("Tệp chưa sẵn sàng hoặc đã bị xóa theo thời hạn lưu."))
        return redirect("reports:job", pk=record.pk)
    response = FileResponse(path.open("rb"), as_attachment=True,
                            filename=record.download_name,
                            content_type=CONTENT_TYPES[record.format])
    return response


@require_GET
def default_template(request: HttpRequest) -> HttpResponse:
    """The shipped Word template, for a province to edit and upload as its own."""
    from kieumau.reports.render import DEFAULT_TEMPLATE

    return FileResponse(DEFAULT_TEMPLATE.open("rb"), as_attachment=True,
                        filename="mau-bao-cao-kieumau.docx", content_type=CONTENT_TYPES["docx"])


@require_http_methods(["GET", "POST"])
def templates(request: HttpRequest) -> HttpResponse:
    from kieumau.reports import templates_docx
    from kieumau.reports.forms import TemplateForm

    form = TemplateForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        scope.require_write(request.user)
        if form.is_valid():
            home = request.user.home_unit
            if home is None:
                raise scope.NotVisible("no home unit")
            upload = form.cleaned_data["file"]
            if upload.size > templates_docx.MAX_BYTES:
                form.add_error("file", _("Tệp mẫu quá lớn (tối đa 5 MB)."))
            else:
                try:
                    templates_docx.upload_template(actor=request.user, unit=home,
                                                   name=upload.name or "", data=upload.read())
                except templates_docx.UploadRefused as refused:
                    form.add_error("file", refused.message)
                else:
                    messages.success(request, _("Đã nhận mẫu báo cáo của đơn vị."))
                    return redirect("reports:templates")
    return render(request, "reports/templates.html", {
        "form": form, "templates": selectors.templates_for(request.user)})


@require_http_methods(["POST"])
def retire_template(request: HttpRequest, pk: int) -> HttpResponse:
    from kieumau.reports import templates_docx

    template = selectors.get_template(request.user, pk)
    templates_docx.retire_template(actor=request.user, template=template)
    messages.success(request, _("Đã thôi dùng mẫu này; báo cáo dùng lại mẫu chung."))
    return redirect("reports:templates")
