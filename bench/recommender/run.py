#!/usr/bin/env python3
"""Recommender benchmark, one script: our SVD against scikit-surprise on the same generated data
(training time and held-out RMSE, 20 epochs, 100 factors, Surprise's other defaults), then the
latency of one user's recommendations over a 10,000-product model and the model's memory.

    bench/recommender/run.py [--build build] [--runs 5] [--skip-1m] [--skip-service]

Needs `make build` (recommender_svd_cli, recommender_latency_bench) and scripts/deps.sh (the
scikit-surprise venv in .deps/surprise-venv, which this script re-executes itself under). Data
goes to .data-bench/recommender/. Prints one line per run and a Markdown table of medians.
Last, unless --skip-service, service_latency.sh measures the same recommendations end to end:
the real recommender role on a bench PostgreSQL, called over gRPC.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VENV_PYTHON = os.path.join(REPO, ".deps", "surprise-venv", "bin", "python")

try:
    from surprise import SVD, Dataset, Reader, accuracy
except ImportError:
    if os.path.exists(VENV_PYTHON) and os.path.realpath(sys.executable) != os.path.realpath(VENV_PYTHON):
        os.execv(VENV_PYTHON, [VENV_PYTHON] + sys.argv)
    sys.exit("scikit-surprise is missing: run scripts/deps.sh")

GENERATOR = os.path.join(REPO, "services", "recommender", "tools", "generate_ratings.py")

# name, users, items, ratings generated (a fifth is held out)
DATASETS = [
    ("100k", 1000, 1700, 125_000),
    ("1M", 6040, 3700, 1_250_000),
]


def generate(data_dir, name, users, items, ratings, test_fraction=0.2):
    train = os.path.join(data_dir, f"{name}_train.csv")
    test = os.path.join(data_dir, f"{name}_test.csv")
    if not (os.path.exists(train) and os.path.exists(test)):
        subprocess.run([sys.executable, GENERATOR, "--users", str(users), "--items", str(items), "--ratings",
                        str(ratings), "--rank", "10", "--seed", "7", "--test-fraction", str(test_fraction),
                        "--train", train, "--test", test], check=True)
    return train, test


def read_rows(path):
    with open(path) as f:
        return [(u, i, float(r)) for u, i, r in (line.strip().split(",") for line in f)]


def surprise_run(train, test):
    reader = Reader(line_format="user item rating", sep=",", rating_scale=(1, 5))
    trainset = Dataset.load_from_file(train, reader).build_full_trainset()
    algo = SVD(random_state=0)  # n_factors=100, n_epochs=20, lr_all=0.005, reg_all=0.02
    started, cpu_started = time.perf_counter(), time.process_time()
    algo.fit(trainset)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    rmse = accuracy.rmse(algo.test(read_rows(test)), verbose=False)
    return {"fit_seconds": seconds, "fit_cpu_seconds": cpu_seconds, "rmse": rmse, "ratings": trainset.n_ratings,
            "model_bytes": algo.pu.nbytes + algo.qi.nbytes + algo.bu.nbytes + algo.bi.nbytes}


def ours_run(cli, train, test):
    out = subprocess.run([cli, "--train", train, "--test", test], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default=os.path.join(REPO, "build"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-1m", action="store_true")
    parser.add_argument("--skip-service", action="store_true")
    args = parser.parse_args()
    cli = os.path.join(args.build, "services", "recommender", "recommender_svd_cli")
    latency = os.path.join(args.build, "bench", "recommender", "recommender_latency_bench")
    for binary in (cli, latency):
        if not os.access(binary, os.X_OK):
            sys.exit(f"{binary} is missing: make build")
    data_dir = os.path.join(REPO, ".data-bench", "recommender")
    os.makedirs(data_dir, exist_ok=True)

    rows = []
    for name, users, items, ratings in DATASETS:
        if name == "1M" and args.skip_1m:
            continue
        train, test = generate(data_dir, name, users, items, ratings)
        theirs, ours = [], []
        for run in range(args.runs):
            theirs.append(surprise_run(train, test))
            ours.append(ours_run(cli, train, test))
            print(f"{name} run {run + 1}: surprise fit {theirs[-1]['fit_seconds']:.3f} s (cpu "
                  f"{theirs[-1]['fit_cpu_seconds']:.3f} s) rmse {theirs[-1]['rmse']:.6f} | ours fit "
                  f"{ours[-1]['fit_seconds']:.4f} s (cpu {ours[-1]['fit_cpu_seconds']:.4f} s) rmse {ours[-1]['rmse']:.6f}",
                  flush=True)
        # CPU time: on a shared machine it does not count the time other processes held the core.
        their_s = statistics.median(r["fit_cpu_seconds"] for r in theirs)
        our_s = statistics.median(r["fit_cpu_seconds"] for r in ours)
        their_rmse, our_rmse = theirs[0]["rmse"], ours[0]["rmse"]
        rows.append((name, users, items, ours[0]["ratings"], their_s, our_s, their_s / our_s, their_rmse, our_rmse,
                     abs(our_rmse - their_rmse) / their_rmse, theirs[0]["model_bytes"], ours[0]["model_bytes"],
                     [round(r["fit_cpu_seconds"], 3) for r in theirs], [round(r["fit_cpu_seconds"], 4) for r in ours]))

    catalog, _ = generate(data_dir, "catalog10k", 2000, 10_000, 200_000, test_fraction=0.0)
    latencies = []
    for run in range(args.runs):
        out = json.loads(subprocess.run([latency, "--ratings", catalog, "--requests", "10000", "--seed", str(run + 1)],
                                        check=True, capture_output=True, text=True).stdout)
        latencies.append(out)
        print(f"latency run {run + 1}: for user p50 {out['for_user_ms']['p50']:.3f} ms p99 "
              f"{out['for_user_ms']['p99']:.3f} ms; viewed p50 {out['viewed_ms']['p50']:.3f} ms p99 "
              f"{out['viewed_ms']['p99']:.3f} ms", flush=True)

    print()
    print("| data (train ratings) | Surprise fit (CPU s, runs) | ours fit (CPU s, runs) | speed-up | held-out RMSE Surprise / ours (difference) "
          "| model memory Surprise arrays / ours |")
    print("|---|---|---|---|---|---|")
    for (name, users, items, n, their_s, our_s, speedup, their_rmse, our_rmse, diff, their_bytes, our_bytes,
         their_runs, our_runs) in rows:
        print(f"| {name}: {users:,} users × {items:,} items ({n:,}) | {their_s:.3f} {their_runs} | "
              f"{our_s:.4f} {our_runs} | {speedup:.1f}× | {their_rmse:.6f} / {our_rmse:.6f} ({diff:.1e}) | "
              f"{their_bytes / 2**20:.1f} / {our_bytes / 2**20:.1f} MiB |")
    med = lambda key, p: statistics.median(r[key][p] for r in latencies)
    last = latencies[-1]
    print()
    print(f"Latency over {last['items']:,} products ({last['users']:,} users, {last['ratings']:,} ratings; model "
          f"{last['model_bytes'] / 2**20:.1f} MiB, trained in {last['training_seconds']:.2f} s), medians of "
          f"{args.runs} runs of {last['requests']:,} requests: one user's top 5 p50 {med('for_user_ms', 'p50'):.3f} ms"
          f", p99 {med('for_user_ms', 'p99'):.3f} ms; based on 3 viewed p50 {med('viewed_ms', 'p50'):.3f} ms, p99 "
          f"{med('viewed_ms', 'p99'):.3f} ms")
    if not args.skip_service:
        print()
        print("End to end over gRPC (recommender role, PostgreSQL replica of the same data):", flush=True)
        subprocess.run([os.path.join(REPO, "bench", "recommender", "service_latency.sh"), args.build, catalog],
                       check=True)


if __name__ == "__main__":
    main()
