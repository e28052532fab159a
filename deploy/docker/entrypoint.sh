#!/bin/sh
# union-entrypoint SERVICE [PORT]   HTTP + relay + consumers of SERVICE on 0.0.0.0:PORT (8080)
#                                 (SERVICE: members, claims, relief, outreach or console)
# union-entrypoint SERVICE-stream   relay + consumers only (FastStream, no HTTP)
# union-entrypoint COMMAND ARGS...  anything else, e.g. `unionctl replay claims claims_view`
set -eu
case "${1:-}" in  # members on the C allocator: a bulk batch's memory comes back (union_events/heap.py)
  members|members-stream) export PYTHONMALLOC="${PYTHONMALLOC:-malloc}" ;;
esac
case "${1:-}" in
  members|claims|relief|outreach|console)
    service="$1"
    port="${2:-8080}"
    exec uvicorn "${service}.main:app" --host 0.0.0.0 --port "${port}" \
      --proxy-headers --forwarded-allow-ips='*' --no-access-log
    ;;
  members-stream|claims-stream|relief-stream|outreach-stream)
    exec faststream run "${1%-stream}.main:stream_app" --factory
    ;;
  *)
    exec "$@"
    ;;
esac
