"""Roles (sets of actions) and their grants to users on units."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from unionhall.core.scoping import ScopedQuerySet
from unionhall.orgunits.models import TranslatedName, Unit

from .choices import GrantScope


class Role(TranslatedName):
    """A named set of actions, e.g. unit administrator, officer, viewer."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    actions = models.JSONField(_("actions"), default=list)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["code"]

    def action_set(self) -> frozenset[str]:
        return frozenset(self.actions)


class RoleGrantQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"
    scope_unit_field = "unit_id"

    def current(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class RoleGrant(models.Model):
    """A user holds a role on a unit, for that unit only or for its whole subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants", verbose_name=_("user")
    )
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="grants", verbose_name=_("role"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="grants", verbose_name=_("unit"))
    scope = models.CharField(_("scope"), max_length=10, choices=GrantScope.choices, default=GrantScope.SUBTREE)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = RoleGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit", "scope"],
                condition=Q(revoked_at__isnull=True),
                name="grant_unique_current",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.role} · {self.unit.code}"

    def audit_unit(self) -> Unit:
        return self.unit
