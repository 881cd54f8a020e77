# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by bench/run.sh: the measurements. Each appends key=value lines to $raw, which
# bench/report.py turns into bench/results/latest.md. The same client, request bytes and
# method go to every target.

write_switchyard_config() { # FILE PORT
  cat > "$1" <<EOF
{
  "version": 1,
  "listen": { "host": "127.0.0.1", "port": $2 },
  "providers": [
    { "name": "bench", "kind": "openai", "base_url": "http://127.0.0.1:$up_port/v1", "api_key_env": "SWITCHYARD_BENCH_KEY" },
    { "name": "bench-stream", "kind": "openai", "base_url": "http://127.0.0.1:$stream_up_port/v1", "api_key_env": "SWITCHYARD_BENCH_KEY" }
  ],
  "aliases": [
    { "name": "general", "strategy": "fallback", "targets": [ { "provider": "bench", "model": "gpt-4o-mini" } ] },
    { "name": "general-stream", "strategy": "fallback", "targets": [ { "provider": "bench-stream", "model": "gpt-4o-mini" } ] }
  ],
  "pricing": [
    { "provider": "bench", "model": "gpt-4o-mini", "input_per_mtok": 0.15, "output_per_mtok": 0.60 },
    { "provider": "bench-stream", "model": "gpt-4o-mini", "input_per_mtok": 0.15, "output_per_mtok": 0.60 }
  ],
  "log": { "max_db_mib": 16384 },
  "limits": { "max_connections": 4096 }
}
EOF
  chmod 600 "$1"
}

# run_wrk PORT CONNECTIONS THREADS SECONDS: prints wrk's BENCH line.
run_wrk() {
  BENCH_BODY=$bench/data/chat-request.json BENCH_UPSTREAM_URL=http://127.0.0.1:$up_port/v1 \
    timeout $(( $4 + 30 )) wrk -t"$3" -c"$2" -d"$4"s --timeout 10s -s "$bench/chat.lua" "http://127.0.0.1:$1" \
    | grep '^BENCH ' || fail "wrk against 127.0.0.1:$1 gave no result"
}

run_stream_client() { # PORT STREAMS ROUNDS
  timeout 300 "$tools/switchyard-bench-stream-client" --port "$1" --streams "$2" --rounds "$3" --timeout-s 30 \
    --body "$bench/data/chat-stream-request.json" --header "Authorization: Bearer sk-bench-not-a-real-key" \
    --header "User-Agent: OpenAI/Python 1.54.3" --header "x-portkey-provider: openai" \
    --header "x-portkey-custom-host: http://127.0.0.1:$stream_up_port/v1"
}

check_target() { # NAME PLAIN_PORT STREAM_PORT: one plain call and one stream must work
  local code
  code=$(curl -s -o "$work/check-$1.json" -w '%{http_code}' --max-time 10 -H 'Content-Type: application/json' \
    -H 'Authorization: Bearer sk-bench-not-a-real-key' -H 'x-portkey-provider: openai' \
    -H "x-portkey-custom-host: http://127.0.0.1:$up_port/v1" --data-binary "@$bench/data/chat-request.json" \
    "http://127.0.0.1:$2/v1/chat/completions") || true
  if [ "$code" != 200 ] || ! grep -q '"chat.completion"' "$work/check-$1.json"; then
    echo "bench: $1 answered a plain call with $code: $(head -c 300 "$work/check-$1.json")" >&2
    return 1
  fi
  run_stream_client "$3" 1 1 > "$work/check-$1-stream.txt" 2>&1 || {
    echo "bench: $1 failed a streamed call: $(head -c 300 "$work/check-$1-stream.txt")" >&2
    return 1
  }
}

# load_point NAME PORT CONNECTIONS REP PIDS: one second of warm-up, then a measured run with
# the CPU time of the target's processes (for "direct": the fake upstream's own).
load_point() {
  local threads=$(( $3 < 2 ? 1 : 2 )) pids before after line
  pids=$(with_children $5)
  run_wrk "$2" "$3" "$threads" 1 >/dev/null
  before=$(cpu_ticks $pids)
  line=$(run_wrk "$2" "$3" "$threads" "$seconds")
  after=$(cpu_ticks $pids)
  echo "load target=$1 rep=$4 conns=$3 cpu_ticks=$(( after - before )) clk_tck=$(getconf CLK_TCK) ${line#BENCH }" >> "$raw"
}

