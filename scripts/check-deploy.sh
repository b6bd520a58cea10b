#!/usr/bin/env bash
# Static checks of the deployment artefacts: Dockerfile, container entrypoint, Kubernetes
# manifests (deploy/k8s), alerts and dashboard. No cluster and no container engine needed.
#
#   bash scripts/check-deploy.sh
#
#   1. render  kustomize base, overlays/dev and overlays/production (kubectl kustomize)
#   2. schemas every rendered object against the Kubernetes schemas (strict), the
#              Prometheus Operator kinds against their models, plus the deployment rules
#              of deploy/checks/validate.py; RabbitmqCluster and CloudNativePG Cluster
#              have no schema to check against (printed as NOTE)
#      and the services' own settings classes load from each container's environment
#              (with the project's interpreter, .venv/bin/python or STACKNEX_PYTHON)
#   3. checkov security scan of the rendered manifests, the raw manifests, the Dockerfile,
#              and a secrets scan of deploy/ (skips are in-file, each with its reason)
#   4. promtool check and unit-test the alert rules; check the dashboard's queries
#   5. lint    hadolint (Dockerfile), shellcheck (entrypoint and this script), and the
#              entrypoint's dispatch with stand-in commands
#
# Tools go into their own venv, .venv-deploy (override: STACKNEX_DEPLOY_VENV), installed
# from PyPI on the first run and whenever deploy/checks/requirements.txt changes; promtool
# comes from Debian's `prometheus` package (extracted, not installed: no daemon) unless one
# is on PATH. Exit status: 0 when every check passed, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VENV=${STACKNEX_DEPLOY_VENV:-$ROOT/.venv-deploy}
REQUIREMENTS=deploy/checks/requirements.txt
# The oldest Kubernetes the manifests support (preStop sleep action: 1.30) and the newest
# kubernetes-validate ships schemas for.
K8S_VERSIONS=(1.30.0 1.37.0)
OVERLAYS=(base overlays/dev overlays/production)

started=$SECONDS
failures=()
summary=()
note() { printf 'check-deploy: %s\n' "$*"; }
section() { printf '\n=== %s\n' "$*"; }
passed() { summary+=("PASS  $1"); }
failed() { summary+=("FAIL  $1"); failures+=("$1"); }
skipped() { summary+=("SKIP  $1"); }

work=$(mktemp -d "${TMPDIR:-/tmp}/check-deploy.XXXXXX")
trap 'rm -rf "$work"' EXIT

# ---- tools ------------------------------------------------------------------------------
section "tools"
python=$(command -v python3.11 || command -v python3)
want=$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)
if [[ ! -x $VENV/bin/python || $(cat "$VENV/.requirements.sha256" 2>/dev/null) != "$want" ]]; then
    note "installing $REQUIREMENTS into $VENV"
    "$python" -m venv --clear "$VENV"
    if ! "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        -r "$REQUIREMENTS" >"$work/pip.log" 2>&1; then
        grep -v 'is ignored: it is neither a file nor a directory' "$work/pip.log" >&2 || true
        note "ERROR: could not install the tools from PyPI"
        exit 1
    fi
    echo "$want" >"$VENV/.requirements.sha256"
else
    note "tools: $VENV is up to date"
fi
export PATH="$VENV/bin:$PATH"
# Checkov: never call its SaaS (no API key, no network but the package registries).
export BC_SKIP_MAPPING=TRUE CHECKOV_RUN_SCA_PACKAGE_SCAN_V2=false
kubectl version --client 2>/dev/null | sed 's/^/  /'

# promtool: on PATH, or extracted once from Debian's `prometheus` package into the venv.
promtool=$(command -v promtool || true)
if [[ -z $promtool ]] && bash scripts/prometheus-tools.sh "$VENV/bin" >"$work/apt.log" 2>&1; then
    promtool=$VENV/bin/promtool
elif [[ -z $promtool ]]; then
    sed 's/^/  /' "$work/apt.log" >&2 || true
fi
if [[ -n $promtool ]]; then
    "$promtool" --version 2>&1 | head -n1 | sed 's/^/  /'
else
    note "NOTE: promtool is not available (needs Debian's prometheus package); its checks are skipped"
fi

# ---- 1. render ----------------------------------------------------------------------------
section "1. render (kubectl kustomize)"
rendered=()
mkdir -p "$work/rendered"
for overlay in "${OVERLAYS[@]}"; do
    name=$(basename "$overlay")
    out="$work/rendered/$name.yaml"
    if kubectl kustomize "deploy/k8s/$overlay" >"$out" 2>"$work/render.err"; then
        note "$overlay: $(grep -c '^kind:' "$out") objects"
        rendered+=("$name=$out")
        passed "render $overlay"
    else
        cat "$work/render.err" >&2
        failed "render $overlay"
    fi
done

