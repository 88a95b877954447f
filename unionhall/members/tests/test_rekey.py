"""`unionhall members rekey`: after a key rotation every national ID is re-encrypted and re-indexed, in batches."""

import io

import pytest
from django.core.management import CommandError, call_command

from unionhall.audit.models import AuditEntry
from unionhall.core import fieldcrypto
from unionhall.core.errors import Conflict
from unionhall.members import services
from unionhall.members.models import Person
from unionhall.members.tasks import national_ids_rekey_task

from .people import JOINED, TODAY, cccd, details, register
from .snapshots import members_state

# Test-only keys.
OLD_KEY = "8C443YDGMEaDFYDGOdpwlzSj20_lUps-WwpJBpr5DtE="
NEW_KEY = "7n9_yJ_ZoyKkgClQvUlEM1Wv4q_N6OXvNGjhAMUUDL0="
OLD_BLIND = "561pHI2fkzyfizMFTU2W_6p8rOrcoiuJjDUNS4LAfck="
NEW_BLIND = "Cwk7tSYq8YpsI7qvtWP6RJVhElPMTnYH1iWRTnhywMo="
NUMBERS = [cccd(tail="000001"), cccd(tail="000002"), cccd(tail="000003")]


@pytest.fixture
def people(cast, settings) -> list[Person]:
    """Three people with a CCCD and one without, written under the old keys; then the keys are rotated."""
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    settings.BLIND_INDEX_KEY = OLD_BLIND
    found = [
        register(cast.officer, cast.unit, f"Người {i}", id_kind="cccd", national_id=n) for i, n in enumerate(NUMBERS)
    ]
    register(cast.officer, cast.unit, "Người không có số")
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    settings.BLIND_INDEX_KEY = NEW_BLIND
    return found


def rekey(*args: str) -> str:
    out = io.StringIO()
    call_command("members", "rekey", *args, stdout=out)
    return out.getvalue()


def stored(person: Person) -> tuple[str, str | None]:
    person.refresh_from_db()
    return person.national_id_encrypted, person.national_id_index


def key_of(token: str) -> str:
    return token.split(":")[1]


def test_rotation_re_encrypts_with_the_new_key_only_and_lookups_still_find_people(cast, people, settings):
    before = [stored(p) for p in people]
    mark = AuditEntry.objects.count()
    a, b, c = (p.pk for p in people)
    output = rekey("--batch", "2")
    assert output.splitlines() == [
        f"people {a}-{b}: 2 examined, 2 re-encrypted, 2 re-indexed",
        f"people {c}-{c}: 1 examined, 1 re-encrypted, 1 re-indexed",
        "OK: 3 national IDs examined, 3 re-encrypted, 3 re-indexed.",
    ]
    new_id = fieldcrypto.key_id(fieldcrypto.decode_key(NEW_KEY, name="test"))
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    for person, number, (old_token, old_index) in zip(people, NUMBERS, before, strict=True):
        token, index = stored(person)
        assert token != old_token and index != old_index and key_of(token) == new_id
        assert fieldcrypto.decrypt(token, context=services.ID_CONTEXT) == number
        assert person.national_id_hint == number[-3:]
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    for person in people:
        with pytest.raises(fieldcrypto.FieldCryptoError):
            fieldcrypto.decrypt(stored(person)[0], context=services.ID_CONTEXT)
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    # The blind index under the new key finds the person: registering the number again is a conflict.
    with pytest.raises(Conflict) as info:
        services.person_create(
            actor=cast.officer,
            unit=cast.unit,
            join_date=JOINED,
            details=details("Người khác", id_kind="cccd", national_id=NUMBERS[1]),
            today=TODAY,
        )
    assert str(info.value) == (
        f"A person with this identity number is already registered (member code {people[1].member_code})."
    )
    entries = list(AuditEntry.objects.order_by("id")[mark:].values_list("action", "object_id", "actor_id", "after"))
    assert entries == [
        (
            "member.national_id_rekey",
            f"{a}-{b}",
            None,
            {"examined": 2, "re_encrypted": 2, "reindexed": 2, "key_id": new_id},
        ),
        (
            "member.national_id_rekey",
            f"{c}-{c}",
            None,
            {"examined": 1, "re_encrypted": 1, "reindexed": 1, "key_id": new_id},
        ),
    ]
    everything = str(list(AuditEntry.objects.values_list("object_label", "before", "after"))) + output
    assert not any(number in everything for number in NUMBERS)


