#!/usr/bin/env python3
"""Validates deploy/ (Dockerfile, compose.yaml, k8s/) against itself and against the code.

No Docker engine or Kubernetes cluster runs where this is tested, so nothing here is started;
instead every promise the files make that can be read off the repository is checked:

  * every YAML document parses (PyYAML) and passes yamllint with deploy/.yamllint.yaml;
  * the roles: the ones in cmd/orderstream/roles.cpp, and no other, run in compose and in k8s;
  * environment: every variable a role reads (found in the C++ sources) whose default cannot
    work in a container (loopback addresses, the local database) is set for that role in
    compose and in k8s, every other one is set or documented in README.md, every variable the
    files set is read by some role, listen addresses bind every interface, URLs name the
    service (compose service / k8s Service) that runs the target role on the right port;
  * health: every probe and healthcheck asks a path the role serves, on its admin port;
    liveness uses /health (no dependency checks), readiness a served health path;
  * k8s: selectors, named ports, Services, Secret keys, PodDisruptionBudgets, the Ingress,
    kustomization resources (and `kubectl kustomize` where kubectl is installed);
  * Dockerfile: base images are Debian 12, every COPY source exists and is not excluded by
    .dockerignore, every directory CMake configures is copied, the build stage installs the
    build packages of scripts/deps.sh, every package exists in Debian 12 (apt-cache), and the
    runtime stage has the package of every shared library the built binary needs.

Every failure is one line naming the file and the key. Exit status 1 when any check failed.
Usage: deploy/check.py [--repo DIR] [--binary PATH] [--deploy DIR]
"""

from __future__ import annotations

import argparse
import fnmatch
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

try:
    import yaml
except ImportError:  # pragma: no cover
    print("deploy check: FAIL PyYAML is not installed for this python3 (apt-get install python3-yaml; "
          "scripts/deps.sh installs it)")
    sys.exit(1)


# Debian packages that scripts/deps.sh installs for tests, local infrastructure or tooling,
# not for compiling the binary; every other package it installs must be in the build stage.
NOT_FOR_BUILD = {"python3-venv", "python3-dev", "postgresql-15", "postgresql-contrib", "kcat",
                 "python3-yaml", "yamllint"}
# Packages of debian:12-slim itself (shared libraries every binary needs).
BASE_IMAGE_PACKAGES = {"libc6", "libstdc++6", "libgcc-s1"}
# Library sources that read environment variables on behalf of the roles that call them:
# file -> the call in services/<role>/ that makes a role use it ("*": every role).
LIB_ENV_USERS = {
    "libs/runtime/src/database.cpp": "OpenRoleDatabase",
    "libs/auth/src/jwt.cpp": "*",  # every role verifies the users' tokens (cmd/orderstream/main.cpp)
    "libs/rpc/src/security.cpp": "*",
    "libs/events/src/kafka_config.cpp": "*",
    "libs/events/src/outbox_relay.cpp": "StartRelay",
    "libs/core/src/log.cpp": "*",
}
# Variables a deployment must set whatever their default: a generated per-process JWT key
# would differ between the gateway and account, and production makes a missing key fatal.
POLICY_REQUIRED = {"JWT_SECRET": "*", "ORDERSTREAM_ENV": "*"}
LOOPBACK = ("127.0.0.1", "localhost", "[::1]")
ANY_HOST = ("0.0.0.0", "::", "[::]", "")
K8S_CONTAINER_KEYS = {"name", "image", "imagePullPolicy", "args", "command", "ports", "envFrom", "env",
                      "startupProbe", "readinessProbe", "livenessProbe", "resources", "securityContext",
                      "volumeMounts", "lifecycle", "workingDir", "terminationMessagePolicy"}
K8S_POD_KEYS = {"automountServiceAccountToken", "enableServiceLinks", "terminationGracePeriodSeconds",
                "securityContext", "containers", "initContainers", "volumes", "serviceAccountName",
                "affinity", "topologySpreadConstraints", "nodeSelector", "tolerations", "priorityClassName"}


