"""Putting a Concord together: the runtime (settings, engine, sessions, definitions), the
organisation profile loaded into the database, the schema, and the demo data."""
