"""`run.py ui`: serve the browser page (Solara) on this machine.

    python run.py ui [--port 8765] [--host 127.0.0.1] [--batch-root DIR] [--fetch-assets]

It checks the port, prints the address, and replaces itself with
`solara run ui/app.py --host H --port P --production --no-open`. The page loads its
front-end files from Solara's local asset cache; `--fetch-assets` (or
`python -m ui.assets`) fills it from the npm registry first.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import socket
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {text!r}") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 1 to 65535, got {value}")
    return value


def add_ui_parser(sub) -> None:
    """Register the `ui` subcommand on run.py's subparsers."""
    p = sub.add_parser("ui", help="serve the interactive page in the browser",
                       description="Serve the interactive page: one run, a side-by-side "
                       "workshop of two scenarios, and batch results. Open the printed "
                       "address in a browser. Works without internet once the front-end "
                       "files are in Solara's asset cache (--fetch-assets).")
    p.add_argument("--host", default=DEFAULT_HOST,
                   help=f"address to listen on ({DEFAULT_HOST}: this machine only)")
    p.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"port ({DEFAULT_PORT})")
    p.add_argument("--batch-root", action="append", default=[], metavar="DIR",
                   help="a folder whose batch folders the page may open (repeatable; the "
                   "project folder is always allowed)")
    p.add_argument("--fetch-assets", action="store_true",
                   help="first fill Solara's asset cache from the npm registry "
                   "(same as `python -m ui.assets`)")
    p.set_defaults(func=cmd_ui)


def main(argv: list[str] | None = None) -> int:
    """`run.py ui ARGS` without importing the rest of the command line (the analysis
    modules take seconds to import, and the page should be up in a few)."""
    parser = argparse.ArgumentParser(prog="run.py")
    add_ui_parser(parser.add_subparsers(dest="command", metavar="COMMAND"))
    args = parser.parse_args(["ui", *(sys.argv[2:] if argv is None else argv)])
    return args.func(args)


def _port_free(host: str, port: int) -> str | None:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        return f"cannot resolve host {host!r}: {exc}"
    family, _, _, _, addr = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(addr)
        except OSError as exc:
            return f"cannot listen on {host}:{port} ({exc.strerror}); try another --port"
    return None


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def cmd_ui(args: argparse.Namespace) -> int:
    from ui import assets

    if args.fetch_assets:
        try:
            assets.fetch(browser=assets.chromium_path() is not None)
        except RuntimeError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    missing = assets.missing_packages()
    if missing:
        print("warning: front-end files missing from Solara's asset cache "
              f"({', '.join(missing)}); without internet access the page stays blank. "
              "Run `python run.py ui --fetch-assets` (or `python -m ui.assets`).",
              file=sys.stderr)
    problem = _port_free(args.host, args.port)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    roots = []
    for r in args.batch_root:
        path = Path(r).expanduser().resolve()
        if not path.is_dir():
            print(f"error: --batch-root {r}: not a folder", file=sys.stderr)
            return 2
        roots.append(str(path))
    if not _is_loopback(args.host):
        print(f"warning: listening on {args.host}: other machines can open the page",
              file=sys.stderr)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    if roots:
        env["CGS_UI_BATCH_ROOTS"] = os.pathsep.join(
            filter(None, [env.get("CGS_UI_BATCH_ROOTS"), *roots]))
    env.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    # Solara's "This website runs on Solara" banner sits over the bottom of the page
    env.setdefault("SOLARA_THEME_SHOW_BANNER", "False")
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(f"Serving the page at http://{shown}:{args.port}/  (Ctrl-C to stop)", flush=True)
    cmd = [sys.executable, "-m", "solara", "run", str(ROOT / "ui" / "app.py"), "--host",
           args.host, "--port", str(args.port), "--production", "--no-open"]
    sys.stderr.flush()
    os.chdir(ROOT)
    os.execve(sys.executable, cmd, env)
    return 0  # pragma: no cover - execve does not return
