"""Errors a user can cause. Each message is a Dutch sentence the UI and CLI show as is."""


class ExamDeskError(Exception):
    """Base for every error whose message is meant for the user."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""


class ValidationError(ExamDeskError):
    """Input that breaks a rule; nothing was saved."""


class PermissionDenied(ExamDeskError):
    """The logged-in user's roles do not allow the action."""


class AuthenticationError(ExamDeskError):
    """Wrong user name or password, or a locked or inactive account."""


class NotFound(ExamDeskError):
    """A record the user named does not exist."""


class DatabaseRefused(ExamDeskError):
    """A file that ExamDesk will not open (not ExamDesk, newer version, damaged). It is left untouched."""


class StorageError(ExamDeskError):
    """The file could not be written (disk full, read-only, locked); nothing was half saved."""


class KeysMissing(ExamDeskError):
    """The database's keys are not on this computer (it was copied or restored elsewhere). Nothing is
    written to its chains until the beheerder imports the key file."""


class WriteConflict(StorageError):
    """A database server refused a transaction that collided with a simultaneous one (a serialization
    failure or a deadlock). Nothing was saved, and running the same action again is safe."""


class ChangedMeanwhile(ExamDeskError):
    """What the user saw was changed by someone else before they saved (optimistic concurrency: the
    record's version moved on). Nothing was saved; the user must look at the new state first."""


def not_examdesk_message(where: str, unchanged: str = "Het bestand is niet gewijzigd.") -> str:
    """The one sentence for a file or server database that is not ExamDesk's, on either backend."""
    return f"{where} is geen ExamDesk-database. {unchanged}"


def newer_schema_message(version: int, latest: int, where: str, subject: str = "Dit bestand") -> str:
    """The one sentence for a database made by a newer ExamDesk, on either backend."""
    return (f"{subject} is gemaakt met een nieuwere versie van ExamDesk (schemaversie {version}; deze "
            f"versie kent tot {latest}). Werk ExamDesk bij. {where} is niet gewijzigd.")
