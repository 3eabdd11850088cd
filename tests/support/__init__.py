"""Test support shared by the test modules (no test module imports another): the fixed clock,
small manuals, an office with staff and counters, a ticket in service, key presses and sign-in
for the UI tests, and the databases of earlier releases (``support.schemas``)."""
