from django.urls import path

from kieumau.programs import views

app_name = "programs"
urlpatterns = [
    path("", views.program_list, name="list"),
    path("new/", views.program_create, name="program_create"),
    path("<int:pk>/", views.program_detail, name="program_detail"),
    path("<int:pk>/edit/", views.program_edit, name="program_edit"),
    path("<int:pk>/merge/", views.program_merge, name="program_merge"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/units/", views.plan_enrol, name="plan_enrol"),
    path("plans/<int:pk>/targets/", views.plan_target, name="plan_target"),
    path("plans/<int:pk>/committees/", views.plan_committee, name="plan_committee"),
    path("plans/<int:pk>/budget/", views.plan_budget, name="plan_budget"),
    path("plans/<int:pk>/awards/", views.plan_award, name="plan_award"),
    path("committees/<int:pk>/members/", views.committee_member, name="committee_member"),
    path("committee-members/<int:pk>/remove/", views.committee_member_remove,
         name="committee_member_remove"),
    path("targets/<int:pk>/remove/", views.target_remove, name="target_remove"),
    path("budget/<int:pk>/remove/", views.budget_remove, name="budget_remove"),
    path("awards/<int:pk>/remove/", views.award_remove, name="award_remove"),
    path("enrolments/<int:pk>/remove/", views.enrolment_remove, name="enrolment_remove"),
    path("enrolments/<int:pk>/steps/", views.enrolment_step, name="enrolment_step"),
    path("units/<str:code>/", views.unit_plans, name="unit_plans"),
]
