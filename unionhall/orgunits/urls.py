app_name = "orgunits"
urlpatterns: list = []
