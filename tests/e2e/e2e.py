#!/usr/bin/env python3
"""OrderStream end to end: `orderstream up` on the test PostgreSQL and Kafka, used as a client would.

1. the seed README's GraphQL operations, verbatim and in order (ids substituted), through the
   payment sandbox to a paid order, recommendations and a deletion;
2. the seed's grpcurl calls (and the README's for payment and recommender) with a real grpcurl;
3. every role's /health, /health/ready and /metrics;
4. one checkout followed through the gateway's, payment's and order's logs by its traceparent;
5. kill -9 of the order role, then of the product role, under a light load of mutations: the
   supervisor restarts them and every acknowledged mutation is there exactly once, in the
   services, on Kafka and in the consumers' stores.

Standard library only. Run through tests/e2e/run.sh (CTest `e2e`); each failure names its step
and the response that broke it.
"""

import argparse
import contextlib
import ctypes
import json
import os
import re
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
                     parse_metrics, read_topic, run, sql, step)

ROLES = ["account", "product", "order", "payment", "recommender", "gateway"]
SERVICE_NAMES = {
    "account": "pb.AccountService",
    "product": "pb.ProductService",
    "order": "pb.OrderService",
    "payment": "pb.PaymentService",
    "recommender": "pb.RecommenderService",
}
ADMIN_EMAIL = "admin@example.com"
RUN = uuid.uuid4().hex[:8]
# The test broker keeps every earlier test's events, and order and account ids restart at 1 in
# every run's databases: this run's roles publish and consume topics of their own.
TOPIC_PREFIX = f"e2e-{RUN}."


# ------------------------------------------------------------------ reporting

# ------------------------------------------------------------------ HTTP and GraphQL

class Platform:
    def __init__(self, base):
        self.ports = {
            "account": base + 51, "product": base + 52, "order": base + 53, "payment": base + 54,
            "recommender": base + 55, "gateway": base + 80, "payment_http": base + 81,
        }
        self.admin = {role: base + 100 + i for i, role in enumerate(["account", "product", "order", "payment",
                                                                       "recommender"], start=1)}
        self.admin["gateway"] = base + 106

    def address(self, role):
        return f"127.0.0.1:{self.ports[role]}"

    @property
    def graphql_url(self):
        return f"http://127.0.0.1:{self.ports['gateway']}/graphql"

    @property
    def payment_public(self):
        return f"http://127.0.0.1:{self.ports['payment_http']}"


P = None  # the Platform under test


def graphql_raw(query, token=None, headers=None, timeout=20):
    all_headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        all_headers["Authorization"] = f"Bearer {token}"
    all_headers.update(headers or {})
    return http("POST", P.graphql_url, json.dumps({"query": query}), all_headers, timeout)


def gql(query, token=None, headers=None, error_code=None):
    """Runs a GraphQL document; returns its data. Fails unless it had no errors, or exactly the
    expected extensions.code when error_code is given."""
    summary = " ".join(query.split())[:90]
    try:
        status, _, body = graphql_raw(query, token, headers)
    except OSError as error:
        fail(f"POST /graphql ({summary}) did not answer: {error}")
    check(status == 200, f"POST /graphql ({summary}) answered HTTP {status}", body)
    try:
        document = json.loads(body)
    except ValueError:
        fail(f"POST /graphql ({summary}) did not answer JSON", body)
    errors = document.get("errors") or []
    if error_code is None:
        check(not errors, f"GraphQL errors for: {summary}", body)
        return document["data"]
    codes = [(e.get("extensions") or {}).get("code") for e in errors]
    check(error_code in codes, f"expected a {error_code} error for: {summary}", body)
    return document.get("data")


def try_gql(query, token=None):
    """For the load: (True, data) or (False, why), never raises."""
    try:
        status, _, body = graphql_raw(query, token, timeout=10)
        if status != 200:
            return False, f"HTTP {status}: {body[:200]}"
        document = json.loads(body)
        if document.get("errors"):
            return False, json.dumps(document["errors"])[:300]
        return True, document["data"]
    except (OSError, ValueError) as error:
        return False, f"{type(error).__name__}: {error}"


# ------------------------------------------------------------------ tools

# ------------------------------------------------------------------ the platform's life

