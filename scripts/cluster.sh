#!/usr/bin/env bash
# More than one app process: PostgreSQL (sessions, rate limits), a Chroma server (the index), N app replicas and
# nginx in front as the load balancer, all on this machine, each with its own folder under CLUSTER_DIR.
#
#   scripts/cluster.sh start    # starts whatever is not running yet (so after a crash it brings a replica back)
#   scripts/cluster.sh status   # one line per component: running or not, and its health
#   scripts/cluster.sh stop     # stops everything it started (bounded waits, then SIGKILL)
#
# Settings (environment): CLUSTER_DIR (default /tmp/recbot-cluster), CLUSTER_PORT (nginx, 8080),
# CLUSTER_APP_PORTS ("7861 7862": one replica per port), CLUSTER_PG_PORT (55432), CLUSTER_CHROMA_PORT (58000),
# PYTHON (the environment's python). RECBOT_* variables pass through to the replicas (RECBOT_CHAT_BACKEND,
# RECBOT_CATALOG, ...), except those the topology sets: data dir, port, host, database URL and Chroma server.
# PostgreSQL is Debian's package (apt-get install postgresql nginx); it runs as the `postgres` user when this
# script runs as root, as this user otherwise. Everything listens on 127.0.0.1 only.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CLUSTER_DIR="${CLUSTER_DIR:-/tmp/recbot-cluster}"
CLUSTER_PORT="${CLUSTER_PORT:-8080}"
CLUSTER_APP_PORTS="${CLUSTER_APP_PORTS:-7861 7862}"
CLUSTER_PG_PORT="${CLUSTER_PG_PORT:-55432}"
CLUSTER_CHROMA_PORT="${CLUSTER_CHROMA_PORT:-58000}"
if [[ -z "${PYTHON:-}" ]]; then
    if [[ -x "$REPO/.venv/bin/python" ]]; then PYTHON="$REPO/.venv/bin/python"; else PYTHON="$(command -v python3)"; fi
fi
READY_S="${CLUSTER_READY_S:-600}"  # how long a replica may take to load (indexing the first time, model loading)

RUN="$CLUSTER_DIR/run"       # pid files and logs
PG="$CLUSTER_DIR/postgres"   # owned by the postgres user: data dir, socket, password
PG_DATA="$PG/data"

say() { printf 'cluster: %s\n' "$*"; }
die() { printf 'cluster: error: %s\n' "$*" >&2; exit 1; }

pg_bindir() {
    local found
    found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [[ -n "$found" ]]; then echo "$found"; return; fi
    command -v initdb >/dev/null 2>&1 && dirname "$(command -v initdb)" && return
    die "PostgreSQL is not installed: apt-get install -y postgresql (or scripts/setup.sh --test)"
}

