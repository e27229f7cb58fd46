"""The judge of every roster the tests see: the project's own checker
(``scheduler.roster.check``, through the report ``python -m scheduler check``
prints), and additionally the exchange format's reference checker,
``roster_check.py``, when a ``shared/`` folder lies beside the clone.

A fresh clone therefore passes its own tests alone, and a clone with the
reference beside it holds our reading of the rules to the reference's on
every roster judged: the validity, the rules broken and the four metrics
must agree, or the judgement fails.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

from scheduler.__main__ import check_report
from scheduler.roster import problem_from_json, solution_from_json

SHARED_CHECKER = Path(__file__).resolve().parents[2] / "shared" / "roster_check.py"


def _load_reference() -> ModuleType | None:
    if not SHARED_CHECKER.exists():
        return None
    spec = importlib.util.spec_from_file_location("roster_check", SHARED_CHECKER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["roster_check"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


#: shared/roster_check.py when it is beside the clone, else None.
REFERENCE: ModuleType | None = _load_reference()


def _exact(doc: Any) -> Any:
    """A JSON document as a reader of the file sees it (decimals exact)."""
    return json.loads(json.dumps(doc, ensure_ascii=False), parse_float=Decimal)


def ours(problem_doc: Any, solution_doc: Any) -> dict[str, Any]:
    """Our checker's report on a problem and a solution (format v1 documents)."""
    problem = problem_from_json(_exact(problem_doc))
    answer = _exact(solution_doc)
    status, rest = solution_from_json(answer, problem)
    return check_report(problem, answer, status, rest)


def reference(problem_doc: Any, solution_doc: Any) -> dict[str, Any]:
    """The reference checker's report; only when ``REFERENCE`` is there."""
    assert REFERENCE is not None
    problem = REFERENCE.parse_problem(_exact(problem_doc))
    report: dict[str, Any] = REFERENCE.check(problem, REFERENCE.parse_solution(_exact(solution_doc), problem))
    return report


def judge(problem_doc: Any, solution_doc: Any) -> dict[str, Any]:
    """Our report on a roster, held to the reference checker's when it is there."""
    report = ours(problem_doc, solution_doc)
    if REFERENCE is not None:
        theirs = reference(problem_doc, solution_doc)
        assert (report["valid"], report["status"]) == (theirs["valid"], theirs["status"])
        assert sorted({v["rule"] for v in report["violations"]}) == sorted({v["rule"] for v in theirs["violations"]})
        assert report["metrics"] == theirs["metrics"]
        assert report["notes"] == theirs["notes"]
    return report
