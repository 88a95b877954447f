"""The initiatives collections of /api/v1/: (prefix, viewset, basename), registered by `unionhall.api.urls`."""

from typing import Any

from .views import BenefitViewSet, InitiativeViewSet, PaymentViewSet, TransferViewSet

routes: list[tuple[str, Any, str]] = [
    ("initiatives", InitiativeViewSet, "initiative"),
    ("initiative-benefits", BenefitViewSet, "initiative-benefit"),
    ("initiative-transfers", TransferViewSet, "initiative-transfer"),
    ("initiative-payments", PaymentViewSet, "initiative-payment"),
]
