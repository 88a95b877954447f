"""URLs of the batch eligibility pages, appended to the awards URLs."""

urlpatterns: list = []
