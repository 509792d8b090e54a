from django.urls import path

from servicepark.procurement.views import (
    applications,
    associations,
    calls,
    catalogues,
    contracts,
    manage,
    reviews,
)

app_name = "procurement"

urlpatterns = [
    path("calls/", calls.call_index, name="calls"),
    path("calls/new/", calls.call_new, name="call_new"),
    path("calls/<int:pk>/", calls.call_detail, name="call"),
    path("calls/<int:pk>/publish/", calls.call_publish_view, name="call_publish"),
    path("calls/<int:call_pk>/apply/", applications.application_new, name="apply"),
    path("calls/<int:pk>/manage/", manage.call_manage, name="manage"),
    path("calls/<int:pk>/manage/assign/", manage.assign, name="assign"),
    path("calls/<int:pk>/manage/propose/", manage.propose, name="propose"),
    path("applications/", applications.application_index, name="applications"),
    path("applications/<int:pk>/", applications.application_detail, name="application"),
    path(
        "applications/<int:pk>/withdraw/",
        applications.application_withdraw_view,
        name="application_withdraw",
    ),
    path("applications/<int:pk>/attachments/", applications.attachment_upload, name="attach"),
    path("applications/<int:pk>/screen/", manage.screen, name="screen"),
    path("applications/<int:pk>/comment/", manage.release_comment, name="release_comment"),
    path("attachments/<int:pk>/", applications.attachment_download, name="attachment"),
    path(
        "attachments/<int:pk>/remove/",
        applications.attachment_remove_view,
        name="attachment_remove",
    ),
    path("reviews/", reviews.review_index, name="reviews"),
    path("reviews/<int:pk>/", reviews.review_detail, name="review"),
    path("decisions/<int:pk>/", manage.decision_detail, name="decision"),
    path("decisions/<int:pk>/vote/", manage.vote, name="vote"),
    path("decisions/<int:pk>/publish/", manage.publish, name="publish"),
    path("decisions/<int:pk>/finalize/", manage.finalize, name="finalize"),
    path("objections/<int:pk>/answer/", manage.answer, name="answer"),
    path("awards/<int:award_pk>/contract/", contracts.contract_new, name="contract_new"),
    path("contracts/", contracts.contract_index, name="contracts"),
    path("contracts/<int:pk>/", contracts.contract_detail, name="contract"),
    path("contracts/<int:pk>/act/", contracts.contract_action, name="contract_action"),
    path("milestones/<int:pk>/act/", contracts.milestone_action, name="milestone_action"),
    path("reports/<int:pk>/submit/", contracts.report_submit_view, name="report_submit"),
    path("evaluations/<int:pk>/", contracts.evaluation_detail, name="evaluation"),
    path("associations/<int:pk>/finance/", associations.association_finance, name="association"),
    path(
        "associations/<int:pk>/finance/act/",
        associations.association_action,
        name="association_action",
    ),
    path("catalogues/", catalogues.catalogue_index, name="catalogues"),
    path("catalogues/<int:pk>/", catalogues.catalogue_detail, name="catalogue"),
    path("catalogues/<int:pk>/entries/", catalogues.catalogue_entry, name="catalogue_entry"),
    path(
        "catalogues/<int:pk>/publish/", catalogues.catalogue_publish_view, name="catalogue_publish"
    ),
]
