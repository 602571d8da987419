#!/usr/bin/env python3
"""OrderStream under faults: two instances of every role on the test PostgreSQL and Kafka, a
shop's traffic through both gateways, and meanwhile kill -9 of one instance of each role in
turn, a PostgreSQL restart and a Kafka broker restart. When the load has ended and the
platform has settled, the money and the events are checked against each other:

- every order whose payment the provider took is `paid` (or, refunded, `refunded`) and moved
  to `paid` exactly once, for exactly the order's total;
- no order moved to `paid` without a payment the provider took;
- every transition in an order's history is on `order_events` exactly once (as an event id;
  a redelivered copy of the same event is counted and reported, consumers drop it);
- the recommender's purchase count of every (buyer, product) equals the buyer's paid orders
  holding the product;
- every acknowledged order exists once (by idempotency key), every acknowledged cancel and
  refund took effect, every refund gave back exactly what was taken.

The table of those invariants is printed at the end. Run through tests/faults/run.sh (CTest
`faults`). Standard library only.
"""

import argparse
import collections
import contextlib
import ctypes
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support", "python"))
from testkit import (Failure, check, database_url, eventually, fail, http, log, name_the_test,  # noqa: E402
                     read_topic, sql, step)

ROLES = ["account", "product", "order", "payment", "recommender", "gateway"]
DATABASE_ROLES = ["account", "product", "order", "payment", "recommender"]
RUN = uuid.uuid4().hex[:8]
TOPIC_PREFIX = f"faults-{RUN}."
ADMIN_EMAIL = f"admin-{RUN}@example.com"
PASSWORD = "fault-tolerant-42"
RETRY_FOR = 120.0  # seconds an operation keeps being retried through outages before the test fails


# ------------------------------------------------------------------ the platform: two of everything

