"""Every field of every model carries a sensitivity level, declared once."""

from django.apps import apps

from cadrecare.core.privacy import field_levels


def test_every_model_field_declares_a_sensitivity_level() -> None:
    missing = []
    for model in apps.get_models():
        if not model.__module__.startswith("cadrecare."):
            continue
        declared = field_levels(model)
        for field in model._meta.get_fields():
            if field.auto_created and not field.concrete:
                continue  # reverse relations belong to the other model
            if field.name not in declared:
                missing.append(f"{model._meta.label}.{field.name}")
    assert missing == [], f"fields without a sensitivity level: {missing}"
