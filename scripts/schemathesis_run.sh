#!/usr/bin/env bash
# API fuzzing: schemathesis against a live server started from the OpenAPI description.
# Fails on any 5xx and on any response that breaks the described schema, status,
# content type or headers. Runs as the Secretariat, then as a delegate.
set -euo pipefail
cd "$(dirname "$0")/.."

MAX_EXAMPLES="${SCHEMATHESIS_MAX_EXAMPLES:-25}"
ROLES="${SCHEMATHESIS_ROLES:-secretariat delegate}"
CHECKS="not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,negative_data_rejection,unsupported_method,ignored_auth"
work="$(mktemp -d)"
server=""
cleanup() {
    if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

for role in $ROLES; do
    rm -rf "$work/instance" "$work/ready"
    .venv/bin/python tests/schemathesis/live_server.py \
        --instance "$work/instance" --ready-file "$work/ready" --role "$role" \
        >"$work/server.log" 2>&1 &
    server=$!
    for _ in $(seq 1 120); do [ -s "$work/ready" ] && break; sleep 0.5; done
    if [ ! -s "$work/ready" ]; then
        echo "the live server did not start:" >&2; cat "$work/server.log" >&2; exit 1
    fi
    read -r port token <"$work/ready"
    echo "-- schemathesis as $role on 127.0.0.1:$port (max $MAX_EXAMPLES examples per operation)"
    .venv/bin/schemathesis run "http://127.0.0.1:$port/api/v1/openapi.json" \
        --header "Authorization: Bearer $token" \
        --checks "$CHECKS" \
        --max-examples "$MAX_EXAMPLES" \
        --workers 1 \
        --seed 20250310 \
        --request-timeout 30 \
        --suppress-health-check all \
        --no-color
    kill "$server"; wait "$server" 2>/dev/null || true; server=""
done