def test_a_second_run_changes_nothing_and_a_resumed_run_starts_after_the_id_given(people):
    rekey()
    state = members_state()
    assert rekey("--batch", "10").splitlines()[-1] == "OK: 3 national IDs examined, 0 re-encrypted, 0 re-indexed."
    assert {k: v for k, v in members_state().items() if k != "audit"} == {
        k: v for k, v in state.items() if k != "audit"
    }
    last = people[-1].pk
    assert rekey("--after", str(people[1].pk)).splitlines() == [
        f"people {last}-{last}: 1 examined, 0 re-encrypted, 0 re-indexed",
        "OK: 1 national IDs examined, 0 re-encrypted, 0 re-indexed.",
    ]


def test_only_the_blind_index_key_rotated(people, settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY, NEW_KEY]
    tokens = [stored(p)[0] for p in people]
    assert rekey().splitlines()[-1] == "OK: 3 national IDs examined, 0 re-encrypted, 3 re-indexed."
    assert [stored(p)[0] for p in people] == tokens


def test_a_value_no_configured_key_decrypts_stops_the_run_loudly_and_writes_nothing(people, settings):
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    before = members_state()
    with pytest.raises(CommandError) as info:
        rekey()
    assert info.value.returncode == 1
    assert str(info.value) == (
        f"The national ID of person {people[0].member_code} (id {people[0].pk}) cannot be decrypted with any "
        "configured key: The key that encrypted this value is not configured.\n"
        "Nothing of the failing batch was written; the batches before it are done "
        "(configure the missing key, then run again, or resume with --after 0)."
    )
    assert members_state() == before


def test_the_batches_before_a_bad_value_stay_done(people, settings):
    # The last person's value was written under a key that is no longer configured.
    settings.FIELD_ENCRYPTION_KEYS = [OLD_BLIND]
    Person.objects.filter(pk=people[2].pk).update(
        national_id_encrypted=fieldcrypto.encrypt(NUMBERS[2], context=services.ID_CONTEXT)
    )
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    out = io.StringIO()
    with pytest.raises(CommandError) as info:
        call_command("members", "rekey", "--batch", "2", stdout=out)
    assert out.getvalue() == f"people {people[0].pk}-{people[1].pk}: 2 examined, 2 re-encrypted, 2 re-indexed\n"
    assert str(info.value).endswith(f"resume with --after {people[1].pk}).")
    assert [fieldcrypto.needs_rotation(stored(p)[0]) for p in people] == [False, False, True]


def test_a_tampered_value_stops_the_run(people, settings):
    token = stored(people[0])[0]
    Person.objects.filter(pk=people[0].pk).update(national_id_encrypted=token[:-4] + "AAAA")
    before = members_state()
    with pytest.raises(CommandError, match="does not match its key or was altered"):
        rekey()
    assert members_state() == before


@pytest.mark.parametrize("args", [["--batch", "0"], ["--batch", "x"], ["--after", "-1"]])
def test_bad_options_are_refused(people, args):
    with pytest.raises(CommandError):
        rekey(*args)


def test_the_task_runs_every_batch(people):
    assert national_ids_rekey_task.call(batch_size=2) == {"examined": 3, "re_encrypted": 3, "reindexed": 3}
    assert not any(fieldcrypto.needs_rotation(stored(p)[0]) for p in people)
