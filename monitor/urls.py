"""URL routes. Every page needs a login (LoginRequiredMiddleware); only the login page itself is open."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from monitor import views

admin.site.site_header = "Monitor administration"
admin.site.site_title = "Monitor admin"

urlpatterns = [
    path("", views.StoryListView.as_view(), name="story-list"),
    path("stories/<int:pk>/", views.StoryDetailView.as_view(), name="story-detail"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico on every page, the admin's included.
    path("favicon.ico", login_not_required(RedirectView.as_view(url=static("monitor/favicon.svg"), permanent=True))),
]
