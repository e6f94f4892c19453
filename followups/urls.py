from django.urls import path

from . import views

app_name = "followups"

urlpatterns = [
    path("thu-huong/theo-doi/", views.mine, name="mine"),
    path("thu-huong/theo-doi/<int:pk>/", views.fill, name="fill"),
    path("theo-doi-sau-ho-tro/", views.staff_list, name="list"),
    path("theo-doi-sau-ho-tro/<int:pk>/", views.record, name="record"),
    path("theo-doi-sau-ho-tro/<int:pk>/anh/<int:photo_pk>/", views.photo, name="photo"),
]