as_pg() {  # initdb refuses root, so as root the server runs as the postgres user (from /, which it may read)
    if [[ "$(id -u)" == 0 ]]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

healthy() { "$PYTHON" - "$1" <<'EOF'
import sys, urllib.request
try:
    with urllib.request.urlopen(sys.argv[1], timeout=2) as r:
        sys.exit(0 if r.status == 200 else 1)
except Exception:
    sys.exit(1)
EOF
}

wait_for() {  # wait_for URL SECONDS PIDFILE WHAT
    local deadline=$((SECONDS + $2))
    until healthy "$1"; do
        [[ -n "$3" ]] && ! alive "$3" && die "$4 exited while starting; see its log in $RUN"
        (( SECONDS < deadline )) || die "$4 not healthy at $1 after $2 s; see its log in $RUN"
        sleep 0.5
    done
}

database_url() {
    echo "postgresql://recbot:$(cat "$RUN/pg-password")@127.0.0.1:$CLUSTER_PG_PORT/recbot"
}

start_postgres() {
    local bin; bin="$(pg_bindir)"
    if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
        say "initdb $PG_DATA"
        mkdir -p "$PG"
        [[ "$(id -u)" == 0 ]] && chown postgres:postgres "$PG"
        chmod 700 "$PG"
        "$PYTHON" -c "import secrets; print(secrets.token_hex(16))" > "$RUN/pg-password"
        chmod 600 "$RUN/pg-password"
        as_pg "$bin/initdb" -D "$PG_DATA" -U postgres -E UTF8 --auth-local=peer --auth-host=scram-sha-256 \
            --no-instructions >"$RUN/initdb.log" 2>&1 || die "initdb failed; see $RUN/initdb.log"
        [[ "$(id -u)" == 0 ]] || sed -i 's/ peer$/ trust/' "$PG_DATA/pg_hba.conf"  # peer needs a postgres OS user
    fi
    if as_pg "$bin/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
        say "postgresql already running on 127.0.0.1:$CLUSTER_PG_PORT"
    else
        # wal_recycle=off: a checkpoint deletes old WAL segments instead of keeping them for reuse, so a forgotten
        # session's bytes leave the disk (the app switches the WAL and checkpoints after each erasure).
        as_pg "$bin/pg_ctl" -D "$PG_DATA" -l "$PG/server.log" -w -t 60 start -o \
            "-c port=$CLUSTER_PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PG -c wal_recycle=off" \
            </dev/null >/dev/null 2>&1 || die "PostgreSQL did not start; see $PG/server.log"
        say "postgresql on 127.0.0.1:$CLUSTER_PG_PORT (data $PG_DATA)"
    fi
    # The app's role: owns its database; may checkpoint and switch the WAL, which scrubbing a forgotten session needs.
    as_pg "$bin/psql" -h "$PG" -p "$CLUSTER_PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
        -v pw="$(cat "$RUN/pg-password")" >/dev/null <<'EOF' || die "could not create the recbot role and database"
SELECT 'CREATE ROLE recbot LOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'recbot') \gexec
ALTER ROLE recbot PASSWORD :'pw';
GRANT pg_checkpoint TO recbot;
GRANT EXECUTE ON FUNCTION pg_switch_wal() TO recbot;
SELECT 'CREATE DATABASE recbot OWNER recbot'
    WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'recbot') \gexec
EOF
}

start_chroma() {
    if alive "$RUN/chroma.pid"; then say "chroma already running on 127.0.0.1:$CLUSTER_CHROMA_PORT"; return; fi
    local cli; cli="$(dirname "$PYTHON")/chroma"
    [[ -x "$cli" ]] || cli="$(command -v chroma)" || die "the chroma command is missing (pip install chromadb)"
    ANONYMIZED_TELEMETRY=False nohup "$cli" run --host 127.0.0.1 --port "$CLUSTER_CHROMA_PORT" \
        --path "$CLUSTER_DIR/chroma" </dev/null >"$RUN/chroma.log" 2>&1 &
    echo $! >"$RUN/chroma.pid"
    wait_for "http://127.0.0.1:$CLUSTER_CHROMA_PORT/api/v2/heartbeat" 60 "$RUN/chroma.pid" chroma
    say "chroma on 127.0.0.1:$CLUSTER_CHROMA_PORT (data $CLUSTER_DIR/chroma)"
}

app_env() {  # the settings every replica shares; each one adds its own port and data dir
    export RECBOT_DATABASE_URL; RECBOT_DATABASE_URL="$(database_url)"
    export RECBOT_CHROMA_MODE=server RECBOT_CHROMA_HOST=127.0.0.1 RECBOT_CHROMA_PORT="$CLUSTER_CHROMA_PORT"
    export RECBOT_HOST=127.0.0.1 ANONYMIZED_TELEMETRY=False GRADIO_ANALYTICS_ENABLED=False
    unset RECBOT_DATA_DIR RECBOT_PORT
}

