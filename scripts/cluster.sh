#!/usr/bin/env bash
# Serve the map through nginx from REPLICAS gunicorn instances, all on loopback.
#   PORT=8050 REPLICAS=3 scripts/cluster.sh
# nginx listens on HOST:PORT (default 127.0.0.1:8050); replicas get free loopback ports and
# INSTANCE=replica-<n> (GET /healthz names the one that answered). Stays in the foreground,
# restarts a replica that dies, and stops everything on SIGTERM or Ctrl-C. nginx runs as a
# child with its own temporary prefix and config (deploy/nginx.conf.template), never the system
# service. Installs Debian's nginx when it is missing.
#
# A new dataset without a failed request: point DATA_DIR at a symlink, swap it, send SIGHUP:
#   ln -sfn /srv/data-2026-12 /srv/data-current && kill -HUP <cluster.sh's pid>
# Each replica in turn is replaced: a new one starts (reading DATA_DIR again) on a new port, nginx
# reloads onto it once it answers /healthz, then the old one gets SIGTERM and finishes its
# requests. nginx's cache keys carry the dataset version, and answers from a replica of the other
# version are not cached meanwhile. The same SIGHUP rolls out new code.
set -euo pipefail
# A shell started with SIGHUP ignored (under nohup, or a runner that ignores it) cannot trap it, and
# the rollout below would never start: run once more with SIGHUP back to its default.
if [ -z "${CLUSTER_SIGHUP_RESTORED:-}" ]; then
  export CLUSTER_SIGHUP_RESTORED=1
  exec env --default-signal=HUP bash "$0" "$@"
fi
cd "$(dirname "$0")/.."
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8050}
REPLICAS=${REPLICAS:-3}
export WEB_CONCURRENCY=${WEB_CONCURRENCY:-1} THREADS=${THREADS:-16} ACCESS_LOG=${ACCESS_LOG-}

scripts/setup.sh
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  scripts/apt-install.sh nginx
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
PY=.venv/bin/python

prefix=$(mktemp -d "${TMPDIR:-/tmp}/alliance-cluster.XXXXXX")
chmod 755 "$prefix"
dataset_version() {
  $PY -c 'from alliance.dataset import load_dataset, DEFAULT_DATA_DIR; import os; print(load_dataset(os.environ.get("DATA_DIR") or DEFAULT_DATA_DIR).version)'
}
free_ports() {  # $1: how many
  $PY -c '
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))' "$1"
}
version=$(dataset_version)
# ALLOWED_HOSTS (plus PUBLIC_URL's host), as components/settings.py reads it: nginx refuses other hosts.
host_map=$($PY -c '
from components.settings import Settings, effective_hosts
for host in effective_hosts(Settings.from_env()):
    if host == "*":
        print("        ~. 1;")
    elif ":" in host:
        print(f"        \"[{host}]\" 1;")
    else:
        print(f"        \"{host}\" 1;")') || { echo "cluster: bad settings (ALLOWED_HOSTS / PUBLIC_URL)" >&2; exit 1; }
read -r -a ports <<<"$(free_ports "$REPLICAS")"

declare -a pids=()
start_replica() {  # $1: index
  local i=$1
  INSTANCE="replica-$((i + 1))" HOST=127.0.0.1 PORT=${ports[$i]} \
    .venv/bin/gunicorn app:server --config gunicorn.conf.py &
  pids[$i]=$!
}

nginx_pid=""
stopping=0
rolling=0
stop() {
  stopping=1
  trap - INT TERM HUP
  [ -n "$nginx_pid" ] && kill -QUIT "$nginx_pid" 2>/dev/null || true
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$prefix"
  echo "cluster stopped" >&2
  exit 0
}
trap stop INT TERM
trap 'rolling=1; echo "cluster: SIGHUP received" >&2' HUP

write_config() {  # nginx.conf for the current ports and dataset version
  local upstreams="" user_line=""
  for i in $(seq 0 $((REPLICAS - 1))); do
    upstreams+="        server 127.0.0.1:${ports[$i]} max_fails=1 fail_timeout=3s;"$'\n'
  done
  [ "$(id -u)" -eq 0 ] && user_line="user nobody nogroup;"
  awk -v servers="$upstreams" -v hosts="$host_map" '{ if ($0 == "@UPSTREAM_SERVERS@") printf "%s", servers;
    else if ($0 == "@ALLOWED_HOSTS_MAP@") print hosts; else print }' deploy/nginx.conf.template \
    | sed -e "s#@USER@#${user_line}#" -e "s#@PREFIX@#${prefix}#g" -e "s#@LISTEN@#${HOST}:${PORT}#" \
          -e "s#@DATASET_VERSION@#${version}#g" >"$prefix/nginx.conf.new"
  mv "$prefix/nginx.conf.new" "$prefix/nginx.conf"
}

