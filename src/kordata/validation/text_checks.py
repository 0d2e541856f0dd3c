"""Layer 3: what the text says. Each value that claims something about the document text is
checked against it: dates, figures, quotation marks, the words a field quotes, mention surfaces,
word boundaries, the sentence segmentation, and the characters of the seed.

Fields whose values must be verbatim in the text are listed once, in VERBATIM (a field missing
from its schema is a failure of the check, never a KeyError). Everything else is derived from
the schemas: every field with the EDTF rdfType is checked as a date.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

import numpy as np
import pandas as pd

from ..tableschema import is_edtf
from .integrity import Context, _edtf_valid
from .report import Failure

LIST_SEPARATOR = " | "  # cells that hold several values separate them with this

# (table, column, where, condition): the column's value (each value of a list) occurs verbatim, as whole
# words, in the row's "quote" or the document "text"; only in rows where
# ``condition`` (column, allowed values) holds.
VERBATIM: list[tuple[str, str, str, tuple[str, tuple[str, ...]] | None]] = [
    ("documents", "title", "text", None),
    ("documents", "outlet", "text", None),
    ("documents", "author", "text", None),
    ("documents", "cited_sources", "text", None),
    ("actors", "title", "text", None),
    ("events", "date_text", "text", None),
    ("events", "location", "text", ("location_basis", ("stated", "partly_stated"))),
    ("statements", "date_text", "text", None),
    ("figures", "unit", "quote", None),
    ("figures", "approximation_cue", "quote", None),
    ("event_relations", "cue", "quote", None),
]

# Fields that hold a noun in the plural ('troops'): the text may give it in the singular ('1 soldier').
PLURAL_NOUNS = {("figures", "unit")}


def _singular(noun: str) -> str:
    return noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun


MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
QUOTATION_MARKS = '"“”„«»'
OPENING_MARKS, CLOSING_MARKS = '"“„«', '"”»'


def _occurs(haystack: str, needle: str) -> bool:
    """``needle`` occurs in ``haystack`` and does not start or end inside a word ('about' is not in 'roundabout')."""
    if not needle:
        return True
    before = r"(?<!\w)" if needle[0].isalnum() else ""
    after = r"(?!\w)" if needle[-1].isalnum() else ""
    return re.search(before + re.escape(needle) + after, haystack) is not None


def check_verbatim(ctx: Context) -> list[Failure]:
    failures: list[Failure] = []
    for table, column, where, condition in VERBATIM:
        frame = ctx.frame(table)
        if frame is None or table not in ctx.package.table_names:
            continue
        needed = [column] + ([condition[0]] if condition else []) + (["document_id"] if table != "documents" else [])
        missing = [c for c in needed if not ctx.has_column(table, c)]
        if missing:
            failures += ctx.missing_column(table, missing[0], "verbatim")
            continue
        values = frame[column]
        mask = (values != "").to_numpy(dtype=bool, copy=True)
        if condition:
            mask &= frame[condition[0]].isin(condition[1]).to_numpy(dtype=bool)
        if not mask.any():
            continue
        docs = frame["document_id"]
        quotes = frame["quote"] if where == "quote" and ctx.has_column(table, "quote") else None
        bad = np.zeros(len(frame), dtype=bool)
        for position in np.flatnonzero(mask):  # rows with a value only
            if docs.iat[position] not in ctx.texts:
                continue  # no text: the seed or span checks report it
            text = ctx.texts[docs.iat[position]] if where == "text" else quotes.iat[position] if quotes is not None else ""
            parts = [p.strip() for p in values.iat[position].split(LIST_SEPARATOR)]
            plural = (table, column) in PLURAL_NOUNS
            bad[position] = not all(_occurs(text, p) or (plural and _occurs(text, _singular(p))) for p in parts if p)
        failures += ctx.fail(table, bad, "verbatim", f"{column} is not verbatim in the {where} (as whole words)", column=column)
    return failures


def _edtf_fields(ctx: Context) -> list[tuple[str, str]]:
    return [(name, f["name"]) for name in ctx.package.table_names if ctx.frame(name) is not None for f in ctx.fields(name) if is_edtf(f)]


def check_dates(ctx: Context) -> list[Failure]:
    """Every field with the EDTF rdfType holds valid EDTF (real calendar dates, interval endpoints
    included) whose lower bound is not after its upper bound."""
    from ..dates import edtf_bounds
    from .convert import isin

    failures = []
    for name, column in _edtf_fields(ctx):
        values = ctx.table(name)[column]
        distinct = pd.Series(pd.unique(values), dtype="str")  # distinct values only: a handful of dates
        valid = distinct[[_edtf_valid(v) for v in distinct]]
        failures += ctx.fail(name, ~isin(values, valid), "edtf", "not a valid EDTF date (syntax and calendar)", column=column)
        good = valid[valid != ""]
        lower, upper = edtf_bounds(good)  # bounds of the distinct valid values, then looked up per row
        reversed_ = good[(lower.notna() & upper.notna() & (lower > upper)).to_numpy()]
        failures += ctx.fail(name, isin(values, reversed_), "edtf-bounds", "the date's lower bound is after its upper bound", column=column)
    return failures


_DATE_PARTS = re.compile(r"^(?P<y>[0-9X]{4})(?P<yq>[?~%]?)(?:-(?P<m>[0-9X]{2})(?P<mq>[?~%]?))?(?:-(?P<d>[0-9X]{2})(?P<dq>[?~%]?))?$")


def _components(value: str) -> list[tuple[str, str, bool]] | None:
    """(kind, digits, certain) of each specified component of a single EDTF date; a qualifier right of
    a component covers it and everything left of it. None for other forms (intervals, seasons)."""
    match = _DATE_PARTS.match(value)
    if not match:
        return None
    parts = [("year", match["y"], match["yq"]), ("month", match["m"], match["mq"]), ("day", match["d"], match["dq"])]
    parts = [p for p in parts if p[1] is not None]
    qualified_up_to = max((i for i, p in enumerate(parts) if p[2]), default=-1)
    return [(kind, digits, i > qualified_up_to) for i, (kind, digits, _) in enumerate(parts) if "X" not in digits]


def _component_stated(kind: str, digits: str, text: str) -> bool:
    if kind == "year":
        return re.search(rf"(?<!\d){digits}(?!\d)", text) is not None
    if kind == "month":
        name = MONTHS[int(digits) - 1] if 1 <= int(digits) <= 12 else ""
        return bool(name) and re.search(rf"\b({name}|{name[:3]}\.?)\b", text, re.IGNORECASE) is not None
    return re.search(rf"(?<!\d)0?{int(digits)}(st|nd|rd|th)?(?!\d)", text) is not None


def check_stated_dates(ctx: Context) -> list[Failure]:
    """A date whose basis says the text states it: every certain component (year, month, day) is in the
    words the row quotes for it (``<field>_text``, else the document text); a partly stated date states
    at least one. The basis column is ``<field>_basis`` or ``<field>_status``."""
    failures = []
    for name, column in _edtf_fields(ctx):
        frame = ctx.table(name)
        basis = next((c for c in (f"{column}_basis", f"{column}_status") if ctx.has_column(name, c)), None)
        if basis is None:
            continue  # the field says nothing about the text (an outside source's date)
        words = f"{column}_text" if ctx.has_column(name, f"{column}_text") else None
        docs = frame["document_id"] if ctx.has_column(name, "document_id") else None
        bad = np.zeros(len(frame), dtype=bool)
        stated = frame[basis].isin(["stated", "partly_stated"]).to_numpy() & (frame[column] != "").to_numpy()
        for position in np.flatnonzero(stated):
            components = _components(frame[column].iat[position])
            if components is None:
                continue  # intervals and seasons: their syntax is checked by check_dates
            text = frame[words].iat[position] if words else ctx.texts.get(docs.iat[position] if docs is not None else "", "")
            found = [_component_stated(kind, digits, text) for kind, digits, _ in components]
            certain_ok = all(ok for ok, (_, _, certain) in zip(found, components, strict=True) if certain)
            partly = frame[basis].iat[position] == "partly_stated"
            bad[position] = not certain_ok or (partly and not any(found)) or (not partly and not all(found))
        failures += ctx.fail(
            name, bad, "date-stated", f"a component the {basis} says is stated does not appear in {words or 'the text'}", column=column
        )
    return failures


_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s+(thousand|million|billion|trillion))?(?![\w])", re.IGNORECASE)
_SCALE = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
# English number words: a closed, short grammar, written out here rather than adding a dependency.
_UNITS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
}
_TENS = {w: 10 * i for i, w in enumerate(["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"], start=2)}
_WORDS = re.compile(r"\b(?:(?:" + "|".join([*_UNITS, *_TENS, "hundred", "dozen", *_SCALE]) + r")(?:[\s-]+|\b))+", re.IGNORECASE)


def _word_number(phrase: str) -> Decimal | None:
    total, current, seen = 0, 0, False
    for word in re.split(r"[\s-]+", phrase.lower().strip()):
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word == "dozen":
            current = max(current, 1) * 12
        elif word in _SCALE:
            total += max(current, 1) * _SCALE[word]
            current = 0
        else:
            continue
        seen = True
    return Decimal(total + current) if seen else None


def stated_numbers(quote: str) -> list[Decimal]:
    """The numbers a quote states: digits with thousands separators and decimals, optionally followed by
    a scale word ('1.5 million'), and English number words ('twelve thousand')."""
    numbers = []
    for match in _NUMBER.finditer(quote):
        value = Decimal(match.group(1).replace(",", "") + (match.group(2) or ""))
        numbers.append(value * _SCALE[match.group(3).lower()] if match.group(3) else value)
    for match in _WORDS.finditer(quote):
        words = _word_number(match.group(0))
        if words is not None:
            numbers.append(words)
    return numbers


def check_figures(ctx: Context) -> list[Failure]:
    """A figure's value is a number its quote states (parsed: '12,000' is 12000; neither 1200 nor 9e9),
    and its span lies within the span of the claim that gives it."""
    figures = ctx.frame("figures")
    if figures is None:
        return []
    for column in ("value", "quote", "claim_id"):
        if not ctx.has_column("figures", column):
            return ctx.missing_column("figures", column, "figures")
    bad = np.zeros(len(figures), dtype=bool)
    for position, (text, quote) in enumerate(zip(figures["value"], figures["quote"], strict=True)):
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = Decimal("NaN")
        bad[position] = not value.is_finite() or value not in stated_numbers(quote)
    failures = ctx.fail("figures", bad, "value-in-quote", "the value is not a number the quote states", column="value")
    claims = ctx.frame("claims")
    if claims is not None and ctx.has_column("claims", "claim_id"):
        from .convert import lookup

        ids = claims["claim_id"]
        c_start = pd.Series(ctx.ints("claims", "start"), dtype="int64")
        c_end = pd.Series(ctx.ints("claims", "end"), dtype="int64")
        c_doc = claims["document_id"]
        start, end = ctx.ints("figures", "start"), ctx.ints("figures", "end")
        cs = lookup(figures["claim_id"], ids, c_start).to_numpy(dtype=float, na_value=np.nan)
        ce = lookup(figures["claim_id"], ids, c_end).to_numpy(dtype=float, na_value=np.nan)
        cd = lookup(figures["claim_id"], ids, c_doc)
        known = ~np.isnan(cs) & (cs >= 0) & (ce >= 0) & (start >= 0) & (end >= 0)
        outside = known & ((start < cs) | (end > ce) | (cd != figures["document_id"]).to_numpy())
        failures += ctx.fail("figures", outside, "within-claim", "the figure's span is not inside the span of its claim", column="claim_id")
    return failures


def check_quotation(ctx: Context) -> list[Failure]:
    """quote_type agrees with the text: 'direct' content is enclosed in quotation marks, 'mixed' quotes
    some of its words, 'indirect' content has no quotation marks."""
    statements = ctx.frame("statements")
    if statements is None:
        return []
    for column in ("quote_type", "quote", "content"):
        if not ctx.has_column("statements", column):
            return ctx.missing_column("statements", column, "quotation")
    import pyarrow.compute as pc

    from .convert import _arrow, flags

    marks = f"[{QUOTATION_MARKS}]"
    kind = statements["quote_type"]
    bad = (kind == "indirect").to_numpy() & flags(pc.match_substring_regex(_arrow(statements["content"]), marks))
    bad |= (kind == "mixed").to_numpy() & ~flags(pc.match_substring_regex(_arrow(statements["quote"]), marks))
    for position in np.flatnonzero((kind == "direct").to_numpy()):  # direct quotes: enclosed in marks
        quote, content = statements["quote"].iat[position], statements["content"].iat[position]
        at = quote.find(content) if content else -1
        after = quote[at + len(content) :].lstrip(",.!?;:") if at >= 0 else ""
        bad[position] = at <= 0 or quote[at - 1] not in OPENING_MARKS or not after or after[0] not in CLOSING_MARKS
    return ctx.fail("statements", bad, "quote-type", "quote_type does not agree with the quotation marks in the quote", column="quote_type")


def check_claims_in_statements(ctx: Context) -> list[Failure]:
    """A claim that names its statement lies within the statement's span, and its claimant is the
    statement's speaker (an actor the person speaker, or both unnamed) - unless statement_note says why not."""
    claims, statements = ctx.frame("claims"), ctx.frame("statements")
    if claims is None or statements is None:
        return []
    for column in ("statement_id", "statement_note", "claimant_kind", "claimant_actor_id"):
        if not ctx.has_column("claims", column):
            return ctx.missing_column("claims", column, "claims-statements")
    from .convert import lookup

    ids = statements["statement_id"]
    s_start = lookup(claims["statement_id"], ids, pd.Series(ctx.ints("statements", "start"), dtype="int64")).to_numpy(
        dtype=float, na_value=np.nan
    )
    s_end = lookup(claims["statement_id"], ids, pd.Series(ctx.ints("statements", "end"), dtype="int64")).to_numpy(
        dtype=float, na_value=np.nan
    )
    s_doc = lookup(claims["statement_id"], ids, statements["document_id"])
    kind = lookup(claims["statement_id"], ids, statements["speaker_kind"])
    speaker = lookup(claims["statement_id"], ids, statements["speaker_actor_id"])
    start, end = ctx.ints("claims", "start"), ctx.ints("claims", "end")
    cited = (claims["statement_id"] != "").to_numpy() & ~np.isnan(s_start) & (claims["statement_note"] == "").to_numpy()
    usable = cited & (start >= 0) & (end >= 0) & (s_start >= 0) & (s_end >= 0)
    outside = usable & ((start < s_start) | (end > s_end) | (s_doc != claims["document_id"]).to_numpy())
    same = ((claims["claimant_kind"] == "actor") & (kind == "person") & (claims["claimant_actor_id"] == speaker)) | (
        (claims["claimant_kind"] == "unnamed_source") & (kind == "unnamed_source")
    )
    failures = ctx.fail(
        "claims",
        outside,
        "claim-in-statement",
        "the claim is not within the span of its statement, and statement_note says nothing",
        column="statement_id",
    )
    failures += ctx.fail(
        "claims",
        cited & ~same.fillna(False).to_numpy(dtype=bool),
        "claimant-is-speaker",
        "the claimant is not the statement's speaker (value: the speaker), and statement_note says nothing",
        column="claimant_actor_id",
        values=speaker.fillna(""),
    )
    return failures


