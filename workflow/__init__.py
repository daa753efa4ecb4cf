"""The engine: definitions, consensus rules, operations, deadlines and the scheduler."""
