"""Definition lists: "which of these terms does the text describe so?"."""

from quizzes.essays import parse
from quizzes.generation import BLANK, generate

GROUPS = """Groups

These are the groups of a small system, each over what it is for.

   dialout
          Full and direct access to serial ports. Members of this
          group can reconfigure the modem.

   floppy
          This group can be used locally to give a set of users
          access to a floppy drive.

   staff
          Allows users to add local changes to the system without
          needing root privileges.

   root
          The root user is (typically) the superuser of the machine.

   lpadmin
          Allows a user to add, modify, and remove printers from
          the printer databases.
"""


def which_terms(text: str) -> list:
    return [d for d in generate(parse(text)) if d.builder == "which_term"]


def test_a_definition_list_asks_which_term_the_text_describes():
    drafts = which_terms(GROUPS)
    keys = {next(c.text for c in d.choices if c.is_correct): d for d in drafts}

    assert {"dialout", "staff", "lpadmin"} <= set(keys)
    dialout = keys["dialout"]
    # Each sentence under the term asks for it.
    asked = [
        d.prompt
        for d in drafts
        if "dialout" in {c.text for c in d.choices if c.is_correct}
    ]
    assert len(asked) == 2
    assert "Full and direct access to serial ports." in asked[0]
    assert "Members of this group can reconfigure the modem." in asked[1]
    wrong = {c.text for c in dialout.choices if not c.is_correct}
    assert len(wrong) == 3
    assert wrong <= {"floppy", "staff", "root", "lpadmin"}


def test_a_description_that_names_its_term_is_not_asked():
    """ "The root user is (typically) the superuser": with the term blanked
    ("The _____ user is ... the superuser") the rest of the sentence tells
    any reader; "Members of this group may run any command ... when using
    sudo" the same. Such a sentence is asked otherwise."""
    drafts = generate(parse(GROUPS))
    terms = {
        c.text
        for d in drafts
        if d.builder == "which_term"
        for c in d.choices
        if c.is_correct
    }

    assert "root" not in terms
    assert not [d for d in drafts if BLANK in d.prompt and d.builder == "which_term"]
    # ... and still asked, another way: every claim has its question.
    claims = parse(GROUPS).claims
    assert [
        d
        for d in drafts
        if d.claim_index is not None and "The root user" in claims[d.claim_index].text
    ]


def test_a_description_that_tells_its_term_by_another_form_is_not_asked():
    """ "floppy" in "a floppy drive" — after blanking, no word of the term is
    left, but "cdrom" in "a CD-ROM drive" would be: written another way."""
    text = GROUPS.replace("floppy\n", "cdrom\n").replace("floppy drive", "CD-ROM drive")
    terms = {c.text for d in which_terms(text) for c in d.choices if c.is_correct}
    assert "cdrom" not in terms


def test_prose_is_no_definition_list():
    """Three short lines over prose, or a command over its explanation, are
    no list: no question asks which of them a sentence describes."""
    text = (
        "Tutorial\n\nYou can start a project as follows.\n\n"
        "   $ git init\n\nThis creates a new repository in the folder.\n\n"
        "   $ git add .\n\nThis stages every file in the folder for the commit.\n\n"
        "   $ git commit\n\nThis records the staged files in the history.\n\n"
        "   $ git log\n\nThis shows the history of the project so far.\n"
    )
    assert which_terms(text) == []


def test_a_description_is_not_asked_as_a_statement_without_its_term():
    """ "Full and direct access to serial ports." is true of dialout, not a
    statement on its own: no true/false question of it, its term question
    covers it."""
    essay = parse(GROUPS)
    first = next(
        i for i, c in enumerate(essay.claims) if c.text.startswith("Full and direct")
    )
    kinds = {d.builder for d in generate(essay) if d.claim_index == first}

    assert kinds == {"which_term"}


DRIVES = """Groups

These are the groups of a small system, each over what it is for.

   cdrom
          This group can be used locally to give a set of users access to
          a CD-ROM drive.

   floppy
          This group can be used locally to give a set of users access to
          a floppy drive.

   tape
          This group can be used locally to give a set of users access to
          a tape drive.

   audio
          This group can be used locally to give a set of users access to
          an audio device.

   dialout
          Full and direct access to serial ports, for a modem.

   staff
          Allows users to add local changes to the system without needing
          root privileges.

   lpadmin
          Allows a user to add, modify, and remove printers from the
          printer databases.
"""


def test_terms_described_in_the_same_words_are_not_each_others_wrong_choices():
    """ "access to a _____ drive": floppy and tape fit the gap as well as
    cdrom; neither is offered beside it, and "an _____" does not tell a
    vowel's term."""
    for draft in which_terms(DRIVES):
        key = next(c.text for c in draft.choices if c.is_correct)
        wrong = {c.text for c in draft.choices if not c.is_correct}
        if key in {"floppy", "tape"}:
            assert not wrong & {"cdrom", "floppy", "tape", "audio"}, (key, wrong)
            assert f"a(n) {BLANK}" in draft.prompt


def test_an_entry_ends_where_its_paragraph_does():
    """ "Other groups have no associated user." after an entry introduces
    the next part of the list; it says nothing of the term above it."""
    text = GROUPS.replace(
        "   root\n",
        "Other groups of the system have no associated user at all.\n\n   root\n",
    )
    for draft in which_terms(text):
        assert "Other groups" not in draft.prompt


def test_a_sentence_under_a_term_asked_otherwise_names_its_term():
    """ "This group can be used ... a CD-ROM drive." gives its term away, so
    no term question asks it; its statement (true, or false by a "not") says
    what it is about."""
    text = GROUPS.replace("floppy\n", "cdrom\n").replace("floppy drive", "CD-ROM drive")
    [statement] = [d for d in generate(parse(text)) if "CD-ROM" in d.prompt]

    assert statement.builder in ("tf_true", "tf_false")
    said = "can" if statement.is_true else "cannot"
    assert statement.prompt.startswith(f'About "cdrom": This group {said} be used')


SYSTEM_GROUPS = """System groups

Each group of the system, over what it is for.

   uucp
          Users in the uucp group may run uucico.

   sync
          The shell of user sync is /bin/sync.

   tape
          This group can be used locally to give a set of users
          access to a tape drive.

   postfix
          Mail for the postfix group is kept apart.

   gdm
          Used by the display manager.
"""


def _entry_swaps(text: str) -> dict[str, str]:
    essay = parse(text)
    return {
        essay.claims[d.claim_index].question_text: d.prompt
        for d in generate(essay)
        if d.builder == "tf_false" and d.explanation.endswith('").')
    }


def test_a_sentence_naming_its_own_term_is_said_of_another_term():
    """ "Users in the uucp group may run uucico." has no "which term?"
    question (the term is in it); said of another group of the list it is
    false by the list, and the changed word is of the same kind."""
    swaps = _entry_swaps(SYSTEM_GROUPS)
    said = swaps["Users in the uucp group may run uucico."]
    other = said.removeprefix("Users in the ").removesuffix(" group may run uucico.")
    assert other in {"sync", "tape", "postfix", "gdm"}
    assert "uucp" not in said


def test_an_entry_swap_keeps_the_sentence_from_naming_its_term_otherwise():
    """ "The shell of user X is /bin/sync" still names sync; "access to a
    tape drive" uses the word, not the group: neither is said of another."""
    swaps = _entry_swaps(SYSTEM_GROUPS)
    assert not any("/bin/sync" in prompt for prompt in swaps.values())
    prompts = swaps.values()
    assert not any("drive" in prompt and "tape" not in prompt for prompt in prompts)
