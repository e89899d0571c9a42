"""Put the page's front-end files into Solara's local asset cache, from the npm registry.

Solara loads its JavaScript and CSS from a public CDN (jsdelivr), through its own proxy
at `/_solara/cdn/<package>@<version>/<path>`. The proxy first looks in a local cache
(`SOLARA_ASSETS_PROXY_CACHE_DIR`, default `<venv>/share/solara/cdn`), laid out exactly
like the URL. Without network access to the CDN (workshop rooms, these machines), a file
missing from the cache is a 404 and the page stays blank.

This command fills the cache so that the page works offline:

1. the packages Solara's page template names (`{{cdn}}/<package>@<version>/...`);
2. then, unless `--no-browser`, it serves the app, opens each view in headless chromium
   and collects the requests to `/_solara/cdn/` that failed, and fetches those
   packages too, until nothing is missing.

Each package is fetched with `npm pack NAME@VERSION` (the npm registry, not the CDN) and
unpacked into `<cache>/<NAME>@<VERSION>/`. A package already unpacked completely (its
`.npm-pack-complete` marker exists) is skipped, so running it again is quick and changes
nothing. Usage::

    python -m ui.assets              # or: python run.py ui --fetch-assets
    python -m ui.assets --check      # only report what is missing (exit 1 if anything)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = ".npm-pack-complete"
CDN_PREFIX = "/_solara/cdn/"
#: `{{cdn}}/<package>@<version>/...` in Solara's templates ({{...}} parts substituted)
_TEMPLATE_REF = re.compile(r"\{\{\s*cdn\s*\}\}(/[^\"'\s<>]+)")
#: `${this.getCdn()}/<package>@<version>/...` in Solara's components (Markdown: katex,
#: mermaid); references with a version in a variable (`${version}`) are left out
_COMPONENT_REF = re.compile(r"getCdn\(\)\}(/[^`'\"\s$]+)")
#: a package reference at the start of a CDN path: name (maybe @scope/name) @ version
_PKG = re.compile(r"^/?((?:@[^/@]+/)?[^/@]+)@([^/]+)(?:/(.*))?$")
# packages that extensions of the page may ask for (Altair charts), see FIELD-NOTES
OPTIONAL = ()


def cache_dir() -> Path:
    """Solara's asset cache folder (the environment variable, else Solara's default)."""
    env = os.environ.get("SOLARA_ASSETS_PROXY_CACHE_DIR")
    if env:
        return Path(env)
    # Solara's default (settings.assets.proxy_cache_dir), without importing Solara
    return Path(sys.prefix) / "share" / "solara" / "cdn"


def parse_ref(path: str) -> tuple[str, str, str] | None:
    """`(package, version, file)` of a CDN path like `@scope/pkg@1.2.3/dist/x.js`."""
    m = _PKG.match(path.split("?")[0])
    if not m:
        return None
    name, version, rest = m.group(1), m.group(2), m.group(3) or ""
    return name, version, rest


def template_refs() -> set[tuple[str, str]]:
    """Packages (name, version) that Solara's installed page template and components
    load from the CDN with a fixed version. Reads the installed files and versions
    without importing Solara (a second), so `run.py ui` starts quickly."""
    import importlib.util
    from importlib.metadata import PackageNotFoundError, version

    try:
        major = version("ipywidgets").split(".")[0]
    except PackageNotFoundError:  # pragma: no cover
        major = "8"
    try:
        vue3 = int(version("ipyvue").split(".")[0]) >= 3
    except (PackageNotFoundError, ValueError):  # pragma: no cover
        vue3 = False
    # Solara's default (settings.assets.fontawesome_path), or its environment variable
    fontawesome = os.environ.get("SOLARA_ASSETS_FONTAWESOME_PATH",
                                 "/font-awesome@4.5.0/css/font-awesome.min.css")
    out: set[tuple[str, str]] = set()
    spec = importlib.util.find_spec("solara")
    if spec is None or spec.origin is None:  # pragma: no cover
        return out
    solara_dir = Path(spec.origin).parent
    tdir = solara_dir / "server" / "templates"
    for tpl in tdir.glob("*.j2"):
        text = tpl.read_text(errors="replace")
        for ref in _TEMPLATE_REF.findall(text):
            ref = ref.replace("{{ipywidget_major_version}}", major)
            ref = ref.replace("{{assets.fontawesome_path}}", fontawesome)
            if "{{" in ref or "{%" in ref:
                continue
            parsed = parse_ref(ref)
            # the template loads the Vue 3 app only with ipyvue 3 (and the Vue 2 app
            # otherwise); fetch only the one this environment uses
            if parsed and ("vuetify3" in parsed[0]) == vue3:
                out.add(parsed[:2])
        if "{{cdn}}{{assets.fontawesome_path}}" in text.replace(" ", ""):
            parsed = parse_ref(fontawesome)
            if parsed:
                out.add(parsed[:2])
    cdir = solara_dir / "components"
    for comp in list(cdir.glob("*.py")) + list(cdir.glob("*.vue")):
        for ref in _COMPONENT_REF.findall(comp.read_text(errors="replace")):
            parsed = parse_ref(ref)
            if parsed and re.fullmatch(r"\d+\.\d+\.\d+", parsed[1]):
                out.add(parsed[:2])
    return out


def is_complete(cache: Path, name: str, version: str) -> bool:
    return (cache / f"{name}@{version}" / MARKER).is_file()


def _default_file(pkg_dir: Path) -> str | None:
    """The file jsdelivr serves for a bare `pkg@version` URL."""
    try:
        meta = json.loads((pkg_dir / "package.json").read_text())
    except (OSError, json.JSONDecodeError):
        return None
    for field in ("jsdelivr", "cdn", "unpkg", "browser", "main"):
        value = meta.get(field)
        if isinstance(value, str) and (pkg_dir / value).is_file():
            return value
        if isinstance(value, str) and (pkg_dir / (value + ".js")).is_file():
            return value + ".js"
    return "index.js" if (pkg_dir / "index.js").is_file() else None


def fetch_package(cache: Path, name: str, version: str, log=print) -> bool:
    """`npm pack NAME@VERSION` and unpack into `<cache>/NAME@VERSION/`. Idempotent."""
    if is_complete(cache, name, version):
        return False
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not installed (apt-get install npm, or Node.js)")
    target = cache / f"{name}@{version}"
    with tempfile.TemporaryDirectory(prefix="cgs-npm-") as tmp:
        t0 = time.perf_counter()
        proc = subprocess.run([npm, "pack", f"{name}@{version}", "--json", "--silent",
                               "--pack-destination", tmp], capture_output=True, text=True,
                              timeout=600)
        if proc.returncode != 0:
            raise RuntimeError(f"npm pack {name}@{version} failed: "
                               f"{(proc.stderr or proc.stdout).strip()[-800:]}")
        tarballs = list(Path(tmp).glob("*.tgz"))
        if len(tarballs) != 1:
            raise RuntimeError(f"npm pack {name}@{version}: expected one tarball, got "
                               f"{[t.name for t in tarballs]}")
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name.replace('/', '_')}.",
                                        dir=_ensure(target.parent)))
        try:
            with tarfile.open(tarballs[0]) as tf:
                for member in tf.getmembers():
                    parts = Path(member.name).parts
                    if not parts or member.issym() or member.islnk() or ".." in parts:
                        continue
                    # the tarball's top folder is `package/` (sometimes another name)
                    rel = Path(*parts[1:]) if len(parts) > 1 else None
                    if rel is None:
                        continue
                    dest = staging / rel
                    if member.isdir():
                        dest.mkdir(parents=True, exist_ok=True)
                    elif member.isfile():
                        dest.parent.mkdir(parents=True, exist_ok=True)
                        src = tf.extractfile(member)
                        if src is not None:
                            with open(dest, "wb") as out:
                                shutil.copyfileobj(src, out)
            main = _default_file(staging)
            if main and not (staging / "__main.js").exists():
                # what Solara's proxy stores for a bare `pkg@version` URL
                shutil.copyfile(staging / main, staging / "__main.js")
            (staging / MARKER).write_text(json.dumps({"package": name, "version": version,
                                                      "from": "npm pack"}) + "\n")
            os.chmod(staging, 0o755)
            if target.exists():
                shutil.rmtree(target)  # an incomplete earlier attempt
            os.replace(staging, target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    log(f"  {name}@{version}: {sum(1 for _ in target.rglob('*'))} files "
        f"({time.perf_counter() - t0:.1f} s)")
    return True


def _ensure(p: Path) -> Path:
    p.mkdir(parents=True, exist_ok=True)
    return p


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, timeout: float = 60.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server stopped (exit code {proc.returncode})")
        try:
            with urllib.request.urlopen(url + "/readyz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError as exc:
            last = exc
        time.sleep(0.3)
    raise RuntimeError(f"the server did not answer at {url} within {timeout:.0f} s ({last})")


def start_server(port: int, cache: Path, env_extra: dict[str, str] | None = None,
                 log_path: Path | None = None) -> subprocess.Popen:
    """`solara run ui/app.py` on 127.0.0.1:port (production mode), in its own process
    group so that it can be stopped with everything it started."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["SOLARA_ASSETS_PROXY_CACHE_DIR"] = str(cache)
    env.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    # Solara's "This website runs on Solara" banner sits over the bottom of the page
    env.setdefault("SOLARA_THEME_SHOW_BANNER", "False")
    env.update(env_extra or {})
    out = open(log_path, "wb") if log_path else subprocess.DEVNULL
    return subprocess.Popen(
        [sys.executable, "-m", "solara", "run", str(ROOT / "ui" / "app.py"), "--host",
         "127.0.0.1", "--port", str(port), "--production", "--no-open"],
        cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, 15)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        proc.wait(timeout=10)


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium",
                      shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def browser_missing(cache: Path, log=print) -> set[tuple[str, str]]:
    """Serve the app, open every view in chromium, return packages of failed CDN requests."""
    from playwright.sync_api import sync_playwright

    exe = chromium_path()
    if exe is None:
        raise RuntimeError("no chromium found (apt-get install chromium), or run with "
                           "--no-browser")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    # fail fast instead of trying the unreachable CDN
    proc = start_server(port, cache, {"SOLARA_ASSETS_CDN": "http://127.0.0.1:9/"})
    failed: set[str] = set()
    try:
        wait_ready(url, proc=proc)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=exe, headless=True, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})

                def on_response(resp):
                    if CDN_PREFIX in resp.url and resp.status >= 400:
                        failed.add(resp.url.split(CDN_PREFIX, 1)[1])

                page.on("response", on_response)
                page.on("requestfailed", lambda r: failed.add(r.url.split(CDN_PREFIX, 1)[1])
                        if CDN_PREFIX in r.url else None)
                page.goto(url, wait_until="load", timeout=120_000)
                try:
                    page.wait_for_selector(".view-btn-workshop", timeout=60_000)
                    for sel in (".view-btn-workshop", ".view-btn-batch", ".lang-zh",
                                ".view-btn-single"):
                        page.click(sel, timeout=20_000)
                        page.wait_for_timeout(1500)
                except Exception as exc:  # noqa: BLE001 - the page did not come up
                    log(f"  the page did not fully load yet ({type(exc).__name__})")
                page.wait_for_timeout(2000)
            finally:
                browser.close()
    finally:
        stop_server(proc)
    out = set()
    for path in failed:
        parsed = parse_ref(path)
        if parsed:
            out.add(parsed[:2])
        else:
            log(f"  cannot tell the package of {path}")
    return out


