"""Layer 3: checks of the event domain (event relations, CAMEO and PLOVER agreement, ...).

The contract: ``CHECKS`` is a list of ``(name, description, fn)``; ``fn(ctx)`` takes the layer-3
Context (kordata.validation.integrity: ``ctx.frame``, ``ctx.table``, ``ctx.fail``, ``ctx.texts``,
``ctx.ints``, ``ctx.package``, ``ctx.has_column``, ``ctx.missing_column``) and returns a list of
kordata.validation.report.Failure, each naming table, row, row id, column and rule. Layer 3 runs
every check listed here after kordata's own (kordata.validation.integrity.all_checks), and
reports each as one check named ``name``; a check that needs a column the schema lacks reports
it with ``ctx.missing_column`` rather than raising.
"""

from __future__ import annotations

from collections.abc import Callable

from .integrity import Context
from .report import Failure

CHECKS: list[tuple[str, str, Callable[[Context], list[Failure]]]] = []
