#!/usr/bin/env bash
# One live game over two EduLoop servers on PostgreSQL and Redis behind nginx (the shipped site, see
# bench/scaleout.sh): P players, each its own SignalR connection through nginx, which spreads them (and
# the host) over the two servers; timed as bench/live.sh times one server.
# Usage: bench/live-scaleout.sh [players] [rounds] [spread_ms]   (needs nginx, redis-server, PostgreSQL binaries)
set -euo pipefail
cd "$(dirname "$0")/.."
players="${1:-300}"
rounds="${2:-5}"
spread="${3:-0}"
out="bench/out"
app_dir="$out/app"
data="/tmp/eduloop-live-scaleout"
ports=(5091 5092)
nginx_port=5093
tmp=$(mktemp -d /tmp/eduloop-live-scaleout.XXXXXX)
mkdir -p "$out"
source bench/lib.sh

app_pids=()
nginx_pid=""
redis_pid=""
cleanup() {
    local pid
    for pid in "${app_pids[@]}" $nginx_pid $redis_pid; do kill "$pid" 2>/dev/null || true; done
    for pid in "${app_pids[@]}" $nginx_pid $redis_pid; do wait "$pid" 2>/dev/null || true; done
    stop_postgres
    rm -rf "$tmp" "$data"
}
trap cleanup EXIT

publish_app
dotnet build bench/LiveGame -c Release -nologo -clp:ErrorsOnly >/dev/null
rm -rf "$data"
start_postgres /tmp/eduloop-live-scaleout-pg 55436
dotnet "$app_dir/EduLoop.App.dll" seed --questions 500 --mix demo --data-dir "$data" | tail -n 1
dotnet "$app_dir/EduLoop.App.dll" live-load --games 1 --questions "$rounds" --seconds 60 --out "$data/live.tsv" --data-dir "$data"
pg_env=(EduLoop__Database__Provider=PostgreSQL "ConnectionStrings__EduLoop=$ConnectionStrings__EduLoop")
unset EduLoop__Database__Provider ConnectionStrings__EduLoop

mkdir -p "$tmp/redis"
redis-server --bind 127.0.0.1 --port 56380 --save "" --appendonly no --dir "$tmp/redis" --daemonize no --logfile "$tmp/redis/redis.log" &
redis_pid=$!
for _ in $(seq 1 40); do redis-cli -p 56380 ping >/dev/null 2>&1 && break; sleep 0.25; done

for i in 0 1; do
    base="http://127.0.0.1:${ports[$i]}"
    : >"$out/live-scaleout-$i.log"
    start_app "$data" "$out/live-scaleout-$i.log" EduLoop__ServerName="live-$i" "${pg_env[@]}" EduLoop__Redis=127.0.0.1:56380 \
        EduLoop__ForwardedHeaders__Enabled=true EduLoop__Api__Throttling__Enabled=false
    app_pids+=("$app_pid")
done

site=$(sed -E "s/^(\s*server 127\.0\.0\.1:)5001 /\1${ports[0]} /; s/^(\s*server 127\.0\.0\.1:)5002 /\1${ports[1]} /; s/^(\s*)listen 80;/\1listen 127.0.0.1:$nginx_port;/" deploy/nginx/eduloop.conf)
mkdir -p "$tmp/nginx"
printf '%s\n' "$site" >"$tmp/nginx/eduloop.conf"
cat >"$tmp/nginx/nginx.conf" <<CONF
$([ "$(id -u)" = 0 ] && echo "user root;")
worker_processes 2;
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $tmp/nginx/body;
    proxy_temp_path $tmp/nginx/proxy;
    include $tmp/nginx/eduloop.conf;
}
CONF
/usr/sbin/nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" &
nginx_pid=$!
wait_healthy "http://127.0.0.1:$nginx_port/health" 40 "nginx did not start; see $tmp/nginx/error.log"

dotnet bench/LiveGame/bin/Release/net10.0/LiveGame.dll "http://127.0.0.1:$nginx_port" "$data/live.tsv" "$players" "$rounds" "$spread"
for i in 0 1; do
    echo "server live-$i: $(grep -c 'live' "$out/live-scaleout-$i.log" 2>/dev/null || true) log lines"
done
