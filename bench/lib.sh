# Shared by the bench scripts (sourced after they set out, app_dir and base): publish the app once,
# start it from its own folder (the published static files are found relative to the content root)
# and wait until it answers.

app_pid=""
# With app_cpus set (a taskset list: 0, 1, 0-1), start_app pins the server to those cores from its
# first instruction, so the runtime sizes itself (processor count, GC, thread pool) for them.
app_cpus=""

publish_app() {
    dotnet publish EduLoop.App -c Release -o "$app_dir" -nologo -clp:ErrorsOnly >/dev/null
}

# start_app DATA_DIR LOG_FILE [NAME=VALUE ...]: starts the published app on DATA_DIR without demo
# data, appending its output to LOG_FILE; extra settings go in as environment variables. Sets app_pid.
start_app() {
    local data="$1" log
    log="$(realpath -m "$2")"
    shift 2
    (cd "$app_dir" && exec ${app_cpus:+taskset -c "$app_cpus"} env EduLoop__DataDirectory="$data" EduLoop__DemoData=false Logging__LogLevel__Default=Warning \
        ASPNETCORE_URLS="$base" "$@" dotnet EduLoop.App.dll >>"$log" 2>&1) &
    app_pid=$!
    wait_healthy "$base/health" 240 "the app did not start; see $log"
}

# wait_healthy URL TRIES MESSAGE: waits (a quarter second a try) until URL answers 2xx, or prints MESSAGE and fails.
wait_healthy() {
    for _ in $(seq 1 "$2"); do
        curl -sf "$1" >/dev/null 2>&1 && return 0
        sleep 0.25
    done
    echo "$3" >&2
    return 1
}

# fresh_quiz_data DATA_DIR QUESTIONS STUDENTS [quiz-load options ...]: a new database with QUESTIONS demo
# questions and STUDENTS students, each with an attempt at a 20-question quiz, listed in DATA_DIR/load.tsv.
fresh_quiz_data() {
    local data="$1" questions="$2" students="$3"
    shift 3
    rm -rf "$data"
    dotnet "$app_dir/EduLoop.App.dll" seed --questions "$questions" --mix demo --data-dir "$data" | tail -n 1
    dotnet "$app_dir/EduLoop.App.dll" quiz-load --students "$students" --questions 20 --out "$data/load.tsv" --data-dir "$data" "$@"
}

# start_postgres DIR PORT: a new PostgreSQL cluster in DIR on 127.0.0.1:PORT with PostgreSQL's durable
# defaults (fsync, full_page_writes and synchronous_commit on), an empty database "eduloop", and
# EduLoop's two settings exported for the app and the verbs. Stopped by stop_postgres.
pg_dir=""
start_postgres() {
    pg_dir="$1"
    local port="$2" bin
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    pg_bin="$bin"
    rm -rf "$pg_dir" && mkdir -p "$pg_dir" && chown postgres:postgres "$pg_dir"
    runuser -u postgres -- "$bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    runuser -u postgres -- "$bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
        -o "-p $port -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=1GB" start >/dev/null
    runuser -u postgres -- "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres eduloop
    export EduLoop__Database__Provider=PostgreSQL
    export ConnectionStrings__EduLoop="Host=127.0.0.1;Port=$port;Database=eduloop;Username=postgres"
    pg_port="$port"
}

stop_postgres() {
    [ -n "$pg_dir" ] || return 0
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
    pg_dir=""
}
