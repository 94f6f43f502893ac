"""Who made an invitation, as news reports it: the subject of "has invited", a government when a country
is the subject, never the messenger who handed it over. Articles here are made up for the tests."""

from __future__ import annotations

import pytest

from summarizer import steps
from summarizer.schema import Brief, Meeting, MeetingDate, Participant, Venue
from summarizer.shapes import InvitationDraft, InvitationsDraft

GOVERNMENT = """Norway invites Uruguayan minister to Oslo
MONTEVIDEO - Norway has formally invited Uruguay's Foreign Minister Ana Ruiz to visit Oslo.
The invitation was handed over by the Norwegian ambassador, Lars Berg, at a meeting with Ruiz on Monday.
Ruiz and Berg agreed to expand trade.
"""

TWO_MINISTERS = """Ministers meet in Geneva
GENEVA - Uruguayan Foreign Minister Ana Ruiz met her Norwegian counterpart Per Lund on Monday.
Norwegian Prime Minister Kari Dahl has invited Uruguayan President Tomas Vera to pay a state visit to Oslo.
During the meeting, the Norwegian foreign minister also invited Ruiz to visit Oslo next year.
"""


def _brief(text: str, people: list[tuple[str, str, str]], drafts: list[InvitationDraft]) -> Brief:
    meeting = Meeting(participants=[Participant(name=n, title=t, country=c) for n, t, c in people],
                      venue=Venue(), date=MeetingDate(text="on Monday"), format="in_person")
    ctx = steps.Context(text=text, grounds=text, answers={"invitations": InvitationsDraft(invitations=drafts)})
    return steps.run(Brief(article_id="x", meetings=[meeting]), ctx)


def _pairs(brief: Brief) -> list[tuple[str | None, str]]:
    return [(i.inviter, i.invitee) for m in brief.meetings for i in m.invitations]


@pytest.mark.parametrize("model_inviter", ["Lars Berg", None])
def test_a_country_as_subject_is_its_government_not_the_messenger(model_inviter):
    brief = _brief(GOVERNMENT, [("Ana Ruiz", "Foreign Minister", "Uruguay"), ("Lars Berg", "Ambassador", "Norway")],
                   [InvitationDraft(inviter=model_inviter, invitee="Ana Ruiz", event="visit to Oslo", place=None, when=None)])
    assert _pairs(brief) == [("Government of Norway", "Ana Ruiz")]


def test_an_office_and_country_word_pick_the_inviter_among_two_ministers():
    people = [("Ana Ruiz", "Foreign Minister", "Uruguay"), ("Per Lund", "Foreign Minister", "Norway")]
    brief = _brief(TWO_MINISTERS, people, [InvitationDraft(inviter="Kari Dahl", invitee="Ana Ruiz", event="visit", place=None, when=None)])
    assert _pairs(brief) == [("Per Lund", "Ana Ruiz")]


def test_a_person_named_as_subject_is_the_inviter_even_when_absent_from_the_meeting():
    people = [("Ana Ruiz", "Foreign Minister", "Uruguay"), ("Per Lund", "Foreign Minister", "Norway")]
    brief = _brief(TWO_MINISTERS, people, [InvitationDraft(inviter=None, invitee="Tomas Vera", event="state visit", place=None, when=None)])
    assert _pairs(brief) == [("Kari Dahl", "Tomas Vera")]


ON_BEHALF = """Envoy invites president
LIMA - Tomas Vera, an adviser to Peruvian President Rosa Quispe, met Chilean Foreign Minister Ana Ruiz on Monday.
Vera invited Ruiz to visit Arequipa in May on behalf of Quispe.
"""


@pytest.mark.parametrize("model_inviter", ["Tomas Vera", "Peru", None])
def test_a_messenger_inviting_on_behalf_of_someone_invites_for_them(model_inviter):
    brief = _brief(ON_BEHALF, [("Tomas Vera", "adviser", "Peru"), ("Ana Ruiz", "Foreign Minister", "Chile")],
                   [InvitationDraft(inviter=model_inviter, invitee="Ana Ruiz", event="visit to Arequipa", place="Arequipa", when="in May")])
    assert _pairs(brief) == [("Rosa Quispe", "Ana Ruiz")]  # the surname alone is the person named in full


