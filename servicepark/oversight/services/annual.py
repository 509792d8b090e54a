"""Filing and reviewing annual reports."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepark.common.audit import audit_record
from servicepark.common.permissions import require_permission
from servicepark.oversight.deadlines import report_deadlines
from servicepark.oversight.duties import first_report_year
from servicepark.oversight.models import AnnualReport
from servicepark.oversight.models.annual import AMOUNT_FIELDS
from servicepark.oversight.services.common import amount, count, past_date, text
from servicepark.registry.models import Organization


def _labels() -> dict[str, str]:
    return {
        name: str(getattr(AnnualReport._meta.get_field(name), "verbose_name", name))
        for name in AMOUNT_FIELDS
    }


def annual_report_file(
    *, actor: Any, organization: Organization, year: Any, data: dict[str, Any]
) -> AnnualReport:
    """File the report for a finished year, once. Amounts are yuan, not negative."""
    require_permission("oversight.file", actor, organization)
    try:
        year = int(str(year).strip())
    except ValueError:
        raise ValidationError({"year": _("Give the year as four digits.")}) from None
    today = timezone.localdate()
    if year >= today.year:
        raise ValidationError(
            {"year": _("A report covers a finished year: %(y)d has not ended yet.") % {"y": year}}
        )
    if year < first_report_year() or (
        organization.founded_on and year < organization.founded_on.year
    ):
        raise ValidationError(
            {"year": _("No report is asked for %(y)d from this organization.") % {"y": year}}
        )
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    labels = _labels()
    for name in AMOUNT_FIELDS:
        try:
            values[name] = amount(data.get(name, "0"), labels[name])
        except ValidationError as exc:
            errors[name] = exc.messages
    for name, label in (("staff", _("Full-time staff")), ("volunteers", _("Volunteers"))):
        try:
            values[name] = count(data.get(name, "0"), label)
        except ValidationError as exc:
            errors[name] = exc.messages
    try:
        values["activities"] = text(data.get("activities"), _("the main activities of the year"))
    except ValidationError as exc:
        errors["activities"] = exc.messages
    try:
        values["governance_changes"] = text(
            data.get("governance_changes"), _("governance changes"), required=False
        )
    except ValidationError as exc:
        errors["governance_changes"] = exc.messages
    if "supervisor" in report_deadlines(organization.org_type, year) and data.get(
        "supervisor_seen_on"
    ):
        try:
            values["supervisor_seen_on"] = past_date(
                data["supervisor_seen_on"], _("the date the supervising unit saw it")
            )
        except ValidationError as exc:
            errors["supervisor_seen_on"] = exc.messages
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        try:
            with transaction.atomic():
                report = AnnualReport.objects.create(
                    organization=organization,
                    year=year,
                    submitted_at=timezone.now(),
                    submitted_by=actor if getattr(actor, "pk", None) else None,
                    **values,
                )
        except IntegrityError:
            raise ValidationError(
                {"year": _("The report for %(y)d has already been filed.") % {"y": year}}
            ) from None
        audit_record(
            actor=actor, action="annual_report.file", obj=report, after={"year": year, **values}
        )
    return report


def annual_report_review(
    *, actor: Any, report: AnnualReport, result: str, reasons: str
) -> AnnualReport:
    require_permission("oversight.manage", actor, report.organization)
    if result not in AnnualReport.Result.values:
        raise ValidationError({"result": _("Choose qualified, basically qualified or failed.")})
    reasons = text(
        reasons,
        _("the reasons"),
        limit=2000,
        required=result != AnnualReport.Result.QUALIFIED,
    )
    with transaction.atomic():
        locked = AnnualReport.objects.select_for_update().get(pk=report.pk)
        before = {"result": locked.result}
        locked.result, locked.result_reasons = result, reasons
        locked.reviewed_by = actor if getattr(actor, "pk", None) else None
        locked.reviewed_at = timezone.now()
        locked.save(
            update_fields=["result", "result_reasons", "reviewed_by", "reviewed_at", "updated_at"]
        )
        audit_record(
            actor=actor,
            action="annual_report.review",
            obj=locked,
            before=before,
            after={"result": result, "reasons": reasons},
        )
    return locked
