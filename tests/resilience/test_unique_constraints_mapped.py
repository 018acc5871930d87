"""Every unique constraint of every PanelHub model is accounted for (issue 14, item 4): a
service turns its violation into the check's refusal (``refuse_duplicate`` or
``created_once`` names it, found here in the source), or ``panels.integrity.NOT_REFUSED``
says why no refusal is needed. A new constraint fails this test until it is one or the
other."""

import ast
from pathlib import Path

from django.apps import apps
from django.db.models import UniqueConstraint

from panels.integrity import NOT_REFUSED

ROOT = Path(__file__).resolve().parents[2]
APPS = ("panels", "members", "meetings", "scrutiny", "notices", "reports", "privacy", "home")
GUARDS = {"refuse_duplicate", "created_once"}


def unique_constraints() -> set[str]:
    """Every unique constraint of the project's models (pghistory's event tables excluded:
    they are written by triggers), named as panels.integrity names them."""
    found = set()
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label not in APPS or meta.db_table.endswith("event"):
            continue
        for constraint in meta.constraints:
            if isinstance(constraint, UniqueConstraint):
                found.add(constraint.name)
        for field in meta.local_fields:
            if field.unique and not field.primary_key:
                found.add(f"{meta.label}.{field.name}")
        for fields in meta.unique_together:
            found.add(f"{meta.label}:{','.join(fields)}")
    return found


def guarded_in_source() -> dict[str, list[str]]:
    """Constraint names passed (as string literals) to refuse_duplicate / created_once."""
    guarded: dict[str, list[str]] = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                if name not in GUARDS:
                    continue
                for arg in node.args:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        guarded.setdefault(arg.value, []).append(str(path.relative_to(ROOT)))
    return guarded


def test_the_walk_finds_the_constraints():
    constraints = unique_constraints()
    assert len(constraints) > 40
    assert "measure_result_once_per_period" in constraints
    assert "members.Application.membership" in constraints  # a OneToOneField


def test_every_unique_constraint_is_refused_or_explained():
    constraints = unique_constraints()
    guarded = guarded_in_source()
    forgotten = sorted(c for c in constraints if c not in guarded and c not in NOT_REFUSED)
    assert not forgotten, (
        "Unique constraints with neither a refusal nor a reason: wrap their create in "
        "panels.integrity.refuse_duplicate(<the check's Reason>, <name>) or add them to "
        f"NOT_REFUSED with the reason no refusal is needed: {forgotten}"
    )


def test_nothing_is_both_refused_and_explained_away_and_no_name_is_stale():
    constraints = unique_constraints()
    guarded = set(guarded_in_source())
    assert not guarded & set(NOT_REFUSED)
    assert not (guarded - constraints), "refuse_duplicate names an unknown constraint"
    assert not (set(NOT_REFUSED) - constraints), "NOT_REFUSED names an unknown constraint"
    assert all(reason.strip() for reason in NOT_REFUSED.values())
