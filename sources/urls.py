"""The sources pages for admins, under /sources/ (included by monitor.urls)."""

from __future__ import annotations

from django.urls import path

from sources import views

app_name = "sources"

urlpatterns = [
    path("", views.HealthView.as_view(), name="health"),
    path("add/", views.AddSourceView.as_view(), name="add"),
    path("import/", views.ImportOpmlView.as_view(), name="import"),
    path("export.opml", views.ExportOpmlView.as_view(), name="export"),
    path("<int:pk>/", views.SourceDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.SourceEditView.as_view(), name="edit"),
    path("<int:pk>/<slug:action>/", views.SourceActionView.as_view(), name="action"),
]
