# One image for all four services (and unionctl). The service is chosen by the command:
#   docker run IMAGE members 8101      -> uvicorn members.main:app on 0.0.0.0:8101
#   docker run IMAGE console 8100      -> the staff console (console.main:app) on 8100
#   docker run IMAGE claims-stream     -> faststream run claims.main:stream_app --factory
#   docker run IMAGE unionctl status   -> any other command runs as given
# Build: docker build -t union-platform .

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# uv of the same minor version as the one that wrote uv.lock (uv --version)
FROM ghcr.io/astral-sh/uv:0.13 AS uv

FROM ${PYTHON_IMAGE} AS build
COPY --from=uv /uv /usr/local/bin/uv
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /src
# Dependencies first (a layer that changes only with the lock file)...
COPY pyproject.toml uv.lock ./
COPY libs/events/pyproject.toml libs/events/
COPY services/members/pyproject.toml services/members/
COPY services/claims/pyproject.toml services/claims/
COPY services/relief/pyproject.toml services/relief/
COPY services/outreach/pyproject.toml services/outreach/
COPY tools/unionctl/pyproject.toml tools/unionctl/
COPY apps/console/pyproject.toml apps/console/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-workspace
# ...then the workspace itself, installed as wheels (no source tree needed at run time).
COPY libs libs
COPY services services
COPY tools tools
COPY apps apps
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-editable

FROM ${PYTHON_IMAGE} AS runtime
RUN groupadd --system --gid 10001 union \
    && useradd --system --uid 10001 --gid union --home-dir /app --shell /usr/sbin/nologin union \
    && mkdir -p /app/data/keys && chown -R union:union /app/data
COPY --from=build /app/.venv /app/.venv
COPY deploy/docker/entrypoint.sh /usr/local/bin/union-entrypoint
ENV PATH=/app/.venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
    UNION_DATA_DIR=/app/data
WORKDIR /app
USER 10001:10001
EXPOSE 8100 8101 8102 8103 8104
ENTRYPOINT ["union-entrypoint"]
CMD ["members", "8101"]
