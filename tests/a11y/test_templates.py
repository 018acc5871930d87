"""Template comments: Django's {# ... #} is one line only; across lines it is printed on the
page as text (it was, above three phone card lists). Longer comments use {% comment %}."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_no_template_prints_a_comment_meant_to_be_hidden():
    found = []
    for path in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"\{#(?:(?!#\}).)*?\n", text, re.S):
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"{path.relative_to(ROOT)}:{line}")
    assert not found, "a {# comment #} spans lines, so the page shows it: " + ", ".join(found)
