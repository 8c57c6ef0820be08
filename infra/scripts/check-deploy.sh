#!/usr/bin/env bash
# Validates the deployment files without Docker or a cluster:
#   - the compose file with the Compose Specification's reference loader (infra/tools/compose-check, built
#     from Go modules): schema, interpolation, references between services — what `docker compose config` checks;
#   - the Kubernetes manifests against the API schemas of Kubernetes 1.37 (kubernetes-validate from PyPI,
#     which bundles them), strictly: unknown fields are errors;
#   - the Prometheus scrape config and the Grafana dashboards the compose file mounts (check-observability.py).
# Tools are cached under ${TRAINLAYER_CACHE:-~/.cache/trainlayer}.
#   infra/scripts/check-deploy.sh [compose-file] [k8s-manifest...]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cache=${TRAINLAYER_CACHE:-$HOME/.cache/trainlayer}
compose=${1:-$root/infra/deploy/compose.yaml}
shift || true
if [ $# -gt 0 ]; then manifests=("$@"); else manifests=("$root"/infra/deploy/k8s/*.yaml); fi

tool_src=$root/infra/tools/compose-check
stamp=$(cat "$tool_src/go.sum" "$tool_src/main.go" | sha256sum | cut -c1-12)
checker=$cache/bin/compose-check-$stamp/compose-check
if [ ! -x "$checker" ]; then
  echo "building compose-check (once)" >&2
  mkdir -p "$(dirname "$checker")"
  (cd "$tool_src" && CGO_ENABLED=0 go build -trimpath -o "$checker.partial" . && mv "$checker.partial" "$checker")
fi

venv=$cache/venv-kubernetes-validate-1.37.0
if [ ! -x "$venv/bin/kubernetes-validate" ]; then
  echo "installing kubernetes-validate 1.37.0 (once)" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q kubernetes-validate==1.37.0
fi

env_file=$root/infra/deploy/.env.example
"$checker" -q -env-file "$env_file" "$compose"
echo "compose: $compose is valid"
"$venv/bin/python" "$root/infra/scripts/check-observability.py" "$compose"
"$venv/bin/kubernetes-validate" --strict --quiet "${manifests[@]}"
echo "kubernetes: ${#manifests[@]} manifest file(s) valid against Kubernetes 1.37"
