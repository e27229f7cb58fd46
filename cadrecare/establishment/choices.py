"""Choice sets of the township establishment, labelled in Chinese."""

from django.db import models
from django.utils.translation import gettext_noop as _

from cadrecare.org.choices import CadreStatus, UnitKind

# The bodies that borrow township cadres: the seed's 上级机关 (county and city
# bodies), never another township.
BORROWING_BODY_KINDS = (UnitKind.COUNTY, UnitKind.COUNTY_AGENCY, UnitKind.CITY)

# Who fills a township slot: the cadres on its establishment still in service
# (a seconded or borrowed cadre keeps the slot).
FILLING_STATUSES = (CadreStatus.SERVING, CadreStatus.SECONDED)


class BorrowingState(models.TextChoices):
    """Where a borrowing stands, derived from its dates and the review
    (establishment.selectors.borrowing_queryset)."""

    PENDING = "pending", _("待组织部审核")
    ACTIVE = "active", _("借用中")
    OVERDUE = "overdue", _("超期未归还")
    RETURNED = "returned", _("已返回乡镇")