stream_point() { # NAME PORT REP
  local line
  line=$(run_stream_client "$2" "$streams" "$stream_rounds" 2>>"$work/stream-client.log") \
    || fail "streams through $1 failed: $line (see $work/stream-client.log)"
  echo "stream target=$1 rep=$3 $line" >> "$raw"
}

# BENCH_MANY_STREAMS streamed calls at the same moment through Switchyard (one round after a
# warm-up round that opens the connections): every one must complete.
many_streams_point() { # PORT
  local line many=${BENCH_MANY_STREAMS:-2000}
  line=$(run_stream_client "$1" "$many" 1 2>>"$work/stream-client.log") \
    || note "not every one of $many concurrent streams completed: ${line:-no result} (see $work/stream-client.log)"
  echo "manystreams target=switchyard wanted=$many $line" >> "$raw"
}

# send_requests PORT COUNT: plain calls on 8 connections in 2-second runs until at least
# COUNT were answered (at most 5 minutes); prints how many were, and the last rate.
send_requests() {
  local total=0 line rps=0 deadline=$(( $(date +%s) + 300 ))
  while (( total < $2 && $(date +%s) < deadline )); do
    line=$(run_wrk "$1" 8 2 2)
    total=$(( total + $(sed 's/.*requests=\([0-9]*\).*/\1/' <<< "$line") ))
    rps=$(sed 's/.*rps=\([0-9.]*\).*/\1/' <<< "$line")
  done
  echo "$total $rps"
}

# memory_phase headless|gui: resident memory of a fresh instance at idle, after the first
# tenth of BENCH_MEMORY_REQUESTS plain calls, and after all of them (8 connections).
memory_phase() {
  local mode=$1 port pid idle first all n1 n2 rps
  free_port port
  write_switchyard_config "$work/memory-$mode.json" "$port"
  progress "memory: $mode Switchyard, idle and over $memory_requests requests"
  if [ "$mode" = headless ]; then
    start_process "memory-$mode" "$switchyard" --headless --port "$port" --config "$work/memory-$mode.json" \
      --db "$work/memory-$mode.db"
  else
    start_process "memory-$mode" env DISPLAY="$xvfb_display" QT_QPA_PLATFORM=xcb "$switchyard" --port "$port" \
      --config "$work/memory-$mode.json" --db "$work/memory-$mode.db"
  fi
  pid=$last_pid
  wait_port "$port" 60 || fail "$mode Switchyard did not start (see $work/memory-$mode.log)"
  sleep 3
  idle=$(rss_kib "$pid")
  n1=$(( memory_requests / 10 ))
  n2=$(( memory_requests - n1 ))
  read -r n1 rps < <(send_requests "$port" "$n1")
  wait_idle "$pid"
  first=$(rss_kib "$pid")
  read -r n2 rps < <(send_requests "$port" "$n2")
  wait_idle "$pid"
  all=$(rss_kib "$pid")
  echo "memory mode=$mode idle_kib=$idle first_requests=$n1 after_first_kib=$first requests=$(( n1 + n2 ))" \
    "after_all_kib=$all rps=$rps" >> "$raw"
  stop_process "memory-$mode"
}

# /api/stats over the million-row log, through a headless instance's admin API.
stats_phase() { # DB
  local port since q i t times
  free_port port
  write_switchyard_config "$work/stats.json" "$port"
  start_process stats "$switchyard" --headless --port "$port" --config "$work/stats.json" --db "$1"
  wait_port "$port" 60 || fail "Switchyard did not start on the million-row log (see $work/stats.log)"
  since=$(( ($(date +%s) - 29 * 86400) * 1000 ))
  for q in "bucket=day&by=alias" "bucket=hour&by=model" "bucket=day&by=project"; do
    progress "log store: /api/stats?$q over the whole log"
    times=()
    for i in 1 2 3 4 5 6 7; do
      t=$(curl -s -o "$work/stats-answer.json" -w '%{time_total}' --max-time 60 \
        "http://127.0.0.1:$port/api/stats?since=$since&$q") || fail "/api/stats?$q failed"
      times+=("$t")
    done
    echo "stats query=$q requests=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["totals"]["requests"])' \
      "$work/stats-answer.json" 2>/dev/null || echo unknown) seconds=$(IFS=,; echo "${times[*]}")" >> "$raw"
  done
  stop_process stats
}
