"""Public pages at short paths (/s/ survey, /p/ unit page and requests, /t/ tracking) and the
officers' pages under /citizens/."""

from django.urls import path, re_path

from kieumau.citizens import public_views, views

app_name = "citizens"
urlpatterns = [
    path("s/<str:code>/", public_views.survey, name="survey"),
    path("s/<str:code>/cam-on/", public_views.survey_thanks, name="survey_thanks"),
    path("p/<str:code>/", public_views.public_unit, name="public_unit"),
    path("p/<str:code>/phan-anh/", public_views.file_request, name="file_request"),
    path("t/", public_views.track_lookup, name="track_lookup"),
    path("t/<str:tracking_code>/", public_views.track, name="track"),
    path("citizens/", views.index, name="index"),
    path("citizens/requests/<int:pk>/", views.request_detail, name="request"),
    path("citizens/requests/<int:pk>/photo/", views.request_photo, name="request_photo"),
    path("citizens/<str:code>/", views.unit_page, name="unit"),
    path("citizens/<str:code>/poster.svg", views.poster_svg, name="poster"),
    path("citizens/<str:code>/codes/", views.issue_codes, name="codes"),
    path("citizens/<str:code>/publish/", views.publish, name="publish"),
    path("citizens/<str:code>/requests/", views.request_queue, name="queue"),
    re_path(r"^citizens/(?P<code>[^/]+)/export\.(?P<fmt>csv|xlsx)$", views.export_answers,
            name="export"),
    path("citizens/<str:code>/categories/", views.categories, name="categories"),
]
