"""Labels in the language of the request.

Choice labels and other fixed texts are written in Chinese and marked for the
catalogue with ``gettext_noop``: they stay Chinese in code, in stored texts and
in the database. Only what the API shows a client is translated, here.
"""

from django.utils.translation import gettext


def choice_label(label: str) -> str:
    """The Chinese label itself, or its translation from locale/ when the client
    asked for English (Accept-Language)."""
    return gettext(label)
