"""The four message catalogues: `check` fails on a missing, untranslated or fuzzy message;
`update` extracts the messages into locale/ and fills English (whose messages are the source).

`check` extracts afresh into a temporary copy, so a new string in the code that nobody translated
fails too. `make test` runs `check`; `make messages` runs `update`.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("vi", "en", "ar", "fa")
SOURCES = ("unionhall", "config", "templates", "locale")
ENGLISH_HEADER = """# English messages of unionhall: the source language, so every message is its msgid.
msgid ""
msgstr ""
"Project-Id-Version: unionhall\\n"
"Report-Msgid-Bugs-To: \\n"
"PO-Revision-Date: 2026-11-25 00:00+0000\\n"
"Last-Translator: unionhall developers\\n"
"Language-Team: English\\n"
"Language: en\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

"""


def extract(work: Path, locale: Path) -> None:
    env = {**os.environ, "UNIONHALL_LOCALE_DIR": str(locale), "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    command = [str(ROOT / ".venv/bin/unionhall"), "makemessages", "--no-obsolete", "--no-location"]
    command += [f"-l{lang}" for lang in LANGUAGES]
    command += ["--ignore=.venv", "--ignore=node_modules", "--ignore=static", "--ignore=var", "--ignore=staticfiles"]
    subprocess.run(command, cwd=work, env=env, check=True, capture_output=True)  # noqa: S603


def fill_english(locale: Path) -> None:
    """English is the source language: every English message is its msgid (never a fuzzy guess)."""
    po = locale / "en" / "LC_MESSAGES" / "django.po"
    with open(po, "rb") as f:
        catalog = read_po(f, locale="en")
    for message in catalog:
        if not message.id:
            continue
        message.string = (message.id[0], message.id[1]) if isinstance(message.id, tuple | list) else message.id
        message.flags.discard("fuzzy")
    with open(po, "wb") as f:
        write_po(f, catalog, width=100, omit_header=True)
    po.write_text(ENGLISH_HEADER + po.read_text(encoding="utf-8"), encoding="utf-8")


def update() -> int:
    (ROOT / "locale").mkdir(exist_ok=True)
    extract(ROOT, ROOT / "locale")
    fill_english(ROOT / "locale")
    return check()


def check() -> int:
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        # makemessages writes next to the sources, so extract from a copy of them.
        work = Path(tmp)
        for name in SOURCES:
            if (ROOT / name).exists():
                shutil.copytree(ROOT / name, work / name, ignore=shutil.ignore_patterns("__pycache__"))
        locale = work / "locale"
        locale.mkdir(exist_ok=True)
        extract(work, locale)
        for lang in LANGUAGES:
            po = locale / lang / "LC_MESSAGES" / "django.po"
            with open(po, "rb") as f:
                catalog = read_po(f, locale=lang.replace("-", "_"))
            for message in catalog:
                if not message.id:
                    continue
                msgid = message.id if isinstance(message.id, str) else message.id[0]
                strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
                if message.fuzzy:
                    problems.append(f"{lang}: fuzzy: {msgid!r}")
                elif not all(strings):
                    problems.append(f"{lang}: untranslated: {msgid!r}")
    for lang in LANGUAGES:
        # Placeholders must match the msgid's (%(name)s, %d, ...), or the message fails at run time.
        po = ROOT / "locale" / lang / "LC_MESSAGES" / "django.po"
        result = subprocess.run(  # noqa: S603
            ["msgfmt", "--check-format", "--check-header", "-o", "/dev/null", str(po)],  # noqa: S607
            capture_output=True,
            text=True,
        )
        if result.returncode:
            problems.append(f"{lang}: msgfmt: {result.stderr.strip()}")
    for line in problems[:200]:
        print(line)
    if problems:
        print(f"{len(problems)} translation problem(s). Run `make messages`, translate, and commit locale/.")
        return 1
    print("translations: every message is translated in vi, en, ar and fa")
    return 0


if __name__ == "__main__":
    sys.exit(update() if sys.argv[1:] == ["update"] else check())
