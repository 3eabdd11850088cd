"""The CLI's command groups (counter_tui/commands) stay cheap to load: a plain start of the app
loads none of them, and building every parser (``--help``, any subcommand) loads no third-party
package and no database or user-interface code: a handler imports what it needs when it runs."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import REPO

PROBE = """
import json, sys
import counter_tui.cli as cli
after_import = sorted(m for m in sys.modules if m.startswith('counter_tui.commands.'))
cli._parser()
print(json.dumps({
    'after_import': after_import,
    'groups': sorted(m for m in sys.modules if m.startswith('counter_tui.commands.')),
    'third_party': sorted({m.split('.')[0] for m in sys.modules}
                          - set(sys.stdlib_module_names)
                          - {'counter_tui', '__main__', '_distutils_hack'}),
    'own': sorted(m for m in sys.modules if m.startswith(
        ('counter_tui.services', 'counter_tui.db', 'counter_tui.app', 'counter_tui.screens',
         'counter_tui.widgets', 'counter_tui.config'))),
}))
"""


def test_the_command_groups_load_only_when_the_parser_is_built_and_load_nothing_heavy():
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=REPO, timeout=60
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded["after_import"] == ["counter_tui.commands.common"]
    groups = {path.stem for path in (REPO / "counter_tui" / "commands").glob("*.py")}
    assert {name.rsplit(".", 1)[1] for name in loaded["groups"]} == groups - {"__init__"}
    assert loaded["third_party"] == []
    assert loaded["own"] == []
