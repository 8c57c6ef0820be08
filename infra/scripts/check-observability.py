#!/usr/bin/env python3
"""Checks the monitoring files that ship with the compose file, without Prometheus or Grafana running:

- prometheus/prometheus.yml: every scrape job has a unique name, targets services of the compose file, and reads
  its bearer token from a secret that the compose file gives the prometheus service;
- grafana/provisioning: the Prometheus data source the dashboards name exists;
- grafana/dashboards/*.json: valid dashboards (uid, title, unique panel ids, panels inside the 24-column grid and
  not overlapping, every query with a refId and a PromQL expression whose brackets balance, naming only template
  variables the dashboard defines and only the provisioned data source).

  check-observability.py <compose-file>
"""
import json
import re
import sys
from pathlib import Path

import yaml

errors = []


def fail(msg):
    errors.append(msg)


def balanced(expr):
    pairs = {")": "(", "]": "[", "}": "{"}
    stack = []
    in_string = None
    for ch in expr:
        if in_string:
            if ch == in_string:
                in_string = None
            continue
        if ch in "\"'`":
            in_string = ch
        elif ch in "([{":
            stack.append(ch)
        elif ch in ")]}":
            if not stack or stack.pop() != pairs[ch]:
                return False
    return not stack and in_string is None


def main():
    compose_path = Path(sys.argv[1])
    base = compose_path.parent
    compose = yaml.safe_load(compose_path.read_text())
    services = compose.get("services", {})
    prometheus = services.get("prometheus")
    grafana = services.get("grafana")
    if prometheus is None or grafana is None:
        print("observability: the compose file has no prometheus/grafana services; nothing to check")
        return 0

    def mounted(service, target):
        for volume in service.get("volumes", []):
            parts = volume.split(":") if isinstance(volume, str) else [volume.get("source"), volume.get("target")]
            if len(parts) >= 2 and parts[1] == target and parts[0].startswith("."):
                path = (base / parts[0]).resolve()
                if not path.exists():
                    fail(f"{service_name(service)} mounts {parts[0]}, which does not exist next to {compose_path.name}")
                return path
        fail(f"{service_name(service)} does not mount anything at {target}")
        return None

    def service_name(service):
        return next(name for name, s in services.items() if s is service)

    # Prometheus
    config_path = mounted(prometheus, "/etc/prometheus/prometheus.yml")
    secrets = {s if isinstance(s, str) else s.get("source") for s in prometheus.get("secrets", [])}
    jobs = 0
    if config_path and config_path.exists():
        config = yaml.safe_load(config_path.read_text())
        names = set()
        for job in config.get("scrape_configs", []):
            jobs += 1
            name = job.get("job_name")
            if not name or name in names:
                fail(f"prometheus: scrape job {name!r} is unnamed or named twice")
            names.add(name)
            auth = job.get("authorization", {})
            cred = auth.get("credentials_file")
            if cred:
                m = re.fullmatch(r"/run/secrets/([A-Za-z0-9_.-]+)", cred)
                if not m or m.group(1) not in secrets:
                    fail(f"prometheus: job {name} reads {cred}, which is not a secret of the prometheus service {sorted(secrets)}")
                elif m.group(1) not in compose.get("secrets", {}):
                    fail(f"prometheus: secret {m.group(1)} is not defined at the compose file's top level")
            hosts = [t.split(":")[0] for sc in job.get("static_configs", []) for t in sc.get("targets", [])]
            hosts += [n for sd in job.get("dns_sd_configs", []) for n in sd.get("names", [])]
            if not hosts:
                fail(f"prometheus: job {name} has no targets")
            for host in hosts:
                if host not in services:
                    fail(f"prometheus: job {name} scrapes {host}, which is not a service of the compose file")

    # Grafana
    provisioning = mounted(grafana, "/etc/grafana/provisioning")
    dashboards_dir = mounted(grafana, "/var/lib/grafana/dashboards")
    sources = set()
    if provisioning and provisioning.exists():
        for f in sorted((provisioning / "datasources").glob("*.y*ml")):
            for ds in yaml.safe_load(f.read_text()).get("datasources", []):
                sources.add(ds.get("uid"))
                if ds.get("type") == "prometheus" and not str(ds.get("url", "")).startswith("http://prometheus:"):
                    fail(f"grafana: data source {ds.get('uid')} does not point at the prometheus service")
        for f in sorted((provisioning / "dashboards").glob("*.y*ml")):
            for provider in yaml.safe_load(f.read_text()).get("providers", []):
                if provider.get("options", {}).get("path") != "/var/lib/grafana/dashboards":
                    fail(f"grafana: dashboard provider {provider.get('name')} reads a folder the compose file does not mount")
    count = 0
    if dashboards_dir and dashboards_dir.exists():
        for f in sorted(dashboards_dir.glob("*.json")):
            count += 1
            check_dashboard(f, sources)
        if count == 0:
            fail(f"grafana: no dashboards in {dashboards_dir}")
    if errors:
        for e in errors:
            print("observability: " + e, file=sys.stderr)
        return 1
    print(f"observability: prometheus ({jobs} scrape job(s)) and grafana ({count} dashboard(s)) valid")
    return 0


def check_dashboard(path, sources):
    try:
        d = json.loads(path.read_text())
    except json.JSONDecodeError as e:
        fail(f"{path.name}: not JSON: {e}")
        return
    for field in ("uid", "title", "panels", "schemaVersion"):
        if field not in d:
            fail(f"{path.name}: no {field}")
    variables = {v.get("name") for v in d.get("templating", {}).get("list", [])}
    builtin = {"__all", "__interval", "__rate_interval", "__range", "__interval_ms", "__range_s", "__name"}
    ids = set()
    cells = {}
    for panel in d.get("panels", []):
        pid = panel.get("id")
        where = f"{path.name}: panel {pid} ({panel.get('title')!r})"
        if pid in ids or pid is None:
            fail(f"{where}: missing or duplicate id")
        ids.add(pid)
        grid = panel.get("gridPos", {})
        x, y, w, h = (grid.get(k) for k in ("x", "y", "w", "h"))
        if None in (x, y, w, h) or x < 0 or w <= 0 or h <= 0 or x + w > 24:
            fail(f"{where}: gridPos {grid} is not inside the 24-column grid")
            continue
        for cx in range(x, x + w):
            for cy in range(y, y + h):
                if (cx, cy) in cells:
                    fail(f"{where}: overlaps panel {cells[(cx, cy)]}")
                    break
                cells[(cx, cy)] = pid
            else:
                continue
            break
        if panel.get("type") == "row":
            continue
        ds = panel.get("datasource", {})
        if ds.get("uid") not in sources:
            fail(f"{where}: data source {ds.get('uid')!r} is not provisioned ({sorted(sources)})")
        targets = panel.get("targets", [])
        if not targets:
            fail(f"{where}: no queries")
        refs = set()
        for t in targets:
            ref = t.get("refId")
            expr = t.get("expr", "")
            if not ref or ref in refs:
                fail(f"{where}: query refId {ref!r} missing or repeated")
            refs.add(ref)
            if not expr.strip():
                fail(f"{where}: query {ref} has no expression")
            elif not balanced(expr):
                fail(f"{where}: query {ref}'s brackets do not balance: {expr}")
            for var in re.findall(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)", expr):
                if var not in variables and var not in builtin:
                    fail(f"{where}: query {ref} uses ${var}, which the dashboard does not define")


if __name__ == "__main__":
    sys.exit(main())
