"""Parks (incubators, service centers), their floors and spaces, and bookings of rooms."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from servicepark.accounts.scoping_paths import ScopePaths
from servicepark.common.models import BaseModel


class Park(BaseModel):
    SCOPE = ScopePaths(division="division__code", organization="operator_id")

    name = models.CharField(_("name"), max_length=100)
    division = models.ForeignKey(
        "geo.Division",
        on_delete=models.PROTECT,
        db_column="division_code",
        related_name="+",
        verbose_name=_("jurisdiction"),
    )
    operator = models.ForeignKey(
        "registry.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parks_operated",
        verbose_name=_("operating organization"),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    residency_months = models.PositiveSmallIntegerField(_("residency term (months)"), default=10)
    graduation_threshold = models.PositiveSmallIntegerField(
        _("capacity score needed to graduate"), default=60
    )
    partners = models.ManyToManyField(
        "registry.Organization",
        blank=True,
        related_name="partner_parks",
        verbose_name=_("partner organizations"),
        help_text=_("They may book the park's rooms without residing in it."),
    )

    class Meta:
        ordering = ["division_id", "name"]
        verbose_name = _("park")
        verbose_name_plural = _("parks")
        constraints = [
            models.UniqueConstraint(fields=["division", "name"], name="park_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Floor(BaseModel):
    SCOPE = ScopePaths(division="park__division__code", organization="park__operator_id")

    park = models.ForeignKey(Park, on_delete=models.CASCADE, related_name="floors")
    name = models.CharField(_("floor"), max_length=50)
    level = models.SmallIntegerField(_("level"), default=1)
    columns = models.PositiveSmallIntegerField(_("grid columns"), default=10)
    rows = models.PositiveSmallIntegerField(_("grid rows"), default=4)

    class Meta:
        ordering = ["park_id", "level"]
        verbose_name = _("floor")
        verbose_name_plural = _("floors")

    def __str__(self) -> str:
        return f"{self.park} {self.name}"


class Space(BaseModel):
    SCOPE = ScopePaths(division="park__division__code", organization="park__operator_id")

    class Kind(models.TextChoices):
        DESK = "desk", _("desk / cubicle")
        OFFICE = "office", _("office")
        ROOM = "room", _("meeting room")
        HALL = "hall", _("hall")

    ALLOCATED = (Kind.DESK, Kind.OFFICE)
    BOOKABLE = (Kind.ROOM, Kind.HALL)

    park = models.ForeignKey(Park, on_delete=models.CASCADE, related_name="spaces")
    floor = models.ForeignKey(
        Floor, null=True, blank=True, on_delete=models.SET_NULL, related_name="spaces"
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    capacity = models.PositiveIntegerField(_("capacity (people)"), default=1)
    area_m2 = models.PositiveIntegerField(_("area (m²)"), null=True, blank=True)
    approval_above = models.PositiveIntegerField(
        _("staff approval above (attendees)"),
        null=True,
        blank=True,
        help_text=_("Events with more attendees need staff approval."),
    )
    x = models.PositiveSmallIntegerField(_("column"), null=True, blank=True)
    y = models.PositiveSmallIntegerField(_("row"), null=True, blank=True)

    class Meta:
        ordering = ["park_id", "floor_id", "y", "x", "name"]
        verbose_name = _("space")
        verbose_name_plural = _("spaces")
        constraints = [
            models.UniqueConstraint(fields=["park", "name"], name="space_unique_name"),
            models.UniqueConstraint(
                fields=["floor", "x", "y"],
                condition=Q(x__isnull=False, y__isnull=False),
                name="space_one_per_grid_cell",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Booking(BaseModel):
    """A room or hall booked for a time slot. Two live bookings of one space never overlap:
    a PostgreSQL exclusion constraint (migration 0002) backs the locked check in the service."""

    SCOPE = ScopePaths(division="space__park__division__code", organization="organization_id")

    class State(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed")
        PENDING = "pending", _("awaiting staff approval")
        CANCELLED = "cancelled", _("cancelled")
        DECLINED = "declined", _("declined")

    LIVE = (State.CONFIRMED, State.PENDING)

    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="bookings")
    organization = models.ForeignKey(
        "registry.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("for organization"),
    )
    booked_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    attendees = models.PositiveIntegerField(_("attendees"))
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.CONFIRMED
    )
    series = models.UUIDField(_("recurring series"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["space_id", "start"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        indexes = [models.Index(fields=["space", "start", "end"], name="booking_space_time")]
        constraints = [
            models.CheckConstraint(
                name="booking_ends_after_start", condition=Q(end__gt=F("start"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.space_id} {self.start:%Y-%m-%d %H:%M}"