BY_A_COUNTRY = """Prime Minister invited to Oslo
Prime Minister Tomas Vera has been invited by Norway to address a leaders' dialogue at the end of the month.
The invitation was delivered in person by the visiting Norwegian envoy, Lars Berg, in Arequipa yesterday.
Vera thanked Berg and said he would accept the invitation to attend the dialogue in Norway.
"""


def test_a_country_read_as_the_invitee_is_the_inviting_government():
    brief = _brief(BY_A_COUNTRY, [("Tomas Vera", "Prime Minister", "Peru"), ("Lars Berg", "Envoy", "Norway")],
                   [InvitationDraft(inviter="Prime Minister Tomas Vera", invitee="Norway", event="dialogue", place=None,
                                    when=None)])
    assert _pairs(brief) == [("Government of Norway", "Tomas Vera")]


def test_whoever_accepts_an_invitation_is_the_invitee():
    text = ("Ruritania's President Jan Novak met Foreign Minister Ana Ruiz in Oslo on Sunday, Novak accepting an "
            "invitation to be the first president of Ruritania to visit Uruguay.\n")
    brief = _brief(text, [("Jan Novak", "President", "Ruritania"), ("Ana Ruiz", "Foreign Minister", "Uruguay")],
                   [InvitationDraft(inviter="Jan Novak", invitee="Ana Ruiz", event="visit to Uruguay", place=None, when=None)])
    assert _pairs(brief) == [("Ana Ruiz", "Jan Novak")]


@pytest.mark.parametrize("model_inviter, model_invitee", [("Jan Novak", "Ana Ruiz"), ("Ana Ruiz", "Jan Novak")])
def test_whoever_accepts_someones_invitation_is_invited_by_them(model_inviter, model_invitee):
    text = ("Ruritania's President Jan Novak accepted with thanks Foreign Minister Ana Ruiz's invitation to Uruguay "
            "when the two met in Oslo on Sunday.\n")
    brief = _brief(text, [("Jan Novak", "President", "Ruritania"), ("Ana Ruiz", "Foreign Minister", "Uruguay")],
                   [InvitationDraft(inviter=model_inviter, invitee=model_invitee, event="visit", place=None, when=None)])
    assert _pairs(brief) == [("Ana Ruiz", "Jan Novak")]


LETTER = """Envoy brings invitation
ARLEN - Envoy Omar Haddad brought an invitation from Norlandic President Ivo Brandt to his Valorian counterpart, Sara Lindholm, on Monday.
Lindholm said she would consider it.
"""


@pytest.mark.parametrize("model_inviter, model_invitee", [("Omar Haddad", "Sara Lindholm"),  # the messenger as inviter
                                                          ("Ivo Brandt", "Omar Haddad")])  # the messenger as invitee
def test_an_invitation_from_a_to_b_invites_b_and_the_messenger_only_carries_it(model_inviter, model_invitee):
    people = [("Omar Haddad", "Envoy", "Norland"), ("Sara Lindholm", "President", "Valoria")]
    brief = _brief(LETTER, people, [InvitationDraft(inviter=model_inviter, invitee=model_invitee, event=None,
                                                    place=None, when=None)])
    assert _pairs(brief) == [("Ivo Brandt", "Sara Lindholm")]


PRONOUNS = {
    "before": "In the call with Ruiz, he invited her to come to Valoria in the spring.",
    "speaker": '"When we spoke, I invited her to come to Valoria in the spring," Vera told reporters.',
}


@pytest.mark.parametrize("where", sorted(PRONOUNS))
def test_pronouns_that_invite_stand_for_the_one_named_before_and_the_speaker_after(where):
    text = (f"Prime Minister Tomas Vera spoke by phone with Norway's Prime Minister Ana Ruiz on Friday.\n"
            f"{PRONOUNS[where]}\n")
    people = [("Tomas Vera", "Prime Minister", "Valoria"), ("Ana Ruiz", "Prime Minister", "Norway")]
    swapped = InvitationDraft(inviter="Ana Ruiz", invitee="Tomas Vera", event="visit", place="Valoria", when=None)
    assert _pairs(_brief(text, people, [swapped])) == [("Tomas Vera", "Ana Ruiz")]


