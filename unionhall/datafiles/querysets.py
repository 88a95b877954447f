from unionhall.core.scoping import ScopedQuerySet


class DataJobQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"
    scope_unit_field = "unit_id"