# English pronouns and possessives: a closed word class, listed here (no library keeps it).
PRONOUNS = set(
    [
        "i",
        "me",
        "my",
        "mine",
        "myself",
        "we",
        "us",
        "our",
        "ours",
        "ourselves",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "he",
        "him",
        "his",
        "himself",
        "she",
        "her",
        "hers",
        "herself",
        "it",
        "its",
        "itself",
        "they",
        "them",
        "their",
        "theirs",
        "themselves",
        "this",
        "that",
        "these",
        "those",
        "who",
        "whom",
        "whose",
        "which",
    ]
)
NAMING_KINDS_WITH_TITLE = ("name_with_title",)


def check_mention_surface(ctx: Context) -> list[Failure]:
    """A mention's words are its actor's name or one of its aliases (actors.aliases: other names, short
    names, abbreviations, metonyms, demonyms and allowed descriptions); a name with a title is the
    actor's title (when recorded) and a name or alias; an English pronoun is a pronoun."""
    from .convert import isin

    mentions, actors = ctx.frame("mentions"), ctx.frame("actors")
    if mentions is None or actors is None:
        return []
    for column in ("name", "aliases", "title"):
        if not ctx.has_column("actors", column):
            return ctx.missing_column("actors", column, "mention-surface")
    languages = {}
    documents = ctx.frame("documents")
    if documents is not None and ctx.has_column("documents", "language"):
        languages = dict(zip(documents["document_id"], documents["language"], strict=True))
    forms = pd.DataFrame({"actor": actors["actor_id"], "form": actors["aliases"].str.split(LIST_SEPARATOR, regex=False)}).explode("form")
    forms = pd.concat([pd.DataFrame({"actor": actors["actor_id"], "form": actors["name"]}), forms])
    forms = forms[forms["form"].notna()]
    forms = forms.assign(form=forms["form"].str.strip())
    forms = forms[forms["form"] != ""]
    allowed = (forms["actor"] + "\x1f" + forms["form"]).tolist()
    actor, quote, kind = mentions["actor_id"], mentions["quote"], mentions["kind"]
    known_actor = isin(actor, actors["actor_id"]).to_numpy()  # a dangling actor: layer 1 reports the foreign key
    english = isin(mentions["document_id"], [d for d, language in languages.items() if language.split("-")[0] == "en"]).to_numpy()
    pronoun = (kind == "pronoun").to_numpy() & english
    titled = kind.isin(NAMING_KINDS_WITH_TITLE).to_numpy()
    bad = known_actor & ~pronoun & ~titled & ~isin(actor + "\x1f" + quote, allowed).to_numpy()
    bad |= known_actor & pronoun & ~isin(quote.str.lower(), sorted(PRONOUNS)).to_numpy()
    titles = dict(zip(actors["actor_id"], actors["title"], strict=True))
    by_actor = forms.groupby("actor")["form"].agg(set)
    for position in np.flatnonzero(known_actor & titled):  # names with a title: a few rows
        a, q = actor.iat[position], quote.iat[position]
        title = titles.get(a, "")
        bad[position] = not any(q.endswith(" " + form) and (not title or q == f"{title} {form}") for form in by_actor.get(a, set()))
    return ctx.fail(
        "mentions",
        bad,
        "mention-surface",
        "the words are not the actor's name, a title and name, an alias or (for a pronoun) a pronoun",
        column="quote",
    )


