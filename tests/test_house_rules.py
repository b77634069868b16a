"""Rules a grep can check: scoped models are never read unscoped outside the scope layer."""

import re
from pathlib import Path

from django.apps import apps

from kieumau.accounts.scope import UnitScopedModel

SRC = Path(__file__).resolve().parent.parent / "src" / "kieumau"
# Where reading a unit-scoped model without `visible_to(user)` is allowed: the scope layer itself,
# selectors (which take the user and apply scope), migrations, services that receive objects the
# caller already fetched through scope, evaluation and demo/bench data loaders that run without a user.
ALLOWED = ("accounts/scope.py", "selectors.py", "/migrations/", "demo", "evaluation.py",
           "standing.py")


def scoped_model_names() -> set[str]:
    return {m.__name__ for m in apps.get_models() if issubclass(m, UnitScopedModel)}


def offending_lines(root: Path = SRC) -> list[str]:
    names = scoped_model_names()
    if not names:
        return []
    pattern = re.compile(rf"\b({'|'.join(sorted(names))})\.objects\.(all|get)\(")
    found = []
    for path in root.rglob("*.py"):
        relative = path.relative_to(root).as_posix()
        if any(part in f"/{relative}" for part in ALLOWED):
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if pattern.search(line):
                found.append(f"{relative}:{number}: {line.strip()}")
    return found


def test_no_unscoped_reads_of_unit_scoped_models():
    assert not offending_lines(), "read these through scope (visible_to/get_visible_or_404):\n" + \
        "\n".join(offending_lines())


def test_the_rule_sees_a_violation(tmp_path):
    names = scoped_model_names()
    assert names, "no unit-scoped models: the rule would check nothing"
    name = sorted(names)[0]
    (tmp_path / "views.py").write_text(f"x = {name}.objects.all()\n")
    (tmp_path / "selectors.py").write_text(f"x = {name}.objects.all()\n")
    assert offending_lines(tmp_path) == [f"views.py:1: x = {name}.objects.all()"]


def test_views_and_api_do_not_filter_by_unit_by_hand():
    pattern = re.compile(r"\.filter\([^)]*\bunit(_id)?(__[a-z_]+)?\s*=")
    found = []
    for path in list(SRC.rglob("views.py")) + list(SRC.rglob("*api.py")) + list(SRC.rglob("*views.py")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if pattern.search(line):
                found.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    assert not found, "go through accounts/scope.py or a selector:\n" + "\n".join(sorted(set(found)))
