# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by bench/run.sh: installing what the run needs, free ports, and the processes it
# starts (each one remembered by its id and stopped by bench_cleanup, also on failure).

note() { echo "bench: $*" >&2; echo "note text=${*// /_}" >> "$raw"; }
fail() { echo "bench: $*" >&2; exit 1; }
progress() { echo "bench: [$(( $(date +%s) - started_at )) s] $*" >&2; }

# Debian packages by name, installed (as root) only when missing.
bench_apt_install() {
  local missing=() p
  for p in "$@"; do
    if [ "$p" = python3 ] && command -v python3 >/dev/null; then continue; fi
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    fail "missing Debian packages: ${missing[*]}; install them with: sudo apt-get install ${missing[*]}"
  fi
  echo "bench: installing ${missing[*]}" >&2
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
}

# The Portkey gateway from npm, pinned by bench/package-lock.json, into bench/.cache/portkey.
bench_install_portkey() {
  local dir=$bench/.cache/portkey
  if ! command -v npm >/dev/null; then
    bench_apt_install nodejs npm || return 1
  fi
  if [ -f "$dir/node_modules/@portkey-ai/gateway/build/start-server.js" ] \
     && cmp -s "$bench/package-lock.json" "$dir/package-lock.json"; then
    return 0
  fi
  mkdir -p "$dir"
  cp "$bench/package.json" "$bench/package-lock.json" "$dir/"
  (cd "$dir" && npm ci --no-audit --no-fund --ignore-scripts >"$dir/npm.log" 2>&1) || {
    echo "bench: npm ci failed, see $dir/npm.log" >&2
    return 1
  }
}

used_ports=" "
# Below the kernel's range for outgoing connections, so no client socket takes it meanwhile.
read -r ephemeral_low _ < /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || ephemeral_low=32768
(( ephemeral_low > 12000 )) || ephemeral_low=32768
# free_port VAR: a port on 127.0.0.1 that nothing listens on (and not handed out before).
free_port() {
  local p
  while :; do
    p=$(( 10000 + RANDOM % (ephemeral_low - 10000) ))
    [[ $used_ports == *" $p "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      used_ports+="$p "
      printf -v "$1" %s "$p"
      return
    fi
  done
}

wait_port() { # PORT SECONDS
  local i
  for (( i = 0; i < $2 * 10; i++ )); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

fill_template() { # TEMPLATE PORT
  local t=$1
  t=${t//@DIR@/$work}
  t=${t//@PORT@/$2}
  t=${t//@UPSTREAM_PORT@/$up_port}
  t=${t//@STREAM_UPSTREAM_PORT@/$stream_up_port}
  t=${t//@STREAM_PORT@/$proxy_stream_port}
  printf '%s\n' "$t"
}

declare -A started=()
last_pid=
# start_process NAME COMMAND...: in the background, output to $work/NAME.log.
start_process() {
  local name=$1
  shift
  "$@" >"$work/$name.log" 2>&1 &
  last_pid=$!
  started[$name]=$last_pid
}

stop_process() { # NAME: SIGTERM, then SIGKILL after 5 s
  local pid=${started[$1]:-} i
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || true
  for (( i = 0; i < 50; i++ )); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  unset "started[$1]"
}

bench_cleanup() {
  local name
  for name in "${!started[@]}"; do
    stop_process "$name"
  done
}

# The process and its direct children (nginx workers), for CPU time.
with_children() {
  local pid f
  for pid in "$@"; do
    echo "$pid"
    for f in /proc/[0-9]*/stat; do
      read -r -a s < "$f" 2>/dev/null || continue
      if [ "${s[3]}" = "$pid" ]; then echo "${s[0]}"; fi
    done
  done
}

cpu_ticks() { # PIDS...: user + system clock ticks, threads included
  local t=0 pid
  for pid in "$@"; do
    read -r -a s < "/proc/$pid/stat" 2>/dev/null || continue
    t=$(( t + s[13] + s[14] ))
  done
  echo "$t"
}

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# wait_idle PID: until the process used under 2 ticks of CPU in a second (work queued during a
# load is done), at most 30 s. Memory is read then, the same way for every mode.
wait_idle() {
  local i before after
  for (( i = 0; i < 30; i++ )); do
    before=$(cpu_ticks "$1"); sleep 1; after=$(cpu_ticks "$1")
    (( after - before < 2 )) && return 0
  done
  note "process $1 was still busy after 30 s; its memory was read anyway"
}

start_xvfb() {
  exec 5>"$work/xvfb-display"
  start_process xvfb Xvfb -displayfd 5 -screen 0 1400x900x24 -nolisten tcp
  exec 5>&-
  local i
  for (( i = 0; i < 100; i++ )); do
    [ -s "$work/xvfb-display" ] && break
    sleep 0.1
  done
  [ -s "$work/xvfb-display" ] || fail "Xvfb did not start (see $work/xvfb.log)"
  xvfb_display=:$(head -n1 "$work/xvfb-display")
}

bench_metadata() { # SWITCHYARD_BINARY
  local cpu mem debian
  cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
  mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
  debian=$(cat /etc/debian_version 2>/dev/null || echo unknown)
  printf 'meta cpu=%s\n' "${cpu// /_}"
  printf 'meta cores=%s memory=%s kernel=%s debian=%s\n' "$(nproc)" "${mem// /_}" "$(uname -r)" "$debian"
  printf 'meta date=%s load_before=%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' /)"
  printf 'meta switchyard=%s commit=%s build=Release_(%s)\n' "$("$1" --version | tr ' ' _ | tr -d '\n')" \
    "$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo none)$(git -C "$root" diff --quiet HEAD 2>/dev/null || echo +changes)" \
    "${build#"$root"/}"
  printf 'meta nginx=%s wrk=%s node=%s qt=%s gcc=%s\n' "$(nginx -v 2>&1 | sed 's/.*nginx\///')" \
    "$(dpkg-query -W -f='${Version}' wrk)" "$(node --version 2>/dev/null || echo none)" \
    "$(dpkg-query -W -f='${Version}' qt6-base-dev 2>/dev/null)" "$(gcc -dumpfullversion)"
  if [ -f "$bench/.cache/portkey/node_modules/@portkey-ai/gateway/package.json" ]; then
    printf 'meta portkey=%s hono_node_server=%s\n' \
      "$(node -p "require('$bench/.cache/portkey/node_modules/@portkey-ai/gateway/package.json').version")" \
      "$(node -p "require('$bench/.cache/portkey/node_modules/@hono/node-server/package.json').version")"
  fi
  printf 'meta seconds=%s reps=%s connections=%s streams=%s stream_rounds=%s chunks=%s chunk_delay_ms=%s\n' \
    "$seconds" "$reps" "${connections// /,}" "$streams" "$stream_rounds" "$chunks" "$chunk_delay_ms"
}
