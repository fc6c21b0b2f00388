#!/usr/bin/env bash
# Several EduLoop servers (see bench/RESULTS.md): the original's burst (10,000 connections cycling
# through the five lists for 15 s, timeout 10 s, after a 5 s warm-up at 64 connections, throttling off,
# 100,000 seeded questions; the same burst as bench/providers.sh) against, in one run with the rounds
# alternating between them:
#   sqlite       one server on SQLite, direct
#   postgresql   one server on PostgreSQL, direct (no Redis)
#   redis-1      one server on PostgreSQL + Redis, direct (what Redis costs, without nginx)
#   nginx-1      one server on PostgreSQL + Redis behind nginx (deploy/nginx/eduloop.conf, one upstream)
#   nginx-2      two servers on PostgreSQL + Redis behind nginx (the site as shipped: two upstreams)
#   pinned-1     nginx-1 with the server pinned to core 0 (taskset -c 0)
#   pinned-2     nginx-2 with the servers pinned to core 0 and core 1, one each
# pinned-2 / pinned-1 is the estimate per added core. Only the EduLoop servers are pinned: PostgreSQL,
# Redis, nginx and wrk run unpinned on the same two cores.
# nginx runs the shipped site with only its upstream ports and its listen line changed (nginx-1 and
# pinned-1 drop the second upstream line), from a temp dir (nginx -p DIR -c DIR/nginx.conf), two
# workers. PostgreSQL: a cluster started for the run (bench/lib.sh start_postgres: durable defaults,
# 1 GB shared buffers). Redis: a throwaway redis-server on a free port without persistence.
# Each burst also records the cores each part used (from /proc: the servers, nginx, PostgreSQL, Redis,
# wrk, and the whole machine), the load average before it, and the machine's TCP listen-queue
# overflows (an accept queue full: the connecting side waits for a SYN retransmit, 1 s or more).
# Usage: bench/scaleout.sh [rounds]   (needs wrk, nginx, redis-server, PostgreSQL 13+ binaries)
#   CONFIGS="..." runs only the configs named, which may also be nginx-1-tuned, nginx-2-tuned,
#   pinned-1-tuned, pinned-2-tuned: the same with a variant of the site, not what deploy/ ships, with
#   the upstream keepalive raised from 32 to NGINX_KEEPALIVE (default 10000) and proxy_connect_timeout
#   from 2s to NGINX_CONNECT_TIMEOUT (default 10s), to see the servers without nginx's new connection
#   per request and without a server marked down when its accept queue overflows.
#   CONNECTIONS=N bursts with N connections instead of 10,000 (CONNECTIONS=64: what a request costs
#   each part when nothing queues).
# Figures: requests/s counts 2xx answers only (wrk's own figure, which counts nginx's fast 502s too,
# is kept as "all"); wrk's p50 and p99 include the error answers.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}"
out="bench/out"
app_dir="$out/app"
mkdir -p "$out"
source bench/lib.sh

single_port=5087
pair_ports=(5088 5089)
nginx_port=5090
pg_port_run=55435
sqlite_data=/tmp/eduloop-scaleout-sqlite
pg_data=/tmp/eduloop-scaleout-pg
tmp=$(mktemp -d /tmp/eduloop-scaleout.XXXXXX)
password=$(head -c 18 /dev/urandom | base64)
runs="$out/scaleout-runs.txt"

# wrk keeps 10,000 sockets open and nginx two per request in flight (the client's and the server's).
ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 12000 ]; then
    echo "open files limit $(ulimit -n): wrk's 10,000 connections need more (ulimit -n)" >&2
    exit 1
fi

app_pids=()
nginx_pid=""
redis_pid=""
stop_apps() {
    local pid
    for pid in "${app_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${app_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    app_pids=()
}
stop_nginx() {
    [ -n "$nginx_pid" ] || return 0
    kill "$nginx_pid" 2>/dev/null || true
    wait "$nginx_pid" 2>/dev/null || true
    nginx_pid=""
}
cleanup() {
    stop_apps
    stop_nginx
    if [ -n "$redis_pid" ]; then kill "$redis_pid" 2>/dev/null || true; wait "$redis_pid" 2>/dev/null || true; fi
    stop_postgres
    rm -rf "$tmp" "$sqlite_data" "$pg_data"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    local port
    for port in $(seq "$1" $(($1 + 200))); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return 0; }
    done
    return 1
}

publish_app
rm -rf "$sqlite_data" "$pg_data"
dotnet "$app_dir/EduLoop.App.dll" seed --questions 100000 --data-dir "$sqlite_data" | tail -n 1
start_postgres /tmp/eduloop-scaleout-pgcluster "$pg_port_run"
dotnet "$app_dir/EduLoop.App.dll" seed --questions 100000 --data-dir "$pg_data" | tail -n 1
pg_env=(EduLoop__Database__Provider=PostgreSQL "ConnectionStrings__EduLoop=$ConnectionStrings__EduLoop")
unset EduLoop__Database__Provider ConnectionStrings__EduLoop