class Up:
    """`orderstream up` with its own data folder, ports and databases."""

    def __init__(self, args):
        self.args = args
        self.data_dir = tempfile.mkdtemp(prefix="orderstream-e2e-")
        self.admin_url = os.environ["ORDERSTREAM_TEST_PG_URL"]
        self.kafka = os.environ["ORDERSTREAM_TEST_KAFKA"]
        self.databases = {role: f"e2e_{RUN}_{role}" for role in SERVICE_NAMES}
        self.recommender_group = f"e2e-recommender-{RUN}"
        self.process = None
        self.out_path = os.path.join(self.data_dir, "up.out")
        self.err_path = os.path.join(self.data_dir, "up.err")

    def db(self, role):
        return database_url(self.admin_url, self.databases[role])

    def log_path(self, role):
        return os.path.join(self.data_dir, "logs", f"{role}.log")

    def read_log(self, role):
        try:
            with open(self.log_path(role), encoding="utf-8", errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def supervisor_log(self):
        with open(self.err_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def prepare(self):
        for role, name in self.databases.items():
            sql(self.admin_url, f'CREATE DATABASE "{name}"')


    def environment(self):
        env = dict(os.environ)
        env.update({
            "ORDERSTREAM_DATA_DIR": self.data_dir,
            "KAFKA_BOOTSTRAP_SERVERS": self.kafka,
            "KAFKA_TOPIC_PREFIX": TOPIC_PREFIX,
            "ADMIN_EMAILS": ADMIN_EMAIL,
            "LOG_LEVEL": "debug",
            "UP_READY_TIMEOUT_SECONDS": "120",
            "RECOMMENDER_CONSUMER_GROUP": self.recommender_group,
            "RECOMMENDER_RETRAIN_MIN_INTERACTIONS": "1",
            "RECOMMENDER_RETRAIN_INTERVAL_SECONDS": "1",
            "RECOMMENDER_RETRAIN_POLL_MS": "200",
            "PAYMENT_HTTP_LISTEN": f"127.0.0.1:{P.ports['payment_http']}",
            "ORDER_SERVICE_URL": P.address("order"),
        })
        for role in ROLES:
            upper = role.upper()
            env[f"{upper}_LISTEN"] = P.address(role)
            env[f"{upper}_ADMIN_LISTEN"] = f"127.0.0.1:{P.admin[role]}"
            if role != "gateway":
                env[f"{upper}_URL"] = P.address(role)
                env[f"{upper}_DATABASE_URL"] = self.db(role)
        for name in ("JWT_SECRET", "DODO_API_KEY", "DATABASE_URL"):
            env.pop(name, None)  # the sandbox, a generated secret, per-role databases
        return env

    def start(self):
        def stop_with_us():
            # `up` gets SIGTERM (and stops its roles) if this test dies, e.g. killed by a CTest timeout.
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG

        with open(self.out_path, "w") as out, open(self.err_path, "w") as err:
            self.process = subprocess.Popen([self.args.binary, "up"], stdout=out, stderr=err,
                                            stdin=subprocess.DEVNULL, env=self.environment(),
                                            preexec_fn=stop_with_us)

    def role_pid(self, role):
        """The live child of `up` running `orderstream <role>`."""
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as f:
                    stat = f.read()
                ppid = int(stat[stat.rindex(")") + 2:].split()[1])
                state = stat[stat.rindex(")") + 2:].split()[0]
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    argv = f.read().split(b"\0")
            except (OSError, ValueError):
                continue
            if ppid == self.process.pid and state != "Z" and len(argv) > 1 and argv[1] == role.encode():
                return int(entry)
        return None

    def stop(self, timeout=40):
        """SIGTERM to `up`; its exit status (None when it had to be killed)."""
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else None
        children = [self.role_pid(role) for role in ROLES]
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            for pid in children:
                if pid:
                    with contextlib.suppress(OSError):
                        os.kill(pid, signal.SIGKILL)
            return None

    def drop_databases(self):
        for name in self.databases.values():
            with contextlib.suppress(Failure):
                sql(self.admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# ------------------------------------------------------------------ the seed's GraphQL operations
# Copied from the seed README; only the <...> placeholders are substituted.

SEED_REGISTER = """mutation {
  register(account: {
    name: "John Doe"
    email: "john@example.com"
    password: "securepassword123"
  }) {
    token
  }
}"""

SEED_LOGIN = """mutation {
  login(account: {
    email: "john@example.com"
    password: "securepassword123"
  }) {
    token
  }
}"""

SEED_CREATE_PRODUCT = """mutation {
  createProduct(product: {
    name: "Wireless Headphones"
    description: "High-quality Bluetooth headphones with noise cancellation"
    price: 149.99
  }) {
    id
    name
    description
    price
  }
}"""

SEED_QUERY_PRODUCTS = """query {
  product(pagination: {skip: 0, take: 10}) {
    id
    name
    description
    price
  }
}"""

SEED_SEARCH_PRODUCTS = """query {
  product(pagination: {skip: 0, take: 10}, query: "headphones") {
    id
    name
    description
    price
  }
}"""

SEED_UPDATE_PRODUCT = """mutation {
  updateProduct(product: {
    id: "<product-id>"
    name: "Updated Headphones"
    description: "Updated description"
    price: 129.99
  }) {
    id
    name
    description
    price
  }
}"""

SEED_DELETE_PRODUCT = """mutation {
  deleteProduct(id: "<product-id>")
}"""

SEED_CREATE_ORDER = """mutation {
  createOrder(order: {
    products: [
      {id: "<product-id-1>", quantity: 2}
      {id: "<product-id-2>", quantity: 1}
    ]
  }) {
    id
    totalPrice
    createdAt
    products {
      id
      name
      price
      quantity
    }
  }
}"""

SEED_ALL_ACCOUNTS = """query {
  accounts(pagination: {skip: 0, take: 10}) {
    id
    name
    email
  }
}"""

SEED_ACCOUNT_WITH_ORDERS = """query {
  accounts(id: 1) {
    id
    name
    email
    Orders {
      id
      totalPrice
      createdAt
      products {
        id
        name
        price
        quantity
      }
    }
  }
}"""

SEED_PORTAL = """mutation {
  createCustomerPortalSession(credentials: {
    accounntId: 1
    email: "john@example.com"
    name: "John Doe"
  }) {
    url
  }
}"""

SEED_CHECKOUT = """mutation {
  createCheckoutSession(details: {
    accounId: 1
    name: "John Doe"
    email: "john@example.com"
    redirectUrl: "http://localhost:3000/success"
    products: [
      {id: "<product-id>", quantity: 2}
    ]
    orderId: 1
  }) {
    url
  }
}"""

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def product_like(name, description, price):
    """The seed's createProduct with other values (for the further products the walkthrough needs)."""
    return (SEED_CREATE_PRODUCT.replace("Wireless Headphones", name)
            .replace("High-quality Bluetooth headphones with noise cancellation", description)
            .replace("149.99", price))


def register(name, email):
    data = gql(SEED_REGISTER.replace("John Doe", name).replace("john@example.com", email))
    token = (data.get("register") or {}).get("token")
    check(token, f"register {email} returned no token", data)
    return token


def my_id(token):
    return gql("{ me { id } }", token)["me"]["id"]


class Shop:
    """What the walkthrough created, for the later steps."""

    def __init__(self):
        self.token = self.admin = None
        self.headphones = self.case = self.cable = self.mouse = None
        self.order = self.order_trace = self.checkout_trace = None
        self.buyers = {}


def pay_in_sandbox(token, order_id):
    """Checks out `order_id` and presses Pay on the sandbox page, as a browser would; waits for paid."""
    checkout = ('mutation { createCheckoutSession(details: {accounId: %d, name: "", email: "", '
                'redirectUrl: "http://localhost:3000/success", products: [], orderId: %d}) { url } }'
                % (my_id(token), order_id))
    url = gql(checkout, token)["createCheckoutSession"]["url"]
    status, _, body = http("POST", url + "/pay")
    check(status == 303, f"Pay answered HTTP {status}", body)

    def paid():
        orders = gql("{ me { Orders { id status } } }", token)["me"]["Orders"]
        return any(o["id"] == order_id and o["status"] == "paid" for o in orders), orders
    eventually(f"order {order_id} becoming paid", paid, 30)


def seed_walkthrough(up):
    shop = Shop()
    with step("1.1 register (seed, verbatim)"):
        status, headers, body = graphql_raw(SEED_REGISTER)
        check(status == 200, f"register answered HTTP {status}", body)
        data = json.loads(body)
        check("errors" not in data and data["data"]["register"]["token"], "register returned no token", body)
        cookie = headers.get("Set-Cookie") or ""
        check(cookie.startswith("token=") and "HttpOnly" in cookie, "register sets no HttpOnly token cookie", cookie)
    with step("1.2 login (seed, verbatim)"):
        shop.token = gql(SEED_LOGIN)["login"]["token"]
        check(shop.token, "login returned no token")
        check(my_id(shop.token) == 1, "John Doe is not account 1, the id the seed's operations name")
        shop.admin = register("Shop Admin", ADMIN_EMAIL)
    with step("1.3 create products (seed, verbatim, then the same operation for three more)"):
        created = gql(SEED_CREATE_PRODUCT, shop.token)["createProduct"]
        check(created["name"] == "Wireless Headphones" and created["price"] == 149.99 and created["description"] ==
              "High-quality Bluetooth headphones with noise cancellation", "createProduct echoed other values", created)
        shop.headphones = created["id"]
        shop.case = gql(product_like("Phone Case", "Silicone case", "19.99"), shop.token)["createProduct"]["id"]
        shop.cable = gql(product_like("USB Cable", "Braided, two metres", "9.50"), shop.token)["createProduct"]["id"]
        shop.mouse = gql(product_like("Wireless Mouse", "Quiet clicks", "24.00"), shop.token)["createProduct"]["id"]
        check(len({shop.headphones, shop.case, shop.cable, shop.mouse}) == 4, "product ids are not distinct")
    with step("1.4 query products (seed, verbatim)"):
        listed = gql(SEED_QUERY_PRODUCTS, shop.token)["product"]
        by_id = {p["id"]: p for p in listed}
        for pid in (shop.headphones, shop.case, shop.cable, shop.mouse):
            check(pid in by_id, f"product {pid} missing from the listing", listed)
        check(by_id[shop.headphones]["price"] == 149.99, "listed price differs", listed)
    with step("1.5 search products (seed, verbatim)"):
        found = [p["id"] for p in gql(SEED_SEARCH_PRODUCTS, shop.token)["product"]]
        check(found == [shop.headphones], "search for 'headphones' should find exactly the headphones", found)
    with step("1.6 update product (seed, verbatim)"):
        updated = gql(SEED_UPDATE_PRODUCT.replace("<product-id>", shop.headphones), shop.token)["updateProduct"]
        check(updated == {"id": shop.headphones, "name": "Updated Headphones", "description": "Updated description",
                          "price": 129.99}, "updateProduct returned other values", updated)
        found = [p["id"] for p in gql(SEED_SEARCH_PRODUCTS, shop.token)["product"]]
        check(found == [shop.headphones], "the updated headphones are no longer found by 'headphones'", found)
    with step("1.7 create an order with several lines (seed, verbatim; sent with a traceparent)"):
        shop.order_trace = uuid.uuid4().hex
        order = gql(SEED_CREATE_ORDER.replace("<product-id-1>", shop.headphones).replace("<product-id-2>", shop.case),
                    shop.token, {"traceparent": f"00-{shop.order_trace}-{uuid.uuid4().hex[:16]}-01"})["createOrder"]
        check(order["id"] == 1, "the first order is not order 1, the id the seed's checkout names", order)
        check(round(order["totalPrice"], 2) == 279.97, "total is not 2 x 129.99 + 19.99 (catalog prices)", order)
        check(RFC3339.match(order["createdAt"]), "createdAt is not RFC 3339", order)
        lines = sorted((p["id"], p["name"], p["price"], p["quantity"]) for p in order["products"])
        expected = sorted([(shop.headphones, "Updated Headphones", 129.99, 2), (shop.case, "Phone Case", 19.99, 1)])
        check(lines == expected, "order lines differ from the cart and catalog", order)
        shop.order = order
    with step("1.8 accounts (seed 'Get All Accounts': the admin may, the owner may not)"):
        accounts = gql(SEED_ALL_ACCOUNTS, shop.admin)["accounts"]
        emails = {a["email"] for a in accounts}
        check({"john@example.com", ADMIN_EMAIL} <= emails, "admin's account list misses accounts", accounts)
        gql(SEED_ALL_ACCOUNTS, shop.token, error_code="FORBIDDEN")
    with step("1.9 account with Orders (seed, verbatim: as the owner and as the admin)"):
        for who, token in (("owner", shop.token), ("admin", shop.admin)):
            accounts = gql(SEED_ACCOUNT_WITH_ORDERS, token)["accounts"]
            check(len(accounts) == 1 and accounts[0]["email"] == "john@example.com", f"{who}: not John's account",
                  accounts)
            orders = accounts[0]["Orders"]
            check(len(orders) == 1 and orders[0]["id"] == 1 and round(orders[0]["totalPrice"], 2) == 279.97 and
                  sorted(p["quantity"] for p in orders[0]["products"]) == [1, 2], f"{who}: John's order differs",
                  accounts)
        intruder = register("Eve Intruder", "eve@example.com")
        gql(SEED_ACCOUNT_WITH_ORDERS, intruder, error_code="FORBIDDEN")
    with step("1.10 customer portal session (seed, verbatim)"):
        url = gql(SEED_PORTAL, shop.token)["createCustomerPortalSession"]["url"]
        check(url.startswith(P.payment_public + "/sandbox/portal/"), "portal URL is not the sandbox's", url)
        status, _, body = http("GET", url)
        check(status == 200, f"portal page answered HTTP {status}", body)
    with step("1.11 checkout session (seed, verbatim; the order's lines; sent with a traceparent)"):
        # The charge is the order's own total (its line snapshot): no waiting for the payment
        # role's copy of the catalog after the price update.
        shop.checkout_trace = uuid.uuid4().hex
        lines = (f'{{id: "{shop.headphones}", quantity: 2}}\n      {{id: "{shop.case}", quantity: 1}}')
        checkout = SEED_CHECKOUT.replace('{id: "<product-id>", quantity: 2}', lines)
        url = gql(checkout, shop.token,
                  {"traceparent": f"00-{shop.checkout_trace}-{uuid.uuid4().hex[:16]}-01"})["createCheckoutSession"]["url"]
        check(url.startswith(P.payment_public + "/sandbox/checkout/"), "checkout URL is not the sandbox's", url)
        status, _, page = http("GET", url)
        check(status == 200 and "279.97 USD" in page and "Headphones" in page and "Phone Case" in page,
              f"checkout page (HTTP {status}) does not show the order's lines and total 279.97 USD", page)
    with step("1.12 press Pay on the sandbox page; the order becomes paid"):
        status, headers, body = http("POST", url + "/pay")
        check(status == 303, f"Pay answered HTTP {status}, not a 303 redirect", body)
        location = headers.get("Location") or ""
        check(location.startswith("http://localhost:3000/success?payment_id=") and "status=succeeded" in location,
              "Pay did not redirect to the redirectUrl with payment_id and status", location)

        def paid():
            orders = gql("{ accounts(id: 1) { Orders { id status } } }", shop.token)["accounts"][0]["Orders"]
            return orders == [{"id": 1, "status": "paid"}], orders
        eventually("order 1 becoming paid", paid, 30)
    with step("1.13 recommendations for the buyer and for viewed ids reflect the purchases"):
        # Two more buyers make the cable and the mouse the most popular products, so that only
        # the model (John bought the headphones with the case) puts the case first.
        # Only paid orders are purchases: each pays through the sandbox like John.
        for name in ("Jane", "Kim"):
            token = register(f"{name} Buyer", f"{name.lower()}@example.com")
            order = gql(SEED_CREATE_ORDER.replace("<product-id-1>", shop.cable).replace("<product-id-2>", shop.mouse),
                        token)["createOrder"]
            pay_in_sandbox(token, order["id"])
            shop.buyers[name] = token

        def model_has_all_ratings():
            status, _, text = http("GET", f"http://127.0.0.1:{P.admin['recommender']}/metrics")
            samples = parse_metrics(text) if status == 200 else {}
            ratings = [v for _, v in samples.get("recommender_model_ratings", [])]
            return ratings == [6.0], {"recommender_model_ratings": ratings}
        eventually("the recommender training on the 6 purchases (John 2, Jane 2, Kim 2)", model_has_all_ratings, 90,
                   0.5)
        viewed = ('{ product(viewedProductsIds: ["%s"], pagination: {skip: 0, take: 10}) { id name } }'
                  % shop.headphones)

        def case_first():
            ids = [p["id"] for p in gql(viewed, shop.token)["product"]]
            return bool(ids) and ids[0] == shop.case and shop.headphones not in ids, ids
        eventually("viewing the headphones recommends the case (bought with them) first", case_first, 30, 0.5)
        mine = "{ product(byAccountId: true, pagination: {skip: 0, take: 10}) { id name } }"

        def not_bought_again():
            ids = [p["id"] for p in gql(mine, shop.token)["product"]]
            return sorted(ids) == sorted([shop.cable, shop.mouse]), ids
        eventually("John's recommendations: what he did not buy (cable, mouse)", not_bought_again, 30, 0.5)
    with step("1.14 delete product (seed, verbatim)"):
        data = gql(SEED_DELETE_PRODUCT.replace("<product-id>", shop.cable), shop.token)
        check(data == {"deleteProduct": True}, "deleteProduct did not answer true", data)
        listed = [p["id"] for p in gql(SEED_QUERY_PRODUCTS, shop.token)["product"]]
        check(shop.cable not in listed and shop.mouse in listed, "the deleted product is still listed", listed)
        jane = gql("{ me { Orders { products { id name } } } }", shop.buyers["Jane"])["me"]["Orders"]
        check(any(p["id"] == shop.cable and p["name"] == "USB Cable" for p in jane[0]["products"]),
              "Jane's order lost the deleted product's line", jane)

        def gone_from_recommendations():
            ids = [p["id"] for p in gql(mine, shop.token)["product"]]
            return ids == [shop.mouse], ids
        eventually("the deleted cable leaving John's recommendations", gone_from_recommendations, 30, 0.5)
    return shop


# ------------------------------------------------------------------ grpcurl

def grpcurl(args, data=None, ok=True):
    cmd = [ARGS.grpcurl, "-plaintext", "-max-time", "20"]
    if data is not None:
        cmd += ["-d", data]
    cmd += args
    done = run(cmd, timeout=40, check_rc=False, what="grpcurl")
    label = " ".join(cmd[1:])
    if ok:
        check(done.returncode == 0, f"`grpcurl {label}` exited {done.returncode}", done.stdout + done.stderr)
        text = done.stdout.strip()
        try:
            return json.loads(text) if text.startswith(("{", "[", '"')) else text
        except ValueError:
            fail(f"`grpcurl {label}` printed no JSON", text)
    check(done.returncode != 0, f"`grpcurl {label}` should have failed", done.stdout)
    return done.stderr


def grpcurl_calls(shop):
    test_product = None
    a = {role: P.address(role) for role in SERVICE_NAMES}
    with step("2.1 grpcurl list (server reflection) and gRPC health on every service"):
        for role, service in SERVICE_NAMES.items():
            listed = grpcurl([a[role], "list"]).split()
            check(service in listed and "grpc.health.v1.Health" in listed,
                  f"`grpcurl {a[role]} list` does not list {service} and grpc.health.v1.Health", listed)
            health = grpcurl([a[role], "grpc.health.v1.Health/Check"], json.dumps({"service": service}))
            check(health == {"status": "SERVING"}, f"{role}: health check of {service}", health)
    with step("2.2 account service (seed, verbatim)"):
        token = grpcurl([a["account"], "pb.AccountService/Register"],
                        '{"name":"Test User", "email":"test@example.com", "password":"password123"}')
        check(isinstance(token, str) and token.count(".") == 2, "Register did not return a JWT", token)
        token = grpcurl([a["account"], "pb.AccountService/Login"],
                        '{"email":"test@example.com", "password":"password123"}')
        check(isinstance(token, str) and token.count(".") == 2, "Login did not return a JWT", token)
        account = grpcurl([a["account"], "pb.AccountService/GetAccount"], '"1"')
        check(str((account.get("account") or {}).get("id")) == "1" and
              account["account"].get("email") == "john@example.com",
              "GetAccount \"1\" is not John", account)
    with step("2.3 product service (seed, verbatim)"):
        posted = grpcurl([a["product"], "pb.ProductService/PostProduct"],
                         '{"name":"Test Product", "description":"A test product", "price":99.99, "accountId":1}')
        product = posted.get("product") or {}
        check(product.get("name") == "Test Product" and product.get("price") == 99.99 and product.get("id"),
              "PostProduct did not return the product", posted)
        test_product = product["id"]
        listed = grpcurl([a["product"], "pb.ProductService/GetProducts"], '{"skip":0, "take":10}')
        names = [p.get("name") for p in listed.get("products", [])]
        check("Test Product" in names and "Updated Headphones" in names and "USB Cable" not in names,
              "GetProducts: missing products or the deleted one listed", listed)
    with step("2.4 order service (seed, verbatim)"):
        posted = grpcurl([a["order"], "pb.OrderService/PostOrder"],
                         '{"accountId":1, "products":[{"id":"<product-id>", "quantity":2}]}'
                         .replace("<product-id>", test_product))
        order = posted.get("order") or {}
        check(order.get("totalPrice") == 199.98 and order.get("status") == "pending" and order.get("id"),
              "PostOrder: not a pending order of 2 x 99.99", posted)
        grpc_order = int(order["id"])
        orders = grpcurl([a["order"], "pb.OrderService/GetOrdersForAccount"], '"1"').get("orders", [])
        statuses = {int(o["id"]): o.get("status") for o in orders}
        check(statuses == {1: "paid", grpc_order: "pending"}, "GetOrdersForAccount \"1\": John's two orders", orders)
    with step("2.5 payment service (README, verbatim; order 1 is paid already)"):
        refused = grpcurl([a["payment"], "pb.PaymentService/CreateCheckoutSession"],
                          '{"userId":1, "name":"John Doe", "email":"john@example.com", '
                          '"redirectURL":"http://localhost:3000/success", "orderId":1}', ok=False)
        check("FailedPrecondition" in refused, "checkout of the paid order 1 is not FAILED_PRECONDITION", refused)
        url = grpcurl([a["payment"], "pb.PaymentService/CreateCheckoutSession"],
                      '{"userId":1, "name":"John Doe", "email":"john@example.com", '
                      f'"redirectURL":"http://localhost:3000/success", "orderId":{grpc_order}}}')
        check(isinstance(url, str) and url.startswith(P.payment_public + "/sandbox/checkout/"),
              "CreateCheckoutSession for the pending order returned no checkout URL", url)
        portal = grpcurl([a["payment"], "pb.PaymentService/CreateCustomerPortalSession"],
                         '{"userId":1, "name":"John Doe", "email":"john@example.com"}')
        check(isinstance(portal, str) and portal.startswith(P.payment_public + "/sandbox/portal/"),
              "CreateCustomerPortalSession returned no portal URL", portal)
    with step("2.6 recommender service (README, verbatim)"):
        mine = grpcurl([a["recommender"], "pb.RecommenderService/GetRecommendations"],
                       '{"user_id":"1", "skip":0, "take":5}')
        ids = [p["id"] for p in mine.get("recommendedProducts", mine.get("recommended_products", []))]
        check(shop.mouse in ids and not {shop.headphones, shop.case, shop.cable} & set(ids),
              "GetRecommendations for John: the mouse, nothing he bought, nothing deleted", mine)
        viewed = grpcurl([a["recommender"], "pb.RecommenderService/GetRecommendationsBasedOnViewed"],
                         '{"ids":["<product-id>"], "take":5}'.replace("<product-id>", shop.headphones))
        ids = [p["id"] for p in viewed.get("recommendedProducts", viewed.get("recommended_products", []))]
        # John has just bought the Test Product too (PostOrder above): it may rank with the case.
        check(ids and ids[0] in (shop.case, test_product) and shop.case in ids[:2] and
              not {shop.headphones, shop.cable} & set(ids),
              "GetRecommendationsBasedOnViewed(headphones): what John bought with them first (the case, or the "
              "Test Product once its purchase is in), never the headphones or the deleted cable", viewed)


# ------------------------------------------------------------------ health and metrics

EXPECTED_METRICS = {
    "account": ["grpc_server_handled_total"],
    "product": ["grpc_server_handled_total", "orderstream_outbox_pending", "orderstream_outbox_oldest_pending_seconds",
                "orderstream_outbox_published_total"],
    "order": ["grpc_server_handled_total", "orderstream_outbox_pending", "orderstream_outbox_oldest_pending_seconds",
              "orderstream_outbox_published_total"],
    "payment": ["grpc_server_handled_total", "orderstream_events_consumer_lag"],
    "recommender": ["grpc_server_handled_total", "orderstream_events_consumer_lag", "recommender_training_runs_total",
                    "recommender_model_ratings"],
    "gateway": ["graphql_requests_total", "graphql_request_duration_seconds_count"],
}


def metrics_of(role):
    status, headers, text = http("GET", f"http://127.0.0.1:{P.admin[role]}/metrics")
    check(status == 200, f"{role} /metrics answered HTTP {status}", text)
    check((headers.get("Content-Type") or "").startswith("text/plain"), f"{role} /metrics is not text/plain",
          headers.get("Content-Type"))
    return parse_metrics(text)


def health_and_metrics():
    with step("3. every role's /health, /health/ready and /metrics"):
        public = f"http://127.0.0.1:{P.ports['gateway']}"
        for path in ("/metrics", "/health/ready"):  # operators' endpoints stay off the public port
            status, _, body = http("GET", public + path)
            check(status == 404, f"the gateway's public port answered {path} with HTTP {status}", body)
        for role in ROLES:
            base = f"http://127.0.0.1:{P.admin[role]}"
            status, _, body = http("GET", base + "/health")
            check(status == 200, f"{role} /health answered HTTP {status}", body)
            status, _, body = http("GET", base + "/health/ready")
            check(status == 200 and json.loads(body).get("status") == "ready", f"{role} /health/ready", body)
            samples = metrics_of(role)
            missing = [name for name in EXPECTED_METRICS[role] if name not in samples]
            check(not missing, f"{role} /metrics lacks {missing}", sorted(samples)[:80])
        lag = metrics_of("recommender")["orderstream_events_consumer_lag"]
        check(any(f'group="e2e-recommender-{RUN}"' in labels for labels, _ in lag),
              "the recommender's consumer lag is not labelled with its group", lag)
        published = sum(v for _, v in metrics_of("product")["orderstream_outbox_published_total"])
        check(published >= 6, "the product outbox relay published fewer events than products were written", published)


# ------------------------------------------------------------------ observability

def log_lines_with(up, role, request_id):
    lines = []
    for line in up.read_log(role).splitlines():
        if request_id in line:
            try:
                lines.append(json.loads(line))
            except ValueError:
                fail(f"{role}'s log line carrying {request_id} is not JSON", line)
    return lines


def observability(up, shop):
    with step("4. one checkout followed through the gateway's, payment's and order's logs by its traceparent"):
        trace = shop.checkout_trace
        for role in ("gateway", "payment", "order"):
            lines = log_lines_with(up, role, trace)
            check(lines and all(line.get("request_id") == trace and line.get("role") == role for line in lines),
                  f"{role}'s log ({up.log_path(role)}) has no JSON line with request_id {trace}",
                  up.read_log(role)[-3000:])
        payment = [line["msg"] for line in log_lines_with(up, "payment", trace)]
        check(any(msg.startswith("checkout ") and "for order 1" in msg for msg in payment),
              "payment logged no 'checkout ... for order 1' line under the trace id", payment)
        order = [line["msg"] for line in log_lines_with(up, "order", trace)]
        check(any(msg.startswith("pb.OrderService/GetOrder OK") for msg in order),
              "order logged no GetOrder call under the checkout's trace id", order)
        # Pay is a request of its own (the provider's page, then its webhook); the delivery is
        # recorded under the checkout's trace, and its payment_events carry it to the order role.
        check(any(msg.startswith("webhook ") and "applied to payment" in msg for msg in payment),
              "payment recorded order 1's payment without the checkout's trace id", payment)
        check(any(msg.startswith("order 1 is paid: payment ") for msg in order),
              "order logged 'order 1 is paid' without the checkout's trace id", order)
        # createOrder's traceparent: the order's log line, and the Kafka header of its events.
        placed = [line["msg"] for line in log_lines_with(up, "order", shop.order_trace)]
        check(any(msg.startswith("order 1 placed") for msg in placed),
              "order logged no 'order 1 placed' line under createOrder's trace id", placed)
        events = [m for m in read_topic(up.kafka, TOPIC_PREFIX + "order_events")
                  if (m["event"] or {}).get("type") == "order.created"
                  and str(m["event"]["data"].get("order_id")) == "1"]
        check(len({m["event"]["id"] for m in events}) == 1, "order 1's order.created is not on Kafka", events)
        check(sorted(line["product_id"] for line in events[0]["event"]["data"]["lines"]) ==
              sorted([shop.headphones, shop.case]), "order.created does not carry order 1's lines", events)
        check(all(m["header_map"].get("traceparent", "").startswith(f"00-{shop.order_trace}-") for m in events),
              "order 1's order.created does not carry createOrder's traceparent", [m["header_map"] for m in events])
        request_id = f"e2e-{RUN}-request"
        gql("query RequestIdProbe { __typename }", headers={"X-Request-Id": request_id})
        check(log_lines_with(up, "gateway", request_id), "the gateway did not log under the client's X-Request-Id")


# ------------------------------------------------------------------ kill -9 under load

class Load:
    """createOrder (with idempotency keys, retried until acknowledged) and createProduct in two
    threads, a few per second."""

    def __init__(self, token, products):
        self.token = token
        self.products = products
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.orders = {}            # idempotency key -> (order id, acknowledged at, cart)
        self.given_up = []          # keys never acknowledged
        self.order_failures = 0
        self.created = {}           # product name -> (id, acknowledged at)
        self.unacknowledged = []    # product names whose createProduct failed
        self.threads = [threading.Thread(target=self.order_loop, daemon=True),
                        threading.Thread(target=self.product_loop, daemon=True)]

    def start(self):
        for thread in self.threads:
            thread.start()

    def finish(self):
        self.stop.set()
        for thread in self.threads:
            thread.join(90)
        check(not any(t.is_alive() for t in self.threads), "the load threads did not finish")

    def order_loop(self):
        i = 0
        while not self.stop.is_set():
            key = f"e2e-{RUN}-{i}"
            cart = [(self.products[0], 1), (self.products[1], 1 + i % 3)]
            items = " ".join(f'{{id: "{pid}", quantity: {qty}}}' for pid, qty in cart)
            query = f'mutation {{ createOrder(order: {{products: [{items}]}}, idempotencyKey: "{key}") {{ id }} }}'
            deadline = time.monotonic() + 60
            while True:  # the same key until acknowledged, also after stop: at most one order
                ok, data = try_gql(query, self.token)
                if ok and data.get("createOrder"):
                    with self.lock:
                        self.orders[key] = (data["createOrder"]["id"], time.monotonic(), cart)
                    break
                with self.lock:
                    self.order_failures += 1
                if time.monotonic() > deadline:
                    with self.lock:
                        self.given_up.append((key, data))
                    break
                time.sleep(0.2)
            i += 1
            time.sleep(0.1)

    def product_loop(self):
        i = 0
        while not self.stop.is_set():
            name = f"Load {RUN} {i:04d}"
            ok, data = try_gql(f'mutation {{ createProduct(product: {{name: "{name}", description: "load", '
                               f'price: 1.25}}) {{ id }} }}', self.token)
            with self.lock:
                if ok and data.get("createProduct"):
                    self.created[name] = (data["createProduct"]["id"], time.monotonic())
                else:
                    self.unacknowledged.append(name)
            i += 1
            time.sleep(0.1)

    def acknowledged_since(self, moment):
        with self.lock:
            return (sum(1 for _, at, _ in self.orders.values() if at > moment),
                    sum(1 for _, at in self.created.values() if at > moment))


def kill_and_wait_for_restart(up, role):
    pid = up.role_pid(role)
    check(pid, f"no running {role} process under orderstream up (pid {up.process.pid})")
    log(f"    kill -9 {role} (pid {pid})")
    os.kill(pid, signal.SIGKILL)

    def restarted():
        text = up.supervisor_log()
        new_pid = up.role_pid(role)
        logged = (f"{role} exited (signal 9), restarting in" in text and
                  re.search(rf'{role} restarted \(pid (\d+)\)', text) is not None)
        return logged and new_pid is not None and new_pid != pid, text[-2000:]
    eventually(f"`orderstream up` logging and performing the restart of {role}", restarted, 30)

    def ready():
        try:
            status, _, body = http("GET", f"http://127.0.0.1:{P.admin[role]}/health/ready", timeout=3)
        except OSError as error:
            return False, str(error)
        return status == 200, body
    eventually(f"the restarted {role} becoming ready", ready, 60)
    return time.monotonic()


def kill_under_load(up, shop):
    with step("5.1 kill -9 order, then product, under a light load of createOrder / createProduct"):
        buyer = register("Load Buyer", f"load-{RUN}@example.com")
        buyer_id = my_id(buyer)
        products = [gql(product_like(f"Load Base {n}", "base", "3.00"), buyer)["createProduct"]["id"] for n in (1, 2)]
        load = Load(buyer, products)
        load.start()
        time.sleep(3)
        for role in ("order", "product"):
            back = kill_and_wait_for_restart(up, role)
            eventually(f"mutations acknowledged again after {role} came back",
                       lambda: (min(load.acknowledged_since(back)) >= 2, load.acknowledged_since(back)), 30)
        load.finish()
        log(f"    {len(load.orders)} orders acknowledged ({load.order_failures} failed attempts retried), "
            f"{len(load.created)} products acknowledged, {len(load.unacknowledged)} createProduct failures")
        check(not load.given_up, "createOrder keys never acknowledged within 60 s", load.given_up[:5])
        outage = [json.loads(line) for line in up.read_log("gateway").splitlines() if "unavailable:" in line]
        check(outage and all(line.get("request_id") for line in outage),
              "the gateway's lines about the unavailable roles are missing or carry no request_id", outage[:3])
        check(len(load.orders) >= 10 and len(load.created) >= 10, "the load acknowledged too few mutations",
              {"orders": len(load.orders), "products": len(load.created)})

    with step("5.2 every acknowledged order is there exactly once, with its lines"):
        orders = gql("{ me { Orders { id totalPrice products { id quantity } } } }", buyer)["me"]["Orders"]
        ids = [o["id"] for o in orders]
        check(len(ids) == len(set(ids)), "an order is listed twice", ids)
        by_id = {o["id"]: o for o in orders}
        for key, (order_id, _, cart) in load.orders.items():
            check(order_id in by_id, f"acknowledged order {order_id} (key {key}) is missing", ids)
            lines = sorted((p["id"], p["quantity"]) for p in by_id[order_id]["products"])
            check(lines == sorted(cart), f"order {order_id} has other lines than its cart", by_id[order_id])
        check(len(orders) == len(load.orders),
              f"{len(orders)} orders for {len(load.orders)} idempotency keys: an order was doubled",
              sorted(set(ids) - {o for o, _, _ in load.orders.values()}))

    with step("5.3 every acknowledged product is there exactly once"):
        names = {}
        skip = 0
        while True:
            page = gql('{ product(pagination: {skip: %d, take: 100}) { id name } }' % skip, buyer)["product"]
            for p in page:
                if p["name"].startswith(f"Load {RUN} "):
                    names.setdefault(p["name"], []).append(p["id"])
            if len(page) < 100:
                break
            skip += 100
        for name, (pid, _) in load.created.items():
            check(names.get(name) == [pid], f"acknowledged product {name!r} ({pid}) is not listed exactly once",
                  names.get(name))
        extra = {n: ids for n, ids in names.items() if n not in load.created}
        check(all(len(v) == 1 and n in load.unacknowledged for n, v in extra.items()),
              "products listed that were never attempted, or twice", extra)
        if extra:
            log(f"    {len(extra)} createProduct call(s) failed at the client but committed (allowed)")
        all_products = {ids[0] for ids in names.values()}

    with step("5.4 their events are on Kafka once each (by envelope id) and reached the consumers exactly once"):
        def all_products_published():
            # A restarted role's relay needs a moment for its first publish: wait for the events.
            events = [m["event"] for m in read_topic(up.kafka, TOPIC_PREFIX + "product_events")
                      if (m["event"] or {}).get("type") == "product_created"
                      and m["event"]["data"].get("product_id") in all_products]
            missing = all_products - {e["data"]["product_id"] for e in events}
            return not missing, events if not missing else {"products without an event": sorted(missing)[:5]}
        product_events = eventually("every product's product_created event on Kafka", all_products_published, 60, 1)
        envelopes = {}
        for event in product_events:
            envelopes.setdefault(event["data"]["product_id"], set()).add(event["id"])
        for pid in all_products:
            check(len(envelopes.get(pid, ())) == 1, f"product {pid}: {len(envelopes.get(pid, ()))} product_created "
                  "events (distinct envelope ids) on Kafka, expected 1", sorted(envelopes.get(pid, ())))
        redelivered = len(product_events) - len(all_products)
        order_ids = {str(o) for o, _, _ in load.orders.values()}

        def all_orders_published():
            found, events = {}, []
            for m in read_topic(up.kafka, TOPIC_PREFIX + "order_events"):
                event = m["event"] or {}
                if event.get("type") == "order.created" and str(event["data"].get("order_id")) in order_ids:
                    events.append(event)
                    found.setdefault(str(event["data"]["order_id"]), set()).add(event["id"])
            missing = order_ids - set(found)
            return not missing, (found, events) if not missing else {"orders without an event": sorted(missing)[:5]}
        created, created_events = eventually("every acknowledged order's order.created on Kafka", all_orders_published,
                                             60, 1)
        for key, (order_id, _, cart) in load.orders.items():
            got = created.get(str(order_id), set())
            check(len(got) == 1, f"order {order_id}: {len(got)} order.created events on Kafka, expected 1", sorted(got))
            lines = next(e for e in created_events if str(e["data"]["order_id"]) == str(order_id))["data"]["lines"]
            check(sorted((line["product_id"], line["quantity"]) for line in lines) == sorted(cart),
                  f"order {order_id}: order.created lines differ from the cart", lines)
        redelivered += len(created_events) - sum(len(v) for v in created.values())
        log(f"    {len(all_products)} product_created and {len(created)} order.created events; "
            f"{redelivered} redelivered copies of the same envelope (at-least-once, deduplicated by id)")

        wanted_ids = {e["id"] for e in product_events}
        quoted = ",".join(f"'{pid}'" for pid in sorted(all_products))

        def recommender_has_all():
            replica = {r[0] for r in sql(up.db("recommender"), f"SELECT id FROM products WHERE id IN ({quoted})")}
            processed = {r[0] for r in sql(up.db("recommender"), "SELECT event_id FROM processed_events")}
            missing = (all_products - replica, wanted_ids - processed)
            return not missing[0] and not missing[1], {"missing products": sorted(missing[0])[:5],
                                                       "unprocessed events": sorted(missing[1])[:5]}
        eventually("the recommender's replica holding every product and processing every event", recommender_has_all,
                   60, 0.5)
        interactions = sql(up.db("recommender"),
                           f"SELECT product_id, rating FROM interactions WHERE user_id = '{buyer_id}'")
        check(interactions == [], "unpaid orders trained the recommender", interactions)

        def mirror_has_all():
            rows = sql(up.db("payment"), "SELECT product_id, revision, synced_revision, provider_product_id IS NOT NULL "
                                         f"FROM provider_products WHERE product_id IN ({quoted})")
            by_id = {r[0]: r for r in rows}
            missing = all_products - set(by_id)
            unsynced = [r for r in rows if r[2] != r[1] or r[3] != "t"]
            return not missing and not unsynced, {"missing": sorted(missing)[:5], "unsynced": unsynced[:5]}
        eventually("the payment mirror holding every product, synced to the provider", mirror_has_all, 60, 0.5)
        doubled = sql(up.db("payment"), "SELECT product_id, revision FROM provider_products "
                                        f"WHERE product_id IN ({quoted}) AND revision <> 1")
        check(not doubled, "a product_created event was applied twice by the payment mirror (revision > 1)", doubled)

    with step("5.5 outboxes drained, nothing dead-lettered"):
        for role in ("product", "order"):
            pending = sql(up.db(role), "SELECT count(*) FROM outbox WHERE sent_at IS NULL")[0][0]
            check(pending == "0", f"{role} outbox still holds {pending} unsent rows")
            gauge = metrics_of(role)["orderstream_outbox_pending"]
            check(all(v == 0 for _, v in gauge), f"{role} orderstream_outbox_pending is not 0", gauge)
        for role in ("payment", "recommender"):
            dead = sql(up.db(role), "SELECT count(*) FROM dead_letters")[0][0]
            check(dead == "0", f"{role} dead-lettered {dead} messages")


# ------------------------------------------------------------------ main

def wait_until_up(up):
    with step("0. orderstream up: every role ready"):
        def table():
            if up.process.poll() is not None:
                fail(f"orderstream up exited with {up.process.returncode}", up.supervisor_log()[-3000:])
            with open(up.out_path) as f:
                out = f.read()
            return "Press Ctrl-C to stop." in out, out
        out = eventually("orderstream up printing its table", table, 150, 0.3)
        for role in ROLES:
            row = re.search(rf"^{role}\s+(\S+)\s+(\S+)\s+(.*)$", out, re.M)
            check(row and row.group(1) == P.address(role) and row.group(3).strip() == "ready",
                  f"the table's {role} row is not '{P.address(role)} ... ready'", out)
        check(f"Logs: {up.data_dir}/logs/<role>.log" in out, "the table does not say where the logs are", out)
        check("exited" not in up.supervisor_log(), "a role died while the platform started", up.supervisor_log())
        for role in ROLES:
            check(os.path.getsize(up.log_path(role)) > 0, f"{up.log_path(role)} is empty")


def shutdown(up):
    with step("6. SIGTERM stops every role and `orderstream up` exits 0"):
        pids = {role: up.role_pid(role) for role in ROLES}
        code = up.stop()
        check(code == 0, f"orderstream up exited with {code}", up.supervisor_log()[-2000:])
        text = up.supervisor_log()
        for role in ROLES:
            check(f"{role} stopped" in text, f"`up` did not log '{role} stopped'", text[-2000:])
            check(not os.path.exists(f"/proc/{pids[role]}") if pids[role] else True, f"{role} still runs")


def ports_free():
    import socket
    busy = []
    for port in list(P.ports.values()) + list(P.admin.values()):
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers do: TIME_WAIT is fine
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                busy.append(port)
    return busy


ARGS = None


def main():
    global ARGS, P
    name_the_test("e2e")
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--grpcurl", required=True)
    parser.add_argument("--repo", required=True)
    ARGS = parser.parse_args()
    P = Platform(int(os.environ.get("E2E_PORT_BASE", "29000")))
    up = Up(ARGS)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    passed = False
    try:
        with step("setup: ports, databases, recommender consumer group"):
            busy = ports_free()
            check(not busy, f"ports {busy} are in use: set E2E_PORT_BASE to a free block")
            up.prepare()
        log(f"data folder {up.data_dir}; orderstream up on gateway {P.graphql_url}")
        up.start()
        wait_until_up(up)
        shop = seed_walkthrough(up)
        grpcurl_calls(shop)
        health_and_metrics()
        observability(up, shop)
        kill_under_load(up, shop)
        shutdown(up)
        passed = True
    except Failure as failure:
        log(f"FAILED: {failure}")
    except KeyboardInterrupt:
        log("interrupted")
    finally:
        up.stop()
        up.drop_databases()
        if passed and os.environ.get("E2E_KEEP") != "1":
            shutil.rmtree(up.data_dir, ignore_errors=True)
        else:
            for role in ROLES:
                tail = up.read_log(role).splitlines()[-15:]
                print(f"--- last lines of {up.log_path(role)}", *tail, sep="\n")
            with contextlib.suppress(OSError):
                print(f"--- {up.err_path}", up.supervisor_log()[-3000:], sep="\n")
            log(f"logs kept in {up.data_dir}")
    log("PASSED" if passed else "FAILED")
    print("1 passed, 0 failed" if passed else "0 passed, 1 failed")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
