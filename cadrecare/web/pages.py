"""The base of every workbench page: login, the role check against the access
table, htmx fragments, masking and the audit of unmasked reads, and service
errors shown on the form.

The nav and the unread badge come from the ``workbench`` context processor.
A page is a second door onto the API's services and selectors (docs/workbench.md):
it reads through a selector, writes through a service and renders; it never
writes with the ORM and its template never decides a rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase, HttpResponseRedirectBase
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails
from rest_framework import serializers

from cadrecare.audit.services import READ_METHODS, Access, audit_log
from cadrecare.core.api import privacy_context
from cadrecare.core.authenticated import AuthenticatedHttpRequest
from cadrecare.core.errors import DomainError
from cadrecare.core.privacy import Level
from cadrecare.org import scoping
from cadrecare.org.access import VIEW

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class PageRequest(AuthenticatedHttpRequest):
    """A page's request: past the login, and with django-htmx's ``htmx``
    (``HtmxMiddleware`` sets it on every request)."""

    htmx: HtmxDetails


class PageView(LoginRequiredMixin, TemplateView):
    """A page of the workbench.

    ``resource`` / ``action`` name the access-table entry the page needs
    (``cadrecare.org.access.ACCESS``): without it anywhere the page is 403 and
    its nav entry hidden. Which records it shows is the selector's business
    (records outside scope are 404, as in the API). ``resource = None`` opens
    the page to every signed-in person (their own account).

    An htmx request (not boosted) for a page with ``partial`` set renders only
    that fragment of the template (``{% partialdef <partial> inline %}``), so
    the full page and its fragment come from one view and one template.
    """

    resource: ClassVar[str | None]  # None: every signed-in person (their own account pages)
    action: ClassVar[str] = VIEW
    partial: ClassVar[str | None] = None
    nav_entry: ClassVar[str | None] = None  # the nav entry a page without its own sits under ("web:home")
    request: PageRequest  # dispatch sends anyone not signed in to the login page first

    @classmethod
    def allowed(cls, user: Any) -> bool:
        """Whether the page (and its nav entry) is for ``user``: one access-table lookup."""
        return cls.resource is None or scoping.may(user, cls.resource, cls.action)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.login_redirect()
        # Grants are cached on the user object for one request only, as in the API.
        scoping.forget_cached_grants(request.user)
        if not self.allowed(request.user):
            raise PermissionDenied(_("您的角色无权使用此页面。"))
        self.audit_reads: list[Access] = []
        response = super().dispatch(request, *args, **kwargs)
        if self.audit_reads and request.method in READ_METHODS and response.status_code < 400:
            audit_log(actor=request.user, action="read", accesses=self.audit_reads, request=request)
        return response

    def login_redirect(self) -> HttpResponseRedirectBase:
        """To the login page and back (``handle_no_permission``); an htmx request after the
        session ended sends the whole window there, not the login page into a fragment."""
        response = self.handle_no_permission()
        if getattr(self.request, "htmx", False):
            return HttpResponseClientRedirect(response.url)
        return response

    def get_template_names(self) -> list[str]:
        names = super().get_template_names()
        htmx = getattr(self.request, "htmx", None)
        if self.partial and htmx and not htmx.boosted:
            return [f"{name}#{self.partial}" for name in names]
        return names

    # -- reading personal or sensitive fields --------------------------------------------------
    def serialize(
        self,
        serializer_class: type[serializers.BaseSerializer],
        instance: Any,
        *,
        many: bool = False,
        resource: str | None = None,
        widen: Callable[[Any], Level | None] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> Any:
        """Records as the API shows them to this user: the API's own
        (``PrivacyModelSerializer``) serializer masks what the user's role may not
        see, and every personal or sensitive value shown is audited when the
        page answers successfully, exactly as the API does. ``widen`` is a
        per-record rule over the role's level where the API's viewset has one
        (the talker of a talk reads its notes: ``OwnerSeesNotesMixin``); ``extra``
        is what the API's view adds to its serializer's context (``today``, ...)."""
        context = privacy_context(self.request.user, resource or self.resource or "")
        by_role = context.get("visible_level")
        if widen is not None and by_role is not None:
            context["visible_level"] = lambda record: widen(record) or by_role(record)
        context["request"] = self.request
        context.update(extra or {})
        data = serializer_class(instance, many=many, context=context).data
        self.audit_reads.extend(context["audit"])
        return data


class FormPageView(PageView):
    """A page whose form is handed to one service.

    ``clean`` of the form only parses; ``perform(form)`` calls the service
    (which owns the transaction, scope, rules and audit) and returns its
    result. A ``DomainError`` from the service is shown next to the field it
    names (``service_fields`` maps a service's field name to the form's when
    they differ), or above the form; the page answers with the error's status
    (400) and, as the service rolled back, nothing is saved.
    """

    form_class: ClassVar[type[forms.BaseForm]]
    template_name: str
    success_url: ClassVar[StrOrPromise | None] = None
    success_message: ClassVar[StrOrPromise | None] = None
    service_fields: ClassVar[Mapping[str, str]] = {}

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"initial": self.get_initial()}
        if self.request.method == "POST":
            kwargs.update(data=self.request.POST, files=self.request.FILES)
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        return {}

    def get_form(self) -> forms.BaseForm:
        return self.form_class(**self.get_form_kwargs())

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=self.get_form()))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form()
        if not form.is_valid():
            return self.form_invalid(form)
        try:
            result = self.perform(form)
        except DomainError as error:
            return self.service_error(form, error)
        return self.form_valid(form, result)

    def service_error(self, form: forms.BaseForm, error: DomainError) -> HttpResponse:
        """The service refused: its message beside the field it names, with its status."""
        add_service_error(form, error, self.service_fields)
        return self.form_invalid(form, status=error.status_code)

    def perform(self, form: forms.BaseForm) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must call its service in perform()")

    def form_invalid(self, form: forms.BaseForm, status: int = 400) -> HttpResponse:
        response = self.render_to_response(self.get_context_data(form=form))
        response.status_code = status
        return response

    def get_success_message(self, result: Any) -> StrOrPromise | None:
        """The message shown after the service succeeded (a page whose message
        depends on the outcome overrides this)."""
        return self.success_message

    def form_valid(self, form: forms.BaseForm, result: Any) -> HttpResponse:
        message = self.get_success_message(result)
        if message:
            messages.success(self.request, message)
        return redirect_after_post(self.request, self.get_success_url(result))

    def get_success_url(self, result: Any) -> str:
        if self.success_url is None:
            raise NotImplementedError(f"{type(self).__name__} needs success_url or get_success_url()")
        return str(self.success_url)


def add_service_error(
    form: forms.BaseForm, error: DomainError, service_fields: Mapping[str, str] | None = None
) -> None:
    """Put a service's ``DomainError`` on the form: each message beside the
    field it names when the form has that field, else above the form."""
    mapping = service_fields or {}
    entries: Iterable[Mapping[str, Any]] = error.errors or [{"field": error.field, "message": error.message}]
    for entry in entries:
        name = entry.get("field")
        name = mapping.get(name, name) if name else None
        form.add_error(name if name in form.fields else None, str(entry.get("message") or error.message))


def redirect_after_post(request: HttpRequest, url: str) -> HttpResponse:
    """See-other to ``url``; for htmx, a client-side redirect of the whole page."""
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url, status=303)


def render_fragment(
    request: HttpRequest, template: str, fragment: str, context: dict[str, Any], status: int = 200
) -> TemplateResponse:
    """One ``{% partialdef %}`` of a page template, for an htmx swap."""
    return TemplateResponse(request, f"{template}#{fragment}", context, status=status)
