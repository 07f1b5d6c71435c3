"""Two Rasa servers on the production stores (endpoints.production.yml: PostgreSQL tracker store, Redis
lock store) behave as one: a conversation may hop between them turn by turn and keeps its whole history,
and two messages of one conversation reaching both servers at the same moment are taken one after the
other (assistant/lock_store.py; Rasa 3.6's own RedisLockStore let both through in 4 runs of 6).
Servers: tests/production/conftest.py."""
import threading
import uuid

import pytest

pytestmark = pytest.mark.integration

# (replica, message): the turns alternate between the two Rasa servers.
HOPPING_TURNS = [
    (0, "Ich wohne seit letztem Sommer in Trier"),
    (1, "Welches Krankenhaus liegt von meinem Wohnort aus am nächsten?"),
    (0, "und arbeite inzwischen in Luxemburg als Angestellter"),
    (1, "Muss ich meine Arztrechnung in Luxemburg selbst vorstrecken?"),
]


# Pairs of messages of one conversation sent to the two servers at the same moment: the lock store
# (assistant/lock_store.py) must make one wait for the other.
SIMULTANEOUS_TURNS = [
    ("Wer erstattet mir die Brille, wenn ich in Luxemburg arbeite?",
     "Brauche ich eine Genehmigung für eine geplante Operation in Belgien?"),
    ("Wie lange dauert die Erstattung einer Rechnung vom Zahnarzt?",
     "Gilt meine Krankenkassenkarte auch bei einem Facharzt in Arlon?"),
    ("Ab wann zahlt die CNS mein Krankengeld?",
     "Was kostet ein Besuch beim Hausarzt in Luxemburg?"),
]


def _text(replies):
    return "\n".join(r.get("text") or "" for r in replies)


def _user_texts(tracker):
    return [e.get("text") for e in tracker["events"] if e["event"] == "user"]


def _turns(tracker):
    """The events cut at each user message: [(user text, [bot texts], [action names])]."""
    turns = []
    for event in tracker["events"]:
        if event["event"] == "user":
            turns.append((event.get("text"), [], []))
        elif turns and event["event"] == "bot":
            turns[-1][1].append(event.get("text"))
        elif turns and event["event"] == "action":
            turns[-1][2].append(event["name"])
    return turns


@pytest.fixture
def sender():
    return f"prod-{uuid.uuid4().hex[:12]}"


def test_a_conversation_alternating_between_two_rasa_servers_keeps_its_history(replicas, sender):
    replies = [replicas[index].send(sender, text) for index, text in HOPPING_TURNS]

    assert all(_text(r).strip() for r in replies), replies
    # The second server knows where the person lives from the first server's turn...
    assert "📍 **Trier** (Deutschland" in _text(replies[1]), _text(replies[1])
    # ... and the first, back again, knows it too when the work country comes.
    assert _text(replies[2]).startswith("**Zuständiges Land: Luxemburg**"), _text(replies[2])
    assert "Deutschland" in _text(replies[2])

    first, second = (replica.tracker(sender) for replica in replicas)
    assert first["events"] == second["events"]
    assert _user_texts(first) == [text for _, text in HOPPING_TURNS]
    assert [bots for _, bots, _ in _turns(first)] == [[r.get("text") for r in reply] for reply in replies]
    slots = second["slots"]
    assert slots["language"] == "de"
    assert slots["residence_place"] == "Trier" and slots["residence_country"] == "DE"
    assert slots["work_country"] == ["LU"]


def test_two_turns_of_one_conversation_sent_to_both_servers_at_once_are_taken_one_after_the_other(
        replicas, sender):
    replicas[0].send(sender, "Guten Tag")
    sent = {"Guten Tag": None}
    for pair in SIMULTANEOUS_TURNS:
        answers, errors = {}, []
        together = threading.Barrier(2)

        def turn(replica, text, together=together, answers=answers, errors=errors):
            try:
                together.wait(timeout=30)
                answers[text] = replica.send(sender, text)
            except Exception as error:   # noqa: BLE001 - reported below with the message
                errors.append((text, repr(error)))

        threads = [threading.Thread(target=turn, args=(replica, text)) for replica, text in zip(replicas, pair)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        assert not errors, errors
        assert set(answers) == set(pair) and all(_text(answers[text]).strip() for text in pair), answers
        sent.update(answers)

    tracker = replicas[1].tracker(sender)
    assert tracker["events"] == replicas[0].tracker(sender)["events"]
    turns = _turns(tracker)
    # Every message once, each pair in one order or the other: no lost and no doubled turn.
    assert sorted(_user_texts(tracker)) == sorted(sent)
    assert turns[0][0] == "Guten Tag"
    for index, pair in enumerate(SIMULTANEOUS_TURNS):
        assert {text for text, _, _ in turns[1 + 2 * index: 3 + 2 * index]} == set(pair)
    for text, bots, actions in turns[1:]:
        # Each message followed by its own replies, whole; the turn ends before the next one starts.
        assert bots == [r.get("text") for r in sent[text]], (text, bots)
        assert actions and actions[-1] == "action_listen", (text, actions)
