"""Private keys in settings: PEM text or the path of a file holding it, checked when settings are
read so that a wrong value is named before a run starts (never shown: it is a secret)."""

from __future__ import annotations

import json
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key

PEM_HINT = "a PEM private key (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)"


def text_or_file(value: str) -> tuple[str | None, str | None]:
    """`value` itself when it holds the key, else the text of the file it names: (text, problem)."""
    if "-----BEGIN" in value or value.lstrip().startswith("{"):
        return value, None
    path = Path(value).expanduser()
    if not path.is_file():
        return None, "is neither the key itself nor the path of a readable file"
    try:
        return path.read_text(encoding="utf-8"), None
    except (OSError, UnicodeDecodeError) as exc:
        return None, f"names a file that cannot be read ({type(exc).__name__})"


def resolved(value: str, setting: str) -> str:
    """The key's text from a source argument that may still be a path (dlt resolved it from config)."""
    text, problem = text_or_file(value)
    if problem:
        raise ValueError(f"{setting} {problem}")
    return text


def pem_problem(pem: str) -> str | None:
    """Why `pem` is not an RSA private key (what RS256 signs with), or None."""
    if "-----BEGIN" not in pem or "PRIVATE KEY-----" not in pem:
        return f"is not {PEM_HINT}"
    try:
        key = load_pem_private_key(pem.encode(), password=None)
    except TypeError:
        return "is an encrypted private key; give it without a passphrase"
    except Exception as exc:  # cryptography raises ValueError, or UnsupportedAlgorithm
        return f"is not a readable PEM private key ({type(exc).__name__})"
    if not isinstance(key, RSAPrivateKey):
        return "is not an RSA private key (RS256 signs with RSA)"
    return None


def normalized_pem(pem: str) -> str:
    """A key pasted into one line of an .env file keeps its line breaks as `\\n`."""
    return pem.replace("\\n", "\n").strip() + "\n"


def service_account_problems(text: str) -> tuple[dict | None, list[str]]:
    """The service account's key file (JSON) parsed, and what is wrong with it."""
    try:
        info = json.loads(text)
    except ValueError:
        return None, ["is not the JSON of a service account key file"]
    if not isinstance(info, dict):
        return None, ["is not the JSON of a service account key file"]
    problems = []
    if info.get("type", "service_account") != "service_account":
        problems.append(f"is a key file of type {info.get('type')!r}, not service_account")
    for name in ("client_email", "private_key"):
        if not isinstance(info.get(name), str) or not info[name].strip():
            problems.append(f"has no {name}")
    if not problems:
        problem = pem_problem(normalized_pem(info["private_key"]))
        if problem:
            problems.append(f"private_key {problem}")
    return (info if not problems else None), problems
