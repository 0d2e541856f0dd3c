"""Charts, made with Altair (Vega-Lite) and rendered to static SVG at build time by
vl-convert-python: no JavaScript, no request to another host when a reader opens the page.

Charts are drawn narrow (about 360 px), so that a phone shows them at full size; the timeline, whose
bars need the width, is drawn twice, for the full column and for a phone (a <picture> picks one). Each row is
labelled on the y axis, level with its own bar, by what it says (wrapped summaries, names), never
by an id. Each chart is followed by its data as a table, the text alternative. A distribution with
a single value gets a sentence instead of a chart of one bar.
"""

from __future__ import annotations

import textwrap

import pandas as pd
from kd_common import Site, esc, plural, present, text
from kd_links import page_href

PLOT = 170  # plot width; with the labels (LABEL_WIDTH) and padding a ~360 px image, full size on a 390 px phone
LABEL_WIDTH = 168
FONT = 13
WIDE_PLOT, WIDE_LABEL = 310, 350  # the timeline in a desktop column (~690 px)
LINE = 14  # label line height
QUAD = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}


def _wrap(value: str, width: int = 24, lines: int = 4) -> str:
    parts = textwrap.wrap(" ".join(str(value).split()), width)
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: width - 1].rstrip(".,;: ") + "…"
    return "\n".join(parts)


def _config(chart):
    return (
        chart.configure(font="sans-serif", background="white")
        .configure_axis(labelFontSize=FONT, titleFontSize=FONT, labelColor="#222", titleColor="#222")
        .configure_legend(labelFontSize=FONT, titleFontSize=FONT, orient="bottom", direction="vertical", labelLimit=320)
        .configure_view(stroke=None)
    )


def _band_axis(label: str, lines: int, width: int = LABEL_WIDTH):
    """The y axis: each row's wrapped label, level with its bar."""
    import altair as alt

    return alt.Y(
        f"{label}:N",
        sort=None,
        title=None,
        axis=alt.Axis(
            labelExpr="split(datum.label, '\\n')",
            labelLimit=width,
            labelLineHeight=LINE,
            labelPadding=6,
            labelBaseline="middle",
            ticks=False,
            domain=False,
            labelFontSize=FONT,
        ),
    )


def _height(lines: int):
    import altair as alt

    return alt.Step(LINE * lines + 14)


def _svg(chart) -> str:
    import vl_convert

    return vl_convert.vegalite_to_svg(_config(chart).to_dict())


def _events_table(site: Site) -> str | None:
    return next((t for t in site.tables if site.has(t, "event_type", "summary", "date")), None)


def _initiator(site: Site, events: str, event_id) -> str:
    """The name of an event's first participant in role order (the initiator first), or ''."""
    for table in site.tables:
        keys = {k.target: k for k in site.fks(table)}
        actor = next((t for t in keys if t != events and site.label_field(t) == "name"), None)
        if events not in keys or actor is None or not site.has(table, "role"):
            continue
        frame = site.frames[table]
        mine = frame[frame[keys[events].field].astype("string") == str(event_id)]
        rank = {r: i for i, r in enumerate(site.categories(table, "role"))}
        mine = mine.assign(_rank=mine["role"].astype(str).map(rank).fillna(len(rank)))
        for row in mine.sort_values("_rank").itertuples(index=False):
            if present(getattr(row, keys[actor].field)):
                return site.label(actor, getattr(row, keys[actor].field))
    return ""


