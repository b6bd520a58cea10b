# syntax=docker/dockerfile:1
#
# One image for every StackNex process: the five services, the migration Job and the
# operator CLI. The entrypoint (deploy/docker-entrypoint.sh) takes the process as its
# argument:
#
#   docker run IMAGE gateway            # or catalog | orders | inventory | webhooks
#   docker run IMAGE migrate            # stacknex migrate
#   docker run IMAGE stacknex org list  # any CLI command
#
# Build: docker build -t stacknex:0.1.0 .
# Both stages use the same base, so the venv's interpreter links resolve in the runtime.

# ---- build: compile and install the project and its dependencies into a venv ----------
FROM python:3.11-slim-bookworm AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# A compiler only for dependencies that ship no wheel for this platform; it stays here.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*

RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

WORKDIR /src
# README.md is the project's `readme` in pyproject.toml; SQL migrations, the OpenAPI
# document, the reference page's templates and the dashboard's templates and static files
# are package data: checked here, not at start.
COPY pyproject.toml README.md ./
COPY libs ./libs
COPY cli ./cli
COPY services ./services
RUN pip install --no-cache-dir . \
    && python -c "import importlib.resources as r; assert any(r.files('libs.common').joinpath('migrations').iterdir())" \
    && python -c "import importlib.resources as r; g = r.files('services.gateway'); assert g.joinpath('openapi.json').is_file() and g.joinpath('templates/reference.html').is_file()" \
    && python -c "import importlib.resources as r; d = r.files('services.dashboard'); assert d.joinpath('templates/base.html').is_file() and d.joinpath('static/dashboard.css').is_file()"

# ---- runtime: the interpreter, the venv and nothing to build with -----------------------
FROM python:3.11-slim-bookworm AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH

# A fixed, high, non-root UID/GID (Kubernetes manifests run as 10001 too).
RUN groupadd --system --gid 10001 stacknex \
    && useradd --system --uid 10001 --gid stacknex --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin stacknex

COPY --from=build /opt/venv /opt/venv
COPY --chmod=0755 deploy/docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh

WORKDIR /app
USER 10001:10001

# gateway HTTP (403 unless via a trusted TLS proxy) and HTTPS; catalog, orders, inventory,
# webhooks, dashboard; then each service's ops listener (/healthz, /readyz, /metrics), in the same order.
EXPOSE 8080 8443 8101 8102 8103 8104 8105 9080 9101 9102 9103 9104 9105

# No HEALTHCHECK: Kubernetes ignores it and probes each service's /healthz and /readyz on
# its own ops port instead; the same image also runs the one-shot migration Job and the CLI.
# checkov:skip=CKV_DOCKER_2: health is probed by Kubernetes per service and port; one image serves five services, a one-shot Job and the CLI

# The services drain on SIGTERM (up to STACKNEX_SHUTDOWN_TIMEOUT); the exec-form
# entrypoint `exec`s Python, so the signal reaches it as PID 1.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
