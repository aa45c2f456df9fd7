"""The dashboard's charts as Vega-Lite specs, written with Altair.

Each spec reads a named dataset; the page fills it with the rows that pass its team and
period filters and renders it with the inlined Vega-Embed.
"""

from __future__ import annotations

import altair as alt

# promotable work in blues, hidden work in distinct warm and earthy hues, unclassified grey
PROMOTABLE_COLORS = ["#1f4e9c", "#5b8fd6", "#9cc2f0"]
HIDDEN_COLORS = [
    "#d62728",
    "#ff7f0e",
    "#8c564b",
    "#e377c2",
    "#bcbd22",
    "#17becf",
    "#9467bd",
    "#2ca02c",
    "#c49c94",
    "#f7b6d2",
]
OTHER_COLOR = "#b0b0b0"
# incident time bands by their order (business, off, sleep hours): the later, the darker
TIME_BAND_COLORS = {1: "#9ecae1", 2: "#fd8d3c", 3: "#7f2704"}
WIDTH = 560


def category_scale(categories: list[dict]) -> alt.Scale:
    promotable = iter(PROMOTABLE_COLORS * 4)
    hidden = iter(HIDDEN_COLORS * 4)
    colors = [
        next(promotable) if c["kind"] == "promotable" else next(hidden) if c["kind"] == "hidden" else OTHER_COLOR
        for c in categories
    ]
    return alt.Scale(domain=[c["label"] for c in categories], range=colors)


def _week_axis() -> alt.X:
    """Weeks as bands (an ISO date string each): a bar is as wide as its week."""
    return alt.X("week:O", title="Week starting (Monday)", axis=alt.Axis(labelAngle=-45, labelOverlap=True))


# the page adds person_label, author_label, category_label and category_rank to each row
def _category_color(categories: list[dict], title: str = "Category") -> alt.Color:
    return alt.Color(
        "category_label:N", scale=category_scale(categories), title=title, sort=[c["label"] for c in categories]
    )


def organization_charts(categories: list[dict]) -> dict[str, dict]:
    hidden = [c["label"] for c in categories if c["kind"] == "hidden"]
    share = (
        alt.Chart(alt.Data(name="team_share"), title="Non-promotable share of effort, by team and month")
        .mark_line(point=True)
        .encode(
            x=alt.X("month:T", timeUnit="utcyearmonth", title="Month"),
            y=alt.Y(
                "share:Q",
                title="Non-promotable share of attributed hours",
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1]),
            ),
            color=alt.Color("team:N", title="Team"),
            tooltip=[
                alt.Tooltip("team:N", title="Team"),
                alt.Tooltip("month:T", timeUnit="utcyearmonth", title="Month"),
                alt.Tooltip("share:Q", format=".0%", title="Non-promotable share"),
                alt.Tooltip("hidden_hours:Q", format=".0f", title="Non-promotable hours"),
                alt.Tooltip("attributed_hours:Q", format=".0f", title="Attributed hours"),
            ],
        )
        .properties(width=WIDTH, height=260)
    )
    base = alt.Chart(alt.Data(name="concentration")).encode(
        x=alt.X("category_label:N", title="Hidden category", sort=hidden, axis=alt.Axis(labelAngle=-35)),
        y=alt.Y("team:N", title="Team"),
    )
    top = alt.layer(
        base.mark_rect().encode(
            color=alt.Color(
                "mean(top_person_share):Q",
                title="Top person's share",
                scale=alt.Scale(domain=[0, 1], scheme="orangered"),
                legend=alt.Legend(format="%", orient="bottom"),  # beside the map it overflows an A4 page
            ),
            tooltip=[
                alt.Tooltip("team:N", title="Team"),
                alt.Tooltip("category_label:N", title="Category"),
                alt.Tooltip("mean(top_person_share):Q", format=".0%", title="Top person's share (monthly mean)"),
                alt.Tooltip("max(contributors):Q", title="Contributors (most in a month)"),
            ],
        ),
        base.mark_text(fontSize=11).encode(text=alt.Text("mean(top_person_share):Q", format=".0%")),
        title="Concentration: the top person's share of each hidden category (monthly mean)",
    ).properties(width=WIDTH, height=alt.Step(28))
    half = alt.layer(
        base.mark_rect().encode(
            color=alt.Color(
                "mean(people_for_half_of_work):Q",
                title="People for half",
                scale=alt.Scale(scheme="blues", reverse=True, zero=False),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("team:N", title="Team"),
                alt.Tooltip("category_label:N", title="Category"),
                alt.Tooltip(
                    "mean(people_for_half_of_work):Q", format=".1f", title="Fewest people carrying half (monthly mean)"
                ),
            ],
        ),
        base.mark_text(fontSize=11).encode(text=alt.Text("mean(people_for_half_of_work):Q", format=".1f")),
        title="Concentration: the fewest people who carry half of each hidden category (monthly mean)",
    ).properties(width=WIDTH, height=alt.Step(28))
    return {"org_share": share.to_dict(), "org_top_share": top.to_dict(), "org_half": half.to_dict()}


