"""Load the national service catalog shipped in catalog_data/catalog.json.

Safe to run again: services and units that exist are left as administrators edited them
(pass ``update=True`` to overwrite them with the shipped text).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from django.db import transaction


def catalog_data() -> dict[str, Any]:
    text = resources.files("satupintu.services").joinpath("catalog_data", "catalog.json").read_text(encoding="utf-8")
    return json.loads(text)


def _has_field(model: Any, name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


@transaction.atomic
def load_catalog(*, update: bool = False, models: dict[str, Any] | None = None) -> int:
    """Create missing units and services; return how many services were created.

    ``models`` lets a data migration pass its historical models by name.
    """
    if models is None:
        from satupintu.organization import models as organization_models
        from satupintu.services import models as service_models

        models = {"Unit": organization_models.Unit, "Service": service_models.Service,
                  "Requirement": service_models.Requirement, "FormField": service_models.FormField}
    Unit, Service = models["Unit"], models["Service"]
    Requirement, FormField = models["Requirement"], models["FormField"]
    data = catalog_data()
    units = {}
    for u in data["units"]:
        defaults = {"name": u["name"], "name_en": u.get("name_en", ""), "description": u.get("description", "")}
        unit, made = Unit.objects.get_or_create(code=u["code"], defaults=defaults)
        if update and not made:
            Unit.objects.filter(pk=unit.pk).update(**defaults)
        units[u["code"]] = unit
    created = 0
    for s in data["services"]:
        defaults = {
            "name": s["name"],
            "name_en": s.get("name_en", ""),
            "unit": units[s["unit"]],
            "summary": s.get("summary", ""),
            "steps": s.get("steps", []),
            "working_days": s["working_days"],
            "fee": s.get("fee", 0),
            "product": s.get("product", ""),
            "levels": s.get("levels", ["kankemenag", "kanwil"]),
            "keywords": s.get("keywords", []),
        }
        if _has_field(Service, "audience"):  # an early data migration's model predates it
            defaults["audience"] = s.get("audience", "public")
        english = _has_field(Service, "summary_en")  # so do the English texts
        if english:
            defaults.update(summary_en=s.get("summary_en", ""), steps_en=s.get("steps_en", []),
                            product_en=s.get("product_en", ""))
        service, made = Service.objects.get_or_create(slug=s["slug"], defaults=defaults)
        if not made and not update:
            continue
        if not made:
            Service.objects.filter(pk=service.pk).update(**defaults)
            Requirement.objects.filter(service=service, office__isnull=True).delete()
            FormField.objects.filter(service=service).delete()
        created += int(made)
        Requirement.objects.bulk_create(
            Requirement(service=service, code=r["code"], name=r["name"], mandatory=r.get("mandatory", True), order=i,
                        **({"name_en": r.get("name_en", "")} if english else {}))
            for i, r in enumerate(s.get("requirements", []))
        )
        FormField.objects.bulk_create(
            FormField(
                service=service, name=f["name"], label=f["label"], type=f.get("type", "text"),
                required=f.get("required", True), choices=f.get("choices", []), order=i, **number_range(FormField, f),
                **({"label_en": f.get("label_en", ""), "choices_en": f.get("choices_en", [])} if english else {}),
            )
            for i, f in enumerate(s.get("fields", []))
        )
    return created


def add_english(models: dict[str, Any] | None = None) -> int:
    """Give the national services already in the database the catalog's English texts, where
    they have none; the Indonesian texts, which administrators may have edited, stay as they are.
    Returns how many services gained any."""
    if models is None:
        from satupintu.services import models as service_models

        models = {"Service": service_models.Service, "Requirement": service_models.Requirement,
                  "FormField": service_models.FormField}
    Service, Requirement, FormField = models["Service"], models["Requirement"], models["FormField"]
    changed = 0
    for s in catalog_data()["services"]:
        service = Service.objects.filter(slug=s["slug"]).first()
        if service is None:
            continue
        updated = False
        for name in ("summary_en", "product_en", "steps_en"):
            if s.get(name) and not getattr(service, name):
                setattr(service, name, s[name])
                updated = True
        if updated:
            service.save(update_fields=["summary_en", "product_en", "steps_en"])
        for r in s.get("requirements", []):
            if r.get("name_en"):
                updated |= bool(Requirement.objects.filter(service=service, office__isnull=True, code=r["code"],
                                                           name_en="").update(name_en=r["name_en"]))
        for f in s.get("fields", []):
            if f.get("label_en"):
                updated |= bool(FormField.objects.filter(service=service, name=f["name"], label_en="")
                                .update(label_en=f["label_en"]))
            if f.get("choices_en"):
                field = FormField.objects.filter(service=service, name=f["name"]).first()
                # Only where the choices are still the catalog's: English for other choices would mislead.
                if field is not None and not field.choices_en and field.choices == f.get("choices"):
                    field.choices_en = f["choices_en"]
                    field.save(update_fields=["choices_en"])
                    updated = True
        changed += int(updated)
    return changed


def number_range(model: Any, f: dict[str, Any]) -> dict[str, Any]:
    """A number field's range columns from the catalog, when ``model`` (maybe a migration's
    historical FormField, from before the columns existed) has them."""
    if f.get("type") != "number" or not any(x.name == "number_kind" for x in model._meta.get_fields()):
        return {}
    return {"number_kind": f.get("number_kind", "amount"), "min_value": f.get("min"), "max_value": f.get("max")}
