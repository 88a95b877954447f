from django.urls import path  # noqa: F401

from . import views  # noqa: F401
from .eligibility_urls import urlpatterns as eligibility_patterns

app_name = "awards"
urlpatterns: list = [*eligibility_patterns]
