"""What the Python platform tests (tests/e2e, tests/faults) share: steps that name what failed,
polling, plain HTTP without redirects, psql, kcat and Prometheus text. Standard library only."""

import contextlib
import json
import os
import re
import subprocess
import time
import urllib.error
import urllib.request


class Failure(Exception):
    pass


_step = ["setup"]
_started = time.monotonic()
_name = ["test"]


def name_the_test(name):
    """The prefix of every log line: the test's name."""
    _name[0] = name


def log(message):
    print(f"[{_name[0]} {time.monotonic() - _started:6.1f}s] {message}", flush=True)


def shorten(text, limit=1500):
    text = text if isinstance(text, str) else json.dumps(text, default=str)
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} chars)"


def fail(message, response=None):
    text = f"step '{_step[0]}': {message}"
    if response is not None:
        text += f"\n    response: {shorten(response)}"
    raise Failure(text)


def check(condition, message, response=None):
    if not condition:
        fail(message, response)


@contextlib.contextmanager
def step(name):
    _step[0] = name
    began = time.monotonic()
    log(f"--- {name}")
    yield
    log(f"    ok: {name} ({time.monotonic() - began:.1f} s)")


def eventually(what, probe, timeout, interval=0.2):
    """Calls probe() until it returns (True, x); fails with the last answer after `timeout` s."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        ok, last = probe()
        if ok:
            return last
        if time.monotonic() > deadline:
            fail(f"{what}: not within {timeout} s", last)
        time.sleep(interval)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def http(method, url, body=None, headers=None, timeout=20):
    """(status, headers, body text); network errors raise OSError."""
    data = body.encode() if isinstance(body, str) else body
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with _opener.open(request, timeout=timeout) as response:
            return response.status, response.headers, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode("utf-8", "replace")


def run(cmd, timeout=60, env=None, check_rc=True, what=None):
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        fail(f"{what or cmd[0]} did not finish within {timeout} s: {' '.join(cmd)}")
    if check_rc and done.returncode != 0:
        fail(f"{what or cmd[0]} exited {done.returncode}: {' '.join(cmd)}", done.stdout + done.stderr)
    return done


PSQL = "/usr/lib/postgresql/15/bin/psql" if os.path.exists("/usr/lib/postgresql/15/bin/psql") else "psql"


def sql(url, statement):
    """Rows of a query as lists of strings (psql -tA, unit separator between columns)."""
    done = run([PSQL, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-tA", "-F", "\x1f", "-d", url, "-c", statement],
               what="psql")
    return [line.split("\x1f") for line in done.stdout.splitlines() if line]


def database_url(admin_url, name):
    base, _, rest = admin_url.rpartition("/")
    query = rest[rest.index("?"):] if "?" in rest else ""
    return f"{base}/{name}{query}"


def read_topic(bootstrap, topic):
    """Every message of a topic: dicts with key, payload (parsed JSON or None) and headers."""
    done = run(["kcat", "-C", "-b", bootstrap, "-t", topic, "-o", "beginning", "-e", "-q", "-J"], timeout=90,
               what=f"kcat reading {topic}")
    messages = []
    for line in done.stdout.splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        try:
            record["event"] = json.loads(record.get("payload") or "null")
        except ValueError:
            record["event"] = None
        headers = record.get("headers") or []
        record["header_map"] = dict(zip(headers[0::2], headers[1::2])) if isinstance(headers, list) else {}
        messages.append(record)
    return messages


def parse_metrics(text):
    """Prometheus text format: {name: [(labels, value)]}; fails on a malformed line."""
    samples = {}
    pattern = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)(\s+\d+)?$')
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        match = pattern.match(line)
        check(match is not None, f"malformed Prometheus line: {line!r}")
        value = float(match.group(3))
        samples.setdefault(match.group(1), []).append((match.group(2) or "", value))
    return samples
