#!/usr/bin/env python3
"""Builds the Dockerfile's stages without Docker, then starts the result and probes it.

These machines have no Docker engine, so this runs the Dockerfile itself, instruction by instruction:
each stage gets a scratch root, COPY copies from the build context (minus .dockerignore) or from an
earlier stage, RUN runs the stage's command with the host's toolchain standing in for the base image
(the script checks it is the same Go and Node line the FROM names), ENV/WORKDIR/USER/ENTRYPOINT/CMD are
kept for the start. An instruction this script does not know fails it, so the Dockerfile cannot drift
away from what is checked here. The public CI workflow (.github/workflows/ci.yml) builds the same file
with `docker build` and runs the same probes against the image.

Then the final stage is started the way the image starts (ENTRYPOINT + CMD, its ENV, its WORKDIR, as its
USER when run as root): `migrate` and `serve` against PostgreSQL and Redis, and `serve` on the embedded
SQLite default in the image's writable /data. Each must answer /healthz, /readyz, a GraphQL request and
the built web app.

    python3 .ci/image.py [--keep]     # needs PostgreSQL on 127.0.0.1:5432 and Redis on 6379
"""
import fnmatch
import json
import os
import re
import secrets
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PG = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable")
REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
# Absolute paths of the system a RUN command or ENV value may name as they are; any other absolute path
# is the image's own and is mapped into the stage's scratch root.
SYSTEM = {"usr", "bin", "sbin", "lib", "lib64", "etc", "tmp", "dev", "proc", "sys", "var", "opt", "root", "home", "run"}
NONROOT_UID = 65532  # distroless's nonroot


def fail(msg):
    print(f"image: {msg}", file=sys.stderr)
    sys.exit(1)


def instructions(path):
    """The Dockerfile's instructions as (keyword, rest), continuation lines joined, comments dropped."""
    out, cur = [], ""
    with open(path) as f:
        for line in f:
            s = line.rstrip("\n")
            if not cur and (not s.strip() or s.lstrip().startswith("#")):
                continue
            if cur and s.lstrip().startswith("#"):
                continue
            if s.endswith("\\"):
                cur += s[:-1] + " "
                continue
            cur += s
            kw, _, rest = cur.strip().partition(" ")
            out.append((kw.upper(), rest.strip()))
            cur = ""
    return out


def ignore_rules():
    rules = []
    with open(os.path.join(ROOT, ".dockerignore")) as f:
        for line in f:
            p = line.strip()
            if not p or p.startswith("#"):
                continue
            neg = p.startswith("!")
            p = p.lstrip("!").strip("/")
            rx = re.escape(p).replace(r"\*\*/", "(?:.*/)?").replace(r"\*\*", ".*").replace(r"\*", "[^/]*").replace(r"\?", "[^/]")
            rules.append((re.compile(rx + r"$"), neg))
    return rules


def ignored(rel, rules):
    """Docker's rule: the last pattern matching the path or one of its parents decides."""
    parts = rel.split("/")
    result = False
    for rx, neg in rules:
        if any(rx.match("/".join(parts[: i + 1])) for i in range(len(parts))):
            result = not neg
    return result


def copy_context(srcs, dest, rules):
    for src in srcs:
        src = src.rstrip("/") or "."
        full = os.path.normpath(os.path.join(ROOT, src))
        if os.path.isdir(full):
            for dirpath, dirnames, filenames in os.walk(full):
                rel_dir = os.path.relpath(dirpath, ROOT)
                dirnames[:] = [d for d in dirnames if not ignored(os.path.normpath(os.path.join(rel_dir, d)), rules)]
                for fn in filenames:
                    rel = os.path.normpath(os.path.join(rel_dir, fn))
                    if ignored(rel, rules):
                        continue
                    target = os.path.join(dest, os.path.relpath(os.path.join(dirpath, fn), full))
                    os.makedirs(os.path.dirname(target), exist_ok=True)
                    shutil.copy2(os.path.join(dirpath, fn), target)
        elif os.path.exists(full):
            if ignored(os.path.relpath(full, ROOT), rules):
                fail(f"COPY {src}: the file is excluded by .dockerignore")
            target = dest if not dest.endswith("/") else os.path.join(dest, os.path.basename(full))
            os.makedirs(os.path.dirname(target.rstrip("/")) or ".", exist_ok=True)
            shutil.copy2(full, target)
        else:
            fail(f"COPY {src}: not in the build context")


