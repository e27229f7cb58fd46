"""Choosing people by name: a form field whose widget is a search box
(search-as-you-type through htmx) and the people chosen, each sent as the
record's id from a checkbox or radio the server rendered, never an id the
user typed.

The field's queryset is the scope: the page sets it (``scoping.nameable``,
as the API's serializer fields are scoped), the search answers only from
it and validation accepts nothing else, so a name outside scope is neither
found nor accepted. A page using these fields mixes in ``PersonSearchMixin``:
a GET with ``?pick=<field>`` answers the matches as a fragment.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from cadrecare.org import scoping
from cadrecare.org.models import Cadre, User
from cadrecare.org.selectors import cadre_list_queryset
from cadrecare.web.pages import FormPageView, render_fragment

MATCHES = 10  # a name narrows quickly; more would be a list to read, not a choice
CADRES_PER_PAGE = 30


def cadre_label(cadre: Cadre) -> str:
    return f"{cadre.name}（{cadre.unit.name}）"


def user_label(user: User) -> str:
    """A login by the name of its cadre record, else by its own name."""
    cadre = getattr(user, "cadre", None)
    return f"{cadre.name}（{cadre.unit.name}）" if cadre is not None else str(user)


class PersonPicker(forms.Widget):
    """The search box, the people chosen (checked) and the place for matches."""

    template_name = "web/includes/person_picker.html"
    multiple: bool = False
    source: PersonSearch  # the field (each form's copy) it shows the choices of

    def __init__(self, attrs: dict[str, Any] | None = None, *, multiple: bool = False) -> None:
        super().__init__(attrs)
        self.multiple = multiple

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.getlist(name) if self.multiple else data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False  # nothing chosen is a value (an empty choice), not a field left out

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        values = [str(v) for v in (value if isinstance(value, list | tuple) else [value]) if v not in (None, "")]
        context["picker"] = {
            "chosen": [{"value": v, "label": label} for v, label in self.source.chosen(values)] if values else [],
            "input_type": "checkbox" if self.multiple else "radio",
            "describedby": context["widget"]["attrs"].get("aria-describedby", ""),
            "invalid": context["widget"]["attrs"].get("aria-invalid") == "true",
        }
        return context


class PersonSearch:
    """A field chosen through a ``PersonPicker``: what a typed name matches,
    and the labels of the values already chosen, both as (value, label)."""

    widget: PersonPicker

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        result = super().__deepcopy__(memo)  # type: ignore[misc]
        result.widget.source = result  # each form's copy answers from its own choices
        return result

    def chosen(self, values: list[str]) -> list[tuple[Any, str]]:
        raise NotImplementedError

    def matches(self, text: str) -> list[tuple[Any, str]]:
        raise NotImplementedError


class ModelSearch(PersonSearch):
    """People of the field's queryset, matched on ``search_fields``."""

    search_fields: ClassVar[tuple[str, ...]] = ()
    queryset: QuerySet[Any] | None  # the scope: the page sets it

    def label_from_instance(self, obj: Any) -> str:
        raise NotImplementedError

    def chosen(self, values: list[str]) -> list[tuple[Any, str]]:
        if self.queryset is None:
            return []
        try:
            return [(person.pk, self.label_from_instance(person)) for person in self.queryset.filter(pk__in=values)]
        except (ValueError, TypeError):  # a tampered value: the field reports it
            return []

    def matches(self, text: str) -> list[tuple[Any, str]]:
        if self.queryset is None:
            return []
        condition = Q()
        for name in self.search_fields:
            condition |= Q(**{f"{name}__contains": text})
        people = self.queryset.filter(condition).order_by(*self.search_fields[:1], "pk")[:MATCHES]
        return [(person.pk, self.label_from_instance(person)) for person in people]


class CadreField(ModelSearch, forms.ModelChoiceField):
    """One cadre chosen by name."""

    search_fields = ("name",)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Cadre.objects.none())
        super().__init__(widget=PersonPicker(), **kwargs)
        self.widget.source = self

    def label_from_instance(self, obj: Cadre) -> str:
        return cadre_label(obj)


class UsersField(ModelSearch, forms.ModelMultipleChoiceField):
    """Logins (talkers, visitors) chosen by the name of their cadre record or their own."""

    search_fields = ("cadre__name", "first_name", "last_name")

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", User.objects.none())
        super().__init__(widget=PersonPicker(multiple=True), **kwargs)
        self.widget.source = self
        self.error_messages["invalid_choice"] = _("所选人员不在可选范围内。")

    def label_from_instance(self, obj: User) -> str:
        return user_label(obj)


class OptionalUserField(UsersField):
    """One login or nobody (a designated owner): chosen by name like
    ``UsersField``, unticking the box chooses nobody; the cleaned value is the
    user or None."""

    # One user or nobody, not a queryset: a single choice made through the multiple picker.
    def clean(self, value: Any) -> User | None:  # type: ignore[override]
        users = super().clean(value)
        if len(users) > 1:
            raise forms.ValidationError(_("只能选择一人。"), code="one")
        return users.first()


class PersonSearchMixin(FormPageView):
    """For a ``FormPageView`` with person fields: each picker searches this
    page (``?pick=<field>&<field>_q=<name>``, a URL relative to the page),
    answered from the field's own choices, as a fragment of radios or checkboxes."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        name = request.GET.get("pick")
        if name is None:
            return super().get(request, *args, **kwargs)
        field = self.get_form().fields.get(name)
        if not isinstance(field, PersonSearch):
            return HttpResponse(status=400)
        text = request.GET.get(f"{name}_q", "").strip()
        options = [{"value": value, "label": label} for value, label in (field.matches(text) if text else [])]
        return render_fragment(
            request,
            "web/includes/person_picker.html",
            "results",
            {
                "options": options,
                "name": name,
                "text": text,
                "input_type": "checkbox" if field.widget.multiple else "radio",
            },
        )


class CadreSearchForm(forms.Form):
    q = forms.CharField(label=_("姓名"), required=False, max_length=50)


class CadreSearchMixin:
    """A page that lists the cadres in the reader's scope for its ``resource``
    (干部档案, 家属与走访, ...), found by name, a page at a time; its template
    includes ``web/includes/cadre_search.html``."""

    def cadre_search(self) -> dict[str, Any]:
        """The context: the search ``form``, the ``page`` of cadres, the ``query`` string without
        the page number (for the pager) and the name searched for, ``q``."""
        view: Any = self
        form = CadreSearchForm(view.request.GET or None)
        q = form.cleaned_data["q"] if form.is_valid() else ""
        cadres = scoping.scoped(cadre_list_queryset(), view.request.user, view.resource).order_by("unit__path", "id")
        if q:
            cadres = cadres.filter(name__contains=q)
        query = view.request.GET.copy()
        query.pop("page", None)
        page = Paginator(cadres, CADRES_PER_PAGE).get_page(view.request.GET.get("page"))
        return {"form": form, "page": page, "query": query.urlencode(), "q": q}
