from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from .roles import PERMISSION_LABELS, Role


class Level(models.TextChoices):
    PROVINCE = "province", _("Tỉnh")
    DISTRICT = "district", _("Huyện (trước 01/07/2025)")
    COMMUNE = "commune", _("Xã, phường, đặc khu")
    DEPARTMENT = "department", _("Sở, ban, ngành, đoàn thể tỉnh")
    UNIT = "unit", _("Cơ quan, đơn vị cơ sở")


class UnitKind(models.TextChoices):
    GOVERNMENT = "government", _("Cơ quan hành chính")
    SCHOOL = "school", _("Trường học")
    HOSPITAL = "hospital", _("Cơ sở y tế")
    ENTERPRISE = "enterprise", _("Doanh nghiệp, hợp tác xã")
    MASS_ORGANISATION = "mass_organisation", _("Đoàn thể")
    OTHER = "other", _("Khác")


class OrganisationQuerySet(MP_NodeQuerySet):
    def active_on(self, day: date) -> "OrganisationQuerySet":
        return self.filter(valid_from__lte=day).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day)
        )


class OrganisationManager(MP_NodeManager):
    def get_queryset(self) -> OrganisationQuerySet:
        return OrganisationQuerySet(self.model, using=self._db).order_by("path")

    def active_on(self, day: date) -> OrganisationQuerySet:
        return self.get_queryset().active_on(day)


class Organisation(MP_Node):
    """A node of the province's administrative tree (tỉnh, huyện, xã, sở, đơn vị).

    The tree is a materialised path (django-treebeard `MP_Node`): "every unit under X" is one
    indexed `path LIKE 'X%'` query. Nodes are never deleted or moved when the law changes:
    a district dissolved on 01/07/2025 keeps its node with `valid_to`, its communes stay
    below it as lineage, and `effective_parent(on=day)` skips ancestors not in force that day.
    """

    code = models.SlugField(_("mã"), max_length=64, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    level = models.CharField(_("cấp"), max_length=16, choices=Level.choices, db_index=True)
    kind = models.CharField(
        _("loại hình"), max_length=32, choices=UnitKind.choices, default=UnitKind.GOVERNMENT
    )
    place_name = models.CharField(
        _("địa danh ghi trên văn bản"),
        max_length=64,
        blank=True,
        help_text=_("Ví dụ: Lạng Sơn (dòng 'Lạng Sơn, ngày … tháng … năm …')."),
    )
    valid_from = models.DateField(_("hiệu lực từ ngày"), default=date(2000, 1, 1))
    valid_to = models.DateField(_("hết hiệu lực từ sau ngày"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị kế thừa (sáp nhập vào)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    has_council = models.BooleanField(_("có Hội đồng TĐKT"), default=False)

    node_order_by = ["name"]
    objects = OrganisationManager()

    class Meta:
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        permissions = PERMISSION_LABELS
        default_permissions = ("add", "change", "delete", "view")

    def __str__(self) -> str:
        return self.name

    def is_active_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def units_under(self) -> OrganisationQuerySet:
        """Every organisation below this one in the tree (one indexed prefix query)."""
        return Organisation.objects.filter(path__startswith=self.path, depth__gt=self.depth)

    def effective_parent(self, *, on: date) -> "Organisation | None":
        """The nearest ancestor in force on `on` (a dissolved district is skipped)."""
        for ancestor in reversed(list(Organisation.objects.get_ancestors(self))):
            if ancestor.is_active_on(on):
                return ancestor
        return None

    def ancestor_at_level(self, level: str, *, on: date) -> "Organisation | None":
        """The nearest ancestor (or self) of `level` that is in force on `on`."""
        chain = [self, *reversed(list(Organisation.objects.get_ancestors(self)))]
        for org in chain:
            if org.level == level and org.is_active_on(on):
                return org
        return None

    def province(self) -> "Organisation":
        return self if self.depth == 1 else Organisation.objects.get_root(self)


class Membership(models.Model):
    """A user's role in one organisation. Granting it goes through organisations.services."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    title = models.CharField(_("chức vụ"), max_length=128, blank=True)
    since = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vai trò của người dùng")
        verbose_name_plural = _("vai trò của người dùng")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.organisation}"


# guardian: direct foreign keys instead of the generic object_pk text column, so the
# "organisations where user may X" queries join on an integer key with an index.
class OrganisationUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Organisation, on_delete=models.CASCADE)


class OrganisationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Organisation, on_delete=models.CASCADE)