def test_readiness_to_host_an_event_grounds_no_invitation():
    text = ("Prime Minister Tomas Vera spoke by phone with Norway's Prime Minister Ana Ruiz on Friday.\n"
            "Vera also said his country was ready to host the Lakes Forum later this year.\n")
    people = [("Tomas Vera", "Prime Minister", "Valoria"), ("Ana Ruiz", "Prime Minister", "Norway")]
    forum = InvitationDraft(inviter="Tomas Vera", invitee="Ana Ruiz", event="Lakes Forum", place=None, when=None)
    assert _pairs(_brief(text, people, [forum])) == []  # "to host the Lakes Forum" hosts an event, not a person


RECALLED = """Leaders meet
ARLEN - Prime Minister Tomas Vera met Norway's President Ana Ruiz on Friday.
Vera reminded Ruiz of the invitation extended by the President of Uruguay, and Ruiz said she hoped to make the trip soon.
"""


def test_a_government_does_not_invite_its_own_leader():
    people = [("Tomas Vera", "Prime Minister", "Uruguay"), ("Ana Ruiz", "President", "Norway")]
    draft = InvitationDraft(inviter="Tomas Vera", invitee="Uruguay", event="trip", place=None, when=None)
    assert _pairs(_brief(RECALLED, people, [draft])) == [("Government of Uruguay", "Ana Ruiz")]


APPOSITION = """President invited to Oslo
OSLO - Uruguayan President Tomas Vera was invited by his counterpart of the Kingdom of Norway, Kari Dahl, to pay a state visit.
The invitation was delivered on Monday to Vera by Foreign Minister Per Lund during a meeting in Montevideo.
"""


def test_a_described_agent_is_the_person_named_in_apposition_not_a_government():
    people = [("Tomas Vera", "President", "Uruguay"), ("Per Lund", "Foreign Minister", "Norway")]
    brief = _brief(APPOSITION, people, [InvitationDraft(inviter="Norway", invitee="Tomas Vera", event="state visit",
                                                        place=None, when=None)])
    assert _pairs(brief) == [("Kari Dahl", "Tomas Vera")]


EXTENDED = """President may attend summit
OSLO - Uruguayan President Ana Ruiz said Wednesday Norway has invited her to the summit next month.
At a briefing, Ruiz said Prime Minister Kari Dahl extended the invitation in their first call, which took place on May 15.
"""


def test_whoever_extended_the_invitation_beats_the_country_that_invited():
    people = [("Ana Ruiz", "President", "Uruguay"), ("Kari Dahl", "Prime Minister", "Norway")]
    brief = _brief(EXTENDED, people, [InvitationDraft(inviter="Norway", invitee="Ana Ruiz", event="summit",
                                                      place=None, when=None)])
    assert _pairs(brief) == [("Kari Dahl", "Ana Ruiz")]


def test_who_extended_an_invitation_from_someone_else_only_carries_it():
    text = ("Norwegian Foreign Minister Per Lund met Uruguayan President Ana Ruiz in Montevideo on Monday.\n"
            "Lund extended an invitation from Prime Minister Kari Dahl to President Ruiz to visit Oslo in May.\n")
    people = [("Per Lund", "Foreign Minister", "Norway"), ("Ana Ruiz", "President", "Uruguay")]
    brief = _brief(text, people, [InvitationDraft(inviter="Kari Dahl", invitee="Ana Ruiz", event="visit to Oslo",
                                                  place="Oslo", when="in May")])
    assert _pairs(brief) == [("Kari Dahl", "Ana Ruiz")]


