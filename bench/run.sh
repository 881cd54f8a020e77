#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# make bench: Switchyard side by side with the upstream called directly, nginx as a reverse
# proxy and a peer gateway (Portkey), all in one run against the same fake upstreams on
# 127.0.0.1; then memory, and the request log at a million rows. Writes
# bench/results/latest.md (and the summary table in docs/performance.md) through report.py.
#
# Every load is bounded in time, ports are chosen free at run time, and every process
# started here is stopped on exit, also on failure. Knobs (environment):
#   BENCH_SECONDS (5) per measured point, BENCH_REPS (3), BENCH_CONNECTIONS ("1 8 64"),
#   BENCH_MEMORY_REQUESTS (100000), BENCH_LOG_ROWS (1000000), BENCH_STREAMS (8),
#   BENCH_STREAM_ROUNDS (5), BENCH_MANY_STREAMS (2000, at once), BENCH_AGENT_SIZES ("90 400"), BENCH_AGENT_CONNECTIONS ("1 8"),
#   BENCH_SWEEP_CONNECTIONS ("1 2 4 8 16 32 64"), BENCH_WORKERS ("1 2": the small chat at 8 and 64
#   connections through Switchyard started with each --workers; empty: skipped),
#   BENCH_AGENT_SECONDS (120), BENCH_AGENT_RATE (400), BENCH_BUILD_DIR (build-bench), BENCH_SKIP_PEER=1, BENCH_SKIP_GUI=1,
#   BENCH_PARTS ("plain agent streams manystreams workers memory log": the parts to run)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bench=$root/bench
build=${BENCH_BUILD_DIR:-$root/build-bench}
seconds=${BENCH_SECONDS:-5}
reps=${BENCH_REPS:-3}
connections=${BENCH_CONNECTIONS:-"1 8 64"}
memory_requests=${BENCH_MEMORY_REQUESTS:-100000}
log_rows=${BENCH_LOG_ROWS:-1000000}
streams=${BENCH_STREAMS:-8}
stream_rounds=${BENCH_STREAM_ROUNDS:-5}
agent_seconds=${BENCH_AGENT_SECONDS:-120}
agent_rate=${BENCH_AGENT_RATE:-400}
chunks=40
chunk_delay_ms=10
work=$bench/.cache/run
raw=$work/raw.txt
started_at=$(date +%s)

source "$bench/lib/processes.sh"
source "$bench/lib/phases.sh"
source "$bench/lib/agent.sh"
# BENCH_PARTS: which parts run (all by default), e.g. "plain agent" for a look at the proxy alone.
wants() { [[ " ${BENCH_PARTS:-plain agent streams manystreams workers memory log} " == *" $1 "* ]]; }

# --- what the run needs, installed when missing ---------------------------------------------
"$root/packaging/install-deps.sh"
bench_apt_install wrk nginx xvfb xauth curl python3
peer=portkey
if [ "${BENCH_SKIP_PEER:-0}" = 1 ] || ! bench_install_portkey; then
  peer=
fi

# --- Switchyard and the bench tools: a Release build of its own -----------------------------
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release
fi
cmake --build "$build" -j"$(nproc)" --target bench-tools
switchyard=$build/app/switchyard
tools=$build/bench

rm -rf "$work"
mkdir -p "$work/xdg-config" "$work/xdg-data" "$work/xdg-runtime" "$bench/results"
chmod 700 "$work/xdg-runtime"
: > "$raw"
trap bench_cleanup EXIT
trap 'exit 130' INT TERM
export XDG_CONFIG_HOME=$work/xdg-config XDG_DATA_HOME=$work/xdg-data XDG_RUNTIME_DIR=$work/xdg-runtime
export SWITCHYARD_BENCH_KEY=sk-bench-dummy-key

bench_metadata "$switchyard" >> "$raw"
[ -n "$peer" ] || note "the peer gateway is left out (BENCH_SKIP_PEER=1, or npm could not install it)"