def timeline(site: Site, wide: bool = False):
    """Chart and data of the dated events: bars span the EDTF calendar bounds; a dot marks a date known to
    the day (a one-day bar alone is a hairline). Each event is labelled on one line by its date, its type and
    who acts (wrapped to two lines in the phone version)."""
    import altair as alt

    table = _events_table(site)
    if table is None:
        return None, None
    ev = site.frames[table]
    dated = ev[ev["date_lower"].notna() & ev["date_upper"].notna()].sort_values(["date_lower", "date_upper"])
    labels = []
    for row in dated.to_dict("records"):
        who = _initiator(site, table, row[site.pk(table)])
        label = f"{text(row['date'])} {text(row['event_type']).replace('_', ' ')}" + (f" · {who}" if who else "")
        labels.append(label if wide else _wrap(label, 26, 2))
    one_day = (dated["date_upper"] - dated["date_lower"]) <= pd.Timedelta(days=1)
    data = pd.DataFrame(
        {
            "event": labels,
            "from": dated["date_lower"].dt.strftime("%Y-%m-%d"),
            "to": (dated["date_upper"] + pd.Timedelta(days=1)).dt.strftime("%Y-%m-%d"),
            "day": dated["date_lower"].dt.strftime("%Y-%m-%d").where(one_day),
            "date basis": dated["date_basis"].astype(str).str.replace("_", " "),
        }
    )
    if data.empty:
        return None, None
    lo = dated["date_lower"].min() - pd.offsets.MonthBegin(1)
    hi = dated["date_upper"].max() + pd.offsets.MonthEnd(1)
    one_year = lo.year == hi.year
    months = (hi.year - lo.year) * 12 + hi.month - lo.month
    # a labelled tick for every month over a short span (upright on a phone), per year over a long one
    fmt, ticks = ("%b", "month") if one_year else ("%b %Y", "month") if months <= 8 else ("%Y", "year")
    if ticks == "year":  # whole years, so that the first and last year are labelled too
        lo, hi = lo.to_period("Y").start_time, hi.to_period("Y").end_time.normalize()
    lines = max(len(e.split("\n")) for e in data["event"])
    colour = alt.Color("date basis:N", title="How the date is known", scale=alt.Scale(range=["#0072B2", "#D55E00", "#009E73", "#CC79A7"]))
    x = alt.X(
        "from:T",
        title=str(lo.year) if one_year else None,
        scale=alt.Scale(domain=[lo.strftime("%Y-%m-%d"), hi.strftime("%Y-%m-%d")]),
        axis=alt.Axis(format=fmt, tickCount=ticks, labelAngle=0 if wide else -90, labelFlush=wide, labelOverlap=False, grid=True),
    )
    y = _band_axis("event", lines, WIDE_LABEL if wide else LABEL_WIDTH)
    base = alt.Chart(data)
    bars = base.mark_bar(cornerRadius=2, height=12).encode(x=x, x2="to:T", y=y, color=colour)
    dots = base.transform_filter("datum.day != null").mark_point(filled=True, size=70, opacity=1).encode(x="day:T", y=y, color=colour)
    chart = alt.layer(bars, dots).properties(width=WIDE_PLOT if wide else PLOT, height=_height(lines))
    rows = [
        (s, text(d), text(b).replace("_", " "), lo_.strftime("%Y-%m-%d"), up.strftime("%Y-%m-%d"))
        for s, d, b, lo_, up in zip(
            dated["summary"], dated["date"], dated["date_basis"], dated["date_lower"], dated["date_upper"], strict=True
        )
    ]
    undated = [
        (s, text(b).replace("_", " ")) for s, b, d in zip(ev["summary"], ev["date_basis"], ev["date_lower"], strict=True) if not present(d)
    ]
    return chart, (rows, undated)


def dyad_chart(site: Site):
    """Who acts on whom: dyads from kordata.exports.dyads.dyads(), the one definition of the rule."""
    import altair as alt

    from kordata.exports.dyads import dyads

    frame = dyads(site.pkg.root)
    if frame.empty:
        return None, None
    frame = frame.assign(
        actor2_name=frame["actor2_name"].fillna("(no one named)"),
        kind=frame["quad_class"].map(lambda q: QUAD.get(int(q), "") if present(q) else "no CAMEO code"),
    )
    grouped = (
        frame.groupby(["actor1_name", "actor2_name", "kind"], dropna=False)
        .agg(events=("event_id", "nunique"), summaries=("event_id", lambda ids: sorted(set(ids))))
        .reset_index()
        .sort_values(["actor1_name", "actor2_name"])
    )
    grouped["pair"] = [_wrap(f"{a} → {b}") for a, b in zip(grouped["actor1_name"], grouped["actor2_name"], strict=True)]
    lines = max(len(p.split("\n")) for p in grouped["pair"])
    chart = (
        alt.Chart(grouped.drop(columns="summaries"))
        .mark_bar(height=12)
        .encode(
            x=alt.X("events:Q", title="events", axis=alt.Axis(tickMinStep=1, format="d")),
            y=_band_axis("pair", lines),
            color=alt.Color(
                "kind:N",
                title="CAMEO QuadClass",
                scale=alt.Scale(domain=[*QUAD.values(), "no CAMEO code"], range=["#56B4E9", "#0072B2", "#E69F00", "#D55E00", "#999999"]),
            ),
        )
        .properties(width=PLOT, height=_height(lines))
    )
    events = _events_table(site)
    rows = []
    for r in grouped.itertuples(index=False):
        names = "; ".join(site.label(events, i) for i in r.summaries) if events else ", ".join(r.summaries)
        rows.append((r.actor1_name, r.actor2_name, r.kind, r.events, names))
    return chart, rows


def claims_chart(site: Site):
    """Claims by certainty: a chart when more than one value is used, else (None, rows) and a sentence."""
    import altair as alt

    table = next((t for t in site.tables if site.has(t, "proposition", "certainty")), None)
    if table is None or site.frames[table].empty:
        return None, None
    labels = site.categories(table, "certainty")
    frame = site.frames[table]
    counts = frame["certainty"].astype(str).value_counts()
    order = [v for v in labels if v in counts.index]
    rows = [(v, labels[v], int(counts[v])) for v in order]
    if len(order) < 2:
        return None, rows
    data = pd.DataFrame({"certainty": [_wrap(f"{v}: {labels[v]}") for v in order], "claims": [int(counts[v]) for v in order]})
    lines = max(len(c.split("\n")) for c in data["certainty"])
    chart = (
        alt.Chart(data)
        .mark_bar(height=12, color="#0072B2")
        .encode(
            x=alt.X("claims:Q", title="claims", axis=alt.Axis(tickMinStep=1, format="d")),
            y=_band_axis("certainty", lines),
        )
        .properties(width=PLOT, height=_height(lines))
    )
    return chart, rows


