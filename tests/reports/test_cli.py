"""`kieumau report` for scheduled jobs: a file on success, a clear refusal otherwise."""

import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from docx import Document


def report(*args):
    call_command("report", *args)


def test_it_writes_the_report_of_a_unit(users, tmp_path, django_capture_on_commit_callbacks):
    out = tmp_path / "bao-cao.docx"
    with django_capture_on_commit_callbacks(execute=True):
        report("--unit", "40", "--from", "2026-01-01", "--to", "2026-06-30", "--format", "docx",
               "--out", str(out))
    assert "BÁO CÁO" in "\n".join(p.text for p in Document(out).paragraphs)


def test_it_writes_a_table(users, tmp_path, django_capture_on_commit_callbacks):
    out = tmp_path / "v.csv"
    with django_capture_on_commit_callbacks(execute=True):
        report("--unit", "40", "--format", "csv", "--table", "plans", "--out", str(out))
    assert out.read_bytes().startswith("\ufeff".encode())


@pytest.mark.parametrize(("args", "said"), [
    (("--plan", "999/KH-XYZ"), "unknown plan"),
    (("--unit", "99999"), "unknown unit"),
    (("--unit", "40", "--from", "2026-02-30"), "bad date"),
    (("--unit", "40", "--from", "2026-06-01", "--to", "2026-01-01"), "bad date"),
])
def test_bad_arguments_are_refused_with_the_reason(users, tmp_path, args, said):
    with pytest.raises(CommandError, match=said):
        report(*args, "--format", "docx", "--out", str(tmp_path / "x.docx"))


def test_an_unwritable_path_is_refused(users, tmp_path):
    with pytest.raises(CommandError, match="cannot write"):
        report("--unit", "40", "--format", "docx", "--out", str(tmp_path / "no" / "such" / "x"))


def test_a_bad_argument_exits_non_zero_from_the_shell(tmp_path):
    kieumau = [sys.executable, "-c", "from kieumau.cli import main; main()"]
    result = subprocess.run([*kieumau, "report", "--format", "xml", "--out", str(tmp_path / "x")],
                            capture_output=True, text=True, timeout=120,
                            env={"KIEUMAU_DEBUG": "1", "PATH": "/usr/bin:/bin"})
    assert result.returncode != 0
    assert "invalid choice: 'xml'" in result.stderr
