"""Template helpers of the workbench: formatting only, never a rule."""

from __future__ import annotations

from django import template
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

SPRITE = "web/vendor/lucide-1.87.0-sprite.svg"


@register.simple_tag
def icon(name: str, label: str = "") -> SafeString:
    """An icon of the vendored sprite. Decorative (hidden from screen readers)
    unless ``label`` names it; meaning is always also said in text."""
    href = f"{static(SPRITE)}#{name}"
    if label:
        return format_html('<svg class="icon" role="img" aria-label="{}"><use href="{}"></use></svg>', label, href)
    return format_html('<svg class="icon" aria-hidden="true" focusable="false"><use href="{}"></use></svg>', href)
