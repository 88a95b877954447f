"""A path column compared byte by byte on every database, so prefix ranges use the index."""

from django.db import models


class PathField(models.CharField):
    def db_parameters(self, connection):
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            params["collation"] = "C"
        return params
