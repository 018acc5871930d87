"""The GOV.UK error pattern, once for every form: the page finds its own refused forms.

``{% page_form_errors as page_errors %}`` (in base.html) looks through the page's context for
bound forms with errors -- a form or formset in the context, in a list there, or kept on an
object the view handed over (a console line's form, a refused ``Bound``) -- and returns one
entry per problem with the id of the field to link to. base.html then prefixes the title
with "Error: " and shows the summary at the top of the page with focus moved to it.
"""

from dataclasses import dataclass

from django import forms, template
from django.db.models import Model, QuerySet
from django.forms.formsets import BaseFormSet
from django.http import HttpRequest

register = template.Library()


@dataclass(frozen=True)
class PageError:
    message: str
    target: str  # the id of the field to move to; "" for a problem with the form as a whole
    # Whether the refused form has fields the person filled in. A refused button (a form of
    # no visible field, such as "Give notice") kept no typing, so the summary must not say so.
    typed: bool = True


def _field_target(bound_field) -> str:
    if isinstance(bound_field.field.widget, forms.MultiWidget):  # day/month/year: the first box
        return f"{bound_field.field.widget.attrs.get('id') or bound_field.auto_id}_0"
    return bound_field.id_for_label or bound_field.auto_id or ""


def _form_errors(form) -> list[PageError]:
    if isinstance(form, BaseFormSet):
        found = [PageError(str(e), "") for e in form.non_form_errors()]
        for member in form.forms:
            found += _form_errors(member)
        return found
    if not form.is_bound or not form.errors:
        return []
    typed = bool(form.visible_fields())
    found = [PageError(str(e), _first_target(form), typed) for e in form.non_field_errors()]
    for name, field_errors in form.errors.items():
        if name == forms.forms.NON_FIELD_ERRORS or name not in form.fields:
            continue
        target = _field_target(form[name])
        found += [PageError(str(e), target, typed) for e in field_errors]
    return found


def _first_target(form) -> str:
    visible = form.visible_fields()
    return _field_target(visible[0]) if visible else ""


def _is_form(value) -> bool:
    return isinstance(value, forms.BaseForm | BaseFormSet)


def _forms_in(value, depth: int = 0):
    """Forms held by a context value: itself, a list's items, or an object's own attributes.
    Only instance dictionaries are read (no properties run, no query is made)."""
    if _is_form(value):
        yield value
        return
    if depth >= 2 or isinstance(value, str | bytes | QuerySet | dict):
        return
    if isinstance(value, list | tuple):
        for item in value[:500]:
            yield from _forms_in(item, depth + 1)
        return
    attributes = getattr(value, "__dict__", None)
    if attributes is None or isinstance(value, type | HttpRequest):
        return
    for name, item in list(attributes.items()):
        if name.startswith("_"):
            continue
        if _is_form(item) or (not isinstance(value, Model) and isinstance(item, list | tuple)):
            yield from _forms_in(item, depth + 1)


@register.simple_tag(takes_context=True)
def page_form_errors(context) -> list[PageError]:
    seen, errors = set(), []
    for value in context.flatten().values():
        for form in _forms_in(value):
            if id(form) in seen:
                continue
            seen.add(id(form))
            errors += _form_errors(form)
    return list(dict.fromkeys(errors))


@register.filter
def kept_typing(page_errors) -> bool:
    """Whether any refused form on the page had fields (so "what you typed is kept" is true)."""
    return any(error.typed for error in page_errors)


@register.filter
def has_required_field(form) -> bool:
    return any(f.field.required for f in form.visible_fields())
