from django.conf import settings
from django.urls import include, path

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("meetings.urls")),
    path("", include("compensation.urls")),
    path("", include("opportunities.urls")),
    path("", include("advisory.urls")),
    path("", include("reports.urls")),
]

if settings.DEBUG and "django.contrib.admin" in settings.INSTALLED_APPS:
    # Only the development settings install it: the admin bypasses scoping and access
    # logging. Both conditions, so neither alone can mount it.
    from django.contrib import admin

    urlpatterns.append(path("dev-admin/", admin.site.urls))