def check_base(image):
    """The host toolchain stands in for the base image: it must be the same line."""
    name, _, tag = image.partition(":")
    if name == "golang":
        have = re.search(r"go(\d+\.\d+)", subprocess.check_output(["go", "version"], text=True)).group(1)
        if not tag.startswith(have):
            fail(f"FROM {image}: the host has Go {have}; build with the same line")
        return "go"
    if name == "node":
        have = subprocess.check_output(["node", "--version"], text=True).strip().lstrip("v")
        want = tag.split("-")[0]
        if have.split(".")[0] != want.split(".")[0]:
            fail(f"FROM {image}: the host has Node {have}; build with the same major line")
        return "node"
    if name.startswith("gcr.io/distroless/static"):
        return "distroless"
    fail(f"FROM {image}: no stand-in for this base image (add one here)")


class Stage:
    def __init__(self, base, name, scratch):
        self.base, self.name = base, name
        self.root = os.path.join(scratch, name)
        os.makedirs(self.root)
        self.workdir, self.env, self.user = "/", {}, None
        self.entrypoint, self.cmd, self.chowns = [], [], []

    def map(self, path):
        """An absolute path of the image, inside this stage's scratch root."""
        return os.path.join(self.root, path.lstrip("/"))

    def map_words(self, text):
        def sub(m):
            first = m.group(2).split("/")[1]
            return m.group(1) + (m.group(2) if first in SYSTEM else self.map(m.group(2)))
        return re.sub(r"(^|[\s=])(/[A-Za-z0-9_.][^\s;&|]*)", sub, text)


def build(scratch):
    rules = ignore_rules()
    stages, st = {}, None
    for kw, rest in instructions(os.path.join(ROOT, "Dockerfile")):
        if kw == "FROM":
            words = rest.split()
            name = words[2] if len(words) == 3 and words[1].upper() == "AS" else f"stage{len(stages)}"
            st = Stage(check_base(words[0]), name, scratch)
            stages[name] = st
            print(f"==> stage {name} (FROM {words[0]})", flush=True)
        elif kw == "WORKDIR":
            st.workdir = os.path.join(st.workdir, rest)
            os.makedirs(st.map(st.workdir), exist_ok=True)
        elif kw == "COPY":
            words = shlex.split(rest)
            frm = next((w.split("=", 1)[1] for w in words if w.startswith("--from=")), None)
            chown = next((w.split("=", 1)[1] for w in words if w.startswith("--chown=")), None)
            args = [w for w in words if not w.startswith("--")]
            srcs, dest = args[:-1], args[-1]
            dest_abs = dest if dest.startswith("/") else os.path.join(st.workdir, dest)
            target = st.map(dest_abs) + ("/" if dest.endswith("/") or dest in (".", "./") else "")
            if frm:
                for src in srcs:
                    s = stages[frm].map(src)
                    if os.path.isdir(s):  # a directory's contents, as Docker copies them
                        shutil.copytree(s, target.rstrip("/"), dirs_exist_ok=True)
                    else:
                        t = os.path.join(target, os.path.basename(s)) if target.endswith("/") else target
                        os.makedirs(os.path.dirname(t), exist_ok=True)
                        shutil.copy2(s, t)
            else:
                copy_context(srcs, target, rules)
            if chown:
                st.chowns.append(target.rstrip("/"))
            print(f"COPY {rest}", flush=True)
        elif kw == "RUN":
            cmd = st.map_words(rest)
            print(f"RUN {rest}", flush=True)
            env = dict(os.environ, **{k: st.map_words(v) for k, v in st.env.items()})
            subprocess.run(["bash", "-euo", "pipefail", "-c", cmd], cwd=st.map(st.workdir), env=env, check=True)
        elif kw == "ENV":
            for k, v in re.findall(r'([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S+)', rest):
                st.env[k] = v.strip('"')
        elif kw == "USER":
            st.user = rest.split(":")[0]
        elif kw == "ENTRYPOINT":
            st.entrypoint = json.loads(rest)
        elif kw == "CMD":
            st.cmd = json.loads(rest)
        elif kw in ("EXPOSE", "LABEL"):
            pass
        else:
            fail(f"{kw}: this script does not know the instruction; teach it, so the check stays true")
    return st


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url, data=None):
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"} if data else {})
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.status, r.read().decode()