redis_port=$(free_port 56379)
mkdir -p "$tmp/redis"
redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no --dir "$tmp/redis" \
    --daemonize no --logfile "$tmp/redis/redis.log" &
redis_pid=$!
for _ in $(seq 1 40); do
    redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break
    sleep 0.25
done
redis-cli -p "$redis_port" ping >/dev/null
redis_env=("EduLoop__Redis=127.0.0.1:$redis_port" EduLoop__ForwardedHeaders__Enabled=true)
common=(EduLoop__Admin__Email=admin@bench.local EduLoop__Admin__Password="$password" EduLoop__Api__Throttling__Enabled=false)

# server NAME PORT CPUS DATA [settings...]: one server on PORT (pinned to CPUS when given), added to app_pids.
server() {
    local name="$1" port="$2" cpus="$3" data="$4"
    shift 4
    base="http://127.0.0.1:$port"
    app_cpus="$cpus"
    start_app "$data" "$out/scaleout-$name.log" EduLoop__ServerName="$name" "$@"
    app_cpus=""
    app_pids+=("$app_pid")
}

# start_nginx PORT...: the shipped site with its upstream lines pointed at PORT... and listening on
# 127.0.0.1:nginx_port, from a temp dir; waits until it answers.
start_nginx() {
    local dir="$tmp/nginx" site
    rm -rf "$dir" && mkdir -p "$dir"
    site=$(cat deploy/nginx/eduloop.conf)
    [ "$(grep -cE '^\s*server 127\.0\.0\.1:500[12] ' <<<"$site")" = 2 ] && grep -qE '^\s*listen 80;' <<<"$site" ||
        { echo "deploy/nginx/eduloop.conf no longer has the two upstream lines and 'listen 80;' this script replaces" >&2; return 1; }
    site=$(sed -E "s/^(\s*server 127\.0\.0\.1:)5001 /\1$1 /; s/^(\s*)listen 80;/\1listen 127.0.0.1:$nginx_port;/" <<<"$site")
    if [ $# -ge 2 ]; then
        site=$(sed -E "s/^(\s*server 127\.0\.0\.1:)5002 /\1$2 /" <<<"$site")
    else
        site=$(sed -E '/^\s*server 127\.0\.0\.1:5002 /d' <<<"$site")
    fi
    if [ -n "$tuned" ]; then
        site=$(sed -E "s/^(\s*)keepalive [0-9]+;/\1keepalive ${NGINX_KEEPALIVE:-10000};/; s/^(\s*)proxy_connect_timeout [0-9a-z]+;/\1proxy_connect_timeout ${NGINX_CONNECT_TIMEOUT:-10s};/" <<<"$site")
    fi
    printf '%s\n' "$site" >"$dir/eduloop.conf"
    local limit
    limit=$(ulimit -n)
    [ "$limit" = unlimited ] && limit=65536
    cat >"$dir/nginx.conf" <<EOF
$([ "$(id -u)" = 0 ] && echo "user root;")
worker_processes 2;
worker_rlimit_nofile $limit;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections $((limit - 100)); }
http {
    access_log off;
    client_body_temp_path $dir/body;
    proxy_temp_path $dir/proxy;
    fastcgi_temp_path $dir/fastcgi;
    uwsgi_temp_path $dir/uwsgi;
    scgi_temp_path $dir/scgi;
    include $dir/eduloop.conf;
}
EOF
    /usr/sbin/nginx -p "$dir" -c "$dir/nginx.conf" &
    nginx_pid=$!
    wait_healthy "http://127.0.0.1:$nginx_port/health" 40 "nginx did not start; see $dir/error.log"
}

# ticks PID...: "pid ticks" (user + system, clock ticks) for each PID still running.
ticks() {
    local pid
    for pid in "$@"; do
        [ -r "/proc/$pid/stat" ] && awk -v p="$pid" '{ print p, $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || true
    done
}
postgres_pids() {
    local main
    main=$(head -n 1 "$pg_dir/data/postmaster.pid")
    echo "$main" $(pgrep -P "$main" || true)
}
nginx_pids() { [ -z "$nginx_pid" ] || echo "$nginx_pid" $(pgrep -P "$nginx_pid" || true); }
# tcp_counters: the machine's listen-queue overflows and SYN retransmits so far.
tcp_counters() {
    awk '/^TcpExt:/ { if (!h) { for (i = 1; i <= NF; i++) n[i] = $i; h = 1 } else for (i = 1; i <= NF; i++) v[n[i]] = $i }
         END { print v["ListenOverflows"] + 0, v["TCPSynRetrans"] + 0 }' /proc/net/netstat
}
machine_busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat; }
# cores BEFORE AFTER SECONDS: cores used between two "pid ticks" lists (a process started between them counts from 0).
cores() {
    awk -v s="$3" -v hz="$(getconf CLK_TCK)" 'NR == FNR { b[$1] = $2; next } { t += $2 - b[$1] } END { printf "%.2f", t / hz / s }' \
        <(printf '%s\n' "$1") <(printf '%s\n' "$2")
}

