"""Normalisation, quotes and spans, and the deterministic completion of briefs (own test articles)."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from summarizer import areas, enrich, grounding
from summarizer.schema import Area, Brief, Meeting, MeetingDate, Participant

ARTICLE = """Brazil and Japan agree to expand trade
BRASILIA (Agência Brasil) – Brazil's Foreign Minister José Álvarez met Japanese Foreign Minister Hiro Tanaka on Wednesday.
Álvarez said the two countries would deepen trade and “expand cooperation in renewable energy.”
Tanaka invited Alvarez to visit Tokyo in March.
Later, Alvarez spoke by phone with Kenya's President Amani Otieno about agriculture.
"""


def test_names_match_after_folding_case_accents_and_space():
    assert grounding.name_in_text("jose  ALVAREZ", ARTICLE)
    assert grounding.name_in_text("José Álvarez", ARTICLE)
    assert not grounding.name_in_text("Alvare", ARTICLE)  # a word, not part of one
    assert not grounding.name_in_text("Maria Lopez", ARTICLE)


def test_quotes_are_found_with_their_span_and_typographic_marks_folded():
    quote = 'expand cooperation in renewable energy."'
    span = grounding.find_quote(quote, ARTICLE)
    assert span is not None and ARTICLE[span[0]:span[1]].startswith("expand cooperation")
    assert grounding.find_quote("expand   cooperation\nin renewable", ARTICLE) is not None
    assert grounding.find_quote("expand ties in renewable energy", ARTICLE) is None
    assert grounding.whitespace_verbatim("deepen  trade", ARTICLE)


def test_sentences_keep_offsets_and_skip_abbreviations():
    text = "Dr. Smith met the U.S. envoy. They agreed on trade.\nNext line"
    sentences = grounding.split_sentences(text)
    assert [s.text for s in sentences] == ["Dr. Smith met the U.S. envoy.", "They agreed on trade.", "Next line"]
    assert all(text[s.start:s.end] == s.text for s in sentences)


def test_schema_grounding_rejects_invented_names_and_paraphrases():
    meeting = {"participants": [{"name": "Hiro Tanaka"}, {"name": "Ana Invented"}]}
    with pytest.raises(ValidationError, match="does not occur in the article"):
        Meeting.model_validate(meeting, context={"article": ARTICLE})
    area = {"participants": [{"name": "Hiro Tanaka"}],
            "agreed_areas": [{"area": "energy", "evidence": "they will cooperate on green power"}]}
    with pytest.raises(ValidationError, match="not a verbatim quote"):
        Meeting.model_validate(area, context={"article": ARTICLE})
    with pytest.raises(ValidationError):
        Meeting.model_validate({"agreed_areas": [{"area": "space"}]})
    Meeting.model_validate(meeting)  # without the article, no grounding is asked


@pytest.mark.parametrize("words, published, expected", [
    ("on Wednesday", dt.date(2024, 3, 8), dt.date(2024, 3, 6)),
    ("Friday", dt.date(2024, 3, 8), dt.date(2024, 3, 8)),
    ("yesterday", dt.date(2024, 3, 8), dt.date(2024, 3, 7)),
    ("Jan 31", dt.date(2024, 2, 2), dt.date(2024, 1, 31)),
    ("December 30", dt.date(2024, 1, 3), dt.date(2023, 12, 30)),
    ("on 5 May 2023", None, dt.date(2023, 5, 5)),
    ("on Wednesday", None, None),
    ("last month", dt.date(2024, 3, 8), None),
])
def test_dates_resolve_only_from_stated_facts(words, published, expected):
    assert enrich.resolve_date(words, published) == expected


def test_article_header_facts():
    assert enrich.headline(ARTICLE) == "Brazil and Japan agree to expand trade"
    assert enrich.dateline_city(ARTICLE) == "Brasilia"
    assert enrich.published_date("Mar 08, 2024 10:00 UTC\nHeadline\nBody.") == dt.date(2024, 3, 8)
    assert enrich.published_date(ARTICLE) is None
    assert enrich.dateline_city("LONDON, March 3 - text") == "London"


@pytest.mark.parametrize("title, country, expected", [
    ("Japanese Foreign Minister", "Japan", "Foreign Minister"),
    ("Kenya's President", "Kenya", "President"),
    ("Minister of Trade of Brazil", "Brazil", "Minister of Trade"),
    ("Independent Senator", "India", "Independent Senator"),
    ("Ost Ruritanian Prime Minister", "Ost Ruritania", "Prime Minister"),  # a country of two words
    ("Prime Minister of Ost Ruritania", "Ost Ruritania", "Prime Minister"),
    ("Governor of the Republic", "Chile", "Governor"),  # the state itself, unnamed
    ("Minister of Trade of the Federal Republic of Ruritania", "Ruritania", "Minister of Trade"),
    ("Secretary General of the Lakes Union", "Lakes Union", "Secretary General"),  # a body as "country"
    ("Secretary General of the Lakes Union Secretariat", "Lakes Union", "Secretary General"),
    ("Secretary General of the United Nations", "United Nations", "Secretary General"),
    ("Head of State", "Chile", "Head of State"),  # an office that ends in a generic word keeps it
    ("Minister of Foreign Affairs", "Chile", "Minister of Foreign Affairs"),
])
def test_titles_lose_the_country_word(title, country, expected):
    assert enrich.clean_title(title, country) == expected


@pytest.mark.parametrize("word, country, same", [
    ("Chinese", "China", True), ("Swedish", "Sweden", True), ("Norwegian", "Norway", True),
    ("Portuguese", "Portugal", True), ("Kyrgyz", "Kyrgyzstan", True), ("Peruvian", "Peru", True),
    ("Nigerien", "Niger", True), ("Austrian", "Austria", True),
    # A shared stem is not enough when the rest is no adjective's ending: another country.
    ("Nigerien", "Nigeria", False), ("Australian", "Austria", False), ("Austrian", "Australia", False),
])
def test_a_country_word_is_the_country_or_its_adjective_not_a_neighbours(word, country, same):
    assert enrich.country_word(word, country) is same


def test_names_lose_offices_and_offices_are_not_names():
    assert enrich.clean_name("Japanese Foreign Minister Hiro Tanaka", "Japan") == "Hiro Tanaka"
    assert enrich.clean_name("Kenya's President Amani Otieno", None) == "Amani Otieno"
    assert enrich.clean_name("Chairman of the National Security Council", None) == ""


def test_aliases_and_people_across_meetings():
    assert enrich.find_aliases("José Álvarez", ARTICLE) == ["Alvarez", "Álvarez"]
    brief = Brief(article_id="x", meetings=[
        Meeting(participants=[Participant(name="José Álvarez", title="Brazil's Foreign Minister", country="Brazil"),
                              Participant(name="Hiro Tanaka", title="Foreign Minister", country="Japan")],
                date=MeetingDate(text="on Wednesday")),
        Meeting(participants=[Participant(name="Amani Otieno", title="President", country="Kenya")], format="phone"),
    ])
    done = enrich.complete(brief, ARTICLE)
    first, second = done.meetings
    assert first.participants[0].title == "Foreign Minister"
    assert first.participants[0].aliases == ["Alvarez", "Álvarez"]
    assert first.venue.city == "Brasilia"  # the dateline
    # the lone participant's missing side is the traveller from another country
    assert {p.name for p in second.participants} == {"Amani Otieno", "José Álvarez"}
    assert done.headline == "Brazil and Japan agree to expand trade"
    assert "spoke by phone with" in done.summary


def test_same_pair_on_different_days_stays_two_meetings_only_where_the_article_dates_both():
    people = [Participant(name="Hiro Tanaka"), Participant(name="José Álvarez")]
    def meetings() -> list[Meeting]:
        return [Meeting(participants=people, date=MeetingDate(text="on Monday")),
                Meeting(participants=people, date=MeetingDate(text="on Friday")),
                Meeting(participants=people, date=MeetingDate(text="on Friday"))]
    def theirs(text: str) -> list[Meeting]:  # (the article's call with Otieno is a meeting of its own)
        brief = enrich.complete(Brief(article_id="x", meetings=meetings()), text)
        return [m for m in brief.meetings if {p.name for p in m.participants} == {"Hiro Tanaka", "José Álvarez"}]
    twice = ARTICLE + "Tanaka first met Álvarez on Monday. Álvarez and Tanaka met again on Friday.\n"
    assert [m.date.text for m in theirs(twice)] == ["on Monday", "on Friday"]
    # Dates the article never writes beside the pair are a model's guesses: one meeting.
    assert len(theirs(ARTICLE)) == 1


def test_area_lexicon_needs_a_cooperation_sentence():
    assert {a for a, _ in areas.labels_in("The two sides agreed to expand trade and tourism.")} == \
        {Area.trade, Area.tourism}
    assert areas.labels_in("Tourism fell last year.") == []  # a fact, not something done together
    assert areas.labels_in("The two nations have long military and social ties.") == []  # what is, not what they will do
    assert {a for a, _ in areas.labels_in("They will cooperate within the SCO and on IT.")} >= \
        {Area.multilateral, Area.science_technology}
    assert Area.science_technology not in {a for a, _ in areas.labels_in("It will boost trade.")}
    assert {a for a, _ in areas.labels_in("They agreed to cooperate on digitalization.")} == {Area.science_technology}
    # A ministry's portfolio is an office, not a field of cooperation.
    assert {a for a, _ in areas.labels_in("Minister of Fisheries and Trade Jan Novak agreed to cooperate on energy.")} \
        == {Area.energy}
    # So is a word of an institution's or an agreement's name.
    assert {a for a, _ in areas.labels_in("They agreed to convene the Ruritanian Economic Council and to boost tourism.")} \
        == {Area.tourism}
    assert Area.economy in {a for a, _ in areas.labels_in("Economic ties will be boosted by the Joint Commission.")}


def test_meetings_get_their_own_sentences():
    sentences = grounding.split_sentences(ARTICLE)
    m1 = Meeting(participants=[Participant(name="José Álvarez"), Participant(name="Hiro Tanaka")])
    m2 = Meeting(participants=[Participant(name="José Álvarez"), Participant(name="Amani Otieno")])
    seg1, seg2 = areas.segments([m1, m2], sentences)
    assert seg1[0].number == 1 and all("Otieno" not in s.text for s in seg1)
    assert [s.text for s in seg2] == [sentences[-1].text]
    assert areas.find_areas(seg2) == {}  # "about agriculture" speaks of no acting together
    # A repeat of a meeting (merged later) does not take its people's sentences from it.
    repeat = m2.model_copy(deep=True)
    assert [s.text for s in areas.segments([m1, m2, repeat], sentences)[2]] == [sentences[-1].text]


def test_a_cooperation_word_inside_a_name_speaks_of_no_acting_together():
    assert areas.labels_in("Trade was the main topic for the Minister of Trade and Cooperation, Jan Novak.") == []
    assert {a for a, _ in areas.labels_in("Cooperation in trade was the main topic.")} == {Area.trade}


def test_working_with_an_international_body_is_multilateral():
    assert Area.multilateral in {a for a, _ in areas.labels_in("They discussed future cooperation with the IMF.")}
    assert areas.labels_in("The IMF released its report.") == []  # no acting together


@pytest.mark.parametrize("sentence", [
    "The two leaders met on the sidelines of the ASEAN summit and agreed to boost trade.",
    "The ministers, in town for the UN General Assembly session, agreed to boost trade.",
    # However long the gathering's name, the body closes it.
    "On the sidelines of the 12th Ordinary Session of the Assembly of Heads of State and Government of the "
    "African Union, the two leaders agreed to boost trade.",
])
def test_a_body_that_names_where_the_sides_met_is_not_multilateral_cooperation(sentence):
    assert {a for a, _ in areas.labels_in(sentence)} == {Area.trade}


@pytest.mark.parametrize("sentence", ["They agreed to work together to resolve the crisis.",
                                      "They stressed the need for a lasting ceasefire.",
                                      "Both sides agreed to cooperate to ease tensions.",
                                      "They agreed to coordinate their efforts on the situation in Ruritania."])
def test_a_third_countrys_crisis_handled_together_is_regional(sentence):
    assert {a for a, _ in areas.labels_in(sentence)} == {Area.regional}


@pytest.mark.parametrize("sentence, labels", [
    ("They agreed to strengthen joint action for security and stability in the neighbouring country.", set()),
    ("They agreed to cooperate on energy security.", {Area.energy}),
    ("The talks were attended by senior security officials, who agreed to boost trade.", {Area.trade}),
    ("They agreed to expand cooperation in defence and security.", {Area.security}),
])
def test_security_as_a_setting_a_kind_of_another_area_or_an_office_is_not_security_cooperation(sentence, labels):
    assert {a for a, _ in areas.labels_in(sentence)} - {Area.regional} == labels


@pytest.mark.parametrize("sentence, inviter, invitee", [
    ("Tanaka invited Alvarez to visit Tokyo in March.", "Tanaka", "Alvarez"),
    ("Alvarez was invited by Tanaka to visit Tokyo.", "Tanaka", "Alvarez"),
    ("Upon an invitation from Tanaka, Alvarez arrived in Tokyo.", "Tanaka", "Alvarez"),
    ("He extended an invitation to Alvarez to attend the summit.", None, "Alvarez"),
])
def test_a_swapped_invitation_is_put_right(sentence, inviter, invitee):
    from summarizer.invitations import _oriented

    assert _oriented(inviter, invitee, sentence) == (inviter, invitee)
    if inviter:
        assert _oriented(invitee, inviter, sentence) == (inviter, invitee)



@pytest.mark.parametrize("text, city, published", [
    ("Lagos March 3 /2022 /NAN/ President Ada Obi today met the visiting envoy.", "Lagos", dt.date(2022, 3, 3)),
    ("Quito/Lima, Jun 5 (Wire) The two ministers met in the capital.", "Quito", None),
    ("Doha: The emir received the visiting minister on Monday.", "Doha", None),
    ("OSLO, Norway — The two premiers met on Friday.", "Oslo", None),
    ("Ties deepen\n3 May 2024\nPress Agency (Arlen)\nPort Arlen — The President received the envoy.", "Port Arlen",
     dt.date(2024, 5, 3)),
    ("Analysis: why the summit failed\nThe talks ended.", None, None),
    ("PORT ARLEN. WIRENEWS – The President received the envoy.", "Port Arlen", None),  # the agency after a stop
    ("ST. ARLEN - The President received the envoy.", "St. Arlen", None),
    ("Ties deepen\nWire Service Published 4 Feb, 2024 10:00am\nHANOI: The leaders met.", "Hanoi", dt.date(2024, 2, 4)),
    ("Ties deepen\nThe minister spoke.\n- Jane Doe (@jd) October 31, 2021", None, None),  # a quoted post's date
])
def test_datelines_and_publication_dates_as_news_writes_them(text, city, published):
    assert enrich.dateline_city(text) == city
    assert enrich.published_date(text) == published


def test_a_lone_person_gets_the_other_side_only_when_the_article_reports_them_meeting_someone():
    def lone() -> list[Meeting]:
        return [Meeting(participants=[Participant(name="José Álvarez", country="Brazil"),
                                      Participant(name="Hiro Tanaka", country="Kenya")]),  # one candidate
                Meeting(participants=[Participant(name="Amani Otieno", country="Kenya")])]
    met = lone()
    enrich.complete_pairs(met, ARTICLE)  # "Alvarez spoke by phone with Kenya's President Amani Otieno"
    assert {p.name for p in met[1].participants} == {"Amani Otieno", "José Álvarez"}
    said = lone()
    enrich.complete_pairs(said, ARTICLE.replace("Later, Alvarez spoke by phone with Kenya's President Amani Otieno about "
                                                "agriculture.", "Kenya's President Amani Otieno praised agriculture."))
    assert [p.name for p in said[1].participants] == ["Amani Otieno"]
