"""The README's settings table names every environment variable the settings read."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_environment_variable_the_settings_read_is_in_the_readme():
    read = set()
    for module in (ROOT / "config" / "settings").glob("*.py"):
        read |= set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z0-9_]+)"', module.read_text()))
    readme = (ROOT / "README.md").read_text()
    assert read, "no env() call found: the pattern no longer matches the settings"
    assert sorted(name for name in read if f"`{name}" not in readme and name not in readme) == []
