"""Turns data into safe HTML: escaping, inlined JSON, and a Content-Security-Policy that
lets only the page's own scripts run (by hash), loads nothing remote and allows no handlers."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

TEMPLATES = Path(__file__).parent / "templates"
VENDOR = Path(__file__).parent / "vendor"
VENDORED_SCRIPTS = ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js")

templates = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["j2", "html"], default_for_string=True, default=True),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)


def json_for_script(value) -> Markup:
    """JSON that cannot end its <script> block or open a comment: <, > and & become \\u escapes."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def inline_script(text: str, name: str) -> Markup:
    if re.search(r"</script|<!--", text, re.IGNORECASE):
        raise ValueError(f"{name} contains '</script' or '<!--' and cannot be inlined")
    return Markup(text)


def csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def content_security_policy(scripts: list[str], styles: list[str]) -> str:
    """Only these exact scripts and styles; nothing from anywhere else; no eval, no handlers."""
    return "; ".join(
        [
            "default-src 'none'",
            "script-src " + " ".join(csp_hash(s) for s in scripts),
            "style-src " + " ".join(csp_hash(s) for s in styles),
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


INTERPRETER_IMPORT = "import { ascending, isString, DisallowedObjectProperties } from 'vega-util';"
INTERPRETER_EXPORT = "export { expression as expressionInterpreter };"


def interpreter_script() -> str:
    """vega-interpreter ships only as an ES module; as a classic script it takes vega-util's
    functions from the `vega` global and adds `vega.expressionInterpreter`. Without it Vega
    compiles expressions with `Function`, which the policy (no 'unsafe-eval') forbids."""
    module = (VENDOR / "vega-interpreter.module.js").read_text(encoding="utf-8")
    if INTERPRETER_IMPORT not in module or INTERPRETER_EXPORT not in module:
        raise ValueError("vendor/vega-interpreter.module.js changed its imports or exports: update render.py")
    body = module.replace(INTERPRETER_IMPORT, "const { ascending, isString, DisallowedObjectProperties } = vega;")
    body = body.replace(INTERPRETER_EXPORT, "vega.expressionInterpreter = expression;")
    return "(function () {\n" + body + "\n})();\n"


def page_scripts() -> list[tuple[str, str]]:
    """(name, text) of each script, in load order."""
    vendored = [(name, (VENDOR / name).read_text(encoding="utf-8")) for name in VENDORED_SCRIPTS]
    return vendored + [
        ("vega-interpreter", interpreter_script()),
        ("dashboard.js", (TEMPLATES / "dashboard.js").read_text(encoding="utf-8")),
    ]


def render_dashboard(data: dict, specs: dict, named: bool) -> str:
    scripts = page_scripts()
    css = (TEMPLATES / "dashboard.css").read_text(encoding="utf-8")
    return templates.get_template("dashboard.html.j2").render(
        csp=content_security_policy([text for _, text in scripts], [css]),
        css=Markup(css),
        scripts=[inline_script(text, name) for name, text in scripts],
        data_json=json_for_script(data),
        specs_json=json_for_script(specs),
        generated_at=data["meta"]["generated_at"],
        named=named,
    )