_ASCII_WORD = np.array([chr(c).isalnum() for c in range(128)], dtype=bool)


def _word_flags(codes: np.ndarray) -> np.ndarray:
    """Whether each code point is a letter or digit (Unicode), looked up once per distinct code point."""
    if codes.dtype == np.uint8 or (len(codes) and int(codes.max()) < 128):
        return _ASCII_WORD[codes.astype(np.intp)]
    distinct = np.unique(codes)
    word = np.array([chr(int(c)).isalnum() for c in distinct], dtype=bool)
    return word[np.searchsorted(distinct, codes)]


def check_word_boundaries(ctx: Context) -> list[Failure]:
    """Spans start and end on word boundaries: no span cuts a word in two."""
    failures = []
    for name, frame, start, end in ctx.anchored():
        docs = frame["document_id"].to_numpy()
        bad = np.zeros(len(frame), dtype=bool)
        for doc in pd.unique(docs):
            if doc not in ctx.texts:
                continue
            cp = ctx.codepoints(doc)
            rows = np.flatnonzero((docs == doc) & (start >= 0) & (end > start) & (end <= len(cp)))
            if not len(rows):
                continue
            s, e = start[rows], end[rows]
            first, last = _word_flags(cp[s]), _word_flags(cp[e - 1])
            before = np.where(s > 0, _word_flags(cp[np.maximum(s - 1, 0)]), False)
            after = np.where(e < len(cp), _word_flags(cp[np.minimum(e, len(cp) - 1)]), False)
            bad[rows] = (first & before) | (last & after)
        failures += ctx.fail(name, bad, "word-boundary", "the span starts or ends inside a word", column="start")
    return failures