build_index() {
    # Once, before the replicas: they then find the server's index up to date instead of building it side by side.
    say "indexing the catalog into the Chroma server (skipped when up to date)"
    (app_env; cd "$REPO" && RECBOT_DATA_DIR="$CLUSTER_DIR/indexer" "$PYTHON" -m chatbot index >"$RUN/index.log" 2>&1) \
        || die "indexing failed; see $RUN/index.log"
}

start_replicas() {
    local n=0 port
    for port in $CLUSTER_APP_PORTS; do
        n=$((n + 1))
        if alive "$RUN/app-$n.pid"; then say "replica $n already running on 127.0.0.1:$port"; continue; fi
        (
            app_env
            cd "$REPO"
            export RECBOT_PORT="$port" RECBOT_DATA_DIR="$CLUSTER_DIR/app-$n"
            # A simple command in the background, so $! is the server itself (the pid that stop and tests signal).
            nohup "$PYTHON" app.py </dev/null >>"$RUN/app-$n.log" 2>&1 &
            echo $! >"$RUN/app-$n.pid"
        )
    done
    n=0
    for port in $CLUSTER_APP_PORTS; do
        n=$((n + 1))
        wait_for "http://127.0.0.1:$port/api/health" "$READY_S" "$RUN/app-$n.pid" "replica $n"
        say "replica $n on 127.0.0.1:$port (pid $(cat "$RUN/app-$n.pid"), data $CLUSTER_DIR/app-$n)"
    done
}

write_nginx_conf() {
    local conf="$CLUSTER_DIR/nginx/nginx.conf" servers="" port
    mkdir -p "$CLUSTER_DIR/nginx/tmp"
    chmod 1777 "$CLUSTER_DIR/nginx/tmp"  # workers may run as another user
    for port in $CLUSTER_APP_PORTS; do
        # Passive health checks: one failed connection takes a replica out for 5 s, then it is tried again.
        servers+="        server 127.0.0.1:$port max_fails=1 fail_timeout=5s;"$'\n'
    done
    cat >"$conf" <<EOF
# Written by scripts/cluster.sh; edit CLUSTER_* variables rather than this file.
worker_processes 2;
pid $RUN/nginx.pid;
error_log $RUN/nginx-error.log warn;
events { worker_connections 1024; }
http {
    access_log $RUN/nginx-access.log;
    client_body_temp_path $CLUSTER_DIR/nginx/tmp/body;
    proxy_temp_path $CLUSTER_DIR/nginx/tmp/proxy;
    fastcgi_temp_path $CLUSTER_DIR/nginx/tmp/fastcgi;
    uwsgi_temp_path $CLUSTER_DIR/nginx/tmp/uwsgi;
    scgi_temp_path $CLUSTER_DIR/nginx/tmp/scgi;
    # The HTTP API keeps nothing in the process, so any replica can take any request.
    upstream recbot_api {
        zone recbot_api 64k;            # both workers see a replica marked down, not each on its own
$servers        keepalive 32;
    }
    # The Gradio page keeps its event queue in the process, so one browser stays on one replica.
    upstream recbot_ui {
        zone recbot_ui 64k;
        hash \$remote_addr consistent;
$servers    }
    map \$http_upgrade \$connection_upgrade { default upgrade; '' ''; }
    server {
        listen 127.0.0.1:$CLUSTER_PORT;
        client_max_body_size 1m;
        proxy_http_version 1.1;
        proxy_set_header Host \$host;
        proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto \$scheme;
        proxy_buffering off;            # streamed replies pass through as they are written
        proxy_connect_timeout 2s;
        proxy_read_timeout 300s;
        # A replica that refuses or drops the connection: try the next one. nginx never resends a POST the
        # replica may already have acted on (non_idempotent is off), so a turn is never logged twice.
        proxy_next_upstream error timeout http_502 http_504;
        proxy_next_upstream_tries 2;
        add_header X-Recbot-Upstream \$upstream_addr always;   # which replica answered (the cluster test reads it)
        location /api/ {
            proxy_set_header Connection "";
            proxy_pass http://recbot_api;
        }
        location / {
            proxy_set_header Upgrade \$http_upgrade;
            proxy_set_header Connection \$connection_upgrade;
            proxy_pass http://recbot_ui;
        }
    }
}
EOF
    echo "$conf"
}