# --- the fake upstreams and the targets ------------------------------------------------------
free_port up_port; free_port stream_up_port; free_port proxy_port; free_port proxy_stream_port
free_port sy_port; free_port peer_port
body=$(tr -d '\n' < "$bench/data/chat-response.json")
conf=$(< "$bench/nginx/upstream.conf.in")
conf=${conf//@BODY@/$body}
fill_template "$conf" "$up_port" > "$work/upstream.conf"
fill_template "$(< "$bench/nginx/proxy.conf.in")" "$proxy_port" > "$work/proxy.conf"
mkdir -p "$work/upstream-tmp" "$work/proxy-tmp"

start_process upstream nginx -p "$work" -c "$work/upstream.conf" -g 'daemon off;'
upstream_pid=$last_pid
start_process stream-upstream "$tools/switchyard-bench-stream-upstream" --port "$stream_up_port" \
  --chunks "$chunks" --delay-ms "$chunk_delay_ms"
start_process nginx-proxy nginx -p "$work" -c "$work/proxy.conf" -g 'daemon off;'
nginx_pid=$last_pid
write_switchyard_config "$work/switchyard.json" "$sy_port"
start_process switchyard "$switchyard" --headless --port "$sy_port" --config "$work/switchyard.json" --db "$work/requests.db"
switchyard_pid=$last_pid
if [ -n "$peer" ]; then
  start_process portkey env -C "$bench/.cache/portkey" NODE_ENV=production \
    node node_modules/@portkey-ai/gateway/build/start-server.js --port="$peer_port" --headless
  peer_pid=$last_pid
fi
for port in $up_port $stream_up_port $proxy_port $proxy_stream_port $sy_port ${peer:+$peer_port}; do
  wait_port "$port" 30 || fail "nothing listens on 127.0.0.1:$port after 30 s (see $work/*.log)"
done

declare -A plain_port=([direct]=$up_port [nginx]=$proxy_port [switchyard]=$sy_port [portkey]=$peer_port)
declare -A stream_port=([direct]=$stream_up_port [nginx]=$proxy_stream_port [switchyard]=$sy_port [portkey]=$peer_port)
declare -A target_pids=([direct]="$upstream_pid" [nginx]="$nginx_pid" [switchyard]="$switchyard_pid" [portkey]="${peer_pid:-}")
targets="direct nginx switchyard ${peer}"
for t in $targets; do
  check_target "$t" "${plain_port[$t]}" "${stream_port[$t]}" || {
    if [ "$t" = portkey ]; then note "the peer gateway failed its check and is left out"; targets="direct nginx switchyard"
    else fail "$t failed its check (see $work/*.log)"; fi
  }
done
echo "meta targets=${targets// /,}" >> "$raw"

# --- plain calls: latency, throughput and CPU, interleaved, REPS times -----------------------
if wants plain; then
  for rep in $(seq 1 "$reps"); do
    for c in $connections; do
      for t in $targets; do
        progress "plain calls: repetition $rep/$reps, $c connections, $t"
        load_point "$t" "${plain_port[$t]}" "$c" "$rep" "${target_pids[$t]}"
      done
    done
  done
fi

# --- coding-agent-sized calls, small calls beside big ones, the throughput sweep --------------
if wants agent; then
  agent_phase
fi

# --- streams: time to first byte and the delay added to each chunk ---------------------------
if wants streams; then
  for rep in $(seq 1 "$reps"); do
    for t in $targets; do
      progress "streams: repetition $rep/$reps, $t"
      stream_point "$t" "${stream_port[$t]}" "$rep"
    done
  done
fi

# --- many streams at once -------------------------------------------------------------------
if wants manystreams; then
  progress "many streams: ${BENCH_MANY_STREAMS:-2000} at once through switchyard"
  many_streams_point "$sy_port"
fi

stop_process portkey

# --- the same small chat through Switchyard with a set number of proxy workers --------------
if wants workers; then
  for w in ${BENCH_WORKERS-1 2}; do
    free_port w_port
    write_switchyard_config "$work/switchyard-w$w.json" "$w_port"
    start_process "switchyard-w$w" "$switchyard" --headless --workers "$w" --port "$w_port" \
      --config "$work/switchyard-w$w.json" --db "$work/requests-w$w.db"
    w_pid=$last_pid
    wait_port "$w_port" 30 || fail "switchyard --workers $w does not listen (see $work/*.log)"
    for rep in $(seq 1 "$reps"); do
      for c in 8 64; do
        progress "proxy workers: $w, repetition $rep/$reps, $c connections"
        load_point "switchyard-w$w" "$w_port" "$c" "$rep" "$w_pid"
      done
    done
    stop_process "switchyard-w$w"
  done
fi

# --- memory of headless Switchyard and of the window under Xvfb ------------------------------
stop_process switchyard
if wants memory; then
  memory_phase headless
  if [ "${BENCH_SKIP_GUI:-0}" != 1 ]; then
    start_xvfb
    memory_phase gui
  fi
fi

# --- the request log at a million rows --------------------------------------------------------
if wants log; then
  progress "log store: writing $log_rows synthetic requests"
  echo "logstore $("$tools/switchyard-bench-logstore" generate "$work/log-1m.db" "$log_rows" | tail -n1)" >> "$raw"
  stats_phase "$work/log-1m.db"
  progress "log store: the Traces view on $log_rows rows (offscreen)"
  echo "traces $(QT_QPA_PLATFORM=offscreen "$tools/switchyard-bench-logstore" traces "$work/log-1m.db" 2>>"$work/traces.log" | tail -n1)" >> "$raw"
  progress "log store: a 200-turn agent session"
  echo "agentlog $("$tools/switchyard-bench-logstore" agent "$work/log-agent.db" 200 | tail -n1)" >> "$raw"
  progress "log store: $agent_seconds s of agent-sized calls ($agent_rate/s) with max_db_mib 256"
  echo "cappedlog $("$tools/switchyard-bench-logstore" capped "$work/log-capped.db" "$agent_seconds" 256 "$agent_rate" | tail -n1)" >> "$raw"
fi

echo "meta wall_s=$(( $(date +%s) - started_at ))" >> "$raw"
cp "$raw" "$bench/results/latest-raw.txt"
python3 "$bench/report.py" "$raw" "$bench/results/latest.md" "$root/docs/performance.md"
echo "bench: wrote bench/results/latest.md and the summary in docs/performance.md ($(( $(date +%s) - started_at )) s)"
