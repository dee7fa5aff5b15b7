"""Prints the register of personal data (domain/privacy_register.py) as the Markdown tables of
docs/privacy.md: `python tools/privacy_register.py`. The test of the register checks the page names every
personal field; regenerate the tables after adding one."""

from __future__ import annotations

from examdesk.domain.privacy_register import PERSONAL, PURPOSES


def main() -> None:
    print("| doel | waarom | grondslag | wie ziet het | bewaard |")
    print("|---|---|---|---|---|")
    for p in PURPOSES.values():
        print(f"| `{p.key}` | {p.purpose} | {p.ground} | {p.who} | {p.retention} |")
    print()
    print("| veld | van wie | doel | bij anonimisering |")
    print("|---|---|---|---|")
    for f in PERSONAL:
        print(f"| `{f.name}` | {f.subject} | `{f.purpose}` | {f.note or '—'} |")


if __name__ == "__main__":
    main()