# burst NAME URL: token, warm-up, one burst through URL; appends one line to the runs file.
burst() {
    local name="$1" url="$2"
    EDULOOP_TOKEN=$(curl -sf -X POST "$url/api/api-token-auth/" -H 'content-type: application/json' \
        -d "{\"username\":\"admin@bench.local\",\"password\":\"$password\"}" | sed -E 's/.*"token":"([0-9a-f]+)".*/\1/')
    export EDULOOP_TOKEN
    wrk -t2 -c64 -d5s -s bench/cycle.lua "$url" >/dev/null
    local load a_app a_ngx a_pg a_redis a_cpu a_tcp b_app b_ngx b_pg b_redis b_cpu b_tcp t0 t1
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    a_app=$(ticks "${app_pids[@]}"); a_ngx=$(ticks $(nginx_pids)); a_pg=$(ticks $(postgres_pids)); a_redis=$(ticks "$redis_pid")
    a_cpu=$(machine_busy); a_tcp=$(tcp_counters); t0=$(date +%s.%N)
    local TIMEFORMAT='%U %S'
    { time wrk -t2 -c"${CONNECTIONS:-10000}" -d15s --timeout 10s --latency -s bench/cycle.lua "$url" >"$tmp/wrk.out" 2>&1; } 2>"$tmp/wrk.time"
    t1=$(date +%s.%N)
    b_app=$(ticks "${app_pids[@]}"); b_ngx=$(ticks $(nginx_pids)); b_pg=$(ticks $(postgres_pids)); b_redis=$(ticks "$redis_pid")
    b_cpu=$(machine_busy); b_tcp=$(tcp_counters)
    local secs result rps ok p50 p99 errors wrk_cores busy
    secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
    result=$(cat "$tmp/wrk.out")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$result")
    # 2xx answers per second: the requests wrk completed, less the non-2xx/3xx, over its duration.
    ok=$(awk '/ requests in / { n = $1; d = $4; sub(/s,?$/, "", d) } /Non-2xx or 3xx responses:/ { bad = $NF }
              END { printf "%.0f", (n - bad) / d }' <<<"$result")
    p50=$(awk '/ 50%/ {print $2}' <<<"$result")
    p99=$(awk '/ 99%/ {print $2}' <<<"$result")
    errors=$(grep -oE 'Non-2xx or 3xx responses: [0-9]+|Socket errors: .*' <<<"$result" | tr '\n' ' ' || true)
    wrk_cores=$(awk -v s="$secs" '{ printf "%.2f", ($1 + $2) / s }' "$tmp/wrk.time")
    busy=$(awk -v a="$a_cpu" -v b="$b_cpu" 'BEGIN { split(a, x, " "); split(b, y, " "); printf "%.2f", 2 * (y[1] - x[1]) / (y[2] - x[2]) }')
    echo "$name $ok 2xx/s, all $rps p50 $p50 p99 $p99 | ${errors:-no errors} | cores: servers $(cores "$a_app" "$b_app" "$secs") nginx $(cores "$a_ngx" "$b_ngx" "$secs") postgres $(cores "$a_pg" "$b_pg" "$secs") redis $(cores "$a_redis" "$b_redis" "$secs") wrk $wrk_cores machine $busy of 2 | listen overflows $(awk -v a="$a_tcp" -v b="$b_tcp" 'BEGIN { split(a, x, " "); split(b, y, " "); print y[1] - x[1], "syn retransmits", y[2] - x[2] }') | load $load" |
        tee -a "$runs"
}

# The servers' names as nginx spreads requests without a cookie (a new random affinity each).
spread() {
    local i
    for i in $(seq 1 40); do curl -sf "http://127.0.0.1:$nginx_port/health/ready" | grep -oE '"server":"[^"]*"'; done |
        sort | uniq -c | tr -s ' ' | tr '\n' ' '
}

tuned=""
run_config() {
    local name="$1"
    tuned=""
    [[ "$name" == *-tuned ]] && tuned=yes
    case "${name%-tuned}" in
        sqlite)
            server sqlite "$single_port" "" "$sqlite_data" "${common[@]}"
            burst "$name" "http://127.0.0.1:$single_port" ;;
        postgresql)
            server postgresql "$single_port" "" "$pg_data" "${common[@]}" "${pg_env[@]}"
            burst "$name" "http://127.0.0.1:$single_port" ;;
        redis-1)
            server redis-1 "$single_port" "" "$pg_data" "${common[@]}" "${pg_env[@]}" "${redis_env[@]}"
            burst "$name" "http://127.0.0.1:$single_port" ;;
        nginx-1 | pinned-1)
            server "$name-a" "${pair_ports[0]}" "$([ "${name%-tuned}" = pinned-1 ] && echo 0)" "$pg_data" "${common[@]}" "${pg_env[@]}" "${redis_env[@]}"
            start_nginx "${pair_ports[0]}"
            burst "$name" "http://127.0.0.1:$nginx_port" ;;
        nginx-2 | pinned-2)
            server "$name-a" "${pair_ports[0]}" "$([ "${name%-tuned}" = pinned-2 ] && echo 0)" "$pg_data" "${common[@]}" "${pg_env[@]}" "${redis_env[@]}"
            server "$name-b" "${pair_ports[1]}" "$([ "${name%-tuned}" = pinned-2 ] && echo 1)" "$pg_data" "${common[@]}" "${pg_env[@]}" "${redis_env[@]}"
            start_nginx "${pair_ports[0]}" "${pair_ports[1]}"
            [ "$round" = 1 ] && echo "  nginx spreads 40 requests without a cookie: $(spread)"
            burst "$name" "http://127.0.0.1:$nginx_port" ;;
    esac
    if [ -n "$nginx_pid" ]; then
        grep -hE 'worker_connections|Too many open files|connect\(\) failed|upstream timed out|no live upstreams' "$tmp/nginx/error.log" |
            sed -E 's/^[0-9\/: ]+\[[a-z]+\] [0-9#]+: \*[0-9]+ //; s/, client:.*//' | sort | uniq -c | sort -rn | head -n 5 |
            sed "s/^/  nginx error log ($name): /" | tee -a "$out/scaleout-nginx-errors.txt" || true
        stop_nginx
    fi
    stop_apps
}

