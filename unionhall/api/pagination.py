"""Keyset (cursor) pagination for every API list: no COUNT(*), stable under inserts."""

from rest_framework import pagination


class CursorPagination(pagination.CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "id"
