"""The Beheer screen: institution, users, audit log, backups, keys and exchange keys."""
