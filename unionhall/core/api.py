"""Bases of every app's `api/` package: the scoped viewset and the strict input serializer.

They sit in core, below the apps, because apps import only downward: an app's `api/` package may
not import `unionhall.api`, which holds the wiring above them (router, authentication, error
shape, OpenAPI).
"""

from collections.abc import Mapping
from typing import Any, ClassVar, cast

from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers, viewsets
from rest_framework.request import Request

MAX_UNKNOWN_FIELDS_REPORTED = 20


class StrictSerializer(serializers.Serializer):
    """Refuses keys it does not declare, so a misspelt or protected field is never silently dropped."""

    default_error_messages = {"unknown_field": _("This field is not accepted here.")}

    def to_internal_value(self, data: Any) -> Any:
        unknown: dict[str, list[str]] = {}
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            for key in sorted(str(k) for k in data if k not in writable)[:MAX_UNKNOWN_FIELDS_REPORTED]:
                unknown[key] = [str(self.error_messages["unknown_field"])]
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            if unknown and isinstance(error.detail, dict):
                error.detail.update(cast(dict[str, Any], unknown))
            raise
        if unknown:
            raise serializers.ValidationError(unknown)
        return value


class ScopedViewSet(viewsets.GenericViewSet):
    """Every object an endpoint reads or writes comes from `model.objects.visible_to(user, action)`.

    `scope_actions` names the domain action each viewset action needs; an undeclared viewset
    action is refused rather than run on an unscoped queryset. Out-of-scope objects are absent,
    so asking for one is a 404, exactly like asking for one that does not exist.
    """

    model: ClassVar[type[Model]]
    scope_actions: ClassVar[dict[str, str]] = {}

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if self.action not in self.scope_actions:
            raise exceptions.MethodNotAllowed(request.method or "")

    @property
    def scope_action(self) -> str:
        return self.scope_actions[self.action]

    def get_queryset(self) -> QuerySet:
        scoped = self.model._default_manager.visible_to(self.request.user, self.scope_action)  # type: ignore[attr-defined]
        return self.refine_queryset(scoped)

    def refine_queryset(self, queryset: QuerySet) -> QuerySet:
        """Narrow or prefetch (select_related, current rows); never widen."""
        return queryset
