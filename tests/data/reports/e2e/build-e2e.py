#!/usr/bin/env python3
"""build-e2e.py - writes the host reports of the findings end-to-end test
(tests/integration/findings-e2e.sh) from the real reports one directory
up: docker-debian12.json (real Docker 20.10 answers on Debian 12) and
ubuntu-livepatch-no-engine.json (Ubuntu 22.04 host facts). Only host
facts (name, kernel, packages) and, for the docker-ce host, the engine's
component versions are replaced; container and image inspect answers are
kept as the engine gave them, four containers each.

Usage: build-e2e.py   (run from this directory; outputs are committed)."""
import copy
import json

KEEP = ["plain-norestart", "shop_db_1", "autoremove-one", "created-only"]


def load(name):
    with open("../" + name) as f:
        return json.load(f)


def keep(report):
    e = report["engine"]
    e["containers"] = [c for c in e["containers"] if c["Name"].lstrip("/") in KEEP]


def write(name, report):
    with open(name, "w") as f:
        json.dump(report, f, indent=1)
        f.write("\n")


deb = load("docker-debian12.json")

# Debian 12 with Debian's docker.io, runc and containerd, running Debian's
# kernel 6.1.0-28 with 6.1.0-29 installed and a pending reboot.
web = copy.deepcopy(deb)
web["host"]["name"] = "deb-web"
keep(web)
write("deb-web.json", web)

# Debian 12 with Docker's docker-ce 24.0.9 and containerd.io 1.6.28
# (the runc inside containerd.io is 1.1.12), as docker-ce's /version
# names its components.
ce = copy.deepcopy(deb)
ce["host"]["name"] = "ce-1"
ce["host"]["machine_id"] = "0c5e1e2f3a4b4c6d8e9f0a1b2c3d4e5f"
ce["kernel"]["reboot_required"] = False
ce["kernel"]["installed"] = ce["kernel"]["installed"][:1]
ce["packages"] = [p for p in ce["packages"] if p["name"].startswith("linux-image-6.1.0-28")] + [
    {"name": "docker-ce", "source": "docker-ce",
     "version": "5:24.0.9-1~debian.12~bookworm", "source_version": "5:24.0.9-1~debian.12~bookworm"},
    {"name": "containerd.io", "source": "containerd.io",
     "version": "1.6.28-1", "source_version": "1.6.28-1"},
]
v = ce["engine"]["version"]
for c in v["Components"]:
    if c["Name"] == "Engine":
        c["Version"] = "24.0.9"
    elif c["Name"] == "containerd":
        c["Version"] = "1.6.28"
        c["Details"]["GitCommit"] = "ae07eda36dd25f8a1b98dfbf587313b99c0190bb"
    elif c["Name"] == "runc":
        c["Version"] = "1.1.12"
        c["Details"]["GitCommit"] = "v1.1.12-0-g51d5e94"
v["Version"] = "24.0.9"
keep(ce)
write("ce-1.json", ce)

# Ubuntu 22.04 whose runc comes from the runc-app source.
ubu = load("ubuntu-livepatch-no-engine.json")
ubu["host"]["name"] = "ubu-db"
for p in ubu["packages"]:
    if p["name"] == "runc":
        p["source"] = "runc-app"
        p["version"] = p["source_version"] = "1.2.5-0ubuntu1~22.04.1"
write("ubu-db.json", ubu)