def _charts(site: Site) -> dict:
    cache = site.__dict__.setdefault("_charts", {})
    if not cache:
        cache["timeline"] = timeline(site, wide=True)
        cache["timeline-phone"] = timeline(site)
        cache["dyads"] = dyad_chart(site)
        cache["certainty"] = claims_chart(site)
    return cache


def assets(site: Site) -> dict[str, str]:
    return {f"assets/charts/{name}.svg": _svg(chart) for name, (chart, _) in _charts(site).items() if chart is not None}


def _table(head: list[str], rows: list[tuple]) -> str:
    cells = "".join(f"<tr>{''.join(f'<td>{esc(c)}</td>' for c in row)}</tr>" for row in rows)
    heads = "".join(f'<th scope="col">{esc(h)}</th>' for h in head)
    return (
        f'<div class="kd-scroll" tabindex="0" role="region" aria-label="data table"><table class="kd-data"><thead><tr>{heads}</tr></thead>'
        f"<tbody>{cells}</tbody></table></div>"
    )


def _figure(name: str, alt_text: str, caption: str, table_html: str, phone: str | None = None) -> str:
    source = f'<source media="(max-width: 700px)" srcset="../assets/charts/{phone}.svg">' if phone else ""
    return (
        f'<figure class="kd-chart"><picture>{source}<img src="../assets/charts/{name}.svg" alt="{esc(alt_text)}" id="chart-{name}" '
        'loading="lazy"></picture>'
        f"<figcaption>{caption}</figcaption></figure>\n\n"
        f'<details class="kd-data-table"><summary>The data of this chart, as a table</summary>{table_html}</details>\n'
    )


def page(site: Site) -> str:
    charts = _charts(site)
    out = ["# Charts", "", "Drawn from the tables when the site is built. Each chart's data follows it as a table.", ""]
    chart, data = charts["timeline"]
    if chart is not None:
        rows, undated = data
        out += [
            "## When things happened, and how sure the date is",
            "",
            _figure(
                "timeline",
                f"Timeline of {plural(len(rows), 'dated event')}, each a bar from the first to the last day "
                "its date allows, coloured by how the date is known.",
                "Each bar spans the calendar bounds of the event's EDTF date (a month-only date spans the month); a dot "
                "marks a date known to the day. Each event is labelled by its date, its type and who acts. "
                f"{plural(len(undated), 'event')} without any date {'is' if len(undated) == 1 else 'are'} listed below.",
                _table(["event", "EDTF date", "how the date is known", "earliest day", "latest day"], rows),
                phone="timeline-phone" if charts.get("timeline-phone", (None,))[0] is not None else None,
            ),
            "",
        ]
        if undated:
            out += ["Events without a date:", ""] + [f"- {esc(s)} ({esc(b)})" for s, b in undated] + [""]
    chart, rows = charts["dyads"]
    if chart is not None:
        out += [
            "## Who acts on whom",
            "",
            "Actor 1 acts on actor 2 in each event, by the rule kordata uses everywhere (`kordata.domain`, as in "
            "`kordata export dyads`). Colour: GDELT's QuadClass of the event's CAMEO code.",
            "",
            _figure(
                "dyads",
                f"Bar chart of {plural(len(rows), 'actor pair')}: how many events each actor 1 directs at each actor 2.",
                "One bar per pair of actors; its length is the number of events.",
                _table(["actor 1", "actor 2", "QuadClass", "events", "which"], rows),
            ),
            "",
        ]
    chart, rows = charts["certainty"]
    table = next((t for t in site.tables if site.has(t, "proposition", "certainty")), None)
    if rows:
        out += ["## How certain the claimants are", ""]
        vocab = page_href("vocabularies.md", f"{table}-certainty")
        if chart is not None:
            out += [
                _figure(
                    "certainty",
                    "Bar chart of claims by FactBank certainty of their claimant.",
                    f'FactBank certainty, relative to the claimant (see <a href="{vocab}">Vocabularies</a>).',
                    _table(["value", "meaning", "claims"], rows),
                ),
                "",
            ]
        else:
            value, meaning, n = rows[0]
            out += [
                f"Every one of the {plural(n, 'claim')} has the same FactBank certainty, `{esc(value)}` ({esc(meaning.rstrip('.'))}), "
                f"so there is nothing to chart: no claimant in the text hedges or denies a claim that was coded. "
                f'The values and their meanings are in <a href="{vocab}">Vocabularies</a>.',
                "",
            ]
    return "\n".join(out)
