#!/usr/bin/env python3
"""Synthetic explicit ratings with a known low-rank structure plus noise.

    generate_ratings.py --users 1000 --items 1700 --ratings 100000 --rank 10 --seed 7 \
        --train train.csv --test test.csv [--test-fraction 0.2]

rating = clip(round(3.5 + b_u + b_i + p_u·q_i + noise), 1, 5) on distinct (user, item) pairs
drawn uniformly; rows are written in a random order as `user,item,rating` (no header).
Only numpy is needed; the same arguments always give the same files.
"""
import argparse

import numpy as np


def generate(users, items, ratings, rank, seed, noise=0.5):
    rng = np.random.default_rng(seed)
    if ratings > users * items:
        raise ValueError("more ratings than (user, item) pairs")
    p = rng.normal(0.0, 1.0 / np.sqrt(rank), size=(users, rank))
    q = rng.normal(0.0, 1.0, size=(items, rank))
    bu = rng.normal(0.0, 0.4, size=users)
    bi = rng.normal(0.0, 0.4, size=items)
    cells = np.empty(0, dtype=np.int64)
    while cells.size < ratings:
        extra = rng.integers(0, users * items, size=int((ratings - cells.size) * 1.2) + 16)
        cells = np.unique(np.concatenate([cells, extra]))
    cells = rng.permutation(cells)[:ratings]
    u = cells // items
    i = cells % items
    value = 3.5 + bu[u] + bi[i] + np.einsum("ij,ij->i", p[u], q[i]) + rng.normal(0.0, noise, size=ratings)
    value = np.clip(np.rint(value), 1, 5).astype(np.int64)
    return u, i, value, rng


def write(path, u, i, value):
    with open(path, "w") as out:
        for a, b, r in zip(u.tolist(), i.tolist(), value.tolist()):
            out.write(f"u{a},i{b},{r}\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--items", type=int, default=1700)
    parser.add_argument("--ratings", type=int, default=100000)
    parser.add_argument("--rank", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--test-fraction", type=float, default=0.2)
    parser.add_argument("--train", required=True)
    parser.add_argument("--test", required=True)
    args = parser.parse_args()
    u, i, value, rng = generate(args.users, args.items, args.ratings, args.rank, args.seed)
    held = rng.random(args.ratings) < args.test_fraction
    write(args.train, u[~held], i[~held], value[~held])
    write(args.test, u[held], i[held], value[held])


if __name__ == "__main__":
    main()
