"""``build.py serve``: the translators' editor at /edit/ and the site, rebuilt on changes.

The server is uvicorn running ``editor.create_app``. It listens on 127.0.0.1 unless
told otherwise; on any other interface every request needs a token, printed here
(as Jupyter does), optionally restricted to one language. ``--port 0`` takes a free
port (the printed URLs name it).

SIGTERM and Ctrl+C stop it cleanly: no new connections, requests under way get
``GRACE`` seconds to finish, the background build is stopped (site/ stays as the last
finished build left it). uvicorn would raise the signal again once stopped (status
128+15 for SIGTERM, a KeyboardInterrupt traceback for Ctrl+C); the signal is taken
here instead. SIGTERM, the way service managers stop a server, ends with status 0;
Ctrl+C says "interrupted" and ends with 130, as every command does.
"""

from __future__ import annotations

import argparse
import ipaddress
import secrets
import signal
import socket
import threading

from ..cli import INTERRUPTED
from ..config import Config
from ..errors import PressroomError
from ..machine import ENGINES, TIMEOUT
from ._common import known_languages, log, port, positive_number

LOOPBACK_NAMES = ("localhost",)
GRACE = 5
"""Seconds requests under way get to finish when the server is stopped."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1",
                        help="interface to listen on (default: 127.0.0.1; any other needs a token)")
    parser.add_argument("--port", type=port, default=8000, help="default: 8000; 0 takes a free port")
    parser.add_argument("--lang-token", action="append", default=[], metavar="LANG",
                        help="also print a token that may only edit LANG (repeatable); tokens are then "
                             "required on loopback too")
    parser.add_argument("--no-pdf", action="store_true",
                        help="rebuild the site without PDF editions (faster; site/ then has no PDFs)")
    parser.add_argument("--no-watch", action="store_true", help="build site/ once at start, not on changes")
    parser.add_argument("--engine", choices=list(ENGINES), default="google",
                        help="machine translation engine of the Suggest button (default: google)")
    parser.add_argument("--url", help="endpoint of the engine (libre: your LibreTranslate server)")
    parser.add_argument("--timeout", type=positive_number, default=TIMEOUT, metavar="SECONDS",
                        help=f"machine translation request timeout (default: {TIMEOUT:g})")


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _family(host: str) -> socket.AddressFamily:
    try:
        return socket.AF_INET6 if ipaddress.ip_address(host.strip("[]")).version == 6 else socket.AF_INET
    except ValueError:
        return socket.AF_INET


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The ``Host`` headers that name a loopback server listening on ``host``:
    its own address and the usual loopback names, with the port (and without it on
    port 80, where browsers leave it out)."""
    names = {"127.0.0.1", "localhost", "[::1]", _in_url(host.strip("[]"))}
    try:
        names.add(_in_url(str(ipaddress.ip_address(host.strip("[]")))))  # ::0001 is sent as [::1]
    except ValueError:
        pass
    suffixes = (f":{port}", "") if port == 80 else (f":{port}",)
    return frozenset(name.lower() + suffix for name in names for suffix in suffixes)


def _in_url(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def run(args: argparse.Namespace, config: Config) -> int:
    import uvicorn

    from ..editor import Drafts, Security, Settings, create_app

    known_languages(config, args.lang_token, "--lang-token")
    loopback = is_loopback(args.host)
    tokens: dict[str, str | None] = {}
    if not loopback or args.lang_token:
        tokens[secrets.token_urlsafe(24)] = None
        for lang in args.lang_token:
            tokens[secrets.token_urlsafe(24)] = lang
    try:  # bound before anything starts: a port in use is one clear error
        sock = socket.create_server((args.host.strip("[]"), args.port), family=_family(args.host))
    except OSError as exc:
        reason = (exc.strerror or str(exc)).split(" (while")[0]
        raise PressroomError(f"cannot listen on {args.host}:{args.port}: {reason}") from None
    port = sock.getsockname()[1]
    settings = Settings(
        security=Security(tokens=tokens, hosts=allowed_hosts(args.host, port) if loopback else None, port=port),
        drafts=Drafts(args.engine, args.url, args.timeout),
        watch=not args.no_watch,
        pdf=not args.no_pdf,
    )
    app = create_app(config, settings)
    shown = socket.gethostname() if args.host in ("0.0.0.0", "::") else args.host.strip("[]")
    base = f"http://{_in_url(shown)}:{port}"
    log(f"Pressroom editor: {base}/edit/   site: {base}/")
    for token, lang in tokens.items():
        who = f"may edit {lang} only" if lang else "may edit every language"
        log(f"  {base}/edit/?token={token}   ({who})")
    if not loopback:
        log(f"listening on {args.host}: every request needs a token; share a URL above only with its translator")
    log(f"site/ is rebuilt {'without' if args.no_pdf else 'with'} PDFs "
        f"{'once' if args.no_watch else 'when content/, locales/ or templates/ change'}; Ctrl+C stops")
    server = uvicorn.Server(uvicorn.Config(app, host=args.host.strip("[]"), port=port, log_level="warning",
                                           timeout_graceful_shutdown=GRACE))
    stops: list[int] = []
    # uvicorn stops on these and then raises each again with the handler it found:
    # this one, which notes it (the stop is done, and asked for). Signal handlers can
    # only be set in the main thread (uvicorn then sets none either).
    signals = (signal.SIGINT, signal.SIGTERM) if threading.current_thread() is threading.main_thread() else ()
    previous = {sig: signal.signal(sig, lambda sig, frame: stops.append(sig)) for sig in signals}
    try:
        server.run(sockets=[sock])
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if stops and stops[0] == signal.SIGINT:
        log("interrupted")  # as every command says it
        return INTERRUPTED
    if stops:
        log(f"stopped ({signal.Signals(stops[0]).name})")
    return 0
