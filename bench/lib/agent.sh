# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by bench/run.sh: coding-agent-sized requests (issue 13). Needs the targets of the
# plain-call phase running (direct, nginx, switchyard), with the alias "general" of
# write_switchyard_config going to an OpenAI-kind provider: a chat body passes through, a
# Messages body is translated to chat and its answer back. Appends to $raw:
#   agent target=T size_kb=N conns=C rep=R p50_us=… p99_us=… rps=…   (T: direct, nginx,
#         switchyard = passthrough, switchyard-translated = /v1/messages)
#   mixed target=T rep=R alone_p99_us=… beside_p99_us=… (small calls on 1 connection, alone,
#         then while 2 connections send 400 KB bodies to the same target)
#   sweep target=T conns=C rep=R p99_us=… rps=…   (small calls, for the throughput at which
#         p99 stays under 1 ms and 5 ms)

agent_sizes=${BENCH_AGENT_SIZES:-"90 400"}
agent_conns=${BENCH_AGENT_CONNECTIONS:-"1 8"}
sweep_conns=${BENCH_SWEEP_CONNECTIONS:-"1 2 4 8 16 32 64"}

make_agent_bodies() {
  mkdir -p "$work/agent-bodies"
  python3 "$bench/agent/make_bodies.py" "$work/agent-bodies" $agent_sizes 400
}

# run_wrk_body PORT CONNECTIONS SECONDS BODY PATH: wrk's BENCH line for one body and endpoint.
run_wrk_body() {
  local threads=$(( $2 < 2 ? 1 : 2 ))
  BENCH_BODY=$4 BENCH_PATH=$5 BENCH_UPSTREAM_URL=http://127.0.0.1:$up_port/v1 \
    timeout $(( $3 + 30 )) wrk -t"$threads" -c"$2" -d"$3"s --timeout 10s -s "$bench/chat.lua" "http://127.0.0.1:$1" \
    | grep '^BENCH ' || fail "wrk with $(basename "$4") against 127.0.0.1:$1 gave no result"
}

# agent_point TARGET PORT SIZE CONNS REP
agent_point() {
  local body=$work/agent-bodies/chat-$3k.json path=/v1/chat/completions line
  if [ "$1" = switchyard-translated ]; then
    body=$work/agent-bodies/messages-$3k.json
    path=/v1/messages
  fi
  run_wrk_body "$2" "$4" 1 "$body" "$path" > /dev/null
  line=$(run_wrk_body "$2" "$4" "$seconds" "$body" "$path")
  echo "agent target=$1 size_kb=$3 conns=$4 rep=$5 ${line#BENCH }" >> "$raw"
}

# mixed_point TARGET PORT REP: the small calls' p99 alone, then beside two 400 KB senders.
mixed_point() {
  local alone beside big_pid
  alone=$(run_wrk_body "$2" 1 "$seconds" "$bench/data/chat-request.json" /v1/chat/completions)
  BENCH_BODY=$work/agent-bodies/chat-400k.json BENCH_PATH=/v1/chat/completions \
    timeout $(( seconds + 32 )) wrk -t1 -c2 -d$(( seconds + 2 ))s --timeout 10s -s "$bench/chat.lua" \
    "http://127.0.0.1:$2" > "$work/mixed-big-$1.txt" 2>&1 &
  big_pid=$!
  sleep 1
  beside=$(run_wrk_body "$2" 1 "$seconds" "$bench/data/chat-request.json" /v1/chat/completions)
  wait "$big_pid" || true
  echo "mixed target=$1 rep=$3 alone_p99_us=$(sed 's/.*p99_us=\([0-9]*\).*/\1/' <<< "$alone")" \
    "alone_p50_us=$(sed 's/.*p50_us=\([0-9]*\).*/\1/' <<< "$alone")" \
    "beside_p99_us=$(sed 's/.*p99_us=\([0-9]*\).*/\1/' <<< "$beside")" \
    "beside_p50_us=$(sed 's/.*p50_us=\([0-9]*\).*/\1/' <<< "$beside")" \
    "big_requests=$(sed -n 's/.*requests=\([0-9]*\).*/\1/p' "$work/mixed-big-$1.txt")" >> "$raw"
}

sweep_point() { # TARGET PORT CONNS REP
  local line
  line=$(run_wrk_body "$2" "$3" "$seconds" "$bench/data/chat-request.json" /v1/chat/completions)
  echo "sweep target=$1 conns=$3 rep=$4 ${line#BENCH }" >> "$raw"
}

agent_phase() {
  local rep size c t port
  make_agent_bodies
  for rep in $(seq 1 "$reps"); do
    for size in $agent_sizes; do
      for c in $agent_conns; do
        for t in direct nginx switchyard switchyard-translated; do
          port=${plain_port[${t%-translated}]}
          progress "agent-sized calls: repetition $rep/$reps, ${size} KB, $c connections, $t"
          agent_point "$t" "$port" "$size" "$c" "$rep"
        done
      done
    done
    for t in nginx switchyard; do
      progress "small calls beside 400 KB ones: repetition $rep/$reps, $t"
      mixed_point "$t" "${plain_port[$t]}" "$rep"
    done
    for c in $sweep_conns; do
      for t in nginx switchyard; do
        progress "throughput sweep: repetition $rep/$reps, $c connections, $t"
        sweep_point "$t" "${plain_port[$t]}" "$c" "$rep"
      done
    done
  done
}
