"""``python -m kordata``: the same CLI as the ``kordata`` command."""

from .cli import main

raise SystemExit(main())
