"""Keyset (cursor) pagination for every API list: no COUNT(*), stable under inserts."""

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError

from unionhall.core.text import has_forbidden_characters

INVALID_CURSOR = _("This page link is not valid; start again from the first page.")


class CursorPagination(pagination.CursorPagination):
    """A view may set `pagination_ordering` (unique, indexed fields); page_size is capped at 500."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "id"

    def get_ordering(self, request: Any, queryset: Any, view: Any) -> tuple[str, ...]:
        ordering = getattr(view, "pagination_ordering", None) or self.ordering
        return (ordering,) if isinstance(ordering, str) else tuple(ordering)

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        self.model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request: Any) -> Any:
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            cursor, valid = None, False
        else:
            valid = cursor is None or cursor.position is None or self._valid_position(str(cursor.position))
        if not valid:
            # A damaged link is bad input, not a missing resource.
            raise ValidationError({self.cursor_query_param: [INVALID_CURSOR]})
        return cursor

    def _valid_position(self, position: str) -> bool:
        """The position goes into a WHERE clause: it must be a value of the ordering field."""
        if has_forbidden_characters(position):
            return False
        try:
            self.model._meta.get_field(self.ordering[0].lstrip("-")).to_python(position)
        except FieldDoesNotExist:
            pass  # an annotation
        except DjangoValidationError:
            return False
        return True