def check_sentences(ctx: Context) -> list[Failure]:
    """documents.sentences equals the document's sentence rows; indices run 0, 1, 2 ... in text order;
    sentences do not overlap and only white space lies between, before and after them."""
    sentences, documents = ctx.frame("sentences"), ctx.frame("documents")
    if sentences is None or documents is None:
        return []
    for column in ("index",):
        if not ctx.has_column("sentences", column):
            return ctx.missing_column("sentences", column, "sentences")
    failures = []
    docs = sentences["document_id"].to_numpy()
    counts = pd.Series(docs).value_counts()
    if ctx.has_column("documents", "sentences"):
        expected = documents["sentences"]
        actual = documents["document_id"].map(lambda d: str(int(counts.get(d, 0))))
        failures += ctx.fail(
            "documents",
            (expected != actual).to_numpy(),
            "sentence-count",
            "does not equal the document's rows in sentences (value: those rows)",
            column="sentences",
            values=actual,
        )
    start, end = ctx.ints("sentences", "start"), ctx.ints("sentences", "end")
    index = ctx.ints("sentences", "index")
    bad_index = np.zeros(len(sentences), dtype=bool)
    bad_tiling = np.zeros(len(sentences), dtype=bool)
    for doc in pd.unique(docs):
        rows = np.flatnonzero(docs == doc)
        order = rows[np.argsort(start[rows], kind="stable")]
        bad_index[order] = index[order] != np.arange(len(order))
        if doc not in ctx.texts:
            continue
        cp = ctx.codepoints(doc)
        usable = order[(start[order] >= 0) & (end[order] > start[order]) & (end[order] <= len(cp))]
        if not len(usable):
            continue
        s, e = start[usable], end[usable]
        gap_start = np.concatenate([[0], e])
        gap_end = np.concatenate([s, [len(cp)]])
        overlap = gap_end < gap_start  # a sentence starting before the previous one ends
        lengths = np.clip(gap_end - gap_start, 0, None)
        positions = np.repeat(gap_start - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths) + np.arange(lengths.sum())
        gap_codes = cp[positions]
        distinct = np.unique(gap_codes)
        space = np.array([chr(int(c)).isspace() for c in distinct], dtype=bool)
        not_space = ~space[np.searchsorted(distinct, gap_codes)] if len(gap_codes) else np.zeros(0, dtype=bool)
        if len(gap_codes):
            firsts = np.minimum(np.concatenate([[0], np.cumsum(lengths)[:-1]]), len(gap_codes) - 1)
            gap_bad = (lengths > 0) & (np.add.reduceat(not_space, firsts) > 0)
        else:
            gap_bad = np.zeros(len(lengths), dtype=bool)
        gap_bad |= overlap
        # a bad gap is blamed on the sentence after it (the last gap on the last sentence)
        blame = np.concatenate([usable, usable[-1:]])
        bad_tiling[blame[gap_bad]] = True
    failures += ctx.fail("sentences", bad_index, "sentence-index", "indices do not run 0, 1, 2 ... in text order", column="index")
    failures += ctx.fail(
        "sentences",
        bad_tiling,
        "sentence-tiling",
        "sentences overlap, or text other than white space lies outside every sentence",
        column="start",
    )
    return failures


