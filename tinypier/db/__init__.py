"""Database access: connections, schema, migrations, backups and checks."""