class Image:
    """Starts the final stage as the image would."""

    def __init__(self, st):
        self.st = st
        self.demote = None
        if os.geteuid() == 0 and st.user == "nonroot":
            for p in st.chowns:
                for dirpath, _, files in os.walk(p):
                    os.chown(dirpath, NONROOT_UID, NONROOT_UID)
                    for f in files:
                        os.chown(os.path.join(dirpath, f), NONROOT_UID, NONROOT_UID)
                if os.path.isfile(p):
                    os.chown(p, NONROOT_UID, NONROOT_UID)
            # The scratch path must be traversable by the image's user.
            d = st.root
            while d != "/":
                os.chmod(d, os.stat(d).st_mode | 0o011)
                d = os.path.dirname(d)
            self.demote = ["setpriv", f"--reuid={NONROOT_UID}", f"--regid={NONROOT_UID}", "--clear-groups"]

    def argv(self, cmd):
        exe = self.st.map(self.st.entrypoint[0])
        return (self.demote or []) + [exe] + self.st.entrypoint[1:] + cmd

    def env(self, extra):
        env = {"PATH": "/usr/bin:/bin"}  # distroless has no shell; nothing else of the host leaks in
        env.update({k: self.st.map_words(v) for k, v in self.st.env.items()})
        env.update(extra)
        return env

    def run(self, cmd, extra):
        r = subprocess.run(self.argv(cmd), cwd=self.st.map(self.st.workdir), env=self.env(extra), capture_output=True, text=True, timeout=300)
        if r.returncode != 0:
            fail(f"{' '.join(cmd)} exited {r.returncode}: {r.stderr.strip()[-2000:]}")

    def serve(self, label, extra):
        port = free_port()
        extra = dict(extra, PORT=str(port), HOST="127.0.0.1")
        log = tempfile.TemporaryFile()
        p = subprocess.Popen(self.argv(self.st.cmd), cwd=self.st.map(self.st.workdir), env=self.env(extra), stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.time() + 120
            while True:
                if p.poll() is not None:
                    log.seek(0)
                    fail(f"{label}: serve exited {p.returncode}: {log.read().decode()[-2000:]}")
                try:
                    if get(base + "/readyz")[0] == 200:
                        break
                except OSError:
                    pass
                if time.time() > deadline:
                    fail(f"{label}: /readyz did not answer 200 within 120 s")
                time.sleep(0.5)
            assert get(base + "/healthz")[0] == 200
            status, body = get(base + "/graphql", json.dumps({"query": "{ __typename }"}).encode())
            if status != 200 or '"Query"' not in body:
                fail(f"{label}: POST /graphql answered {status} {body[:200]}")
            status, body = get(base + "/")
            if status != 200 or 'id="root"' not in body or "not built" in body.lower():
                fail(f"{label}: / did not serve the built web app")
            print(f"{label}: /healthz, /readyz, /graphql and the web app answer", flush=True)
        finally:
            p.terminate()
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
                fail(f"{label}: serve did not stop within 30 s of SIGTERM")
        if p.returncode not in (0, -15):
            log.seek(0)
            fail(f"{label}: serve exited {p.returncode} on SIGTERM: {log.read().decode()[-2000:]}")


def main():
    keep = "--keep" in sys.argv[1:]
    scratch = tempfile.mkdtemp(prefix="carequeue-image-")
    db = "cq_image_" + secrets.token_hex(4)
    admin = PG
    try:
        final = build(scratch)
        exe = final.map(final.entrypoint[0])
        print(f"==> image: {exe} ({os.path.getsize(exe) >> 20} MiB)", flush=True)
        img = Image(final)
        secret = secrets.token_urlsafe(48)
        subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {db}"], check=True)
        url = re.sub(r"/[^/?]*(\?|$)", f"/{db}\\1", admin.split("://", 1)[1], count=1)
        db_url = admin.split("://", 1)[0] + "://" + url
        common = {"JWT_SECRET": secret, "PUBLIC_URL": "https://queue.example.org"}
        img.run(["migrate"], dict(common, DATABASE_URL=db_url))
        img.serve("PostgreSQL + Redis", dict(common, DATABASE_URL=db_url, REDIS_URL=REDIS))
        img.serve("embedded SQLite in /data", dict(common, MIGRATE_ON_START="true"))
        if not os.path.exists(final.map(final.env.get("SQLITE_PATH", "/data/carequeue.db"))):
            fail("the SQLite default did not write its file under the image's /data")
    finally:
        subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {db} WITH (FORCE)"], check=False)
        if keep:
            print(f"kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    print("image: the Dockerfile's stages built, and the image starts and serves")


if __name__ == "__main__":
    main()