wait_healthy() {  # $1: index; fails when the replica exits or stays silent for 60 s
  local i=$1
  for _ in $(seq 1 120); do
    $PY -c "import urllib.request, sys; urllib.request.urlopen('http://127.0.0.1:${ports[$i]}/healthz', timeout=1)" 2>/dev/null && return 0
    kill -0 "${pids[$i]}" 2>/dev/null || return 1
    sleep 0.5
  done
  return 1
}

roll() {  # SIGHUP: replace each replica in turn (new DATA_DIR contents, new code), no request lost
  local new_version
  if ! new_version=$(dataset_version); then
    echo "cluster: the dataset at DATA_DIR does not load; keeping the running replicas" >&2
    return
  fi
  echo "cluster: rolling ${REPLICAS} replicas to dataset ${new_version}" >&2
  for i in $(seq 0 $((REPLICAS - 1))); do
    local old_pid=${pids[$i]} old_port=${ports[$i]}
    read -r -a fresh <<<"$(free_ports 1)"
    ports[$i]=${fresh[0]}
    start_replica "$i"
    if ! wait_healthy "$i"; then
      echo "cluster: the new replica $((i + 1)) did not start; keeping the old one" >&2
      kill -TERM "${pids[$i]}" 2>/dev/null || true
      wait "${pids[$i]}" 2>/dev/null || true
      ports[$i]=$old_port
      pids[$i]=$old_pid
      return
    fi
    version=$new_version
    write_config
    kill -HUP "$nginx_pid"  # new nginx workers use the new replica; old ones finish their requests
    sleep 1
    kill -TERM "$old_pid" 2>/dev/null || true  # gunicorn finishes what it has (graceful_timeout)
    wait "$old_pid" 2>/dev/null || true
    echo "cluster: replica $((i + 1)) now on port ${ports[$i]}" >&2
  done
  echo "cluster: rolled out dataset ${new_version}" >&2
}

for i in $(seq 0 $((REPLICAS - 1))); do
  start_replica "$i"
done
write_config

# Replicas first: nginx starts once each answers /healthz.
for i in $(seq 0 $((REPLICAS - 1))); do
  wait_healthy "$i" || { echo "replica $((i + 1)) failed to start" >&2; stop; }
done
"$NGINX" -p "$prefix" -c "$prefix/nginx.conf" -e stderr &
nginx_pid=$!
echo "cluster: nginx on http://${HOST}:${PORT} -> ${REPLICAS} replicas on ports ${ports[*]} (dataset ${version})" >&2

while [ "$stopping" -eq 0 ] && kill -0 "$nginx_pid" 2>/dev/null; do
  if [ "$rolling" -eq 1 ]; then
    rolling=0
    roll
  fi
  for i in $(seq 0 $((REPLICAS - 1))); do
    if ! kill -0 "${pids[$i]}" 2>/dev/null; then
      wait "${pids[$i]}" 2>/dev/null || true
      echo "cluster: replica $((i + 1)) exited; restarting it" >&2
      start_replica "$i"
    fi
  done
  sleep 1 &
  wait $! || true
done
echo "cluster: nginx exited" >&2
stop