class Checker:
    def __init__(self, repo: Path, deploy: Path, binary: Path | None):
        self.repo = repo
        self.deploy = deploy
        self.binary = binary
        self.failures: list[str] = []
        self.passed = 0

    # ------------------------------------------------------------------ reporting
    def rel(self, path: Path) -> str:
        try:
            return str(path.resolve().relative_to(self.repo.resolve()))
        except ValueError:
            return str(path)

    def fail(self, where: Path | str, key: str, message: str) -> None:
        where = self.rel(where) if isinstance(where, Path) else where
        line = f"deploy check: FAIL {where}: {key}: {message}"
        self.failures.append(line)
        print(line)

    def ok(self, message: str) -> None:
        print(f"deploy check: ok   {message}")

    def expect(self, condition: bool, where, key: str, message: str) -> bool:
        if condition:
            self.passed += 1
        else:
            self.fail(where, key, message)
        return condition

    # ------------------------------------------------------------------ the code
    def read(self, path: Path) -> str:
        return path.read_text(encoding="utf-8")

    def load_roles(self) -> dict[str, dict]:
        path = self.repo / "cmd/orderstream/roles.cpp"
        text = self.read(path)
        spec = re.compile(
            r'\{\s*"(?P<name>\w+)"\s*,\s*[\w:]+::RunRole\s*,\s*(?P<migrations>nullptr|[\w:]+)\s*,\s*'
            r'"(?P<database>\w*)"\s*,\s*"(?P<listen_var>\w+)"\s*,\s*"(?P<listen>[^"]+)"\s*,\s*'
            r'"(?P<admin_var>\w+)"\s*,\s*"(?P<admin>[^"]+)"\s*\}')
        roles = {}
        for m in spec.finditer(text):
            roles[m["name"]] = {
                "database": m["database"] or None,
                "listen_var": m["listen_var"], "listen_port": port_of(m["listen"]),
                "admin_var": m["admin_var"], "admin_port": port_of(m["admin"]),
            }
        if not roles:
            self.fail(path, "Roles()", "no RoleSpec entries recognised: update load_roles in deploy/check.py")
            sys.exit(1)
        # Health paths each kind of role serves.
        host_paths = set(re.findall(r'path == "(/health[^"]*)"', self.read(self.repo / "libs/rpc/src/service_host.cpp")))
        gateway_paths = set(re.findall(r'path == "(/health[^"]*)"', self.read(self.repo / "services/gateway/src/role.cpp")))
        for name, role in roles.items():
            role["health_paths"] = gateway_paths if role["admin_var"] == role["listen_var"] else host_paths
            role["sources"] = [p for p in sorted((self.repo / "services" / name).rglob("*.cpp"))
                               if "tests" not in p.relative_to(self.repo / "services" / name).parts]
            self.expect({"/health", "/health/ready"} <= role["health_paths"], path, f"role {name}",
                        f"serves {sorted(role['health_paths'])}, expected /health and /health/ready")
        self.ok(f"roles.cpp: {len(roles)} roles: {', '.join(roles)}")
        return roles

    ENV_READ = re.compile(r'\b(?:Env::(?P<kind>\w+)|EnvDouble)\(\s*"(?P<name>[A-Z][A-Z0-9_]*)"')

    def env_reads(self, path: Path) -> list[dict]:
        """Each variable read in a C++ file: name, accessor, whether its fallback is loopback,
        and which variables are read inside its fallback (alternatives)."""
        text = self.read(path)
        reads = []
        for m in self.ENV_READ.finditer(text):
            statement = text[m.end():text.find(";", m.end())]
            nested = [n["name"] for n in self.ENV_READ.finditer(statement)]
            # The fallback literal of this call: the first string literal after the name, unless it
            # belongs to a nested read.
            own = statement.split("Env::", 1)[0]
            literal = re.search(r'"([^"]*)"', own)
            fallback = literal.group(1) if literal else ""
            if not literal and nested:  # the fallback is another variable's value (or its default)
                inner = re.search(r'"[A-Z][A-Z0-9_]*"\s*,\s*"([^"]*)"', statement)
                fallback = inner.group(1) if inner else ""
            reads.append({
                "name": m["name"], "kind": m["kind"] or "Double", "file": path,
                "loopback": any(h in fallback for h in LOOPBACK) or (m["kind"] == "DatabaseUrl"),
                "fallback": fallback, "alternatives": nested,
            })
        return reads

    def load_env_contract(self, roles: dict) -> dict[str, dict[str, dict]]:
        """role -> variable -> read (merged over files)."""
        contract: dict[str, dict[str, dict]] = {name: {} for name in roles}
        role_text = {name: "\n".join(self.read(p) for p in roles[name]["sources"]) for name in roles}

        def add(role: str, read: dict) -> None:
            existing = contract[role].get(read["name"])
            if existing:
                existing["loopback"] = existing["loopback"] or read["loopback"]
            else:
                contract[role][read["name"]] = dict(read)

        for name in roles:
            for source in roles[name]["sources"]:
                for read in self.env_reads(source):
                    add(name, read)
        for source in sorted((self.repo / "libs").glob("*/src/**/*.cpp")):
            reads = self.env_reads(source)
            rel = self.rel(source)
            if not reads or rel == "libs/core/src/config.cpp":
                continue
            marker = LIB_ENV_USERS.get(rel)
            if marker is None:
                self.fail(source, ", ".join(sorted({r["name"] for r in reads})),
                          "read by a library, but deploy/check.py (LIB_ENV_USERS) does not know which roles "
                          "use this file: add it there")
                continue
            users = [n for n in roles if marker == "*" or re.search(rf"\b{marker}\b", role_text[n])]
            for role in users:
                for read in reads:
                    add(role, read)
        for var, marker in POLICY_REQUIRED.items():
            for name in roles:
                if marker == "*" or re.search(rf"\b{marker}\b", role_text[name]):
                    contract[name].setdefault(var, {"name": var, "kind": "String", "loopback": False,
                                                    "alternatives": [], "fallback": "", "file": None})
                    contract[name][var]["policy"] = True
        total = sum(len(v) for v in contract.values())
        self.ok(f"code: {total} (role, variable) reads, e.g. gateway reads {len(contract.get('gateway', {}))}")
        return contract

    def must_set(self, read: dict) -> bool:
        return read["loopback"] or read.get("policy", False)

    def url_targets(self, roles: dict, contract: dict) -> dict[str, str]:
        """Address variables that point at another role: the fallback's port is that role's port."""
        by_port = {r["listen_port"]: name for name, r in roles.items()}
        targets = {}
        for role, reads in contract.items():
            for var, read in reads.items():
                if read["kind"] == "Address" and var not in {r["listen_var"] for r in roles.values()} \
                        and var not in {r["admin_var"] for r in roles.values()} and not var.endswith("_LISTEN"):
                    port = port_of(read["fallback"]) if read["fallback"] else None
                    if port in by_port:
                        targets[var] = by_port[port]
        return targets

    def readme_documents(self, var: str) -> bool:
        return f"`{var}`" in self.readme or re.search(rf"`[^`]*\b{var}\b[^`]*`", self.readme) is not None

    # ------------------------------------------------------------------ YAML
    def parse_yaml(self) -> dict[Path, list]:
        docs = {}
        files = sorted(p for p in self.deploy.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
        for path in files:
            try:
                docs[path] = [d for d in yaml.safe_load_all(self.read(path)) if d is not None]
            except yaml.YAMLError as e:
                mark = getattr(e, "problem_mark", None)
                where = f"line {mark.line + 1}" if mark else "?"
                self.fail(path, where, f"not valid YAML: {getattr(e, 'problem', e)}")
        self.ok(f"YAML: {len(docs)} files, {sum(len(d) for d in docs.values())} documents parse")
        return docs

    def yamllint(self) -> None:
        config = self.deploy / ".yamllint.yaml"
        if not self.expect(config.is_file(), config, "file", "missing yamllint configuration"):
            return
        command = None
        if shutil.which("yamllint"):
            command = ["yamllint"]
        else:
            for python in ("/usr/bin/python3", sys.executable):
                if Path(python).exists() and subprocess.run([python, "-c", "import yamllint"],
                                                            capture_output=True).returncode == 0:
                    command = [python, "-m", "yamllint"]
                    break
        if command is None:
            if os.environ.get("DEPLOY_CHECK_SKIP_YAMLLINT") == "1":
                print("deploy check: skip yamllint (DEPLOY_CHECK_SKIP_YAMLLINT=1)")
                return
            self.fail(config, "yamllint", "yamllint is not installed (scripts/deps.sh installs it: apt-get install "
                                          "yamllint; DEPLOY_CHECK_SKIP_YAMLLINT=1 skips this check)")
            return
        result = subprocess.run(command + ["--strict", "-f", "parsable", "-c", str(config), str(self.deploy)],
                                capture_output=True, text=True)
        if result.returncode != 0:
            for line in (result.stdout + result.stderr).strip().splitlines():
                path, _, rest = line.partition(":")
                self.fail(Path(path), "yamllint", rest.strip())
        else:
            self.ok("yamllint --strict: clean")

    # ------------------------------------------------------------------ environment checks (shared)
    def check_role_env(self, where: Path, label: str, role: str, env: dict[str, object], roles: dict,
                       contract: dict, resolve_url) -> None:
        """env: variable -> value (None: passed through / from a Secret, value unknown)."""
        reads = contract[role]
        for var, read in sorted(reads.items()):
            present = var in env or any(a in env for a in read["alternatives"])
            # A variable that is the fallback of another one the deployment sets is not needed.
            covered = any(var in other["alternatives"] and other["name"] in env for other in reads.values())
            if self.must_set(read) and not (present or covered):
                why = "required in production" if read.get("policy") else \
                    f"its default {read['fallback'] or 'the local database'} is unreachable from a container"
                self.fail(where, f"{label} env {var}", f"not set for role {role}; {why}")
            elif not (present or covered) and not self.readme_documents(var):
                self.fail(where, f"{label} env {var}",
                          f"role {role} reads {var} ({self.rel(read['file'])}); it is neither set here nor "
                          f"documented in README.md")
        if env.get("ORDERSTREAM_ENV") not in (None, "production") and "ORDERSTREAM_ENV" in reads:
            self.fail(where, f"{label} env ORDERSTREAM_ENV", f"is {env['ORDERSTREAM_ENV']!r}, expected production")
        # Every listening address of the role binds every interface.
        for var, read in reads.items():
            if not var.endswith("_LISTEN") or var not in env:
                continue
            value = env[var]
            if value is None or not isinstance(value, str) or ":" not in value:
                self.fail(where, f"{label} env {var}", f"expected host:port, got {value!r}")
                continue
            host = value.rsplit(":", 1)[0]
            self.expect(host in ANY_HOST, where, f"{label} env {var}",
                        f"{value} binds {host}: nothing outside the container can reach it, use 0.0.0.0")
        # URLs to other roles name the right service and port.
        for var, target in self.targets.items():
            if var in reads and isinstance(env.get(var), str):
                resolve_url(var, env[var], target)

    # ------------------------------------------------------------------ compose
    def check_compose(self, docs: dict, roles: dict, contract: dict) -> set[str]:
        path = self.deploy / "compose.yaml"
        if not self.expect(path in docs and docs[path], path, "file", "missing or empty"):
            return set()
        compose = docs[path][0]
        services = compose.get("services") or {}
        self.expect(isinstance(services, dict) and services, path, "services", "no services")
        role_of: dict[str, str] = {}
        for svc, body in services.items():
            command = body.get("command")
            image = str(body.get("image", ""))
            if "orderstream" in image or body.get("build"):
                args = command if isinstance(command, list) else shlex.split(command or "")
                if not self.expect(bool(args) and args[0] in roles, path, f"services.{svc}.command",
                                   f"{command!r} does not name a role of cmd/orderstream/roles.cpp ({', '.join(roles)})"):
                    continue
                self.expect(args[0] not in role_of.values(), path, f"services.{svc}.command",
                            f"role {args[0]} runs in two services")
                role_of[svc] = args[0]
                build = body.get("build") or {}
                if build:
                    context = (path.parent / build.get("context", ".")).resolve()
                    self.expect((context / build.get("dockerfile", "Dockerfile")).is_file(), path,
                                f"services.{svc}.build", f"no Dockerfile at {build.get('dockerfile')} under {context}")
                    self.expect(context == self.repo.resolve(), path, f"services.{svc}.build.context",
                                "the build context must be the repository root (.dockerignore lives there)")
        missing = set(roles) - set(role_of.values())
        self.expect(not missing, path, "services", f"roles without a service: {sorted(missing)}")

        svc_of_role = {r: s for s, r in role_of.items()}
        env_of = {s: {k: (None if v is None else str(v)) for k, v in (b.get("environment") or {}).items()}
                  for s, b in services.items()}
        if any(isinstance(b.get("environment"), list) for b in services.values()):
            self.fail(path, "environment", "use the mapping form (KEY: value) so it can be checked")

        def resolve_url(var, value, target, svc=None):
            host, _, port = value.rpartition(":")
            target_svc = svc_of_role.get(target)
            if self.expect(host == target_svc, path, f"services.{svc}.environment.{var}",
                           f"{value}: host should be the service {target_svc!r} that runs role {target}"):
                listen = env_of.get(target_svc, {}).get(roles[target]["listen_var"]) or ""
                self.expect(port == str(port_of(listen)), path, f"services.{svc}.environment.{var}",
                            f"{value}: port {port}, but {target_svc} listens on {listen or 'its default'}")

        all_read = set().union(*(set(c) for c in contract.values()))
        for svc, role in role_of.items():
            env = env_of[svc]
            self.check_role_env(path, f"services.{svc}.environment", role, env, roles, contract,
                                lambda var, value, target, svc=svc: resolve_url(var, value, target, svc))
            for var in env:
                self.expect(var in all_read, path, f"services.{svc}.environment.{var}",
                            "no role reads this variable (typo?)")
            # The database URL names the role's own database.
            url = env.get("DATABASE_URL")
            if roles[role]["database"] and url:
                self.expect(urlparse(url).path.lstrip("/") == roles[role]["database"], path,
                            f"services.{svc}.environment.DATABASE_URL",
                            f"{url}: expected database {roles[role]['database']}")
            # Healthcheck: the admin port and a served path.
            admin = env.get(roles[role]["admin_var"]) or ""
            test = services[svc].get("healthcheck", {}).get("test")
            text = " ".join(test) if isinstance(test, list) else str(test or "")
            m = re.search(r"https?://(?:127\.0\.0\.1|localhost):(\d+)(/[^\s\"']*)", text)
            if self.expect(m is not None, path, f"services.{svc}.healthcheck.test",
                           f"expected an HTTP probe of the admin port, got {text!r}"):
                self.expect(m[1] == str(port_of(admin)), path, f"services.{svc}.healthcheck.test",
                            f"probes port {m[1]}, but {roles[role]['admin_var']} is {admin or 'unset'}")
                self.expect(m[2] in roles[role]["health_paths"], path, f"services.{svc}.healthcheck.test",
                            f"{m[2]} is not served by role {role} ({sorted(roles[role]['health_paths'])})")
        # depends_on: targets exist; conditions fit them.
        for svc, body in services.items():
            deps = body.get("depends_on") or {}
            if isinstance(deps, list):
                deps = {d: {"condition": "service_started"} for d in deps}
            for dep, spec in deps.items():
                if not self.expect(dep in services, path, f"services.{svc}.depends_on.{dep}", "no such service"):
                    continue
                cond = (spec or {}).get("condition", "service_started")
                if cond == "service_healthy":
                    self.expect("healthcheck" in services[dep], path, f"services.{svc}.depends_on.{dep}",
                                "service_healthy, but it has no healthcheck")
                elif cond == "service_completed_successfully":
                    self.expect(str(services[dep].get("restart", "no")) == "no", path,
                                f"services.{svc}.depends_on.{dep}", "waits for completion of a restarting service")
                else:
                    self.expect(cond == "service_started", path, f"services.{svc}.depends_on.{dep}",
                                f"unknown condition {cond}")
        # Named volumes are declared; bind-mounted files exist.
        declared = set((compose.get("volumes") or {}).keys())
        for svc, body in services.items():
            for volume in body.get("volumes") or []:
                source = str(volume).split(":", 1)[0]
                if source.startswith((".", "/")):
                    self.expect((path.parent / source).exists(), path, f"services.{svc}.volumes", f"{source} does not exist")
                else:
                    self.expect(source in declared, path, f"services.{svc}.volumes", f"volume {source} not declared")
        # Databases: the init script creates <service>_db for every role with a database.
        self.check_compose_postgres(path, services, roles, role_of)
        # Kafka: the advertised listener is what the roles use; the topics are created.
        self.check_compose_kafka(path, services, env_of, role_of)
        # ${VAR:?...} interpolations are documented in .env.example.
        example = self.deploy / ".env.example"
        text = self.read(path)
        required = set(re.findall(r"\$\{(\w+):\?", text))
        if self.expect(example.is_file(), example, "file", "missing"):
            listed = set(re.findall(r"^#?\s*(\w+)=", self.read(example), re.M))
            for var in sorted(required - listed):
                self.fail(example, var, "compose.yaml requires it (${" + var + ":?...}) but .env.example does not list it")
            for var, value in ((k, v) for s in role_of for k, v in env_of[s].items() if v is None):
                self.expect(var in listed, example, var, "compose.yaml passes it through but .env.example does not list it")
        self.ok(f"compose.yaml: {len(role_of)} roles, {len(services)} services cross-checked")
        return set(role_of.values())

    def check_compose_postgres(self, path, services, roles, role_of):
        pg = [s for s, b in services.items() if str(b.get("image", "")).startswith("postgres:")]
        if not self.expect(len(pg) == 1, path, "services", "expected one postgres service"):
            return
        body = services[pg[0]]
        self.expect(str(body["image"]).split(":")[1].startswith("15"), path, f"services.{pg[0]}.image",
                    "expected PostgreSQL 15 (the version the project is tested with)")
        scripts = [str(v).split(":")[0] for v in body.get("volumes") or [] if "docker-entrypoint-initdb.d" in str(v)]
        if not self.expect(scripts, path, f"services.{pg[0]}.volumes", "no init script in /docker-entrypoint-initdb.d"):
            return
        script = (path.parent / scripts[0]).resolve()
        text = self.read(script)
        m = re.search(r'SERVICES="\$\{ORDERSTREAM_SERVICES:-([^}]*)\}"', text)
        if not self.expect(m is not None, script, "SERVICES", "default service list not found"):
            return
        services_list = m[1].split()
        self.expect(re.search(r'database="\$\{service\}_db"', text) is not None, script, "database",
                    "expected database=${service}_db")
        for role, spec in roles.items():
            if spec["database"]:
                self.expect(spec["database"] == f"{role}_db" and role in services_list, script, "SERVICES",
                            f"role {role} needs database {spec['database']}, which the script does not create")
        for svc, role in role_of.items():
            url = services[svc].get("environment", {}).get("DATABASE_URL")
            if url:
                user = urlparse(str(url).replace("${", "").replace("}", "")).username
                self.expect(user == role, path, f"services.{svc}.environment.DATABASE_URL",
                            f"logs in as {user!r}; the init script creates the role {role!r}")
        result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
        self.expect(result.returncode == 0, script, "bash -n", result.stderr.strip())

    def check_compose_kafka(self, path, services, env_of, role_of):
        kafka = [s for s, b in services.items() if str(b.get("image", "")).startswith("apache/kafka:")
                 and "KAFKA_PROCESS_ROLES" in (b.get("environment") or {})]
        if not self.expect(len(kafka) == 1, path, "services", "expected one apache/kafka broker service"):
            return
        env = services[kafka[0]]["environment"]
        self.expect("controller" in str(env.get("KAFKA_PROCESS_ROLES")) and "CLUSTER_ID" in env, path,
                    f"services.{kafka[0]}.environment", "expected KRaft (process roles with controller, CLUSTER_ID)")
        advertised = re.findall(r"PLAINTEXT://([^,]+)", str(env.get("KAFKA_ADVERTISED_LISTENERS", "")))
        for svc in role_of:
            bootstrap = env_of[svc].get("KAFKA_BOOTSTRAP_SERVERS")
            if bootstrap:
                self.expect(bootstrap in advertised, path, f"services.{svc}.environment.KAFKA_BOOTSTRAP_SERVERS",
                            f"{bootstrap} is not the broker's advertised listener {advertised}")
        topics = set()
        for source in (self.repo / "services").glob("*/src/**/*"):
            if source.suffix in (".cpp", ".hpp"):
                topics |= set(re.findall(r'"(\w+_events)"', self.read(source)))
        creator = " ".join(str(x) for b in services.values() if "kafka-topics.sh" in str(b.get("command", ""))
                           for x in (b["command"] if isinstance(b["command"], list) else [b["command"]]))
        for topic in sorted(topics):
            self.expect(topic in creator, path, "services.kafka-topics", f"topic {topic} (used in services/) is not created")

    # ------------------------------------------------------------------ Kubernetes
    def check_k8s(self, docs: dict, roles: dict, contract: dict) -> set[str]:
        k8s = self.deploy / "k8s"
        kustomization_path = k8s / "kustomization.yaml"
        if not self.expect(kustomization_path in docs, kustomization_path, "file", "missing"):
            return set()
        kustomization = docs[kustomization_path][0]
        resources = kustomization.get("resources") or []
        for resource in resources:
            self.expect((k8s / resource).is_file(), kustomization_path, f"resources {resource}", "no such file")
        for path in sorted(k8s.glob("*.yaml")):
            if path.name != "kustomization.yaml" and not path.name.endswith(".example.yaml"):
                self.expect(path.name in resources, kustomization_path, "resources",
                            f"{path.name} is not listed (name it *.example.yaml if it is not meant to be applied)")
        namespace = kustomization.get("namespace")
        self.expect(bool(namespace), kustomization_path, "namespace", "not set")
        image_names = {i.get("name") for i in kustomization.get("images") or []}

        objects = []  # (path, object)
        for resource in resources:
            for obj in docs.get(k8s / resource, []):
                objects.append((k8s / resource, obj))
        by_kind: dict[str, dict[str, tuple[Path, dict]]] = {}
        for path, obj in objects:
            kind, name = obj.get("kind"), (obj.get("metadata") or {}).get("name")
            if not self.expect(bool(kind and name and obj.get("apiVersion")), path, f"{kind}/{name}",
                               "apiVersion, kind and metadata.name are required"):
                continue
            self.expect(re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?", name) is not None, path, f"{kind}/{name}",
                        "metadata.name is not a DNS-1123 label")
            self.expect(name not in by_kind.get(kind, {}), path, f"{kind}/{name}", "defined twice")
            by_kind.setdefault(kind, {})[name] = (path, obj)
            ns = (obj.get("metadata") or {}).get("namespace")
            self.expect(ns in (None, namespace), path, f"{kind}/{name}", f"namespace {ns} differs from {namespace}")
        self.expect(namespace in by_kind.get("Namespace", {}), kustomization_path, "namespace",
                    f"no Namespace {namespace} among the resources")
        configmaps = {n: o.get("data") or {} for n, (_, o) in by_kind.get("ConfigMap", {}).items()}
        secrets = {n: {**(o.get("data") or {}), **(o.get("stringData") or {})} for n, (_, o) in by_kind.get("Secret", {}).items()}
        for name, (path, obj) in by_kind.get("Secret", {}).items():
            for key, value in (obj.get("stringData") or {}).items():
                self.expect("REPLACE_ME" in str(value), path, f"Secret/{name}.stringData.{key}",
                            "committed Secret values must be placeholders containing REPLACE_ME")
            self.expect(not obj.get("data"), path, f"Secret/{name}.data", "use stringData placeholders, not data")
        for name, data in configmaps.items():
            for key, value in data.items():
                self.expect(isinstance(value, str), by_kind["ConfigMap"][name][0], f"ConfigMap/{name}.data.{key}",
                            f"value {value!r} must be a string (quote it)")

        services = {n: o for n, (_, o) in by_kind.get("Service", {}).items()}
        deployments = by_kind.get("Deployment", {})
        role_deploy: dict[str, tuple[Path, dict, dict, dict]] = {}
        all_read = set().union(*(set(c) for c in contract.values()))
        for key in sorted({k for d in configmaps.values() for k in d}):
            self.expect(key in all_read, k8s / "configmap.yaml", f"ConfigMap data {key}", "no role reads this variable (typo?)")

        for name, (path, deployment) in deployments.items():
            label = f"Deployment/{name}"
            spec = deployment.get("spec") or {}
            template = spec.get("template") or {}
            pod = template.get("spec") or {}
            pod_labels = (template.get("metadata") or {}).get("labels") or {}
            selector = (spec.get("selector") or {}).get("matchLabels") or {}
            self.expect(selector and all(pod_labels.get(k) == v for k, v in selector.items()), path,
                        f"{label}.spec.selector", f"{selector} does not match the pod labels {pod_labels}")
            for key in pod:
                self.expect(key in K8S_POD_KEYS, path, f"{label}.spec.template.spec.{key}", "unexpected field (typo?)")
            self.expect((pod.get("securityContext") or {}).get("runAsNonRoot") is True, path,
                        f"{label}.spec.template.spec.securityContext.runAsNonRoot", "must be true")
            containers = pod.get("containers") or []
            if not self.expect(len(containers) == 1, path, f"{label}.containers", "expected one container"):
                continue
            c = containers[0]
            for key in c:
                self.expect(key in K8S_CONTAINER_KEYS, path, f"{label}.containers[0].{key}", "unexpected field (typo?)")
            args = c.get("args") or []
            role = args[0] if args else None
            if not self.expect(role in roles, path, f"{label}.containers[0].args",
                               f"{args!r} does not name a role of cmd/orderstream/roles.cpp ({', '.join(roles)})"):
                continue
            self.expect(role not in role_deploy, path, f"{label}.containers[0].args", f"role {role} runs in two Deployments")
            self.expect(str(c.get("image", "")).split(":")[0] in image_names, path, f"{label}.containers[0].image",
                        f"{c.get('image')} is not rewritten by kustomization.yaml images ({sorted(image_names)})")
            ports = {p.get("name"): p.get("containerPort") for p in c.get("ports") or []}
            for pname in ports:
                self.expect(pname and len(pname) <= 15, path, f"{label}.ports.{pname}", "port names need 1-15 characters")
            resources = c.get("resources") or {}
            for part in ("requests", "limits"):
                for what in ("cpu", "memory"):
                    self.expect(what in (resources.get(part) or {}), path, f"{label}.resources.{part}.{what}", "not set")
            sc = c.get("securityContext") or {}
            self.expect(sc.get("allowPrivilegeEscalation") is False and sc.get("readOnlyRootFilesystem") is True,
                        path, f"{label}.containers[0].securityContext",
                        "expected allowPrivilegeEscalation: false and readOnlyRootFilesystem: true")
            # Effective environment: envFrom ConfigMaps, then env (Secrets resolved by key).
            env: dict[str, object] = {}
            for source in c.get("envFrom") or []:
                ref = (source.get("configMapRef") or {}).get("name")
                if self.expect(ref in configmaps, path, f"{label}.envFrom", f"ConfigMap {ref} is not among the resources"):
                    env.update(configmaps[ref])
            for item in c.get("env") or []:
                var = item.get("name")
                self.expect(var in all_read, path, f"{label}.env.{var}", "no role reads this variable (typo?)")
                if "value" in item:
                    env[var] = str(item["value"])
                    continue
                ref = (item.get("valueFrom") or {}).get("secretKeyRef") or {}
                if ref.get("optional"):
                    continue  # absent unless the optional Secret exists: not counted as set
                if self.expect(ref.get("name") in secrets and ref.get("key") in secrets.get(ref.get("name"), {}),
                               path, f"{label}.env.{var}", f"Secret {ref.get('name')} key {ref.get('key')} does not exist"):
                    env[var] = str(secrets[ref["name"]][ref["key"]])
            # DATABASE_URL points at the role's own database.
            url = env.get("DATABASE_URL")
            if roles[role]["database"] and isinstance(url, str):
                self.expect(urlparse(url).path.lstrip("/") == roles[role]["database"], path, f"{label}.env.DATABASE_URL",
                            f"resolves to {url}: expected database {roles[role]['database']}")
            role_deploy[role] = (path, deployment, env, ports)

        def resolve_url(var, value, target, where=None, who=None):
            host, _, port = value.rpartition(":")
            service_name = host.split(".")[0]
            svc = services.get(service_name)
            target_path, target_deploy, target_env, target_ports = role_deploy.get(target, (None, None, {}, {}))
            if not self.expect(svc is not None, where, f"{who} env {var}", f"{value}: no Service named {service_name}"):
                return
            pod_labels = ((target_deploy or {}).get("spec", {}).get("template", {}).get("metadata", {}) or {}).get("labels", {})
            selector = svc.get("spec", {}).get("selector") or {}
            self.expect(selector and all(pod_labels.get(k) == v for k, v in selector.items()), where, f"{who} env {var}",
                        f"{value}: Service {service_name} does not select the pods of role {target}")
            sport = next((p for p in svc["spec"].get("ports", []) if str(p.get("port")) == port), None)
            if self.expect(sport is not None, where, f"{who} env {var}", f"{value}: Service {service_name} has no port {port}"):
                target_port = sport.get("targetPort", sport.get("port"))
                container_port = target_ports.get(target_port, target_port)
                listen = target_env.get(roles[target]["listen_var"]) or ""
                self.expect(str(container_port) == str(port_of(listen)), where, f"{who} env {var}",
                            f"{value} reaches container port {container_port}, but role {target} listens on {listen}")

        for role, (path, deployment, env, ports) in role_deploy.items():
            label = f"Deployment/{deployment['metadata']['name']}"
            self.check_role_env(path, label, role, env, roles, contract,
                                lambda var, value, target, path=path, label=label: resolve_url(var, value, target, path, label))
            # Container ports: every listen variable of the role is a declared port.
            for var in contract[role]:
                if var.endswith("_LISTEN") and isinstance(env.get(var), str):
                    self.expect(port_of(env[var]) in ports.values(), path, f"{label}.ports",
                                f"{var}={env[var]}, but no containerPort {port_of(env[var])}")
            # Probes.
            c = deployment["spec"]["template"]["spec"]["containers"][0]
            admin_port = port_of(str(env.get(roles[role]["admin_var"]) or ""))
            for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
                spec = c.get(probe)
                if probe != "startupProbe" and not self.expect(spec is not None, path, f"{label}.{probe}", "missing"):
                    continue
                if spec is None:
                    continue
                get = spec.get("httpGet") or {}
                port = get.get("port")
                number = ports.get(port, port)
                self.expect(number == admin_port, path, f"{label}.{probe}.httpGet.port",
                            f"{port} is port {number}, but role {role} serves health on "
                            f"{roles[role]['admin_var']}={env.get(roles[role]['admin_var'])}")
                self.expect(get.get("path") in roles[role]["health_paths"], path, f"{label}.{probe}.httpGet.path",
                            f"{get.get('path')} is not served by role {role} ({sorted(roles[role]['health_paths'])})")
                if probe == "livenessProbe":
                    self.expect(get.get("path") == "/health", path, f"{label}.{probe}.httpGet.path",
                                "liveness must not depend on the database or other services: use /health")
            # A Service selects it and maps to declared ports.
            pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
            selecting = [n for n, s in services.items()
                         if (s.get("spec") or {}).get("selector")
                         and all(pod_labels.get(k) == v for k, v in s["spec"]["selector"].items())]
            self.expect(selecting, path, label, "no Service selects its pods")
            for sname in selecting:
                for sp in services[sname]["spec"].get("ports", []):
                    tp = sp.get("targetPort", sp.get("port"))
                    self.expect(tp in ports or tp in ports.values(), path, f"Service/{sname}.ports.{sp.get('name')}",
                                f"targetPort {tp} is not a port of {label}")
        missing = set(roles) - set(role_deploy)
        self.expect(not missing, k8s, "Deployments", f"roles without a Deployment: {sorted(missing)}")

        # PodDisruptionBudgets select a Deployment whose replicas can satisfy them.
        for name, (path, pdb) in by_kind.get("PodDisruptionBudget", {}).items():
            selector = (pdb["spec"].get("selector") or {}).get("matchLabels") or {}
            matched = [d for d in deployments.values()
                       if all(d[1]["spec"]["template"]["metadata"]["labels"].get(k) == v for k, v in selector.items())]
            if self.expect(len(matched) == 1, path, f"PodDisruptionBudget/{name}", "selects no (or several) Deployments"):
                replicas = matched[0][1]["spec"].get("replicas", 1)
                self.expect(int(pdb["spec"].get("minAvailable", 0)) < replicas, path, f"PodDisruptionBudget/{name}",
                            f"minAvailable {pdb['spec'].get('minAvailable')} with {replicas} replica(s) blocks every drain")
        # Ingress backends exist; the gateway is exposed; PAYMENT_PUBLIC_URL is the Ingress host.
        hosts = set()
        exposed = set()
        for name, (path, ingress) in by_kind.get("Ingress", {}).items():
            for rule in ingress["spec"].get("rules", []):
                hosts.add(rule.get("host"))
                for p in (rule.get("http") or {}).get("paths", []):
                    backend = p["backend"]["service"]
                    svc = services.get(backend["name"])
                    if not self.expect(svc is not None, path, f"Ingress/{name} {p.get('path')}",
                                       f"Service {backend['name']} does not exist"):
                        continue
                    port = backend.get("port") or {}
                    self.expect(any(sp.get("name") == port.get("name") or sp.get("port") == port.get("number")
                                    for sp in svc["spec"]["ports"]), path, f"Ingress/{name} {p.get('path')}",
                                f"Service {backend['name']} has no port {port}")
                    exposed.add(backend["name"])
        gateway = role_deploy.get("gateway")
        if gateway:
            gateway_services = [n for n, s in services.items() if all(
                gateway[1]["spec"]["template"]["metadata"]["labels"].get(k) == v for k, v in s["spec"]["selector"].items())]
            self.expect(bool(set(gateway_services) & exposed) or any(
                services[n]["spec"].get("type") == "LoadBalancer" for n in gateway_services), k8s, "gateway",
                "not exposed: no Ingress backend or LoadBalancer Service for it")
        public = next((env.get("PAYMENT_PUBLIC_URL") for _, (_, _, env, _) in role_deploy.items()
                       if env.get("PAYMENT_PUBLIC_URL")), None)
        if public and hosts:
            self.expect(urlparse(public).hostname in hosts, k8s / "configmap.yaml", "PAYMENT_PUBLIC_URL",
                        f"{public}: host is not an Ingress host ({sorted(hosts)})")
        self.check_kustomize(k8s, namespace, resources)
        self.ok(f"k8s: {len(role_deploy)} Deployments, {len(services)} Services, {len(objects)} objects cross-checked")
        return set(role_deploy)

    def check_kustomize(self, k8s: Path, namespace: str, resources: list) -> None:
        kubectl = shutil.which("kubectl")
        if kubectl is None:
            print("deploy check: skip `kubectl kustomize` (kubectl is not installed)")
            return
        result = subprocess.run([kubectl, "kustomize", str(k8s)], capture_output=True, text=True, timeout=120)
        if not self.expect(result.returncode == 0, k8s / "kustomization.yaml", "kubectl kustomize",
                           (result.stderr or result.stdout).strip()):
            return
        rendered = [d for d in yaml.safe_load_all(result.stdout) if d]
        for obj in rendered:
            kind, name = obj["kind"], obj["metadata"]["name"]
            if kind != "Namespace":
                self.expect(obj["metadata"].get("namespace") == namespace, k8s / "kustomization.yaml",
                            f"rendered {kind}/{name}", f"namespace is not {namespace}")
            for c in ((obj.get("spec") or {}).get("template") or {}).get("spec", {}).get("containers", []):
                self.expect("/" in c["image"] and ":" in c["image"], k8s / "kustomization.yaml",
                            f"rendered {kind}/{name} image", f"{c['image']} was not rewritten to a registry image")
        self.ok(f"kubectl kustomize: {len(rendered)} objects rendered")

    # ------------------------------------------------------------------ Dockerfile
    def parse_dockerfile(self, path: Path) -> list[tuple[int, str, str]]:
        instructions, buffer, start = [], "", 0
        for number, line in enumerate(self.read(path).splitlines(), 1):
            stripped = line.strip()
            if not buffer and (not stripped or stripped.startswith("#")):
                continue
            if buffer and stripped.startswith("#"):
                continue
            if not buffer:
                start = number
            if stripped.endswith("\\"):
                buffer += stripped[:-1] + " "
                continue
            buffer += stripped
            keyword, _, rest = buffer.partition(" ")
            instructions.append((start, keyword.upper(), rest.strip()))
            buffer = ""
        return instructions

    def dockerignore(self) -> list[str]:
        path = self.repo / ".dockerignore"
        if not self.expect(path.is_file(), path, "file", "missing"):
            return []
        patterns = []
        for line in self.read(path).splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                self.expect(not line.startswith("!"), path, line, "exceptions are not supported by deploy/check.py")
                patterns.append(line.rstrip("/"))
        for wanted in ("build*", ".data*", ".deps", "**/node_modules"):
            self.expect(wanted in patterns, path, wanted, "should be excluded from the build context")
        return patterns

    @staticmethod
    def ignored(rel: str, patterns: list[str]) -> bool:
        parts = rel.strip("/").split("/")
        for pattern in patterns:
            if pattern.startswith("**/"):
                sub = pattern[3:]
                if any(fnmatch.fnmatchcase(p, sub) for p in parts):
                    return True
            else:
                pp = pattern.split("/")
                if len(parts) >= len(pp) and all(fnmatch.fnmatchcase(a, b) for a, b in zip(parts, pp)):
                    return True
        return False

    def check_dockerfile(self) -> None:
        path = self.deploy / "Dockerfile"
        if not self.expect(path.is_file(), path, "file", "missing"):
            return
        instructions = self.parse_dockerfile(path)
        patterns = self.dockerignore()
        args = {}
        stages: list[dict] = []
        for number, keyword, rest in instructions:
            where = f"line {number} {keyword}"
            if keyword == "ARG" and not stages:
                name, _, default = rest.partition("=")
                args[name] = default
            elif keyword == "FROM":
                words = rest.split()
                image = re.sub(r"\$\{(\w+)\}", lambda m: args.get(m[1], ""), words[0])
                self.expect(re.fullmatch(r"debian:(12|bookworm)([-.\w]*)", image) is not None, path, where,
                            f"{image}: expected a Debian 12 (bookworm) image")
                stages.append({"name": words[2] if len(words) > 2 and words[1].upper() == "AS" else None,
                               "packages": [], "copies": [], "user": None, "entrypoint": None, "run": []})
            elif not stages:
                continue
            elif keyword == "RUN":
                stages[-1]["run"].append(rest)
                m = re.search(r"apt-get install ((?:(?!&&).)*)", rest)
                if m:
                    stages[-1]["packages"] += [w for w in m[1].split() if not w.startswith("-")]
            elif keyword == "COPY":
                words = shlex.split(rest)
                flags = [w for w in words if w.startswith("--")]
                operands = [w for w in words if not w.startswith("--")]
                source_stage = next((f.split("=", 1)[1] for f in flags if f.startswith("--from=")), None)
                stages[-1]["copies"].append((number, source_stage, operands[:-1], operands[-1]))
            elif keyword == "USER":
                stages[-1]["user"] = rest.split(":")[0]
            elif keyword == "ENTRYPOINT":
                stages[-1]["entrypoint"] = rest
        if not self.expect(len(stages) >= 2, path, "FROM", "expected a multi-stage build (build and runtime stages)"):
            return
        names = [s["name"] for s in stages]
        copied_dirs = set()
        for stage in stages:
            for number, source_stage, sources, dest in stage["copies"]:
                if source_stage:
                    self.expect(source_stage in names[:stages.index(stage)], path, f"line {number} COPY --from",
                                f"no earlier stage named {source_stage}")
                    continue
                for source in sources:
                    rel = source.rstrip("/")
                    self.expect((self.repo / rel).exists(), path, f"line {number} COPY {source}",
                                "does not exist in the repository (the build context)")
                    self.expect(not self.ignored(rel, patterns), path, f"line {number} COPY {source}",
                                "is excluded by .dockerignore")
                    copied_dirs.add(rel.split("/")[0])
        # Everything CMake configures is in the context the build copies.
        build_stage = stages[0]
        build_runs = " ".join(build_stage["run"])
        root = self.read(self.repo / "CMakeLists.txt")
        needed = set(re.findall(r"add_subdirectory\((\w[\w/]*)\)", root)) | \
            {p.split("/")[0] for p in re.findall(r"include\(([\w/.]+\.cmake)\)", root)}
        for directory in sorted(needed):
            top = directory.split("/")[0]
            if top == "bench" and "-DORDERSTREAM_BENCH=OFF" in build_runs:
                continue
            self.expect(top in copied_dirs, path, f"COPY {top}/",
                        f"CMakeLists.txt configures {directory} but the build stage does not copy it")
        self.expect(re.search(r"ninja\b[^&]*\borderstream\b", build_runs) is not None, path, "RUN ninja",
                    "the build stage should build the orderstream target only")
        # The build packages of scripts/deps.sh.
        deps = self.read(self.repo / "scripts/deps.sh")
        m = re.search(r"^PACKAGES=\((.*?)^\)", deps, re.S | re.M)
        if self.expect(m is not None, self.repo / "scripts/deps.sh", "PACKAGES", "list not found"):
            listed = [w for w in m[1].split() if not w.startswith("#")]
            for package in listed:
                if package not in NOT_FOR_BUILD:
                    self.expect(package in build_stage["packages"], path, f"build stage apt-get install {package}",
                                "scripts/deps.sh installs it for building, the Dockerfile does not "
                                "(or add it to NOT_FOR_BUILD in deploy/check.py)")
        runtime = stages[-1]
        self.expect(runtime["user"] not in (None, "root", "0"), path, "USER",
                    "the runtime stage must run as a non-root user")
        entry = runtime["entrypoint"] or ""
        binary = re.findall(r'"([^"]+)"', entry)[:1]
        self.expect(bool(binary) and any(dest == binary[0] for _, src_stage, _, dest in runtime["copies"] if src_stage),
                    path, "ENTRYPOINT", f"{entry}: should be the orderstream binary copied from the build stage")
        self.check_apt_packages(path, {"build": build_stage["packages"], "runtime": runtime["packages"]})
        self.check_runtime_libraries(path, runtime["packages"])
        self.ok(f"Dockerfile: {len(stages)} stages, {sum(len(s['copies']) for s in stages)} COPY, "
                f"{len(build_stage['packages'])} build and {len(runtime['packages'])} runtime packages")

    def check_apt_packages(self, path: Path, packages: dict[str, list[str]]) -> None:
        if not shutil.which("apt-cache"):
            print("deploy check: skip apt-cache look-up (no apt-cache here)")
            return
        release = Path("/etc/debian_version").read_text().strip() if Path("/etc/debian_version").exists() else ""
        if not release.startswith("12"):
            print(f"deploy check: skip apt-cache look-up (this machine is Debian {release or '?'}, not 12)")
            return
        every = sorted({p for ps in packages.values() for p in ps})
        result = subprocess.run(["apt-cache", "policy", *every], capture_output=True, text=True)
        candidates = dict(re.findall(r"^(\S+):\n\s+Installed: .*\n\s+Candidate: (.*)$", result.stdout, re.M))
        if not any(v != "(none)" for v in candidates.values()):
            print("deploy check: skip apt-cache look-up (no package lists: run apt-get update)")
            return
        for stage, names in packages.items():
            for name in names:
                self.expect(candidates.get(name, "(none)") != "(none)", path, f"{stage} stage package {name}",
                            "not found in this Debian 12 machine's package lists (apt-cache policy)")
        self.ok(f"apt-cache: all {len(every)} Dockerfile packages exist in Debian 12")

    def check_runtime_libraries(self, path: Path, runtime_packages: list[str]) -> None:
        if self.binary is None or not self.binary.is_file():
            print(f"deploy check: skip runtime library check (no built binary at {self.binary})")
            return
        if not (shutil.which("readelf") and shutil.which("dpkg") and shutil.which("ldconfig")):
            print("deploy check: skip runtime library check (readelf, dpkg or ldconfig missing)")
            return
        readelf = subprocess.run(["readelf", "-d", str(self.binary)], capture_output=True, text=True,
                                 env={**os.environ, "LC_ALL": "C"})
        needed = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", readelf.stdout)
        if not self.expect(readelf.returncode == 0 and needed, path, f"runtime libraries of {self.binary}",
                           f"readelf found no shared libraries: {readelf.stderr.strip() or 'statically linked?'}"):
            return
        cache = {}
        for line in subprocess.run(["ldconfig", "-p"], capture_output=True, text=True).stdout.splitlines()[1:]:
            name, _, target = line.strip().partition(" => ")
            cache.setdefault(name.split()[0], target.strip())
        for soname in needed:
            library = cache.get(soname)
            if library is None:
                self.fail(path, f"runtime library {soname}", "not found by ldconfig on this machine")
                continue
            package = None
            for candidate in {library, os.path.realpath(library)} | {p.replace("/usr/lib/", "/lib/", 1) for p in
                                                                      (library, os.path.realpath(library))}:
                out = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
                if out.returncode == 0:
                    package = out.stdout.split(":")[0].strip()
                    break
            if package is None:
                self.fail(path, f"runtime library {soname}", f"{library} belongs to no Debian package")
                continue
            self.expect(package in runtime_packages or package in BASE_IMAGE_PACKAGES, path,
                        f"runtime stage package {package}",
                        f"the orderstream binary needs {soname} from {package}, which the runtime stage does not install")
        self.ok(f"runtime stage covers the {len(needed)} shared libraries of {self.rel(self.binary)}")

    # ------------------------------------------------------------------ all
    def run(self) -> int:
        self.readme = self.read(self.repo / "README.md")
        roles = self.load_roles()
        contract = self.load_env_contract(roles)
        self.targets = self.url_targets(roles, contract)
        docs = self.parse_yaml()
        self.yamllint()
        compose_roles = self.check_compose(docs, roles, contract)
        k8s_roles = self.check_k8s(docs, roles, contract)
        self.expect(compose_roles == k8s_roles == set(roles), self.deploy, "roles",
                    f"compose runs {sorted(compose_roles)}, k8s {sorted(k8s_roles)}, roles.cpp has {sorted(roles)}")
        self.check_dockerfile()
        print(f"deploy check: {self.passed} passed, {len(self.failures)} failed")
        return 1 if self.failures else 0


def port_of(address: str) -> int | None:
    m = re.search(r":(\d+)$", address.strip())
    return int(m[1]) if m else None


def main() -> int:
    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repo", type=Path, default=here.parent, help="repository root (default: this file's parent)")
    parser.add_argument("--deploy", type=Path, default=None, help="deploy folder to check (default: REPO/deploy)")
    parser.add_argument("--binary", type=Path, default=None,
                        help="built orderstream binary: its shared libraries are checked against the runtime stage")
    options = parser.parse_args()
    repo = options.repo.resolve()
    checker = Checker(repo, (options.deploy or repo / "deploy").resolve(), options.binary)
    return checker.run()


if __name__ == "__main__":
    sys.exit(main())