def fetch(browser: bool = True, cache: Path | None = None, log=print) -> list[str]:
    """Fill the cache; return the packages fetched now (empty if all were there)."""
    cache = cache or cache_dir()
    log(f"Solara asset cache: {cache}")
    fetched: list[str] = []
    wanted = sorted(template_refs() | set(OPTIONAL))
    log("packages named by Solara's page template and components: "
        + ", ".join(f"{n}@{v}" for n, v in wanted))
    for name, version in wanted:
        if fetch_package(cache, name, version, log):
            fetched.append(f"{name}@{version}")
    if browser:
        for round_ in range(1, 4):
            log(f"checking the page in chromium (round {round_})...")
            missing = {(n, v) for n, v in browser_missing(cache, log)}
            new = sorted(m for m in missing if not is_complete(cache, *m))
            if not missing:
                log("no front-end file is missing")
                break
            if not new:
                raise RuntimeError("files still missing from packages already in the cache: "
                                   + ", ".join(f"{n}@{v}" for n, v in sorted(missing)))
            for name, version in new:
                fetch_package(cache, name, version, log)
                fetched.append(f"{name}@{version}")
    log(f"done: {len(fetched)} package(s) fetched" + (f" ({', '.join(fetched)})"
                                                     if fetched else ", cache already complete"))
    return fetched


def missing_packages(cache: Path | None = None) -> list[str]:
    """Packages named by Solara's template that the cache lacks (a quick check)."""
    cache = cache or cache_dir()
    return [f"{n}@{v}" for n, v in sorted(template_refs()) if not is_complete(cache, n, v)
            and not (cache / f"{n}@{v}").is_dir()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ui.assets",
        description="Fill Solara's local asset cache from the npm registry, so that the "
                    "page works without access to the CDN.")
    parser.add_argument("--no-browser", action="store_true",
                        help="only the packages Solara's template names; do not check the "
                             "page in chromium")
    parser.add_argument("--check", action="store_true",
                        help="report missing packages and exit 1 if any (fetch nothing)")
    parser.add_argument("--cache-dir", type=Path,
                        help="cache folder (default: SOLARA_ASSETS_PROXY_CACHE_DIR or "
                             "<venv>/share/solara/cdn)")
    args = parser.parse_args(argv)
    cache = args.cache_dir or cache_dir()
    if args.check:
        missing = missing_packages(cache)
        print("missing: " + ", ".join(missing) if missing else f"complete: {cache}")
        return 1 if missing else 0
    try:
        fetch(browser=not args.no_browser, cache=cache)
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
