"""One test per meeting construction: short real texts through the real pipeline.

Each asserts what the article says about the meeting (kind, place, date, status, parties),
or that a phrase is not a meeting of its own.
"""

from __future__ import annotations

from diplograph.ingest.records import ArticleExtraction, Meeting


def _only(ex: ArticleExtraction) -> Meeting:
    assert len(ex.meetings) == 1, ex.meetings
    return ex.meetings[0]


def _parties(m: Meeting) -> set[str]:
    """Parties as states: 'USA-GOV' and 'USA' are one party."""
    keys = (*m.participants, *m.hosts, *m.mediators)
    return {k[:3] if k.endswith("-GOV") else k for k in keys}


# -- places


def test_the_demonym_capital_is_the_city(read) -> None:
    m = _only(read("Russia, Iran and Turkey agreed on Friday on a statement, as the eighth round "
                   "of talks in the Kazakh capital ended.", published="2017-12-23"))
    assert m.location == "Astana" and m.round == 8


def test_a_seat_of_government_stands_for_its_capital(read) -> None:
    m = _only(read("French President Emmanuel Macron will host the summit at the Elysee Palace "
                   "on Monday.", published="2019-12-06"))
    assert m.location == "Paris" and m.status == "planned"


def test_the_city_that_hosted_a_summit_is_its_place_and_the_body_names_it(read) -> None:
    m = _only(read("The coastal city of Da Nang, which hosted the Asia-Pacific Economic "
                   "Cooperation summit in November 2017, had also been considered.",
                   published="2019-02-09"))
    assert m.label == "APEC summit" and m.location == "Da Nang" and "APEC" in m.hosts
    assert m.start_date == "2017-11"


def test_the_place_a_where_clause_hangs_on(read) -> None:
    m = _only(read("The format takes its name from the coast of Normandy, where the leaders of "
                   "France and Germany first met in June 2014.", published="2019-12-08"))
    assert m.location == "Normandy" and m.start_date == "2014-06"


def test_where_talks_ended_in_an_agreement_is_where_they_were(read) -> None:
    m = _only(read("After nearly two years of negotiations and a final session that ran through "
                   "the night, the British and Irish governments reached an agreement in Belfast "
                   "on Friday.", published="1998-04-11"))
    assert m.location == "Belfast" and {"GBR", "IRL"} <= _parties(m)


def test_a_trip_to_meet_someone_is_a_planned_meeting_where_they_go(read) -> None:
    m = _only(read("President Santos said his chief negotiators would travel to Havana on "
                   "Monday to meet the rebel leadership.", published="2016-10-03"))
    assert m.location == "Havana" and m.status == "planned" and m.start_date == "2016-10-03"
    assert m.text.startswith("travel to Havana")


# -- status


def test_a_possible_summit_off_the_table_is_cancelled(read) -> None:
    ex = read("Vladimir Putin spoke on Monday. A possible summit between Putin and President "
              "Joe Biden was also off the table for now, the White House said.",
              published="2022-02-23")
    m = _only(ex)
    assert m.status == "cancelled" and {"RUS", "USA"} <= _parties(m)


def test_a_summit_someone_hoped_to_hold_is_planned(read) -> None:
    m = _only(read("Zelensky said he hoped to hold a second summit that could present a common "
                   "plan to Russia."))
    assert m.status == "planned"


def test_a_meeting_in_a_denied_clause_is_none(read) -> None:
    ex = read("Neither side set a date for a third meeting.")
    assert not ex.meetings


# -- one meeting, several mentions


def test_a_definite_meeting_with_a_place_joins_an_earlier_unplaced_one(read) -> None:
    m = _only(read("The junta said it would consider the proposals agreed at a regional summit "
                   "over the weekend. At the meeting in Jakarta on Saturday, leaders of the "
                   "Association of Southeast Asian Nations reached a consensus.",
                   published="2021-04-27"))
    assert m.location == "Jakarta" and m.start_date == "2021-04-24" and "ASEAN" in m.participants


