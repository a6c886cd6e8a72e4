"""The policy is shared by the web side and the tracker, so it must not drag either along.

Importing the policy and the tracker in a fresh interpreter must load no web framework,
no templates and no forum code: the tracker asks the policy, never the forum pages.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import tinypier.permissions
from tests.forum.test_layering import feature_imports, features_loaded_by

FORBIDDEN = ("litestar", "jinja2", "tinypier.forum", "tinypier.web", "tinypier.torrents.routes")

CHECK = f"""
import sys
import tinypier.permissions.lookup, tinypier.permissions.rules, tinypier.permissions.sql
import tinypier.permissions.ratio
import tinypier.tracker.engine
loaded = [name for name in sys.modules if name.startswith({FORBIDDEN!r})]
print(" ".join(sorted(loaded)))
"""


def test_the_policy_and_the_tracker_load_no_web_or_forum_code() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.split() == []


# The one permission policy must not depend on a feature either: a feature asks the policy,
# and the vocabulary the policy needs from one (release statuses) lives in a neutral module,
# ``tinypier.release_statuses``. Loading every policy module must load no feature package.
POLICY_DIR = Path(tinypier.permissions.__file__).parent


def test_no_policy_module_imports_a_feature_package() -> None:
    assert feature_imports(POLICY_DIR) == set()


def test_loading_the_policy_loads_no_feature_package() -> None:
    """Nothing the policy imports brings a feature along either."""
    assert features_loaded_by("tinypier.permissions") == []
