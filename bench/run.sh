#!/usr/bin/env bash
# Load benchmark of the async-patterns jar (issue 7). Read bench/README.md first.
#
#   bench/run.sh [--smoke] [--jar PATH] [--only W1,W3] [--reps N] [--heavy-reps N]
#                [--soak-jobs N] [--soak-rate N] [--jfr]
#
# Starts its own upstream (bench/src/Bench.java) and the service jar on 127.0.0.1 only, runs the
# workloads, prints a table of medians (min, max, ratio to the floor, target) and saves it under
# bench/results/ (smoke runs: under bench/target/runs/ only). Everything it starts is stopped on
# exit, by PID. Exit status: 0 when every workload ran (a missed target is reported, not an
# error), 1 when a workload errored (non-2xx answer, missing endpoint, timeout...), 2 for usage.
set -Eeuo pipefail

usage() {
  sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
  cat <<'EOF'
Options:
  --smoke          tiny sizes, 1 repetition, no targets judged: proves the harness runs (CI)
  --jar PATH       the service jar to measure (default: build it with ./mvnw -DskipTests package)
  --only LIST      comma-separated workloads to run, e.g. W1,W2 (default: all seven; W7 needs
                   PostgreSQL's server and pgbench, installed with apt-get when missing and root)
  --reps N         measured repetitions of W1 and W2 (default 7)
  --heavy-reps N   measured repetitions of W3, W4 and W5 (default 3)
  --soak-jobs N    jobs in the W6 soak (default 1000000)
  --soak-rate N    W6 submission rate in jobs per second (default 5000)
  --jfr            record a JFR profile of every service JVM into the run folder
EOF
}

die_usage() { echo "run.sh: $*" >&2; usage >&2; exit 2; }

# ------------------------------------------------------------------------------------ options
SMOKE=0; JAR=""; ONLY="W1,W2,W3,W4,W5,W6,W7"; REPS=7; HEAVY_REPS=3; SOAK_JOBS=1000000; SOAK_RATE=5000; JFR=0
while (($#)); do
  case $1 in
    --smoke) SMOKE=1 ;;
    --jar) (($# >= 2)) || die_usage "--jar needs a path"; JAR=$2; shift ;;
    --only) (($# >= 2)) || die_usage "--only needs a list"; ONLY=${2^^}; shift ;;
    --reps) (($# >= 2)) || die_usage "--reps needs a number"; REPS=$2; shift ;;
    --heavy-reps) (($# >= 2)) || die_usage "--heavy-reps needs a number"; HEAVY_REPS=$2; shift ;;
    --soak-jobs) (($# >= 2)) || die_usage "--soak-jobs needs a number"; SOAK_JOBS=$2; shift ;;
    --soak-rate) (($# >= 2)) || die_usage "--soak-rate needs a number"; SOAK_RATE=$2; shift ;;
    --jfr) JFR=1 ;;
    -h|--help) usage; exit 0 ;;
    *) die_usage "unknown option '$1'" ;;
  esac
  shift
done
for n in "$REPS" "$HEAVY_REPS" "$SOAK_JOBS" "$SOAK_RATE"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || die_usage "'$n' is not a positive whole number"
done
[[ $ONLY =~ ^W[1-7](,W[1-7])*$ ]] || die_usage "--only takes e.g. W1,W3 (got '$ONLY')"

# ------------------------------------------------------------------------------------ sizes
# Full sizes are the issue's; smoke sizes only prove every step runs.
if ((SMOKE)); then
  REPS=1; HEAVY_REPS=1
  W1_URLS=20; W1_WARMUP=1
  W2_URLS=200; W2_CONCURRENCY=20; W2_WARMUP=1
  W3_WARMUP_S=1; W3_SECONDS=1; W3_CONNECTIONS=4
  W4_JOBS=300
  W5_TICKERS=50; W5_GRACE_MS=1000
  W6_JOBS=500; W6_RATE=500; W6_WARMUP_JOBS=100
  W7_JOBS=200; W7_PGBENCH_S=2; W7_CANCELS=3
  WARMUP_JOBS=50
else
  W1_URLS=1000; W1_WARMUP=30       # the floor alone needs ~30 rounds before the JIT settles
  W2_URLS=10000; W2_CONCURRENCY=1000; W2_WARMUP=5
  W3_WARMUP_S=30; W3_SECONDS=10; W3_CONNECTIONS=32
  W4_JOBS=100000
  W5_TICKERS=10000; W5_GRACE_MS=5000
  W6_JOBS=$SOAK_JOBS; W6_RATE=$SOAK_RATE; W6_WARMUP_JOBS=20000
  W7_JOBS=20000; W7_PGBENCH_S=10; W7_CANCELS=20
  WARMUP_JOBS=5000
fi
UPSTREAM_DELAY_MS=50
W3_SLEEP_BODY='{"type":"sleep","params":{"durationMs":1000}}'
W4_SLEEP_MS=600000          # far longer than submitting and measuring: every job is still running
W5_TICK_MS=1000
W6_SLEEP_MS=10
SHORT_JOB_BODY='{"type":"sleep","params":{"durationMs":1}}'
SUBMIT_CONCURRENCY=64
HEAP=-Xmx512m

# ------------------------------------------------------------------------------------ paths
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
STAMP=$(date -u +%Y-%m-%d-%H%M)
RUN_DIR=$BENCH/target/runs/$STAMP-$$
mkdir -p "$RUN_DIR"
ROWS=$RUN_DIR/rows.tsv          # workload, metric, values, floor values, target, checks
ERRORS=$RUN_DIR/errors.txt
PIDS=$RUN_DIR/pids              # every process this run started, for the exit trap
: >"$ROWS"; : >"$ERRORS"; : >"$PIDS"
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
JAVAC=${JAVA_HOME:+$JAVA_HOME/bin/}javac
JCMD=${JAVA_HOME:+$JAVA_HOME/bin/}jcmd
JSTAT=${JAVA_HOME:+$JAVA_HOME/bin/}jstat
JAR_TOOL=${JAVA_HOME:+$JAVA_HOME/bin/}jar
# Per run, so that two runs (say a smoke in CI and a full run) cannot pull each other's classes away.
LIB_DIR=$RUN_DIR/lib
CLASSES_DIR=$RUN_DIR/classes
BENCH_CP="$CLASSES_DIR:$LIB_DIR/BOOT-INF/lib/*"
BENCH_JVM=("$JAVA" -Xmx1g -Dlogback.configurationFile="$BENCH/src/logback-bench.xml" -cp "$BENCH_CP")
BENCH_JAVA=("${BENCH_JVM[@]}" Bench)

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" | tee -a "$RUN_DIR/run.log" >&2; }
fail() { log "ERROR: $*"; exit 1; }   # inside a workload's subshell: ends that workload only
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# ------------------------------------------------------------------------------------ processes
# Only PIDs we started, each checked to still be our command line before it is signalled.
remember_pid() { echo "$1 $2" >>"$PIDS"; }
ours() { [[ -r /proc/$1/cmdline ]] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -q -- "$2"; }
# alive PID: running and not a zombie. For a child just started, `ours` may still see the forked
# bash before its exec, so start-up loops use this instead.
alive() { local state; state=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) && [[ -n $state && $state != Z ]]; }

stop_pid() {  # stop_pid PID MARKER SECONDS: TERM, wait up to SECONDS, then KILL
  local pid=$1 marker=$2 seconds=$3 i
  ours "$pid" "$marker" || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < seconds * 10; i++)); do
    ours "$pid" "$marker" || return 0
    sleep 0.1
  done
  log "pid $pid did not stop within ${seconds}s after SIGTERM: SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
}

# descendants PID: the PIDs below PID, deepest last
descendants() { local c; for c in $(pgrep -P "$1" || true); do echo "$c"; descendants "$c"; done; }

cleanup() {
  local rc=$? pid marker tree
  trap - EXIT INT TERM
  # A workload interrupted mid-way: end its shell first so it starts nothing new, then what it ran
  # (a submitter, wrk, a service); services are also in $PIDS and get stopped gracefully below.
  if [[ -n ${WORKLOAD_PID:-} ]] && kill -0 "$WORKLOAD_PID" 2>/dev/null; then
    tree=$(descendants "$WORKLOAD_PID")
    kill -KILL "$WORKLOAD_PID" 2>/dev/null || true
    for pid in $tree; do kill -TERM "$pid" 2>/dev/null || true; done
  fi
  if [[ -s $PIDS ]]; then
    while read -r pid marker; do stop_pid "$pid" "$marker" 20; done < <(tac "$PIDS")
  fi
  rm -rf "$LIB_DIR"   # 50 MB of copied jars; the logs stay
  exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# ------------------------------------------------------------------------------------ setup
ensure_wrk() {
  command -v wrk >/dev/null && return 0
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    log "wrk is missing: installing the Debian package"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; } >"$RUN_DIR/apt.log" 2>&1 \
      || { cat "$RUN_DIR/apt.log" >&2; fail "could not install wrk (see above)"; }
  fi
  command -v wrk >/dev/null || fail "wrk is not installed: apt-get install wrk (Debian package), then re-run"
}

build_jar() {
  if [[ -z $JAR ]]; then
    log "building the service jar (./mvnw -q -B -DskipTests package)"
    (cd "$ROOT" && ./mvnw -q -B -DskipTests package) >"$RUN_DIR/build.log" 2>&1 \
      || { tail -40 "$RUN_DIR/build.log" >&2; fail "the jar did not build"; }
    JAR=$(ls -t "$ROOT"/target/async-patterns-*.jar | grep -v -- '-plain.jar' | head -1)
  fi
  [[ -f $JAR ]] || fail "no jar at '$JAR'"
  JAR=$(cd "$(dirname "$JAR")" && pwd)/$(basename "$JAR")
}

compile_bench() {
  # The benchmark's Java side runs on the libraries inside the service's own jar: no downloads.
  mkdir -p "$LIB_DIR" "$CLASSES_DIR"
  (cd "$LIB_DIR" && "$JAR_TOOL" xf "$JAR" BOOT-INF/lib) || fail "could not unpack $JAR"
  "$JAVAC" --release 17 -nowarn -cp "$LIB_DIR/BOOT-INF/lib/*" -d "$CLASSES_DIR" \
    "$BENCH/src/Bench.java" 2>"$RUN_DIR/javac.log" || { cat "$RUN_DIR/javac.log" >&2; fail "Bench.java did not compile"; }
}

start_upstream() {
  local port_file=$RUN_DIR/upstream.port i
  # Its lifetime is bounded too, in case this script is killed with SIGKILL.
  "${BENCH_JAVA[@]}" upstream --port-file "$port_file" --max-seconds 21600 \
    >"$RUN_DIR/upstream.log" 2>&1 &
  UPSTREAM_PID=$!
  remember_pid "$UPSTREAM_PID" "Bench upstream"
  for ((i = 0; i < 300; i++)); do
    [[ -s $port_file ]] && break
    alive "$UPSTREAM_PID" || { cat "$RUN_DIR/upstream.log" >&2; fail "the upstream died"; }
    sleep 0.1
  done
  [[ -s $port_file ]] || fail "the upstream did not start within 30 s"
  UPSTREAM_PORT=$(cat "$port_file")
  [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$UPSTREAM_PORT/delay/0") == 200 ]] \
    || fail "the upstream does not answer GET /delay/0 with 200"
  log "upstream on 127.0.0.1:$UPSTREAM_PORT (pid $UPSTREAM_PID)"
}

# start_service NAME [extra --property=value ...]: sets SERVICE_PID, SERVICE_PORT, SERVICE_LOG
start_service() {
  local name=$1 jfr=() deadline
  shift
  SERVICE_PORT=$("${BENCH_JAVA[@]}" freeport)
  SERVICE_LOG=$RUN_DIR/service-$name.log
  ((JFR)) && jfr=("-XX:StartFlightRecording=filename=$RUN_DIR/service-$name.jfr,settings=profile,dumponexit=true")
  # Unknown properties are ignored by Spring, so every workload's settings can be passed always.
  # Boot 4 reads the request-size cap from spring.http.codecs.* (spring.codec.* is Boot 3's name
  # and is ignored): W2's 10,000 URLs are ~380 KB, over the 256 KB default.
  # SERVICE_JAVA_OPTS / SERVICE_ARGS: extra JVM options / application arguments for before-and-after
  # experiments; both are recorded in the results header.
  # shellcheck disable=SC2086
  "$JAVA" "$HEAP" ${SERVICE_JAVA_OPTS:-} "${jfr[@]}" -jar "$JAR" \
    --server.address=127.0.0.1 --server.port="$SERVICE_PORT" --asyncpatterns.tcp.port=0 \
    --asyncpatterns.outbound.allowed-hosts="127.0.0.1:$UPSTREAM_PORT" \
    --asyncpatterns.fanout.max-urls="$W2_URLS" --spring.http.codecs.max-in-memory-size=16MB \
    --asyncpatterns.jobs.max-active=250000 \
    "$@" ${SERVICE_ARGS:-} >"$SERVICE_LOG" 2>&1 &
  SERVICE_PID=$!
  remember_pid "$SERVICE_PID" "$JAR"
  # Generous: on a busy 2-core machine Spring Boot has been seen taking 30 s to start.
  deadline=$(($(date +%s) + 180))
  while (($(date +%s) < deadline)); do
    if [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 \
      "http://127.0.0.1:$SERVICE_PORT/actuator/health/readiness") == 200 ]]; then
      log "service '$name' ready on 127.0.0.1:$SERVICE_PORT (pid $SERVICE_PID, $HEAP)"
      return 0
    fi
    alive "$SERVICE_PID" || { tail -40 "$SERVICE_LOG" >&2; fail "the service '$name' died while starting (log: $SERVICE_LOG)"; }
    sleep 0.1
  done
  tail -40 "$SERVICE_LOG" >&2
  fail "the service '$name' was not ready within 180 s (log: $SERVICE_LOG)"
}

stop_service() { stop_pid "$SERVICE_PID" "$JAR" 60; }

# W1-W3 use the shared service; W4 and W6 a fresh one, or the shared one in smoke mode.
use_shared() {
  [[ -n $SHARED_PID ]] || fail "internal: no shared service"
  SERVICE_PID=$SHARED_PID; SERVICE_PORT=$SHARED_PORT; SERVICE_LOG=$SHARED_LOG
}
use_service() {
  if ((SMOKE)) && [[ -n $SHARED_PID ]]; then use_shared; else start_service "$@"; fi
}
release_service() { [[ $SERVICE_PID == "$SHARED_PID" ]] || stop_service; }

# ------------------------------------------------------------------------------------ probes
# http METHOD PATH [BODY]: prints "STATUS BODY" of one bounded call to the service.
http() {
  local out status
  out=$(mktemp -p "$RUN_DIR")
  status=$(curl -s -o "$out" -w '%{http_code}' --max-time 30 -X "$1" -H 'Content-Type: application/json' \
    ${3:+--data "$3"} "http://127.0.0.1:$SERVICE_PORT$2") || status=000
  echo "$status $(head -c 600 "$out")"
  rm -f "$out"
}

# expect STATUS METHOD PATH [BODY]: fails the workload, naming the endpoint, on any other status.
expect() {
  local want=$1 reply
  shift
  reply=$(http "$@")
  [[ ${reply%% *} == "$want" ]] && return 0
  local hint=""
  [[ ${reply%% *} == 404 ]] && hint=" -- is this endpoint in the jar? (API.md; pass --jar with a jar that has it)"
  fail "$1 $2 answered ${reply%% *} (expected $want): ${reply#* }$hint"
}

submit() {  # submit N BODY [RATE]: N jobs at bounded concurrency, each must answer 202
  local out
  # C1 only: a short-lived load generator reaches speed sooner, and its compiler threads take less
  # CPU away from the service on 2 cores.
  out=$("${BENCH_JVM[@]}" -XX:TieredStopAtLevel=1 Bench submit --service-port "$SERVICE_PORT" --n "$1" --body "$2" \
    --concurrency "$SUBMIT_CONCURRENCY" --rate "${3:-0}" --timeout-s $((900 + $1 / 500)) 2>&1) \
    || fail "submitting $1 jobs: $out"
  SUBMIT_RATE=$(awk '$1 == "RESULT" && $2 == "submit_rate" {print $3}' <<<"$out")
  log "submitted $1 jobs at $SUBMIT_RATE/s"
}

wait_no_active() {  # wait_no_active SECONDS: until no job is PENDING or RUNNING
  local deadline=$(($(date +%s) + $1)) state reply
  while (($(date +%s) < deadline)); do
    local busy=0
    for state in PENDING RUNNING; do
      reply=$(http GET "/api/jobs?state=$state&limit=1")
      [[ ${reply%% *} == 200 ]] || fail "GET /api/jobs?state=$state answered ${reply}"
      [[ ${reply#* } =~ \"jobs\"[[:space:]]*:[[:space:]]*\[[[:space:]]*\] ]] || busy=1
    done
    ((busy)) || return 0
    sleep 0.5
  done
  fail "jobs were still active after $1 s"
}

heap_after_gc_mib() {  # used heap (survivors + eden + old, KiB from jstat) after two full GCs
  "$JCMD" "$SERVICE_PID" GC.run >/dev/null && "$JCMD" "$SERVICE_PID" GC.run >/dev/null \
    || fail "jcmd GC.run failed for pid $SERVICE_PID"
  "$JSTAT" -gc "$SERVICE_PID" | awk 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i }
    NR == 2 { printf "%.1f\n", ($col["S0U"] + $col["S1U"] + $col["EU"] + $col["OU"]) / 1024 }'
}

active_jobs() {  # the registry's gauge of non-terminal jobs (API.md section 7)
  local reply
  reply=$(http GET /actuator/metrics/asyncpatterns.jobs.active)
  [[ ${reply%% *} == 200 ]] || fail "GET /actuator/metrics/asyncpatterns.jobs.active answered $reply"
  sed -n 's/.*"value"[[:space:]]*:[[:space:]]*\([0-9.E]*\).*/\1/p' <<<"${reply#* }" | awk '{ printf "%d\n", $1 }'
}

thread_count() { awk '/^Threads:/ {print $2}' "/proc/$SERVICE_PID/status"; }

warm_jobs() {  # JIT the submit path before anything is measured
  submit "$WARMUP_JOBS" "$SHORT_JOB_BODY"
  wait_no_active 120
}

# row WORKLOAD METRIC "VALUES" "FLOOR VALUES" "TARGET TEXT" "CHECKS"
# CHECKS: comma-separated le:X ge:X eq:X (on the median), ratio_le:X (median / floor median), max_eq:X max_le:X
row() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$ROWS"; }

# ------------------------------------------------------------------------------------ workloads
# Each runs in its own subshell (see run_workload): `fail` ends the workload, not the run.

fanout_workload() {  # fanout_workload NAME URLS CONCURRENCY WARMUP
  local name=$1 urls=$2 concurrency=$3 warmup=$4 out
  use_shared
  out=$("${BENCH_JAVA[@]}" fanout --upstream-port "$UPSTREAM_PORT" --service-port "$SERVICE_PORT" \
    --n "$urls" --delay-ms "$UPSTREAM_DELAY_MS" --concurrency "$concurrency" \
    --warmup "$warmup" --reps "$REPS" 2>&1 | tee "$RUN_DIR/$name.out") || fail "$name: $(grep -v '^REP\|^WARMUP' <<<"$out")"
  FLOOR=$(awk '$1 == "RESULT" && $2 == "floor_ms" { $1 = $2 = ""; print }' <<<"$out" | xargs)
  SERVICE=$(awk '$1 == "RESULT" && $2 == "service_ms" { $1 = $2 = ""; print }' <<<"$out" | xargs)
}

w1() {
  fanout_workload W1 "$W1_URLS" 0 "$W1_WARMUP"
  row W1 "floor: $W1_URLS calls to a ${UPSTREAM_DELAY_MS} ms upstream, all at once (ms)" "$FLOOR" "" "" ""
  row W1 "gather of $W1_URLS URLs, no concurrency limit (ms)" "$SERVICE" "$FLOOR" \
    "<= 1.25x floor and <= 120 ms" "ratio_le:1.25,le:120"
}

w2() {
  fanout_workload W2 "$W2_URLS" "$W2_CONCURRENCY" "$W2_WARMUP"
  row W2 "floor: $W2_URLS calls at concurrency $W2_CONCURRENCY (ms)" "$FLOOR" "" "" ""
  row W2 "gather of $W2_URLS URLs at concurrency $W2_CONCURRENCY (ms)" "$SERVICE" "$FLOOR" \
    "<= 1.25x floor" "ratio_le:1.25"
}

wrk_run() {  # wrk_run SECONDS PATH METHOD [BODY] [PORT]: prints the WRK_RESULT fields (PORT: the service's)
  local out port=${5:-$SERVICE_PORT}
  out=$(WRK_METHOD=$3 WRK_BODY=${4:-} timeout $(($1 + 60)) wrk -t1 -c"$W3_CONNECTIONS" -d"$1s" \
    -s "$BENCH/wrk/bench.lua" "http://127.0.0.1:$port$2" 2>&1) || fail "wrk $3 $2 failed: $out"
  echo "$out" >>"$RUN_DIR/W3-wrk.out"
  grep '^WRK_RESULT' <<<"$out" || fail "wrk $3 $2 printed no result: $out"
}

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }

w3() {
  local sim jobs bare rep sim_rps=() sim_p99=() jobs_rps=() jobs_p99=() jobs_non2xx=() sim_non2xx=() ratio=()
  local bare_rps=() bare_p99=()
  ensure_wrk
  use_shared
  # One call each first, so a missing endpoint is named instead of showing up as wrk errors.
  expect 200 GET /sim/status/200
  expect 202 POST /api/jobs "$W3_SLEEP_BODY"
  log "W3: warming up ${W3_WARMUP_S}s per endpoint"
  wrk_run "$W3_WARMUP_S" /sim/status/200 GET >/dev/null
  wrk_run "$W3_WARMUP_S" /api/jobs POST "$W3_SLEEP_BODY" >/dev/null
  # The machine's ceiling for this load: the same wrk against the bench upstream, a bare Reactor
  # Netty server answering at once, with no framework at all. No service can pass it.
  wrk_run "$W3_WARMUP_S" /delay/0 GET "" "$UPSTREAM_PORT" >/dev/null
  for ((rep = 1; rep <= HEAVY_REPS; rep++)); do
    sim=$(wrk_run "$W3_SECONDS" /sim/status/200 GET)
    jobs=$(wrk_run "$W3_SECONDS" /api/jobs POST "$W3_SLEEP_BODY")
    bare=$(wrk_run "$W3_SECONDS" /delay/0 GET "" "$UPSTREAM_PORT")
    log "W3 rep $rep: sim ${sim#WRK_RESULT }"
    log "W3 rep $rep: jobs ${jobs#WRK_RESULT }"
    log "W3 rep $rep: bare ${bare#WRK_RESULT }"
    for r in "$sim" "$jobs" "$bare"; do
      (($(field requests "$r") > 0)) || fail "W3: wrk completed no request: $r"
      if ((SMOKE)) && [[ "$(field non2xx "$r") $(field connect_errors "$r") $(field read_errors "$r") $(field write_errors "$r") $(field timeouts "$r")" != "0 0 0 0 0" ]]; then
        fail "W3: errors under wrk (smoke tolerates none): $r"
      fi
    done
    sim_rps+=("$(field rps "$sim")"); sim_p99+=("$(field p99_ms "$sim")"); sim_non2xx+=("$(field non2xx "$sim")")
    jobs_rps+=("$(field rps "$jobs")"); jobs_p99+=("$(field p99_ms "$jobs")"); jobs_non2xx+=("$(field non2xx "$jobs")")
    ratio+=("$(awk -v a="$(field rps "$jobs")" -v b="$(field rps "$sim")" 'BEGIN { printf "%.3f", a / b }')")
    bare_rps+=("$(field rps "$bare")"); bare_p99+=("$(field p99_ms "$bare")")
  done
  local how="wrk 1 thread, $W3_CONNECTIONS connections, ${W3_SECONDS}s after ${W3_WARMUP_S}s warm-up"
  row W3 "ceiling: GET /delay/0 on a bare Reactor Netty server req/s ($how)" "${bare_rps[*]}" "" "" ""
  row W3 "ceiling: bare Reactor Netty server p99 (ms)" "${bare_p99[*]}" "" "" ""
  row W3 "GET /sim/status/200 req/s" "${sim_rps[*]}" "" "" ""
  row W3 "GET /sim/status/200 p99 (ms)" "${sim_p99[*]}" "" "" ""
  row W3 "GET /sim/status/200 non-2xx" "${sim_non2xx[*]}" "" "" ""
  row W3 "POST /api/jobs sleep 1 s req/s" "${jobs_rps[*]}" "" ">= 10000" "ge:10000"
  row W3 "POST /api/jobs p99 (ms)" "${jobs_p99[*]}" "" "<= 20 ms" "le:20"
  row W3 "POST /api/jobs non-2xx (HTTP >= 400)" "${jobs_non2xx[*]}" "" "0 in every run" "max_eq:0"
  row W3 "POST /api/jobs req/s / GET /sim/status/200 req/s" "${ratio[*]}" "" ">= 0.6" "ge:0.6"
}

w4() {
  local rep idle=() loaded=() delta=() per_job=() t_idle=() t_loaded=() t_delta=() rates=() actives=()
  local h0 h1 th0 th1 start
  for ((rep = 1; rep <= HEAVY_REPS; rep++)); do
    use_service "W4-$rep" --asyncpatterns.jobs.shutdown-grace-ms=1000
    warm_jobs
    h0=$(heap_after_gc_mib); th0=$(thread_count)
    start=$(now_ms)
    submit "$W4_JOBS" "{\"type\":\"sleep\",\"params\":{\"durationMs\":$W4_SLEEP_MS}}"
    rates+=("$SUBMIT_RATE")
    h1=$(heap_after_gc_mib); th1=$(thread_count)
    (($(now_ms) - start < W4_SLEEP_MS)) || fail "W4: measuring took longer than the jobs' ${W4_SLEEP_MS} ms"
    local reply active
    reply=$(http GET "/api/jobs?state=RUNNING&limit=1")
    [[ ${reply%% *} == 200 && ${reply#* } == *RUNNING* ]] || fail "W4: no RUNNING job listed after submitting: $reply"
    active=$(active_jobs)
    # On the shared smoke service earlier workloads may have left jobs running too: at least N.
    ((active >= W4_JOBS)) || fail "W4: only $active jobs active after submitting $W4_JOBS"
    actives+=("$active")
    log "W4 rep $rep: heap idle $h0 MiB, with $W4_JOBS running jobs $h1 MiB; threads $th0 -> $th1"
    idle+=("$h0"); loaded+=("$h1"); t_idle+=("$th0"); t_loaded+=("$th1"); t_delta+=($((th1 - th0)))
    delta+=("$(awk -v a="$h1" -v b="$h0" 'BEGIN { printf "%.1f", a - b }')")
    per_job+=("$(awk -v a="$h1" -v b="$h0" -v n="$W4_JOBS" 'BEGIN { printf "%.0f", (a - b) * 1048576 / n }')")
    release_service
  done
  row W4 "heap after full GC, idle (MiB)" "${idle[*]}" "" "" ""
  row W4 "heap after full GC, $W4_JOBS running sleep jobs (MiB)" "${loaded[*]}" "" "" ""
  row W4 "heap growth for $W4_JOBS running jobs (MiB)" "${delta[*]}" "" "<= 100 MiB" "le:100"
  row W4 "heap per running job (bytes)" "${per_job[*]}" "" "<= 1024 B" "le:1024"
  row W4 "threads idle" "${t_idle[*]}" "" "" ""
  row W4 "threads with $W4_JOBS running jobs" "${t_loaded[*]}" "" "" ""
  row W4 "thread growth (no thread per job)" "${t_delta[*]}" "" "<= 100" "le:100"
  row W4 "active jobs when measured (asyncpatterns.jobs.active)" "${actives[*]}" "" "" ""
  row W4 "submission rate (jobs/s, $SUBMIT_CONCURRENCY in flight)" "${rates[*]}" "" "" ""
}

w5() {
  local rep exits=() overs=() counted=() cancels=() lines_before start elapsed summary watchdog rc running cancelled
  for ((rep = 1; rep <= HEAVY_REPS; rep++)); do
    start_service "W5-$rep" --asyncpatterns.jobs.shutdown-grace-ms="$W5_GRACE_MS"
    warm_jobs
    submit "$W5_TICKERS" "{\"type\":\"ticker\",\"params\":{\"intervalMs\":$W5_TICK_MS}}"
    sleep 2
    running=$(active_jobs)
    ((running == W5_TICKERS)) || fail "W5: $running jobs active before SIGTERM, expected $W5_TICKERS"
    lines_before=$(wc -l <"$SERVICE_LOG")
    # The service is this subshell's child, so `wait` sees the exact moment it exits.
    (sleep $((W5_GRACE_MS / 1000 + 60)); kill -KILL "$SERVICE_PID" 2>/dev/null) &
    watchdog=$!
    start=$(now_ms)
    kill -TERM "$SERVICE_PID"
    rc=0; wait "$SERVICE_PID" || rc=$?
    elapsed=$(($(now_ms) - start))
    kill "$watchdog" 2>/dev/null || true
    ((rc != 137)) || fail "W5: the service did not exit within grace + 60 s (killed)"
    summary=$(tail -n +"$((lines_before + 1))" "$SERVICE_LOG" | grep -iE 'shut ?down|summary' | grep -E "(^|[^0-9])$W5_TICKERS([^0-9]|$)" | head -1 || true)
    if [[ -z $summary ]]; then
      tail -n +"$((lines_before + 1))" "$SERVICE_LOG" | tail -30 >&2
      fail "W5: no shutdown log line mentioning all $W5_TICKERS jobs after SIGTERM (log tail above; $SERVICE_LOG)"
    fi
    log "W5 rep $rep: exited (status $rc) ${elapsed} ms after SIGTERM, grace ${W5_GRACE_MS} ms; summary: $summary"
    echo "$summary" >>"$RUN_DIR/W5-summaries.txt"
    # The registry's line reads "... N running jobs at shutdown, F finished within ..., C cancelled";
    # if its wording changes, the check above (the line names all N) still holds.
    running=$(grep -oE '[0-9]+ running jobs' <<<"$summary" | grep -oE '^[0-9]+' || echo "$W5_TICKERS")
    cancelled=$(grep -oE '[0-9]+ cancelled' <<<"$summary" | grep -oE '^[0-9]+' || echo "")
    exits+=("$elapsed"); overs+=($((elapsed - W5_GRACE_MS))); counted+=("$running")
    [[ -z $cancelled ]] || cancels+=("$cancelled")
  done
  row W5 "exit after SIGTERM with $W5_TICKERS running tickers (ms; grace $W5_GRACE_MS ms)" "${exits[*]}" "" "" ""
  row W5 "exit time minus grace (ms)" "${overs[*]}" "" "<= 1000 ms" "le:1000"
  row W5 "running jobs counted by the shutdown log line (W5-summaries.txt)" "${counted[*]}" "" "= $W5_TICKERS" "eq:$W5_TICKERS"
  row W5 "jobs the shutdown log line says were cancelled" "${cancels[*]}" "" "" ""
}

w6() {
  local h0 h1 start elapsed
  use_service W6 --asyncpatterns.jobs.shutdown-grace-ms=1000
  # Fill retention first, so "start" already holds what retention keeps at steady state.
  submit "$W6_WARMUP_JOBS" "$SHORT_JOB_BODY"
  wait_no_active 300
  h0=$(heap_after_gc_mib)
  log "W6: heap at start $h0 MiB; soaking $W6_JOBS jobs at $W6_RATE/s"
  start=$(now_ms)
  submit "$W6_JOBS" "{\"type\":\"sleep\",\"params\":{\"durationMs\":$W6_SLEEP_MS}}" "$W6_RATE"
  wait_no_active 300
  elapsed=$(($(now_ms) - start))
  h1=$(heap_after_gc_mib)
  log "W6: heap at end $h1 MiB after ${elapsed} ms"
  row W6 "heap after full GC before the soak (MiB)" "$h0" "" "" ""
  row W6 "heap after full GC after $W6_JOBS jobs (MiB)" "$h1" "" "" ""
  row W6 "heap growth over the soak (MiB)" "$(awk -v a="$h1" -v b="$h0" 'BEGIN { printf "%.1f", a - b }')" "" "<= 20 MiB" "le:20"
  row W6 "achieved submission rate (jobs/s; asked $W6_RATE)" "$SUBMIT_RATE" "" "" ""
  release_service
}

# run_workload NAME FUNCTION: in a subshell so that `fail` and set -e end this workload only.
run_workload() {
  local rc=0 pid marker
  [[ ,$ONLY, == *,$1,* ]] || return 0
  log "---- $1"
  # In the background and waited for, so that SIGINT/SIGTERM reach the trap at once instead of
  # after the workload's current command (bash defers traps while a foreground child runs).
  (set -Eeuo pipefail; trap - EXIT INT TERM; "$2") &
  WORKLOAD_PID=$!
  wait "$WORKLOAD_PID" || rc=$?
  WORKLOAD_PID=""
  # Whatever the workload started and left behind (a failed workload's service) stops here.
  while read -r pid marker; do
    [[ $pid == "$UPSTREAM_PID" || $pid == "$SHARED_PID" ]] || stop_pid "$pid" "$marker" 60
  done <"$PIDS"
  if ((rc != 0)); then
    echo "$1 errored (exit $rc): $(grep 'ERROR:' "$RUN_DIR/run.log" | tail -1)" >>"$ERRORS"
    row "$1" "ERRORED: see the log" "" "" "" ""
    if ((SMOKE)); then log "smoke: stopping at the first error"; return 1; fi
  fi
}

# ------------------------------------------------------------------------------------ report
render() {  # markdown table of median/min/max, ratio to the floor and the targets
  awk -F'\t' -v smoke="$SMOKE" '
    function sort_values(s, a,   n, i, j, t) {
      n = split(s, a, " ")
      for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
      return n
    }
    function median(s,   a, n) {
      n = sort_values(s, a)
      if (n == 0) return ""
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    function fmt(v,   a) {
      if (v == "") return ""
      a = v < 0 ? -v : v
      if (v == int(v) || a >= 100) return sprintf("%.0f", v)
      return a >= 10 ? sprintf("%.1f", v) : sprintf("%.3g", v)
    }
    BEGIN {
      print "| workload | metric | median | min | max | runs | ratio to floor | target | met |"
      print "|---|---|---:|---:|---:|---:|---:|---|---|"
    }
    {
      n = sort_values($3, a)
      med = median($3); lo = n ? a[1] : ""; hi = n ? a[n] : ""
      ratio = ""
      if ($4 != "") { f = median($4); if (f > 0) ratio = med / f }
      met = ""
      if ($6 != "" && n > 0) {
        if (smoke) met = "not judged (smoke)"
        else {
          ok = 1; c = split($6, checks, ",")
          for (i = 1; i <= c; i++) {
            split(checks[i], kv, ":")
            if (kv[1] == "le" && !(med <= kv[2])) ok = 0
            if (kv[1] == "ge" && !(med >= kv[2])) ok = 0
            if (kv[1] == "eq" && !(med == kv[2])) ok = 0
            if (kv[1] == "ratio_le" && !(ratio != "" && ratio <= kv[2])) ok = 0
            if (kv[1] == "max_eq" && !(hi == kv[2])) ok = 0
            if (kv[1] == "max_le" && !(hi <= kv[2])) ok = 0
          }
          met = ok ? "yes" : "**MISSED**"
        }
      }
      printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, fmt(med), fmt(lo), fmt(hi), n ? n : "", ratio == "" ? "" : sprintf("%.2fx", ratio), $5, met
    }' "$ROWS"
}

machine() {
  local cpu
  cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
  echo "- Machine: $(nproc) cores ($cpu), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM, $(uname -sr)."
  echo "  The load generator (wrk or the bench JVM), the upstream and the service share these cores."
  echo "- JDK: $("$JAVA" -version 2>&1 | head -1); service heap $HEAP${SERVICE_JAVA_OPTS:+ and $SERVICE_JAVA_OPTS}${SERVICE_ARGS:+, arguments $SERVICE_ARGS}; wrk: $(if command -v wrk >/dev/null; then { wrk -v 2>&1 || true; } | head -1 | cut -d' ' -f1-2; else echo 'not installed'; fi)"
  local built
  built=$(unzip -p "$JAR" META-INF/build-info.properties 2>/dev/null | sed -n 's/^build.time=//p' | tr -d '\\' || true)
  echo "- Jar: \`${JAR#"$ROOT"/}\` (built ${built:-at an unknown time}); this checkout is at commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' with uncommitted changes')"
  echo "- Sizes: W1 $W1_URLS URLs; W2 $W2_URLS URLs at $W2_CONCURRENCY; W3 ${W3_WARMUP_S}s warm-up + ${W3_SECONDS}s x $HEAVY_REPS; W4 $W4_JOBS jobs x $HEAVY_REPS; W5 $W5_TICKERS tickers x $HEAVY_REPS; W6 $W6_JOBS jobs at $W6_RATE/s; W1/W2 $REPS measured runs."
}

# ------------------------------------------------------------------------------------ main
log "run folder: ${RUN_DIR#"$ROOT"/}$( ((SMOKE)) && echo ' (smoke)')"
build_jar
compile_bench
start_upstream
STARTED=$(now_ms)

# W1-W3 share one service (started here, in this shell, so it outlives their subshells); W4-W6
# measure heap or shutdown, so each gets a fresh JVM -- except in smoke mode, where W4 and W6
# reuse the shared one to keep the run short. W5 always needs its own (it is shut down).
SHARED_PID=""
# ------------------------------------------------------------------------------------ W7
# PostgreSQL for W7: Debian's server binaries (installed like wrk when missing), a throwaway
# cluster in the run folder on a free loopback port. PostgreSQL refuses to run as root, so as root
# its programs run as the package's `postgres` user.
ensure_postgres() {
  PG_BIN=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -1)
  if [[ -z $PG_BIN && $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    log "PostgreSQL is missing: installing the Debian package"
    DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -q postgresql >>"$RUN_DIR/apt.log" 2>&1 \
      || fail "apt-get install postgresql failed (see $RUN_DIR/apt.log)"
    PG_BIN=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -1)
  fi
  [[ -n $PG_BIN && -x $PG_BIN/pgbench ]] || fail "W7 needs PostgreSQL's server binaries and pgbench (Debian: apt-get install postgresql)"
}

as_pg() {
  if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
  # Under /tmp, not the run folder: the checkout may sit in a directory the postgres user cannot
  # enter (a mktemp -d clone is mode 700). Removed again by stop_postgres.
  PG_DIR=$(mktemp -d /tmp/asyncpatterns-bench-pg.XXXXXX)
  PG_PORT=$("${BENCH_JAVA[@]}" freeport)
  [[ $(id -u) != 0 ]] || chown postgres "$PG_DIR"
  chmod 700 "$PG_DIR"
  as_pg "$PG_BIN/initdb" -D "$PG_DIR" -U bench -A trust -E UTF8 >"$RUN_DIR/initdb.log" 2>&1 \
    || fail "initdb failed (see $RUN_DIR/initdb.log)"
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $PG_DIR -c max_connections=200" start >/dev/null \
    || { tail -20 "$PG_DIR/server.log" >&2; fail "PostgreSQL did not start"; }
  remember_pid "$(head -1 "$PG_DIR/postmaster.pid")" postgres
  # The service's database, and one of pgbench's own (Flyway will not migrate a non-empty schema).
  as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U bench asyncpatterns || fail "createdb failed"
  as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U bench pgbench || fail "createdb failed"
  log "PostgreSQL $("$PG_BIN/postgres" --version | grep -oE '[0-9]+\.[0-9]+') on 127.0.0.1:$PG_PORT"
}

stop_postgres() {
  [[ -n ${PG_DIR:-} && -d $PG_DIR ]] || return 0
  if [[ -f $PG_DIR/postmaster.pid ]]; then
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR" -m fast -w -t 60 stop >/dev/null 2>&1 || true
  fi
  cp "$PG_DIR/server.log" "$RUN_DIR/postgres.log" 2>/dev/null || true
  rm -rf "$PG_DIR"
}

pg_sql() {  # pg_sql SQL [DATABASE]: one value, unaligned
  "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U bench -d "${2:-asyncpatterns}" -tAc "$1"
}

# submit_to_both A_PORT B_PORT NAME: W7's jobs, half to each instance at once, each half from its
# own submitter (output in NAME-a.out and NAME-b.out); returns when both have had every answer.
submit_to_both() {
  local sa sb
  SERVICE_PORT=$1; submit $((W7_JOBS / 2)) "$SHORT_JOB_BODY" >"$RUN_DIR/$3-a.out" 2>&1 &
  sa=$!
  SERVICE_PORT=$2; submit $((W7_JOBS - W7_JOBS / 2)) "$SHORT_JOB_BODY" >"$RUN_DIR/$3-b.out" 2>&1 &
  sb=$!
  wait "$sa" || fail "W7: submitting to the instance on port $1 failed: $(tail -3 "$RUN_DIR/$3-a.out")"
  wait "$sb" || fail "W7: submitting to the instance on port $2 failed: $(tail -3 "$RUN_DIR/$3-b.out")"
}

w7() {
  local a_port a_pid b_port b_pid t0 elapsed rate tps out_a out_b total succeeded once stuck deadline
  ensure_postgres
  start_postgres
  trap stop_postgres EXIT
  # The database's own speed for the simplest durable write, with the same client count as the
  # submitters, measured first so the services are not running yet.
  pg_sql "CREATE TABLE pgbench_rows (id bigserial PRIMARY KEY, v integer NOT NULL)" pgbench >/dev/null
  echo 'INSERT INTO pgbench_rows (v) VALUES (1);' >"$RUN_DIR/pgbench-insert.sql"
  out_a=$("$PG_BIN/pgbench" -h 127.0.0.1 -p "$PG_PORT" -U bench -n -c 16 -j 2 -T "$W7_PGBENCH_S" \
    -f "$RUN_DIR/pgbench-insert.sql" pgbench 2>&1) || fail "pgbench failed: $out_a"
  echo "$out_a" >"$RUN_DIR/W7-pgbench.out"
  tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$out_a" | head -1)
  [[ -n $tps ]] || fail "pgbench printed no tps: $out_a"
  log "W7: pgbench one-row INSERT, 16 clients: $tps tps"
  local pg=(--asyncpatterns.store=postgres
    --spring.r2dbc.url="r2dbc:postgresql://127.0.0.1:$PG_PORT/asyncpatterns" --spring.r2dbc.username=bench
    --spring.r2dbc.password= --asyncpatterns.jobs.retention.max-count=1000000 --asyncpatterns.jobs.shutdown-grace-ms=1000)
  start_service W7-a "${pg[@]}" --asyncpatterns.instance-id=bench-a
  a_port=$SERVICE_PORT; a_pid=$SERVICE_PID
  start_service W7-b "${pg[@]}" --asyncpatterns.instance-id=bench-b
  b_port=$SERVICE_PORT; b_pid=$SERVICE_PID
  t0=$(now_ms)
  submit_to_both "$a_port" "$b_port" W7-submit
  # Every job must end before the rate is taken: starts that only queued do not count.
  deadline=$(($(date +%s) + 300))
  while :; do
    stuck=$(pg_sql "SELECT count(*) FROM jobs WHERE state IN ('PENDING', 'RUNNING')")
    ((stuck == 0)) && break
    (($(date +%s) < deadline)) || fail "W7: $stuck jobs still PENDING or RUNNING after 300 s"
    sleep 0.2
  done
  elapsed=$(($(now_ms) - t0))
  rate=$(awk -v n="$W7_JOBS" -v ms="$elapsed" 'BEGIN { printf "%.1f", n * 1000 / ms }')
  total=$(pg_sql "SELECT count(*) FROM jobs")
  succeeded=$(pg_sql "SELECT count(*) FROM jobs WHERE state = 'SUCCEEDED'")
  once=$(pg_sql "SELECT count(*) FROM jobs WHERE state = 'SUCCEEDED' AND attempt = 1")
  log "W7: $W7_JOBS jobs on two instances ended in $elapsed ms ($rate/s); rows $total, SUCCEEDED $succeeded, on the first attempt $once"
  ((total == W7_JOBS)) || fail "W7: $total job rows for $W7_JOBS jobs submitted"
  row W7 "PostgreSQL: pgbench one-row INSERT, 16 clients (tps)" "$tps" "" "" ""
  row W7 "two instances, store=postgres: $W7_JOBS 1 ms sleep jobs submitted to both, all ended (jobs/s)" "$rate" "" ">= 1000" "ge:1000"
  row W7 "jobs SUCCEEDED exactly once (first attempt, of $W7_JOBS)" "$once" "" "= $W7_JOBS" "eq:$W7_JOBS"
  row W7 "jobs/s / pgbench INSERT tps" "$(awk -v a="$rate" -v b="$tps" 'BEGIN { printf "%.3f", a / b }')" "" "" ""
  w7_cancels "$a_port" "$b_port"
  stop_pid "$a_pid" "$JAR" 60
  stop_pid "$b_pid" "$JAR" 60
  stop_postgres
  w7_ceiling "$rate"
}

# Cancel across instances: a long job running on a, cancelled through b. b answers once the owner
# has stopped the work and the row says CANCELLED (it would give up after 5 s and answer the row as
# it is, which this rejects), so the time of that call is the cancel latency the issue bounds.
w7_cancels() {
  local a_port=$1 b_port=$2 i id reply times=()
  for ((i = 0; i < W7_CANCELS; i++)); do
    SERVICE_PORT=$a_port
    reply=$(http POST /api/jobs '{"type":"sleep","params":{"durationMs":600000}}')
    [[ ${reply%% *} == 202 ]] || fail "W7: submitting a job to cancel answered $reply"
    id=$(sed -n 's/.*"id":"\([^"]*\)".*/\1/p' <<<"${reply#* }")
    reply=$(curl -s -o "$RUN_DIR/W7-cancel.json" -w '%{http_code} %{time_total}' --max-time 30 \
      -X POST "http://127.0.0.1:$b_port/api/jobs/$id/cancel") || fail "W7: cancel through instance b failed"
    [[ ${reply%% *} == 202 ]] || fail "W7: cancel through instance b answered ${reply%% *}: $(head -c 300 "$RUN_DIR/W7-cancel.json")"
    grep -q '"state":"CANCELLED"' "$RUN_DIR/W7-cancel.json" \
      || fail "W7: instance b answered the cancel before the owner confirmed it: $(head -c 300 "$RUN_DIR/W7-cancel.json")"
    times+=("$(awk -v s="${reply#* }" 'BEGIN { printf "%.1f", s * 1000 }')")
  done
  log "W7: cancel through the other instance took ${times[*]} ms"
  row W7 "cancel through the other instance until the owner stopped the job (ms, each of $W7_CANCELS)" "${times[*]}" "" \
    "every one <= 1000 ms" "max_le:1000"
}

# The same two instances, jobs and submitters with the default in-memory store: no database at
# all, so what two service JVMs and their submitters get out of these 2 cores. The PostgreSQL
# store cannot start jobs faster than this; its ratio to it is the figure that travels.
w7_ceiling() {
  local pg_rate=$1 a_port a_pid b_port b_pid t0 elapsed rate
  start_service W7-memory-a
  a_port=$SERVICE_PORT; a_pid=$SERVICE_PID
  start_service W7-memory-b
  b_port=$SERVICE_PORT; b_pid=$SERVICE_PID
  t0=$(now_ms)
  submit_to_both "$a_port" "$b_port" W7-memory-submit
  SERVICE_PORT=$a_port; wait_no_active 300
  SERVICE_PORT=$b_port; wait_no_active 300
  elapsed=$(($(now_ms) - t0))
  rate=$(awk -v n="$W7_JOBS" -v ms="$elapsed" 'BEGIN { printf "%.1f", n * 1000 / ms }')
  log "W7 ceiling: $W7_JOBS jobs on two store=memory instances ended in $elapsed ms ($rate/s)"
  row W7 "ceiling: the same on two store=memory instances, no database (jobs/s)" "$rate" "" "" ""
  row W7 "store=postgres jobs/s / store=memory jobs/s" "$(awk -v a="$pg_rate" -v b="$rate" 'BEGIN { printf "%.2f", a / b }')" "" "" ""
  stop_pid "$a_pid" "$JAR" 60
  stop_pid "$b_pid" "$JAR" 60
}

needs_shared() {
  local w
  for w in W1 W2 W3 $( ((SMOKE)) && echo W4 W6); do [[ ,$ONLY, == *,$w,* ]] && return 0; done
  return 1
}
if needs_shared; then
  start_service shared --asyncpatterns.jobs.shutdown-grace-ms=1000
  SHARED_PID=$SERVICE_PID; SHARED_PORT=$SERVICE_PORT; SHARED_LOG=$SERVICE_LOG
fi

# Smoke runs W6 before W4: W4 leaves long sleep jobs running on the shared service, and W6 waits
# for the registry to be idle.
ORDER="W1 W2 W3 W4 W5 W6 W7"
((SMOKE)) && ORDER="W1 W2 W3 W6 W4 W5 W7"
RAN=0
for w in $ORDER; do
  [[ ,$ONLY, == *,$w,* ]] && RAN=$((RAN + 1))
  if [[ -n $SHARED_PID ]] && ! ((SMOKE)) && [[ $w == W4 ]]; then
    stop_pid "$SHARED_PID" "$JAR" 60   # W1-W3 are done with it
    SHARED_PID=""
  fi
  run_workload "$w" "${w,,}" || break   # only smoke mode stops at the first error
done
[[ -z $SHARED_PID ]] || stop_pid "$SHARED_PID" "$JAR" 60

# ------------------------------------------------------------------------------------ results
if ((SMOKE)); then
  RESULT_FILE=$RUN_DIR/smoke-results.md
else
  mkdir -p "$BENCH/results"
  RESULT_FILE=$BENCH/results/$STAMP.md
fi
{
  echo "# Benchmark run $STAMP UTC$( ((SMOKE)) && echo ' (smoke: tiny sizes, targets not judged)')"
  echo
  machine
  echo "- Took $((($(now_ms) - STARTED) / 1000)) s; logs in \`${RUN_DIR#"$ROOT"/}\`."
  echo
  render
  if [[ -s $ERRORS ]]; then
    echo
    echo "Errors:"
    sed 's/^/- /' "$ERRORS"
  fi
} >"$RESULT_FILE"
cat "$RESULT_FILE"
log "saved ${RESULT_FILE#"$ROOT"/}"
FAILED=$(wc -l <"$ERRORS")
# The plain closing line CI reads: workloads that ran without error, and those that errored.
echo "bench: $((RAN - FAILED)) passed, $FAILED failed"
((FAILED == 0)) || exit 1