class Instance:
    def __init__(self, platform, role, index):
        self.platform, self.role, self.index = platform, role, index
        base = platform.base + 10 * index
        slot = ROLES.index(role)
        self.port = base + slot                      # gRPC, or the gateway's HTTP
        self.admin_port = base + 100 + slot          # /health/ready and /metrics
        self.http_port = base + 200 if role == "payment" else None  # the sandbox and webhooks
        self.process = None
        self.starts = 0

    @property
    def name(self):
        return f"{self.role}-{self.index}"

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"

    @property
    def log_path(self):
        return os.path.join(self.platform.data_dir, f"{self.name}.log")

    def environment(self):
        p = self.platform
        env = dict(os.environ)
        for name in ("JWT_SECRET", "DODO_API_KEY", "DATABASE_URL", "ORDERSTREAM_ENV"):
            env.pop(name, None)
        env.update({
            "ORDERSTREAM_DATA_DIR": p.data_dir,
            "KAFKA_BOOTSTRAP_SERVERS": p.kafka,
            "KAFKA_TOPIC_PREFIX": TOPIC_PREFIX,
            "JWT_SECRET": p.jwt_secret,
            "ADMIN_EMAILS": ADMIN_EMAIL,
            "LOG_LEVEL": "info",
            "RECOMMENDER_CONSUMER_GROUP": f"faults-recommender-{RUN}",
            "RECOMMENDER_RETRAIN_MIN_INTERACTIONS": "1",
            "RECOMMENDER_RETRAIN_INTERVAL_SECONDS": "2",
            "RECOMMENDER_RETRAIN_POLL_MS": "500",
            # Both instances of a role behind one name, as a Kubernetes Service gives them:
            # the channels spread calls over the live ones (round_robin).
            "ACCOUNT_URL": p.target("account"),
            "PRODUCT_URL": p.target("product"),
            "ORDER_URL": p.target("order"),
            "ORDER_SERVICE_URL": p.target("order"),
            "PAYMENT_URL": p.target("payment"),
            "RECOMMENDER_URL": p.target("recommender"),
        })
        upper = self.role.upper()
        env[f"{upper}_LISTEN"] = self.address
        if self.role == "gateway":
            env["GATEWAY_ADMIN_LISTEN"] = f"127.0.0.1:{self.admin_port}"
        else:
            env[f"{upper}_ADMIN_LISTEN"] = f"127.0.0.1:{self.admin_port}"
            env["DATABASE_URL"] = p.db(self.role)
        if self.role == "payment":
            env["PAYMENT_HTTP_LISTEN"] = f"127.0.0.1:{self.http_port}"
        return env

    def start(self):
        def stop_with_us():
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG

        with open(self.log_path, "a") as out:
            self.process = subprocess.Popen([self.platform.binary, self.role], stdout=out, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, env=self.environment(),
                                            preexec_fn=stop_with_us)
        self.starts += 1

    def ready(self):
        if self.process is None or self.process.poll() is not None:
            return False
        try:
            status, _, _ = http("GET", f"http://127.0.0.1:{self.admin_port}/health/ready", timeout=3)
        except OSError:
            return False
        return status == 200

    def wait_ready(self, timeout=90):
        def probe():
            if self.process.poll() is not None:
                fail(f"{self.name} exited with {self.process.returncode}", self.tail())
            return self.ready(), self.name
        eventually(f"{self.name} ready", probe, timeout, 0.25)

    def kill9(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def tail(self, lines=20):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return "\n".join(f.read().splitlines()[-lines:])
        except FileNotFoundError:
            return ""


class Platform:
    def __init__(self, binary, base):
        self.binary, self.base = binary, base
        self.data_dir = tempfile.mkdtemp(prefix="orderstream-faults-")
        self.admin_url = os.environ["ORDERSTREAM_TEST_PG_URL"]
        self.kafka = os.environ["ORDERSTREAM_TEST_KAFKA"]
        self.scripts = os.environ["ORDERSTREAM_SCRIPTS_DIR"]
        self.jwt_secret = uuid.uuid4().hex + uuid.uuid4().hex
        self.databases = {role: f"faults_{RUN}_{role}" for role in DATABASE_ROLES}
        self.instances = {role: [Instance(self, role, i) for i in (0, 1)] for role in ROLES}

    def db(self, role):
        return database_url(self.admin_url, self.databases[role])

    def target(self, role):
        return "ipv4:" + ",".join(i.address for i in self.instances[role])

    def all(self):
        return [i for role in ROLES for i in self.instances[role]]

    def gateways(self):
        return [f"http://{i.address}/graphql" for i in self.instances["gateway"]]

    def sandboxes(self):
        return [f"http://127.0.0.1:{i.http_port}" for i in self.instances["payment"]]

    def create_databases(self):
        for name in self.databases.values():
            sql(self.admin_url, f'CREATE DATABASE "{name}"')

    def drop_databases(self):
        for name in self.databases.values():
            with contextlib.suppress(Failure):
                sql(self.admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def start(self):
        for role in ROLES:  # in dependency order; both instances of a role at once (migrations lock)
            for instance in self.instances[role]:
                instance.start()
            for instance in self.instances[role]:
                instance.wait_ready()

    def stop(self):
        for instance in reversed(self.all()):
            instance.stop()

    def script(self, name, command):
        done = subprocess.run([os.path.join(self.scripts, name), command], capture_output=True, text=True,
                              timeout=180)
        check(done.returncode == 0, f"{name} {command} exited {done.returncode}", done.stdout + done.stderr)


# ------------------------------------------------------------------ a client that rides out outages

class Unavailable(Exception):
    pass


class Refused(Exception):
    """The platform answered with a definite error (not an outage)."""

    def __init__(self, code, message):
        super().__init__(f"{code}: {message}")
        self.code = code


TRANSIENT_CODES = {"UNAVAILABLE", "INTERNAL"}


class Client:
    def __init__(self, platform):
        self.platform = platform
        self.retries = collections.Counter()

    def graphql_once(self, url, query, token):
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        try:
            status, _, body = http("POST", url, json.dumps({"query": query}), headers, timeout=15)
        except OSError as error:
            raise Unavailable(f"{url}: {error}")
        if status != 200:
            raise Unavailable(f"{url}: HTTP {status} {body[:200]}")
        document = json.loads(body)
        errors = document.get("errors") or []
        if errors:
            code = (errors[0].get("extensions") or {}).get("code")
            if code in TRANSIENT_CODES:
                raise Unavailable(f"{code}: {errors[0].get('message')}")
            raise Refused(code, errors[0].get("message"))
        return document["data"]

    def graphql(self, query, token=None, what="graphql"):
        """Retries through outages (either gateway, with a pause) for up to RETRY_FOR seconds."""
        deadline = time.monotonic() + RETRY_FOR
        gateways = self.platform.gateways()
        attempt = 0
        while True:
            url = gateways[(attempt + random.randrange(2)) % 2]
            try:
                return self.graphql_once(url, query, token)
            except Unavailable as error:
                self.retries[what] += 1
                if time.monotonic() > deadline:
                    fail(f"{what}: still failing after {RETRY_FOR:.0f} s of retries: {error}")
            attempt += 1
            time.sleep(min(0.1 * attempt, 1.0))

    def sandbox(self, checkout_url, action):
        """POST Pay or Decline on the checkout page, on whichever payment instance answers."""
        path = checkout_url[checkout_url.index("/", len("http://")):]
        deadline = time.monotonic() + RETRY_FOR
        attempt = 0
        while True:
            base = self.platform.sandboxes()[(attempt + random.randrange(2)) % 2]
            try:
                status, _, body = http("POST", f"{base}{path}/{action}", timeout=15)
                if status in (303, 409):
                    return status
                last = f"HTTP {status}: {body[:200]}"
            except OSError as error:
                last = str(error)
            self.retries[f"sandbox {action}"] += 1
            if time.monotonic() > deadline:
                fail(f"sandbox {action}: still failing after {RETRY_FOR:.0f} s: {last}")
            attempt += 1
            time.sleep(min(0.1 * attempt, 1.0))


# ------------------------------------------------------------------ the shop's traffic

def register(client, name, email):
    query = ('mutation { register(account: {name: %s, email: %s, password: %s}) { token } }'
             % (json.dumps(name), json.dumps(email), json.dumps(PASSWORD)))
    try:
        return client.graphql(query, what="register")["register"]["token"]
    except Refused as refused:  # a retried register whose first attempt went through
        check(refused.code == "BAD_USER_INPUT", f"register {email}: {refused}")
        query = ('mutation { login(account: {email: %s, password: %s}) { token } }'
                 % (json.dumps(email), json.dumps(PASSWORD)))
        return client.graphql(query, what="login")["login"]["token"]


class Ledger:
    """What the platform acknowledged to the clients, for the checks afterwards."""

    def __init__(self):
        self.lock = threading.Lock()
        self.orders = {}          # idempotency key -> order id
        self.paid = set()         # orders whose Pay was answered
        self.declined = set()
        self.cancelled = set()    # cancelOrder acknowledged
        self.refunded = set()     # refundOrder acknowledged
        self.price_changes = 0
        self.searches = 0
        self.errors = []

    def note(self, field, value):
        with self.lock:
            getattr(self, field).add(value)


class Shop:
    def __init__(self, platform, client, seconds):
        self.platform, self.client, self.seconds = platform, client, seconds
        self.ledger = Ledger()
        self.stop = threading.Event()
        self.threads = []
        self.products = []
        self.buyers = []
        self.admin = self.seller = None

    def open(self):
        c = self.client
        self.admin = register(c, "Fault Admin", ADMIN_EMAIL)
        self.seller = register(c, "Fault Seller", f"seller-{RUN}@example.com")
        self.buyers = [register(c, f"Buyer {i}", f"buyer{i}-{RUN}@example.com") for i in range(4)]
        self.account_ids = {token: int(c.graphql("{ me { id } }", token, "me")["me"]["id"]) for token in self.buyers}
        for i in range(8):
            query = ('mutation { createProduct(product: {name: "Fault part %d", description: "Spare part %d '
                     'for the fault test", price: %d.%02d}) { id } }' % (i, i, 3 + 7 * i, 10 + i))
            self.products.append(c.graphql(query, self.seller, "createProduct")["createProduct"]["id"])

    def start(self):
        for index, token in enumerate(self.buyers):
            self.threads.append(threading.Thread(target=self.guard, args=(self.buyer_loop, token, index), daemon=True))
        self.threads.append(threading.Thread(target=self.guard, args=(self.seller_loop,), daemon=True))
        self.threads.append(threading.Thread(target=self.guard, args=(self.admin_loop,), daemon=True))
        for thread in self.threads:
            thread.start()

    def finish(self):
        self.stop.set()
        for thread in self.threads:
            thread.join(RETRY_FOR + 60)
        check(not self.ledger.errors, "the shop's traffic failed", self.ledger.errors)

    def guard(self, loop, *args):
        try:
            loop(*args)
        except Exception as error:  # noqa: BLE001 - reported by finish()
            with self.ledger.lock:
                self.ledger.errors.append(f"{loop.__name__}: {type(error).__name__}: {error}")
            self.stop.set()

    def order_status(self, token, order_id):
        return self.client.graphql("{ order(id: %d) { status } }" % order_id, token, "order")["order"]["status"]

    def buyer_loop(self, token, index):
        c, rng = self.client, random.Random(index)
        while not self.stop.is_set():
            lines = rng.sample(self.products, rng.randint(1, 3))
            key = f"{RUN}-{index}-{uuid.uuid4().hex[:8]}"
            query = ('mutation { createOrder(idempotencyKey: "%s", order: {products: [%s]}) { id } }'
                     % (key, " ".join('{id: "%s", quantity: %d}' % (p, rng.randint(1, 3)) for p in lines)))
            order_id = int(c.graphql(query, token, "createOrder")["createOrder"]["id"])
            with self.ledger.lock:
                self.ledger.orders[key] = order_id
            if index == 0 and rng.random() < 0.3:  # one buyer also searches and looks around
                c.graphql('{ product(query: "fault part", pagination: {skip: 0, take: 5}) { id } }', token, "search")
                self.ledger.searches += 1
            choice = rng.random()
            if choice < 0.7:
                self.pay(token, order_id, "pay")
            elif choice < 0.85:
                self.pay(token, order_id, "decline")
                self.cancel(token, order_id)
            else:
                self.cancel(token, order_id)
            time.sleep(rng.uniform(0.05, 0.3))

    def pay(self, token, order_id, action):
        query = ('mutation { createCheckoutSession(details: {accounId: %d, name: "", email: "", '
                 'redirectUrl: "http://localhost:3000/done", products: [], orderId: %d}) { url } }'
                 % (self.account_ids[token], order_id))
        url = self.client.graphql(query, token, "createCheckoutSession")["createCheckoutSession"]["url"]
        status = self.client.sandbox(url, action)
        if status == 303:
            self.ledger.note("paid" if action == "pay" else "declined", order_id)
            if action == "decline":  # the cancel that follows needs the order to have become failed
                eventually(f"order {order_id} failed", lambda: (self.order_status(token, order_id) == "failed",
                                                                 order_id), RETRY_FOR)
        else:  # 409: a retried press after the first one went through; the order's status says which
            final = "paid" if action == "pay" else "failed"
            eventually(f"order {order_id} {final} after a repeated {action}",
                       lambda: (self.order_status(token, order_id) == final, order_id), RETRY_FOR)
            self.ledger.note("paid" if action == "pay" else "declined", order_id)

    def cancel(self, token, order_id):
        try:
            self.client.graphql("mutation { cancelOrder(id: %d) { status } }" % order_id, token, "cancelOrder")
        except Refused as refused:  # a retried cancel whose first attempt went through
            status = self.order_status(token, order_id)
            check(status == "cancelled", f"cancelOrder {order_id}: {refused} and the order is {status}")
        self.ledger.note("cancelled", order_id)

    def seller_loop(self):
        rng = random.Random(99)
        while not self.stop.is_set():
            product = rng.choice(self.products)
            query = ('mutation { updateProduct(product: {id: "%s", name: "Fault part %s", description: "Repriced", '
                     'price: %d.%02d}) { id } }' % (product, product[-4:], rng.randint(1, 90), rng.randint(0, 99)))
            self.client.graphql(query, self.seller, "updateProduct")
            self.ledger.price_changes += 1
            time.sleep(0.5)

    def admin_loop(self):
        rng = random.Random(7)
        while not self.stop.is_set():
            time.sleep(2.0)
            with self.ledger.lock:
                candidates = sorted(self.ledger.paid - self.ledger.refunded)
            if not candidates:
                continue
            order_id = rng.choice(candidates[-10:])
            status = self.order_status(self.admin, order_id)
            if status != "paid":
                continue  # the payment is still on its way to the order
            try:
                self.client.graphql('mutation { refundOrder(id: %d, reason: "fault test") { id } }' % order_id,
                                    self.admin, "refundOrder")
            except Refused as refused:
                check(refused.code == "BAD_USER_INPUT", f"refundOrder {order_id}: {refused}")
            self.ledger.note("refunded", order_id)


# ------------------------------------------------------------------ the faults

def faults(platform, shop, spacing):
    """kill -9 one instance of each role in turn, then restart PostgreSQL, then the broker."""
    timeline = []
    for number, role in enumerate(ROLES):
        if shop.stop.wait(spacing):
            return timeline
        instance = platform.instances[role][number % 2]
        began = time.monotonic()
        instance.kill9()
        time.sleep(1.0)
        instance.start()
        instance.wait_ready()
        timeline.append((f"kill -9 {instance.name}", time.monotonic() - began))
        log(f"    kill -9 {instance.name}: back and ready after {timeline[-1][1]:.1f} s")
    for name, script in (("PostgreSQL", "pg.sh"), ("Kafka broker", "kafka.sh")):
        if shop.stop.wait(spacing):
            return timeline
        began = time.monotonic()
        platform.script(script, "stop")
        time.sleep(2.0)
        platform.script(script, "start")
        for instance in platform.all():
            instance.wait_ready(120)
        timeline.append((f"restart {name}", time.monotonic() - began))
        log(f"    restart {name}: every instance ready again after {timeline[-1][1]:.1f} s")
    return timeline


# ------------------------------------------------------------------ settling and the invariants

def one_value(url, statement):
    return sql(url, statement)[0][0]


def settle(platform, shop):
    """Waits until every outbox is empty and every acknowledged operation shows in the order's status."""
    l = shop.ledger
    expected = {}
    for order_id in l.orders.values():
        expected[order_id] = "pending"
    for order_id in l.paid:
        expected[order_id] = "paid"
    for order_id in l.cancelled:
        expected[order_id] = "cancelled"
    for order_id in l.refunded:
        expected[order_id] = "refunded"

    def quiet():
        pending = {role: one_value(platform.db(role), "SELECT count(*) FROM outbox WHERE sent_at IS NULL")
                   for role in ("product", "order", "payment")}
        rows = sql(platform.db("order"), "SELECT id, status FROM orders")
        actual = {int(i): s for i, s in rows}
        wrong = {o: (s, actual.get(o)) for o, s in expected.items() if actual.get(o) != s}
        open_refunds = one_value(platform.db("payment"),
                                 "SELECT count(*) FROM refunds WHERE status IN ('requested', 'pending')")
        done = all(v == "0" for v in pending.values()) and not wrong and open_refunds == "0"
        return done, {"unsent": pending, "orders not yet as acknowledged (expected, actual)": dict(list(wrong.items())[:10]),
                      "open refunds": open_refunds}
    eventually("the platform settling (outboxes empty, statuses as acknowledged, refunds done)", quiet, 180, 1.0)

    def purchases_counted():
        return recommender_mismatches(platform) == [], recommender_mismatches(platform)[:10]
    eventually("the recommender counting every paid order", purchases_counted, 120, 1.0)


PAID_LINES = ("SELECT DISTINCT o.id, o.account_id, p.product_id FROM orders o "
              "JOIN order_products p ON p.order_id = o.id WHERE o.status = 'paid'")


def recommender_mismatches(platform):
    """(buyer, product, paid orders holding it, the recommender's count) wherever the two differ."""
    paid = collections.Counter((account, product) for _, account, product in sql(platform.db("order"), PAID_LINES))
    counted = {(u, p): int(n) for u, p, n in sql(platform.db("recommender"),
                                                 "SELECT user_id, product_id, paid_orders FROM interactions "
                                                 "WHERE paid_orders > 0")}
    return [(k, paid.get(k, 0), counted.get(k, 0)) for k in sorted(set(paid) | set(counted))
            if paid.get(k, 0) != counted.get(k, 0)]


def invariants(platform, shop):
    l = shop.ledger
    order_db, payment_db = platform.db("order"), platform.db("payment")
    orders = {int(i): {"status": s, "total": int(t), "currency": c, "paid_payment": pp or None}
              for i, s, t, c, pp in sql(order_db, "SELECT id, status, total_price_cents, currency, "
                                                  "coalesce(paid_payment_id, '') FROM orders")}
    history = collections.defaultdict(list)
    # The first row of an order's history (none -> pending) is its placement: order.created.
    for order_id, from_status, to_status in sql(order_db, "SELECT order_id, from_status, to_status FROM "
                                                          "order_status_history WHERE from_status IS NOT NULL "
                                                          "ORDER BY id"):
        history[int(order_id)].append((from_status, to_status))
    # What the provider took: sandbox checkouts completed as succeeded, and what it gave back.
    taken = collections.defaultdict(list)
    for order_id, payment_id, amount, currency in sql(
            payment_db, "SELECT (metadata->>'order_id'), payment_id, amount_cents, currency FROM sandbox_sessions "
                        "WHERE kind = 'checkout' AND completed_status = 'succeeded'"):
        taken[int(order_id)].append((payment_id, int(amount), currency))
    given_back = collections.Counter()
    for payment_id, amount in sql(payment_db, "SELECT payment_id, sum(amount_cents) FROM sandbox_refunds "
                                              "GROUP BY payment_id"):
        given_back[payment_id] = int(amount)
    events = read_topic(platform.kafka, TOPIC_PREFIX + "order_events")
    by_event_id = collections.Counter()
    transitions_on_topic = collections.defaultdict(list)
    created_on_topic = collections.Counter()
    seen = set()
    for message in events:
        event = message["event"] or {}
        event_id = message["header_map"].get("event_id") or event.get("id")
        by_event_id[event_id] += 1
        if event_id in seen:
            continue
        seen.add(event_id)
        data = event.get("data") or {}
        if event.get("type") == "order.created":
            created_on_topic[int(data["order_id"])] += 1
        elif event.get("type") == "order.status_changed":
            transitions_on_topic[int(data["order_id"])].append((data["from"], data["to"]))

    rows = []

    def row(name, bad, total, detail=None):
        rows.append((name, total, len(bad), bad[:5] if detail is None else detail))

    paid_once = [o for o in taken if sum(1 for _, to in history[o] if to == "paid") != 1]
    row("orders the provider charged that moved to paid exactly once", paid_once, len(taken))
    kept = [o for o in taken if orders.get(o, {}).get("status") not in ("paid", "refunded")]
    row("orders the provider charged that are paid or refunded", kept, len(taken))
    wrong_amount = [(o, t) for o, ts in taken.items() for t in ts
                    if (t[1], t[2]) != (orders[o]["total"], orders[o]["currency"])]
    row("charges of exactly the order's total and currency", wrong_amount, sum(len(t) for t in taken.values()))
    twice = [o for o, ts in taken.items() if len(ts) - sum(1 for p, _, _ in ts if given_back[p]) > 1]
    row("orders charged more than once and not given back", twice, len(taken))
    unpaid = [o for o, h in history.items() if any(to == "paid" for _, to in h) and o not in taken]
    row("orders that moved to paid without a charge", unpaid, sum(1 for h in history.values()
                                                                   if any(to == "paid" for _, to in h)))
    wrong_payment = [o for o, v in orders.items() if v["paid_payment"] and
                     v["paid_payment"] not in {p for p, _, _ in taken.get(o, [])}]
    row("paid orders whose payment id is the charge's", wrong_payment, sum(1 for v in orders.values()
                                                                            if v["paid_payment"]))
    refunded = [o for o, v in orders.items() if v["status"] == "refunded"]
    bad_refunds = [o for o in refunded if sum(given_back[p] for p, _, _ in taken.get(o, [])) != orders[o]["total"]]
    row("refunded orders given back exactly their total", bad_refunds, len(refunded))
    all_transitions = sum(len(h) for h in history.values())
    events_differ = [o for o in set(history) | set(transitions_on_topic)
                     if history.get(o, []) != transitions_on_topic.get(o, [])]
    row("transitions on order_events exactly once, in order", events_differ, all_transitions)
    not_announced = [o for o in orders if created_on_topic[o] != 1]
    row("orders announced by order.created exactly once", not_announced, len(orders))
    duplicate_copies = sum(n - 1 for n in by_event_id.values() if n > 1)
    mismatches = recommender_mismatches(platform)
    row("recommender purchase counts equal paid orders (buyer, product)", mismatches,
        len({(a, p) for _, a, p in sql(order_db, PAID_LINES)}))
    keys = collections.Counter(k for (k,) in sql(order_db, "SELECT idempotency_key FROM orders "
                                                           "WHERE idempotency_key IS NOT NULL"))
    missing = [k for k, o in l.orders.items() if keys[k] != 1 or o not in orders]
    row("acknowledged orders stored exactly once", missing, len(l.orders))
    lost_cancels = [o for o in l.cancelled if orders[o]["status"] != "cancelled"]
    row("acknowledged cancels in effect", lost_cancels, len(l.cancelled))
    lost_refunds = [o for o in l.refunded if orders[o]["status"] != "refunded"]
    row("acknowledged refunds in effect", lost_refunds, len(l.refunded))
    anomalies = sql(payment_db, "SELECT kind, order_id, action FROM payment_anomalies")
    row("payment anomalies (none expected from honest clients)", anomalies, len(anomalies))
    dead = [(role, n) for role in ("order", "payment", "recommender")
            for (n,) in sql(platform.db(role), "SELECT count(*) FROM dead_letters") if n != "0"]
    row("dead-lettered events", dead, 3)

    width = max(len(r[0]) for r in rows)
    print(f"\n{'invariant'.ljust(width)}  {'checked':>7}  {'broken':>6}")
    for name, total, broken, _ in rows:
        print(f"{name.ljust(width)}  {total:>7}  {broken:>6}")
    print(f"\norder_events: {len(events)} messages, {len(by_event_id)} distinct events, "
          f"{duplicate_copies} redelivered copies (dropped by the consumers' dedupe)")
    broken = [(name, detail) for name, _, count, detail in rows if count]
    check(not broken, "invariants broken", broken)
    check(len(taken) > 0 and len(refunded) > 0 and len(l.cancelled) > 0,
          "the load did not exercise payments, refunds and cancels", (len(taken), len(refunded), len(l.cancelled)))
    return rows


# ------------------------------------------------------------------ main

def main():
    name_the_test("faults")
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--seconds-between-faults", type=float, default=8.0)
    args = parser.parse_args()
    platform = Platform(args.binary, int(os.environ.get("FAULTS_PORT_BASE", "29400")))
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    client = Client(platform)
    shop = Shop(platform, client, 0)
    passed = False
    try:
        with step("setup: databases, two instances of every role"):
            platform.create_databases()
            platform.start()
        with step("the shop opens: an admin, a seller, four buyers, eight products"):
            shop.open()
        with step("shop traffic while one instance of each role is killed, then PostgreSQL and Kafka restart"):
            shop.start()
            timeline = faults(platform, shop, args.seconds_between_faults)
            time.sleep(args.seconds_between_faults)
            shop.finish()
            l = shop.ledger
            log(f"    acknowledged: {len(l.orders)} orders, {len(l.paid)} paid, {len(l.declined)} declined, "
                f"{len(l.cancelled)} cancelled, {len(l.refunded)} refunded, {l.price_changes} price changes, "
                f"{l.searches} searches; retries through outages: {dict(client.retries)}")
            check(len(timeline) == len(ROLES) + 2, "not every fault was injected", timeline)
        with step("the platform settles"):
            settle(platform, shop)
        with step("money and events invariants"):
            invariants(platform, shop)
        passed = True
    except Failure as failure:
        log(f"FAILED: {failure}")
    except KeyboardInterrupt:
        log("interrupted")
    finally:
        shop.stop.set()
        platform.stop()
        platform.drop_databases()
        if passed and os.environ.get("FAULTS_KEEP") != "1":
            shutil.rmtree(platform.data_dir, ignore_errors=True)
        else:
            for instance in platform.all():
                print(f"--- last lines of {instance.log_path}", instance.tail(), sep="\n")
            log(f"logs kept in {platform.data_dir}")
    log("PASSED" if passed else "FAILED")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
