"""django.contrib.admin with cadrecare's site (``org.admin_site.AdminSite``),
named in INSTALLED_APPS; a module of its own, as app configs load before models."""

from django.contrib.admin.apps import AdminConfig as BaseAdminConfig


class AdminConfig(BaseAdminConfig):
    default_site = "cadrecare.org.admin_site.AdminSite"