def team_charts(categories: list[dict], time_bands: list[dict]) -> dict[str, dict]:
    allocation = (
        alt.Chart(alt.Data(name="allocation"))
        .mark_bar()
        .encode(
            x=_week_axis(),
            y=alt.Y("sum(hours):Q", title="Hours"),
            color=_category_color(categories),
            order=alt.Order("category_rank:Q"),
            tooltip=[
                alt.Tooltip("person_label:N", title="Person"),
                alt.Tooltip("week:N", title="Week starting"),
                alt.Tooltip("category_label:N", title="Category"),
                alt.Tooltip("sum(hours):Q", format=".1f", title="Hours"),
                alt.Tooltip("sum(events):Q", title="Events"),
            ],
        )
        .properties(width=260, height=140)
        .facet(
            facet=alt.Facet("person_label:N", title=None),
            columns=3,
            title="Weekly allocation per person: promotable work (blues) vs each hidden category",
        )
    )
    reviews = (
        alt.Chart(alt.Data(name="reviews"), title="Review exchange: reviews given (rows) to authors (columns)")
        .mark_rect()
        .encode(
            x=alt.X("author_label:N", title="Author", axis=alt.Axis(labelAngle=-35)),
            y=alt.Y("person_label:N", title="Reviewer"),
            color=alt.Color("sum(reviews):Q", title="Reviews", scale=alt.Scale(scheme="purples")),
            tooltip=[
                alt.Tooltip("person_label:N", title="Reviewer"),
                alt.Tooltip("author_label:N", title="Author"),
                alt.Tooltip("sum(reviews):Q", title="Reviews"),
                alt.Tooltip("sum(requested):Q", title="Requested"),
                alt.Tooltip("sum(unrequested):Q", title="Unrequested"),
            ],
        )
        .properties(width=alt.Step(26), height=alt.Step(22))
    )
    incidents = (
        alt.Chart(alt.Data(name="incidents"), title="Incident work by time of day, in each person's own time zone")
        .mark_bar()
        .encode(
            x=alt.X("person_label:N", title="Person", sort="-y", axis=alt.Axis(labelAngle=-35)),
            y=alt.Y("sum(events):Q", title="Incident events"),
            color=alt.Color(
                "when:N",
                title="When",
                scale=alt.Scale(
                    domain=[band["time_band_label"] for band in time_bands],
                    range=[TIME_BAND_COLORS[band["time_band_order"]] for band in time_bands],
                ),
            ),
            tooltip=[
                alt.Tooltip("person_label:N", title="Person"),
                alt.Tooltip("when:N", title="When"),
                alt.Tooltip("sum(events):Q", title="Events"),
                alt.Tooltip("sum(hours):Q", format=".1f", title="Hours"),
            ],
        )
        .properties(width=WIDTH, height=240)
    )
    onboarding = (
        alt.Chart(alt.Data(name="onboarding"), title="Onboarding and mentoring support")
        .mark_bar(color="#e377c2")
        .encode(
            x=alt.X("person_label:N", title="Person", sort="-y", axis=alt.Axis(labelAngle=-35)),
            y=alt.Y("sum(hours):Q", title="Hours spent onboarding and mentoring"),
            tooltip=[
                alt.Tooltip("person_label:N", title="Person"),
                alt.Tooltip("sum(hours):Q", format=".1f", title="Hours"),
                alt.Tooltip("sum(events):Q", title="Sessions, reviews and comments"),
                alt.Tooltip("distinct(counterpart):Q", title="People supported (incl. none named)"),
            ],
        )
        .properties(width=WIDTH, height=220)
    )
    meetings = (
        alt.Chart(alt.Data(name="meetings"), title="Meeting load: hours in meetings organized and attended")
        .mark_bar()
        .encode(
            x=alt.X("person_label:N", title="Person", sort="-y", axis=alt.Axis(labelAngle=-35)),
            y=alt.Y("sum(hours):Q", title="Meeting hours"),
            color=alt.Color(
                "role:N", title="Role", scale=alt.Scale(domain=["organized", "attended"], range=["#8c564b", "#c7c7c7"])
            ),
            tooltip=[
                alt.Tooltip("person_label:N", title="Person"),
                alt.Tooltip("role:N", title="Role"),
                alt.Tooltip("sum(hours):Q", format=".1f", title="Hours"),
                alt.Tooltip("sum(events):Q", title="Meetings"),
            ],
        )
        .properties(width=WIDTH, height=220)
    )
    return {
        name: chart.to_dict()
        for name, chart in {
            "team_allocation": allocation,
            "team_reviews": reviews,
            "team_incidents": incidents,
            "team_onboarding": onboarding,
            "team_meetings": meetings,
        }.items()
    }


def person_charts(categories: list[dict], target: float) -> dict[str, dict]:
    bars = (
        alt.Chart(alt.Data(name="person_allocation"))
        .mark_bar()
        .encode(
            x=_week_axis(),
            y=alt.Y("sum(hours):Q", stack="normalize", title="Share of the week's effort", axis=alt.Axis(format="%")),
            color=_category_color(categories),
            order=alt.Order("category_rank:Q"),
            tooltip=[
                alt.Tooltip("week:N", title="Week starting"),
                alt.Tooltip("category_label:N", title="Category"),
                alt.Tooltip("sum(hours):Q", format=".1f", title="Hours"),
                alt.Tooltip("sum(events):Q", title="Events"),
            ],
        )
    )
    goal = (
        alt.Chart(alt.Data(name="target"))
        .mark_rule(color="black", strokeDash=[6, 4], size=2)
        .encode(y=alt.Y("target:Q"), tooltip=[alt.Tooltip("target:Q", format=".0%", title="Target promotable share")])
    )
    split = alt.layer(
        bars,
        goal,
        # the person's own target (the organization's `target` unless the roster sets one; none shown for
        # someone not seeking promotion): the page passes it as the `target` dataset
        title="Week by week: promotable work (blues, from the bottom) against their own target (dashed)",
    ).properties(width=WIDTH + 140, height=280)
    return {"person_split": split.to_dict()}


def chart_specs(categories: list[dict], time_bands: list[dict], target: float) -> dict[str, dict]:
    return {
        **organization_charts(categories),
        **team_charts(categories, time_bands),
        **person_charts(categories, target),
    }