def test_talks_held_at_a_conference_are_the_conference(read) -> None:
    m = _only(read("Negotiations on what should follow the protocol after 2012 are due to begin "
                   "at a UN climate conference in Montreal in late November.",
                   published="2005-02-16"))
    assert m.type == "conference" and m.location == "Montreal" and m.start_date == "2005-11"
    assert "UN" in m.hosts


def test_a_meeting_reported_by_a_verb_merges_into_the_named_one(read) -> None:
    ex = read("The second summit between President Donald Trump and North Korean leader Kim Jong "
              "Un will take place in Hanoi on February 27 and 28. Trump had said that the two "
              "leaders would meet in Vietnam at the end of the month.", published="2019-02-09")
    m = _only(ex)
    assert m.location == "Hanoi" and m.start_date == "2019-02-27" and len(m.evidence) == 2


def test_separate_talks_stay_apart_from_the_summit(read) -> None:
    ex = read("The leaders will meet in Paris on Monday. French President Emmanuel Macron will "
              "host the talks at the Elysee Palace. Separate talks between Russia and Ukraine on "
              "gas transit are expected in the coming days.", published="2019-12-08")
    assert len(ex.meetings) == 2, ex.meetings


# -- signings


def test_a_signing_placed_somewhere_is_a_meeting_of_its_signers(read) -> None:
    m = _only(read("The United States and the Taliban signed an agreement in the Qatari capital "
                   "on Saturday.", published="2020-03-02"))
    assert m.type == "signing" and m.location == "Doha" and m.status == "held"
    assert m.start_date == "2020-02-29" and {"USA", "TALIBAN"} <= _parties(m)
    assert m.text == "signed an agreement in the Qatari capital"


def test_a_signing_adds_city_day_and_signers_to_the_ceremony(read) -> None:
    ex = read("Russia and Ukraine on Friday signed parallel agreements in Istanbul. At a "
              "ceremony in the Dolmabahce Palace, Turkish and UN officials looked on.",
              published="2022-07-23")
    m = _only(ex)
    assert m.location == "Istanbul" and m.start_date == "2022-07-22"
    assert {"RUS", "UKR"} <= _parties(m)


def test_a_signing_done_at_a_meeting_is_that_meeting(read) -> None:
    ex = read("Trump and Kim signed a joint statement in Singapore on Tuesday at the end of the "
              "first meeting between the two leaders.", published="2018-06-12")
    assert [m.type for m in ex.meetings] == ["meeting"], ex.meetings


# -- parties


def test_a_listed_apposition_names_the_parties(read) -> None:
    m = _only(read("Delegates from Iran and the remaining parties to the agreement, namely "
                   "Britain, China, France, Germany and Russia, gathered for a meeting of the "
                   "joint commission on Monday.", published="2021-11-29"))
    assert {"IRN", "GBR", "CHN", "FRA", "DEU", "RUS"} <= _parties(m)


def test_a_list_after_a_colon_names_the_parties(read) -> None:
    m = _only(read("Iran's President Hassan Rouhani said his country had instructed diplomats to "
                   "hold talks with the remaining signatories: Britain, China, France, Germany "
                   "and Russia."))
    assert {"IRN", "GBR", "CHN", "FRA", "DEU", "RUS"} <= _parties(m)


def test_an_ambassador_to_a_country_does_not_speak_for_it(read) -> None:
    ex = read("Stephen Biegun held talks in Pyongyang with his counterpart, Kim Hyok Chol, a "
              "former ambassador to Spain.")
    assert all(not k.startswith("ESP") for m in ex.meetings for k in m.participants)
    assert not any(a.key.startswith("ESP") for a in ex.actors)


def test_signing_something_that_is_no_diplomatic_document_is_no_event(read) -> None:
    ex = read("President Putin signed a decree in Moscow on Monday raising pensions.",
              published="2023-01-10")
    assert not ex.meetings