def test_an_invitation_between_two_who_met_goes_under_their_meeting_wherever_it_is_told():
    text = ("Leaders speak by phone\nOSLO - Norwegian Prime Minister Kari Dahl held a phone call with Uruguayan "
            "President Tomas Vera on Monday.\n"
            "Norwegian Foreign Minister Per Lund met Uruguayan Foreign Minister Ana Ruiz in Oslo on Monday.\n"
            "Dahl said she invited Vera to visit Oslo.\n")
    call = Meeting(participants=[Participant(name="Kari Dahl", title="Prime Minister", country="Norway"),
                                 Participant(name="Tomas Vera", title="President", country="Uruguay")],
                   venue=Venue(), date=MeetingDate(text="on Monday"), format="phone")
    talks = Meeting(participants=[Participant(name="Per Lund", title="Foreign Minister", country="Norway"),
                                  Participant(name="Ana Ruiz", title="Foreign Minister", country="Uruguay")],
                    venue=Venue(city="Oslo"), date=MeetingDate(text="on Monday"), format="in_person")
    draft = InvitationDraft(inviter="Kari Dahl", invitee="Tomas Vera", event="visit to Oslo", place="Oslo", when=None)
    ctx = steps.Context(text=text, grounds=text, answers={"invitations": InvitationsDraft(invitations=[draft])})
    brief = steps.run(Brief(article_id="x", meetings=[call, talks]), ctx)
    assert [[(i.inviter, i.invitee) for i in m.invitations] for m in brief.meetings] == [[("Kari Dahl", "Tomas Vera")], []]


@pytest.mark.parametrize("model_inviter, model_invitee", [("Per Lund", "Tomas Vera"), ("Tomas Vera", "Per Lund")])
def test_a_letter_from_someone_inviting_the_host_is_their_invitation_not_the_messengers(model_inviter, model_invitee):
    text = ("Norwegian minister calls on Uruguayan President\nMONTEVIDEO - Foreign Minister Per Lund called on "
            "President of Uruguay Tomas Vera on Monday.\n"
            "Lund also handed over a letter of Prime Minister Kari Dahl to the Uruguayan President inviting him "
            "to visit Norway.\n")
    brief = _brief(text, [("Per Lund", "Foreign Minister", "Norway"), ("Tomas Vera", "President", "Uruguay")],
                   [InvitationDraft(inviter=model_inviter, invitee=model_invitee, event="visit Norway",
                                    place=None, when=None)])
    assert _pairs(brief) == [("Kari Dahl", "Tomas Vera")]


def test_an_invitation_from_an_unnamed_counterpart_is_their_governments():
    text = ("Uruguayan minister invited to Oslo\nMONTEVIDEO - Foreign Minister Ana Ruiz received an official "
            "invitation from her Norwegian counterpart to visit Oslo.\n"
            "Ruiz met the Norwegian ambassador, Lars Berg, on Monday.\n")
    brief = _brief(text, [("Ana Ruiz", "Foreign Minister", "Uruguay"), ("Lars Berg", "Ambassador", "Norway")],
                   [InvitationDraft(inviter="Norwegian ambassador", invitee="Ana Ruiz", event="visit to Oslo",
                                    place="Oslo", when=None)])
    assert _pairs(brief) == [("Government of Norway", "Ana Ruiz")]


@pytest.mark.parametrize("model_inviter, model_invitee", [("Jan Novak", "Omar Haddad"), ("Omar Haddad", "Jan Novak")])
def test_a_letter_of_invitation_written_by_an_absent_leader_and_presented_by_an_envoy_is_the_leaders(
        model_inviter, model_invitee):
    text = ("Envoy brings invitation\n"
            "On Sunday, President Jan Novak met the Norlandic Ambassador, Omar Haddad, at the palace.\n"
            "Ambassador Haddad handed President Novak a letter of invitation, which was signed by "
            "Norlandic President, Ivo Brandt, for a state visit to Norland.\n")
    brief = _brief(text, [("Jan Novak", "President", "Valoria"), ("Omar Haddad", "Ambassador", "Norland")],
                   [InvitationDraft(inviter=model_inviter, invitee=model_invitee, event="visit", place=None, when=None)])
    assert _pairs(brief) == [("Ivo Brandt", "Jan Novak")]