# ---- 2. schemas and deployment rules ----------------------------------------------------
section "2. schemas (Kubernetes ${K8S_VERSIONS[*]}, Prometheus Operator) and deployment rules"
version_args=()
for v in "${K8S_VERSIONS[@]}"; do version_args+=(--k8s-version "$v"); done
if [[ ${#rendered[@]} -eq ${#OVERLAYS[@]} ]] && python deploy/checks/validate.py "${rendered[@]}" \
    "${version_args[@]}" \
    --example-secret deploy/k8s/base/secret.example.yaml \
    --operations-md docs/operations.md \
    --dashboard deploy/k8s/base/grafana-dashboard.json \
    --rules-out "$work/rules.yaml" \
    --dashboard-rules-out "$work/dashboard-rules.yaml" \
    --env-out "$work/env.json"; then
    passed "schemas and deployment rules"
else
    failed "schemas and deployment rules"
fi

# The services' own settings classes, fed what each container gets: needs the project's
# interpreter (STACKNEX_PYTHON, else .venv/bin/python as `make install` creates it).
section "2b. the services' settings from the manifests' environment"
app_python=${STACKNEX_PYTHON:-$ROOT/.venv/bin/python}
if [[ ! -s $work/env.json ]]; then
    failed "settings (no environment extracted: see step 2)"
elif [[ -x $app_python ]] && PYTHONPATH=$ROOT "$app_python" -c 'import libs.common.settings' 2>/dev/null; then
    if PYTHONPATH=$ROOT "$app_python" deploy/checks/settings_check.py "$work/env.json"; then
        passed "settings load from the manifests' environment"
    else
        failed "settings load from the manifests' environment"
    fi
else
    note "NOTE: no interpreter with StackNex's dependencies ($app_python); run 'make install' or set STACKNEX_PYTHON"
    skipped "settings (no project interpreter)"
fi

# ---- 3. checkov -------------------------------------------------------------------------
section "3. checkov"
run_checkov() {
    local what=$1
    shift
    if checkov --quiet --compact --skip-download --output cli "$@" >"$work/checkov.log" 2>&1; then
        grep -E '^Passed checks' "$work/checkov.log" | sed "s|^|  $what: |"
        passed "checkov $what"
    else
        cat "$work/checkov.log"
        failed "checkov $what"
    fi
}
run_checkov "rendered overlays" --framework kubernetes --directory "$work/rendered"
run_checkov "deploy/k8s files" --framework kubernetes --directory deploy/k8s
run_checkov "Dockerfile" --framework dockerfile --file Dockerfile
run_checkov "secrets in deploy/" --framework secrets --directory deploy

# ---- 4. promtool ------------------------------------------------------------------------
section "4. promtool"
if [[ -z $promtool ]]; then
    skipped "promtool (not available)"
elif [[ ! -s $work/rules.yaml ]]; then
    failed "promtool (no rules extracted: see step 2)"
else
    cp deploy/checks/alerts.test.yaml "$work/alerts.test.yaml"
    if "$promtool" check rules "$work/rules.yaml" \
        && "$promtool" check rules "$work/dashboard-rules.yaml" \
        && (cd "$work" && "$promtool" test rules alerts.test.yaml); then
        passed "promtool check rules (alerts, dashboard queries), test rules"
    else
        failed "promtool"
    fi
fi

# ---- 5. lint ----------------------------------------------------------------------------
section "5. lint"
if hadolint Dockerfile; then
    note "hadolint: Dockerfile clean"
    passed "hadolint Dockerfile"
else
    failed "hadolint Dockerfile"
fi
if shellcheck deploy/docker-entrypoint.sh scripts/check-deploy.sh; then
    note "shellcheck: clean"
    passed "shellcheck"
else
    failed "shellcheck"
fi
# The entrypoint's dispatch, with stand-ins for python and stacknex that print their argv.
mkdir -p "$work/bin"
for tool in python stacknex; do
    printf '#!/bin/sh\necho "%s $*"\n' "$tool" >"$work/bin/$tool"
    chmod +x "$work/bin/$tool"
done
entry() { PATH="$work/bin:/usr/bin:/bin" sh deploy/docker-entrypoint.sh "$@" 2>/dev/null; }
entrypoint_ok=1
for svc in gateway catalog orders inventory webhooks dashboard; do
    [[ $(entry "$svc") == "python -m services.$svc" ]] || entrypoint_ok=0
done
[[ $(entry migrate) == "stacknex migrate" ]] || entrypoint_ok=0
[[ $(entry migrate catalog --json) == "stacknex migrate catalog --json" ]] || entrypoint_ok=0
[[ $(entry stacknex org create --name x) == "stacknex org create --name x" ]] || entrypoint_ok=0
for bad in "" nonsense "catalog extra"; do
    # shellcheck disable=SC2086 # split on purpose: "" is no argument at all
    if entry $bad >/dev/null; then entrypoint_ok=0; fi
done
# Each process must replace the shell (exec), so that it is PID 1 and gets SIGTERM itself.
if grep -En '^[[:space:]]*(python|stacknex)[[:space:]]' deploy/docker-entrypoint.sh; then
    note "entrypoint: the lines above start a process without exec"
    entrypoint_ok=0
fi
if ((entrypoint_ok)); then
    note "entrypoint: execs the services, migrate and stacknex; refuses anything else"
    passed "entrypoint dispatch"
else
    failed "entrypoint dispatch"
fi

# ---- summary ----------------------------------------------------------------------------
section "summary ($((SECONDS - started)) s)"
printf '%s\n' "${summary[@]}"
if ((${#failures[@]})); then
    echo "check-deploy: ${#failures[@]} check(s) failed"
    exit 1
fi
echo "check-deploy: all checks passed"
