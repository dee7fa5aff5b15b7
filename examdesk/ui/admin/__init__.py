"""The Beheer screen: institution, users, audit log, backups and keys."""
