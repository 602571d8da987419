#!/usr/bin/env python3
"""How a flood of costly GraphQL documents affects the gateway's /health.

Starts one gateway (no services behind it: these documents fail or are refused before any
downstream call) and probes /health while many clients post, at once:
  - fragment bombs (each fragment spreads the next twice, 2^40 fields expanded), refused by cost;
  - distinct documents of ~2,000 mergeable fields, within every limit (the validator's worst case).
Reports /health latency idle and under each flood, medians of --runs runs, and how long the
flood took to be answered.

    bench/graphql/flood.py --binary build/cmd/orderstream/orderstream
"""
import argparse
import json
import os
import socket
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bomb(levels, salt):
    query = f"query Bomb{salt} {{ ...F0 }}\n"
    for i in range(levels):
        query += f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}\n"
    return query + f"fragment F{levels} on Query {{ me {{ id }} }}\n"


def wide(salt):
    return "{ " + " ".join(["me { id }"] * 1990) + " " * salt + " }"


def post(port, query):
    body = json.dumps({"query": query}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", data=body,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=300) as reply:
            reply.read()
    except urllib.error.HTTPError as error:
        error.read()


def probe(port):
    started = time.perf_counter()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=60) as reply:
        reply.read()
    return (time.perf_counter() - started) * 1000


def under_flood(port, documents, probes):
    threads = [threading.Thread(target=post, args=(port, d)) for d in documents]
    started = time.perf_counter()
    for t in threads:
        t.start()
    time.sleep(0.05)
    latencies = []
    for _ in range(probes):
        latencies.append(probe(port))
        time.sleep(0.02)
    for t in threads:
        t.join()
    return latencies, time.perf_counter() - started


def p99(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default="build/cmd/orderstream/orderstream")
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    port = free_port()
    data = tempfile.mkdtemp(prefix="orderstream-flood-")
    env = dict(os.environ, GATEWAY_LISTEN=f"127.0.0.1:{port}", ORDERSTREAM_DATA_DIR=data, LOG_LEVEL="warn")
    gateway = subprocess.Popen([args.binary, "gateway"], env=env, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                probe(port)
                break
            except OSError:
                time.sleep(0.1)
        rows = {"idle": [], "fragment bombs": [], "wide documents": []}
        durations = {"fragment bombs": [], "wide documents": []}
        salt = 0
        for _ in range(args.runs):
            rows["idle"].append([probe(port) for _ in range(50)])
            for name, make in (("fragment bombs", lambda s: bomb(40, s)), ("wide documents", wide)):
                documents = []
                for _ in range(args.clients):
                    salt += 1  # distinct documents: the document cache never helps
                    documents.append(make(salt))
                latencies, took = under_flood(port, documents, 30)
                rows[name].append(latencies)
                durations[name].append(took)
        print(f"{args.clients} clients at once, {args.runs} runs; /health latency in ms (median of the runs)")
        print("| flood | /health p50 | /health p99 | flood answered in |")
        print("|---|---|---|---|")
        for name, runs in rows.items():
            p50s = [statistics.median(r) for r in runs]
            p99s = [p99(r) for r in runs]
            took = f"{statistics.median(durations[name]):.2f} s" if name in durations else ""
            print(f"| {name} | {statistics.median(p50s):.2f} ({' '.join(f'{v:.2f}' for v in p50s)}) | "
                  f"{statistics.median(p99s):.2f} | {took} |")
    finally:
        gateway.terminate()
        gateway.wait()


if __name__ == "__main__":
    main()
