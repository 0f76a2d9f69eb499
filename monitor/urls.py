"""URL routes. Every page needs a login (LoginRequiredMiddleware); only the login page itself is open."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from monitor import views

admin.site.site_header = "Monitor administration"
admin.site.site_title = "Monitor admin"

urlpatterns = [
    path("", views.StoryListView.as_view(), name="story-list"),
    path("facets/", views.FacetsView.as_view(), name="story-facets"),
    path("stories/<int:pk>/", views.StoryDetailView.as_view(), name="story-detail"),
    path("stories/<int:pk>/split/<int:article_id>/", views.SplitArticleView.as_view(), name="story-split"),
    path("stories/<int:pk>/merge/", views.MergeStoriesView.as_view(), name="story-merge"),
    path("stories/export.<str:fmt>", views.ExportStoriesView.as_view(), name="story-export"),
    path("entities/<int:pk>/", views.EntityDetailView.as_view(), name="entity-detail"),
    path("entities/autocomplete/", views.EntityAutocompleteView.as_view(), name="entity-autocomplete"),
    path("figures/", views.FigureListView.as_view(), name="figure-list"),
    path("figures/export.<str:fmt>", views.ExportFiguresView.as_view(), name="figure-export"),
    path("sources/", include("sources.urls")),
    path("jobs/retag/<int:pk>/", views.RetagJobView.as_view(), name="retag-job"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico on every page, the admin's included.
    path("favicon.ico", login_not_required(RedirectView.as_view(url=static("monitor/favicon.svg"), permanent=True))),
]

handler403 = views.error_page("403.html", 403)
handler404 = views.error_page("404.html", 404)
handler500 = views.error_page("500.html", 500)
