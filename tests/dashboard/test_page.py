"""The page's policy: only its own scripts run (by hash), nothing loads from elsewhere."""

import base64
import hashlib
import html
import re

from reports import DashboardSettings, build_dashboard


def test_the_policy_allows_exactly_the_inlined_scripts(warehouse, tmp_path):
    page = build_dashboard(warehouse, tmp_path / "index.html", DashboardSettings("named")).read_text()
    policy = html.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1))
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert "unsafe" not in policy and "http" not in policy and "*" not in policy
    # every executable script is allowed by its hash, and nothing else is
    scripts = re.findall(r"<script>(.*?)</script>", page, re.DOTALL)
    hashes = {"'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'" for s in scripts}
    assert len(scripts) == 5 and hashes == set(directives["script-src"].split())
    # outside the scripts, no element loads anything and none carries a handler
    markup = re.sub(r"<script\b.*?</script>", "", page, flags=re.DOTALL)
    assert not re.search(r"<(script|img|link|iframe)[^>]*\s(src|href)=", markup)
    assert not re.search(r"\son\w+\s*=", markup)