OCCASION = """Norlandic president in Arlen
ARLEN - Norlandic President Ivo Brandt, on a state visit at the invitation of Valorian President Sara Lindholm, met her on Monday.
Lindholm invited Brandt's foreign minister to a trade forum in Arlen next spring.
"""


def test_an_invitation_told_as_the_occasion_of_the_visit_is_no_invitation_made():
    people = [("Ivo Brandt", "President", "Norland"), ("Sara Lindholm", "President", "Valoria")]
    brief = _brief(OCCASION, people, [InvitationDraft(inviter="Sara Lindholm", invitee="Ivo Brandt", event="state visit",
                                                      place=None, when=None)])
    assert _pairs(brief) == []


def test_an_inviter_named_by_an_office_and_a_country_of_two_words_is_that_participant():
    text = ("Leaders hold virtual summit\nIvo Brandt held a virtual summit with Sara Lindholm and Per Lund on Monday.\n"
            "At its close the Ost Ruritanian Prime Minister extended an invitation to Prime Minister Ivo Brandt for "
            "a state visit.\n")
    people = [("Ivo Brandt", "Prime Minister", "Norland"), ("Sara Lindholm", "Prime Minister", "Ost Ruritania"),
              ("Per Lund", "Foreign Minister", "Ost Ruritania")]
    brief = _brief(text, people, [InvitationDraft(inviter="Ost Ruritania", invitee="Prime Minister Ivo Brandt",
                                                  event="state visit", place=None, when=None)])
    assert _pairs(brief) == [("Sara Lindholm", "Ivo Brandt")]


def test_an_exchange_of_invitations_is_one_each_way():
    text = ("Norwegian Prime Minister Kari Dahl met Uruguayan President Ana Ruiz in Lima on Monday.\n"
            "Dahl and Ruiz have exchanged invitations to visit, and Dahl invited Ruiz to Oslo for more talks.\n")
    people = [("Kari Dahl", "Prime Minister", "Norway"), ("Ana Ruiz", "President", "Uruguay")]
    brief = _brief(text, people, [InvitationDraft(inviter="Kari Dahl", invitee="Ana Ruiz", event="talks",
                                                  place="Oslo", when=None)])
    assert sorted(_pairs(brief)) == [("Ana Ruiz", "Kari Dahl"), ("Kari Dahl", "Ana Ruiz")]
    assert "added the return invitation of an exchange of invitations" in brief.warnings


def test_the_hosts_own_country_is_no_guest():
    text = ("King Karl of Norway held a phone call with Uruguayan President Ana Ruiz on Friday.\n"
            "The King extended an invitation to President Ruiz to pay an official visit to Norway.\n")
    people = [("Karl", "King", "Norway"), ("Ana Ruiz", "President", "Uruguay")]
    drafts = [InvitationDraft(inviter="Karl", invitee="Ana Ruiz", event="official visit", place="Norway", when=None),
              InvitationDraft(inviter="Karl", invitee="Norway", event="official visit", place=None, when=None)]
    assert _pairs(_brief(text, people, drafts)) == [("Karl", "Ana Ruiz")]


def test_an_envoy_inviting_on_his_leaderships_instructions_invites_for_its_government():
    text = ("Foreign Minister Ana Ruiz received Norway's Ambassador Lars Berg in Lima on Monday.\n"
            "Berg, upon the Norwegian leadership's instructions, invited Ruiz to take part in the Oslo meeting.\n")
    people = [("Ana Ruiz", "Foreign Minister", "Peru"), ("Lars Berg", "Ambassador", "Norway")]
    drafts = [InvitationDraft(inviter="Lars Berg", invitee="Ana Ruiz", event="Oslo meeting", place="Oslo", when=None),
              InvitationDraft(inviter="Lars Berg", invitee="Ana Ruiz", event="meeting", place=None, when=None)]
    assert _pairs(_brief(text, people, drafts)) == [("Government of Norway", "Ana Ruiz")]  # and once
