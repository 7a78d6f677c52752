"""settle(): each change's choice from its groups' say, on generated agreements and conflicts."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from consult.decide import Names, closest, settle

GROUPS = ["Group 1", "Group 2", "Group 3", "Group 4"]
credit_lists = st.lists(st.lists(st.sampled_from(GROUPS + ["Jane Smith"]), min_size=1,
                                 max_size=3, unique=True), min_size=1, max_size=12)


def projection_say(credits: list[list[str]], group: str) -> list[dict[str, str]]:
    return [{g: "accept" if g == group else "reject" for g in c if g in GROUPS}
            for c in credits]


@settings(max_examples=200, deadline=None)
@given(credit_lists, st.sampled_from(GROUPS))
def test_the_projection_accepts_what_credits_the_group_or_no_group(credits, group):
    out = settle(credits, projection_say(credits, group), [[] for _ in credits], "accept", True)
    # a change that is also someone's who is no group (the draft's author) stays accepted
    assert out.choices == ["accept" if group in c or set(c) - set(GROUPS) else "reject"
                           for c in credits]
    assert out.left_why == []


@settings(max_examples=200, deadline=None)
@given(credit_lists, st.sampled_from(GROUPS))
def test_rejecting_a_group_keeps_what_another_shares(credits, group):
    say = [{group: "reject"} if group in c else {} for c in credits]
    out = settle(credits, say, [[] for _ in credits], "accept", True)
    assert out.choices == ["reject" if c == [group] else "accept" for c in credits]


def test_a_conflict_is_left_while_two_groups_contest_it():
    credits = [["Group 2", "Group 4"], ["Group 2"], ["Group 4"], ["Group 3"]]
    conflicts = [["C1"], ["C1"], ["C1"], []]
    nobody = settle(credits, [{}, {}, {}, {}], conflicts, "accept", True)
    assert nobody.choices == ["leave", "leave", "leave", "accept"]
    assert nobody.left_why == ["conflict C1: no decision"]
    four_out = settle(credits, [{"Group 4": "reject"}, {}, {"Group 4": "reject"}, {}],
                      conflicts, "accept", True)
    assert four_out.choices == ["accept", "accept", "reject", "accept"]
    part = settle(credits, [{}, {}, {"Group 4": "accept"}, {}], conflicts, "accept", True)
    assert part.choices == ["leave", "leave", "accept", "accept"]
    assert part.left_why == ["conflict C1: partly decided"]
    both = settle(credits, [{}, {"Group 2": "accept"}, {"Group 4": "accept"}, {}], conflicts,
                  "accept", True)
    assert both.choices == ["leave", "leave", "leave", "accept"]
    assert both.left_why == ["conflict C1: accepted for more than one group"]


def test_names_from_the_summary_and_the_authors():
    names = Names.of(["Group 1", "Group 2"], ["Group 1 (Priya Shah)", "Jane Smith",
                                              "Group 2 & Group 3", "Group 4 (untracked)"])
    assert names.groups == ["Group 1", "Group 2", "Group 3", "Group 4"]
    assert names.credits("Group 1 (Priya Shah) & Group 3 (untracked)") == ["Group 1", "Group 3"]
    assert names.find("group  2") == "Group 2" and names.find("jane smith") == "Jane Smith"
    assert names.find("Group 9") is None
    assert Names.of(None, ["Jane Smith"]).groups == ["Jane Smith"]


def test_the_closest_group_only_when_one_is_clearly_closest():
    assert closest("Gorup 3", GROUPS) == "Group 3"
    assert closest("Group 9", GROUPS) is None
    assert closest("Finance", GROUPS) is None


def test_unknown_names_stay_on_one_line():
    text = Names(["Group 1", "Group 2"]).unknown("Gro\nup 9\x1b", "c.docx")
    assert text == ("Gro\\x0aup 9\\x1b: no such group. The groups in c.docx are Group 1, "
                    "Group 2.")