def check_figures_recorded(ctx: Context) -> list[Failure]:
    """figures holds every number the text gives: each number in digits in a document lies within a
    figure's span, unless it is part of a date a row quotes (a ``*_text`` field)."""
    figures = ctx.frame("figures")
    failures: list[Failure] = []
    covered: dict[str, list[tuple[int, int]]] = {doc: [] for doc in ctx.texts}
    if figures is not None:
        for doc, s, e in zip(figures["document_id"], ctx.ints("figures", "start"), ctx.ints("figures", "end"), strict=True):
            if doc in covered:
                covered[doc].append((int(s), int(e)))
    for name in ctx.package.table_names:
        frame = ctx.frame(name)
        if frame is None or not ctx.has_column(name, "document_id"):
            continue
        for column in [f["name"] for f in ctx.fields(name) if f["name"].endswith("_text")]:
            given = (frame[column] != "").to_numpy()
            for doc, words in zip(frame["document_id"][given], frame[column][given], strict=True):
                text = ctx.texts.get(doc)
                if text:
                    covered[doc] += [(m.start(), m.end()) for m in re.finditer(re.escape(words), text)]
    for doc, text in ctx.texts.items():
        spans = sorted(covered[doc])
        starts = np.array([a for a, _ in spans], dtype=np.int64)
        ends = np.maximum.accumulate(np.array([e for _, e in spans], dtype=np.int64)) if spans else np.zeros(0, np.int64)
        found = [(m.start(), m.end(), m.group(0)) for m in _NUMBER.finditer(text)]  # digits: words such as 'one' are too often no number
        if not found:
            continue
        m_start = np.array([a for a, _, _ in found], dtype=np.int64)
        m_end = np.array([e for _, e, _ in found], dtype=np.int64)
        k = np.searchsorted(starts, m_start, side="right") - 1
        inside = (k >= 0) & (ends[np.clip(k, 0, None)] >= m_end) if len(starts) else np.zeros(len(found), dtype=bool)
        for position in np.flatnonzero(~inside):
            failures.append(
                Failure(
                    "figures",
                    "figure-missing",
                    f"document {doc} states a number that no figure records (at {found[position][0]})",
                    column="value",
                    value=found[position][2].strip(),
                )
            )
    return failures


