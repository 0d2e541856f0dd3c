"""The CSV dialect every table is written in: the one definition, as a Table Dialect (declared on
each resource of datapackage.json by ``python -m kordata.build.refresh``) and as the parameters of
Python's csv module. Readers that sniff a dialect guess wrong on some of the tables (datapackage-py,
datapackage-js); a declared one is read as written. A test proves each file round-trips through it.
"""

from __future__ import annotations

# Table Dialect (Data Package v2): comma-separated, a header row, LF line ends, '"' quotes doubled.
TABLE_DIALECT: dict = {"header": True, "delimiter": ",", "lineTerminator": "\n", "quoteChar": '"', "doubleQuote": True}

# The same, for csv.reader / csv.writer.
CSV_PARAMETERS: dict = {"delimiter": ",", "lineterminator": "\n", "quotechar": '"', "doublequote": True}
