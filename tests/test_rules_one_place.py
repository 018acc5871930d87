"""Every terms-of-reference rule is computed in one place, panels/rules/ (issue 16, item 3).

Read from the source with ``ast`` (as tests/test_layers.py reads imports), every module of
the project's packages outside panels/rules/ (migrations aside) is checked for the shapes a
second copy of a rule takes, so a new copy cannot slip in beside the rules module:

- the ``holidays`` package (bank holidays are the rules' WorkingCalendar);
- a loop over days: a loop that steps a date a day at a time, or asks ``weekday()`` or
  ``is_working_day`` each time round (working days are ``working_day_on_or_after`` and
  friends on the WorkingCalendar);
- arithmetic on the ToR's quorum and majority fields, or the majority formula ``n // 2 + 1``
  (``rules.quorum_required``, ``rules.vote_outcome``);
- a ToR value with an invented default (``terms.min_meetings_per_year or 4``): where the
  document is silent the rules say so (``rules.meetings_required_per_year``, ``NOT_STATED``);
- years as days / 365.25 (terms and chair years are calendar periods: ``rules.period_end``,
  ``rules.years_served``);
- "voting member" assembled from ``counts_as_member`` and ``is_voting_role``
  (``rules.is_voting_member``).

Each check is also run on a small snippet of the offending shape, so a check that stops
seeing anything fails too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.test_layers import PACKAGES, ROOT

RULES_PACKAGE = ROOT / "panels" / "rules"
# The ToR fields a quorum or a majority is worked out from.
QUORUM_AND_MAJORITY_FIELDS = frozenset(
    {
        "quorum_kind",
        "quorum_number",
        "quorum_fraction",
        "interest_quorum",
        "all_member_majority_motions",
        "decision_method",
        "chair_casting_vote",
    }
)


def _tor_value_fields() -> frozenset[str]:
    """The ToR version's own values (numbers, choices, flags): the ones a caller could give
    an invented default."""
    from panels.models import TermsOfReference

    skip = {"id", "organisation", "panel", "version", "created_at", "updated_at"}
    return frozenset(
        f.name
        for f in TermsOfReference._meta.concrete_fields
        if f.name not in skip and not f.is_relation
    )


def modules_outside_rules() -> list[Path]:
    paths = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if RULES_PACKAGE in path.parents or "migrations" in path.parts:
                continue
            paths.append(path)
    return paths


def _is_one_day(node: ast.AST) -> bool:
    """``timedelta(days=1)`` (or ``timedelta(1)``, ``days=step`` with step 1, a ``ONE_DAY``
    name): the step of a walk over days. A walk by weeks or months is not one."""
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name != "timedelta":
            return False
        values = list(node.args[:1]) + [k.value for k in node.keywords if k.arg == "days"]
        return any(
            isinstance(v, ast.Name)
            or (isinstance(v, ast.Constant) and v.value in (1, -1))
            or (isinstance(v, ast.UnaryOp) and isinstance(v.operand, ast.Constant))
            for v in values
        )
    return isinstance(node, ast.Name) and "DAY" in node.id.upper()


def _calls(node: ast.AST, name: str) -> bool:
    return any(
        isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute | ast.Name)
        and (n.func.attr if isinstance(n.func, ast.Attribute) else n.func.id) == name
        for n in ast.walk(node)
    )


def _loop_parts(loop: ast.For | ast.While) -> list[ast.AST]:
    parts = [loop.test] if isinstance(loop, ast.While) else [loop.iter]
    return parts + list(loop.body)


def _attr_name(node: ast.AST) -> str | None:
    return node.attr if isinstance(node, ast.Attribute) else None


class Finder(ast.NodeVisitor):
    def __init__(self, tor_fields: frozenset[str]):
        self.tor_fields = tor_fields
        self.found: list[tuple[int, str]] = []

    def add(self, node: ast.AST, what: str) -> None:
        self.found.append((node.lineno, what))

    def visit_Import(self, node: ast.Import) -> None:
        if any(alias.name.split(".")[0] == "holidays" for alias in node.names):
            self.add(node, "imports the holidays package")
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if (node.module or "").split(".")[0] == "holidays":
            self.add(node, "imports the holidays package")
        self.generic_visit(node)

    def _visit_loop(self, node: ast.For | ast.While) -> None:
        parts = _loop_parts(node)
        steps_a_date = any(
            isinstance(n, ast.AugAssign)
            and isinstance(n.op, ast.Add | ast.Sub)
            and _is_one_day(n.value)
            for part in parts
            for n in ast.walk(part)
        )
        if steps_a_date:
            self.add(node, "loops over days, stepping a date a day at a time")
        elif any(_calls(part, "is_working_day") or _calls(part, "weekday") for part in parts):
            self.add(node, "loops asking weekday()/is_working_day each time round")
        self.generic_visit(node)

    visit_For = _visit_loop
    visit_While = _visit_loop

    def visit_BinOp(self, node: ast.BinOp) -> None:
        for side in (node.left, node.right):
            if _attr_name(side) in QUORUM_AND_MAJORITY_FIELDS:
                self.add(node, f"arithmetic on the ToR's {_attr_name(side)}")
        if (
            isinstance(node.op, ast.Add)
            and isinstance(node.left, ast.BinOp)
            and isinstance(node.left.op, ast.FloorDiv)
            and isinstance(node.left.right, ast.Constant)
            and node.left.right.value == 2
            and isinstance(node.right, ast.Constant)
            and node.right.value == 1
        ):
            self.add(node, "works out a majority (n // 2 + 1)")
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, float) and node.value in (365.25, 365.2425):
            self.add(node, f"counts years as days / {node.value}")

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        if isinstance(node.op, ast.Or):
            first, *rest = node.values
            field = _attr_name(first)
            if (
                field in self.tor_fields
                and isinstance(first.value, ast.Name | ast.Attribute)
                and any(
                    isinstance(v, ast.Constant)
                    and isinstance(v.value, int | float)
                    and not isinstance(v.value, bool)
                    for v in rest
                )
            ):
                self.add(node, f"gives the ToR's {field} an invented default")
        if isinstance(node.op, ast.And) and (
            _calls(node, "counts_as_member") and _calls(node, "is_voting_role")
        ):
            self.add(node, "assembles 'voting member' from counts_as_member and is_voting_role")
        self.generic_visit(node)


def findings(source: str, tor_fields: frozenset[str]) -> list[tuple[int, str]]:
    finder = Finder(tor_fields)
    finder.visit(ast.parse(source))
    return finder.found


@pytest.mark.parametrize(
    ("snippet", "what"),
    [
        ("import holidays", "holidays"),
        ("from holidays import country_holidays", "holidays"),
        ("while not cal.is_working_day(day):\n    day += timedelta(days=1)", "loops over days"),
        ("while found < n:\n    day += timedelta(days=direction)", "loops over days"),
        ("while d.weekday() >= 5:\n    d = d - ONE_DAY", "weekday()"),
        (
            "for i in range(n):\n    d = start + datetime.timedelta(days=i)\n"
            "    if d.weekday() < 5:\n        found += 1",
            "weekday()",
        ),
        ("needed = terms.quorum_number + 1", "quorum_number"),
        ("share = members * terms.quorum_fraction", "quorum_fraction"),
        ("majority = len(seats) // 2 + 1", "majority"),
        ("count = terms.min_meetings_per_year or 4", "invented default"),
        ("days = 365 * (terms.term_years or 3)", "invented default"),
        ("years = days / 365.25", "365.25"),
        ("ok = rules.counts_as_member(r) and rules.is_voting_role(terms, r)", "voting member"),
    ],
)
def test_each_check_sees_its_shape(snippet, what):
    found = findings(snippet, frozenset({"min_meetings_per_year", "term_years"}))
    assert any(what in message for _line, message in found), (snippet, found)


def test_the_rules_own_shapes_pass_elsewhere():
    """What callers should write instead is not flagged."""
    snippet = (
        "day = calendar.working_day_on_or_after(day)\n"
        "count = rules.meetings_required_per_year(terms) or 0\n"
        "years = rules.years_served(periods, on)\n"
        "voting = rules.is_voting_member(terms, role)\n"
        "for meeting in meetings:\n    meeting.due = meeting.date + timedelta(days=7)\n"
        "while day <= last:\n    day += timedelta(days=step + 3)\n"
    )
    assert findings(snippet, _tor_value_fields()) == []


@pytest.mark.django_db(databases=[])
def test_no_rule_computed_outside_panels_rules():
    tor_fields = _tor_value_fields()
    problems = []
    for path in modules_outside_rules():
        for line, what in findings(path.read_text(), tor_fields):
            problems.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    assert not problems, "Rules computed outside panels/rules/:\n" + "\n".join(problems)