start_nginx() {
    if alive "$RUN/nginx.pid"; then say "nginx already running on 127.0.0.1:$CLUSTER_PORT"; return; fi
    command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] \
        || die "nginx is not installed: apt-get install -y nginx"
    local conf nginx_bin; conf="$(write_nginx_conf)"; nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
    "$nginx_bin" -p "$CLUSTER_DIR/nginx" -c "$conf" -t >"$RUN/nginx-test.log" 2>&1 \
        || die "nginx rejected $conf: $(tail -n 3 "$RUN/nginx-test.log")"
    "$nginx_bin" -p "$CLUSTER_DIR/nginx" -c "$conf" </dev/null >/dev/null 2>>"$RUN/nginx-error.log" \
        || die "nginx did not start"
    wait_for "http://127.0.0.1:$CLUSTER_PORT/api/health" 30 "" nginx
    say "nginx on http://127.0.0.1:$CLUSTER_PORT/ in front of replicas on ports: $CLUSTER_APP_PORTS"
}

stop_pid() {  # stop_pid PIDFILE WHAT: SIGTERM, up to 20 s, then SIGKILL
    local file="$1" pid
    alive "$file" || { rm -f "$file"; return 0; }
    pid="$(cat "$file")"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    rm -f "$file"
    say "stopped $2"
}

cmd_start() {
    mkdir -p "$RUN"
    chmod 700 "$RUN"                                    # logs and the database password
    [[ "$(id -u)" == 0 ]] && chmod o+x "$CLUSTER_DIR"   # the postgres user reaches its own folder inside
    start_postgres
    start_chroma
    build_index
    start_replicas
    start_nginx
}

cmd_stop() {
    [[ -d "$RUN" ]] || { say "nothing to stop in $CLUSTER_DIR"; return 0; }
    stop_pid "$RUN/nginx.pid" nginx
    local n=0 port
    for port in $CLUSTER_APP_PORTS; do n=$((n + 1)); stop_pid "$RUN/app-$n.pid" "replica $n"; done
    stop_pid "$RUN/chroma.pid" chroma
    if [[ -f "$PG_DATA/postmaster.pid" ]]; then
        as_pg "$(pg_bindir)/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null 2>&1 \
            || as_pg "$(pg_bindir)/pg_ctl" -D "$PG_DATA" -m immediate -w stop >/dev/null 2>&1 || true
        say "stopped postgresql"
    fi
}

cmd_status() {
    local n=0 port state rc=0
    line() { printf '%-12s %-8s %s\n' "$1" "$2" "$3"; }
    if [[ -f "$PG_DATA/postmaster.pid" ]] && as_pg "$(pg_bindir)/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
        line postgresql running "127.0.0.1:$CLUSTER_PG_PORT"
    else line postgresql down "$PG_DATA"; rc=1; fi
    if alive "$RUN/chroma.pid"; then line chroma running "127.0.0.1:$CLUSTER_CHROMA_PORT"
    else line chroma down ""; rc=1; fi
    for port in $CLUSTER_APP_PORTS; do
        n=$((n + 1))
        if alive "$RUN/app-$n.pid"; then
            healthy "http://127.0.0.1:$port/api/health" && state=ready || state=starting
            line "replica-$n" "$state" "127.0.0.1:$port pid $(cat "$RUN/app-$n.pid")"
        else line "replica-$n" down "127.0.0.1:$port"; rc=1; fi
    done
    if alive "$RUN/nginx.pid"; then line nginx running "http://127.0.0.1:$CLUSTER_PORT/"
    else line nginx down ""; rc=1; fi
    return $rc
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
