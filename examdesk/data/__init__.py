"""The only package that speaks SQL: connection, migrations, queries, backups."""
