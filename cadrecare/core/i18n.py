"""Labels in the language of the request.

Choice labels and other fixed texts are written in Chinese and marked for the
catalogue with ``gettext_noop``: they stay Chinese in code, in stored texts and
in the database. Only what the API shows a client is translated, here.
"""

from django.utils.translation import get_language, gettext


def choice_label(label: str) -> str:
    """The Chinese label itself, or its translation from locale/ when the client
    asked for English (Accept-Language)."""
    return gettext(label)


def zh_or_en(zh: str, en: str) -> str:
    """A text given in both languages (the solver library writes its sentences
    and names that way): English when the client asked for it, else Chinese."""
    return en if (get_language() or "").startswith("en") else zh
