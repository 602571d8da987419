#!/usr/bin/env python3
"""Our SVD against scikit-surprise's SVD, side by side, on the same files and hyperparameters.

    surprise_side_by_side.py --cli build/.../recommender_svd_cli --data services/recommender/tests/data \
        --generator services/recommender/tools/generate_ratings.py --workdir /tmp/x

Cases: Surprise's tiny `custom_train`/`custom_test` fixture (as CSV), with Surprise's defaults
and with the small setting its own test suite uses, and a generated low-rank + noise dataset.
Each case trains both with random_state 0 and fails when the held-out RMSEs differ by more than
1 %. Our reference kernel (Surprise's arithmetic and numpy's random stream) must in addition
agree to 1e-9, and so must the tiny fixture's predictions.
"""
import argparse
import json
import os
import subprocess
import sys
import time

from surprise import SVD, Dataset, Reader, accuracy

TOLERANCE = 0.01


def read_rows(path):
    rows = []
    with open(path) as f:
        for line in f:
            user, item, rating = line.strip().split(",")[:3]
            rows.append((user, item, float(rating)))
    return rows


def surprise_fit(train, test, params):
    reader = Reader(line_format="user item rating", sep=",", rating_scale=(1, 5))
    trainset = Dataset.load_from_file(train, reader).build_full_trainset()
    algo = SVD(random_state=0, **params)
    started = time.perf_counter()
    algo.fit(trainset)
    seconds = time.perf_counter() - started
    predictions = algo.test(read_rows(test))
    return accuracy.rmse(predictions, verbose=False), seconds, [p.est for p in predictions]


def ours_fit(cli, train, test, params, kernel, predictions_path):
    args = [cli, "--train", train, "--test", test, "--kernel", kernel, "--predictions", predictions_path,
            "--factors", str(params.get("n_factors", 100)), "--epochs", str(params.get("n_epochs", 20))]
    out = json.loads(subprocess.run(args, check=True, capture_output=True, text=True).stdout)
    estimates = [float(line.strip().split(",")[2]) for line in open(predictions_path)]
    return out["rmse"], out["fit_seconds"], estimates


def compare(name, cli, train, test, params, workdir):
    theirs, their_seconds, their_estimates = surprise_fit(train, test, params)
    failures = []
    for kernel in ("reference", "fast"):
        ours, our_seconds, our_estimates = ours_fit(cli, train, test, params, kernel,
                                                   os.path.join(workdir, f"{name}-{kernel}.csv"))
        relative = abs(ours - theirs) / theirs
        print(f"{name:28s} {kernel:9s} surprise rmse {theirs:.12f} ({their_seconds:.3f} s)  "
              f"ours {ours:.12f} ({our_seconds:.3f} s)  relative difference {relative:.2e}")
        if relative > TOLERANCE:
            failures.append(f"{name}/{kernel}: RMSE {ours} vs Surprise {theirs} differs by {relative:.2%}")
        if kernel == "reference":
            if abs(ours - theirs) > 1e-9:
                failures.append(f"{name}/reference: RMSE {ours} vs Surprise {theirs} is not the same computation")
            worst = max(abs(a - b) for a, b in zip(our_estimates, their_estimates))
            if len(our_estimates) != len(their_estimates) or worst > 1e-9:
                failures.append(f"{name}/reference: predictions differ from Surprise's by up to {worst:.3e}")
    return failures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cli", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--generator", required=True)
    parser.add_argument("--workdir", required=True)
    args = parser.parse_args()
    os.makedirs(args.workdir, exist_ok=True)

    fixture = (os.path.join(args.data, "surprise_custom_train.csv"), os.path.join(args.data, "surprise_custom_test.csv"))
    generated = (os.path.join(args.workdir, "lowrank_train.csv"), os.path.join(args.workdir, "lowrank_test.csv"))
    subprocess.run([sys.executable, args.generator, "--users", "1000", "--items", "1700", "--ratings", "100000",
                    "--rank", "10", "--seed", "11", "--train", generated[0], "--test", generated[1]], check=True)

    failures = []
    failures += compare("fixture-defaults", args.cli, *fixture, {}, args.workdir)
    failures += compare("fixture-2-factors-5-epochs", args.cli, *fixture, {"n_factors": 2, "n_epochs": 5}, args.workdir)
    failures += compare("lowrank-1000x1700x100k", args.cli, *generated, {}, args.workdir)
    for failure in failures:
        print("FAIL:", failure)
    print(f"{3 - len({f.split('/')[0] for f in failures})} passed, {len({f.split('/')[0] for f in failures})} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