def check_seed_characters(ctx: Context) -> list[Failure]:
    """A seed text holds no control character but line breaks and tabs, no zero-width character and no
    bidirectional override."""
    from .schema_layer import forbidden_class

    documents = ctx.frame("documents")
    if documents is None:
        return []
    forbidden = re.compile(forbidden_class())
    bad = np.array([bool(forbidden.search(ctx.texts.get(doc, ""))) for doc in documents["document_id"]], dtype=bool)
    return ctx.fail(
        "documents",
        bad,
        "seed-characters",
        "the seed text holds control, format, invisible (default-ignorable) or private-use characters",
        column="path",
    )


CHECKS: list[tuple[str, str, Callable[[Context], list[Failure]]]] = [
    ("dates", "every EDTF field (rdfType EDTF) holds real calendar dates, interval endpoints included, with ordered bounds", check_dates),
    ("stated-dates", "a date the text states has every certain component in the words it quotes", check_stated_dates),
    ("verbatim", "titles, cues, units, date words and sources quoted from the text occur in it as whole words", check_verbatim),
    ("figures", "a figure's value is a number its quote states, and it lies within its claim", check_figures),
    ("figures-recorded", "every number the text gives is recorded in figures (numbers in quoted dates aside)", check_figures_recorded),
    ("quotation", "quote_type agrees with the quotation marks of the statement", check_quotation),
    (
        "claims-statements",
        "a claim lies within its statement and its claimant is the speaker, or statement_note says why",
        check_claims_in_statements,
    ),
    (
        "mention-surface",
        "a mention's words are its actor's name, title and name, alias or (for a pronoun) a pronoun",
        check_mention_surface,
    ),
    ("word-boundaries", "no span starts or ends inside a word", check_word_boundaries),
    ("sentences", "sentence counts and indices agree, and sentences tile the text", check_sentences),
    ("seed-characters", "the seed text holds no control, zero-width or bidirectional-control characters", check_seed_characters),
]