read -r -a configs <<<"${CONFIGS:-sqlite postgresql redis-1 nginx-1 nginx-2 pinned-1 pinned-2}"
: >"$runs"
rm -f "$out"/scaleout-*.log
: >"$out/scaleout-nginx-errors.txt"
for round in $(seq 1 "$rounds"); do
    echo "== round $round ($(date +%H:%M:%S), load average $(cut -d' ' -f1-3 /proc/loadavg))"
    for name in "${configs[@]}"; do run_config "$name"; done
done

# Medians over the rounds, and ratios within each round (the machine's other load moves between rounds).
ms() { awk '{ v = $1; if (v ~ /us$/) v = v / 1000; else if (v ~ /ms$/) v = v + 0; else if (v ~ /s$/) v = v * 1000; else if (v ~ /m$/) v = v * 60000; print v }'; }
median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
field() { grep "^$1 " "$runs" | awk -v f="$2" '{ print $f }'; }
echo
echo "medians of $rounds rounds:"
printf '%-15s %9s %9s %9s %9s  %s\n' config "2xx/s" "all/s" "p50 ms" "p99 ms" "errors (all rounds)"
for name in "${configs[@]}"; do
    errors=$(grep "^$name " "$runs" | cut -d'|' -f2 | grep -oE '(connect|read|write|timeout|responses:) [0-9]+' | awk '{ s += $2 } END { print s + 0 }' || true)
    printf '%-15s %9s %9s %9s %9s  %s\n' "$name" "$(field "$name" 2 | median)" "$(field "$name" 5 | median)" \
        "$(field "$name" 7 | ms | median)" "$(field "$name" 9 | ms | median)" "$errors"
done
ratio() {
    grep -q "^$1 " "$runs" && grep -q "^$2 " "$runs" || return 0
    local per
    per=$(paste <(field "$1" 2) <(field "$2" 2) | awk '$2 > 0 { printf "%.2f\n", $1 / $2 }')
    echo "$1 / $2: rounds $(tr '\n' ' ' <<<"$per")-> median $(median <<<"$per")"
}
echo
echo "2xx/s ratios, per round and their median:"
ratio postgresql sqlite
ratio nginx-1 postgresql
ratio nginx-2 nginx-1
ratio nginx-2 postgresql
ratio pinned-2 pinned-1
ratio redis-1 postgresql
ratio nginx-1 redis-1
ratio nginx-1-tuned redis-1
ratio nginx-2-tuned nginx-1-tuned
ratio nginx-2-tuned redis-1
ratio pinned-2-tuned pinned-1-tuned
