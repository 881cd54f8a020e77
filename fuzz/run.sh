#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# fuzz/run.sh BUILD_DIR SECONDS [PARALLEL]: runs every fuzz target of BUILD_DIR for SECONDS,
# PARALLEL at a time, at the lowest CPU priority. Each starts from its seeds in
# fuzz/corpus/<target>/ and the kept crashes in fuzz/regressions/<target>/, and keeps what it
# learns in BUILD_DIR/fuzz-corpus/<target>/ (the seeds in the repository are not touched).
# A crash, a leak or a failed check leaves its input in BUILD_DIR/fuzz-artifacts/ and makes
# the run fail; copy the input into fuzz/regressions/<target>/ once the bug is fixed.
set -uo pipefail
build=${1:?usage: fuzz/run.sh BUILD_DIR SECONDS [PARALLEL]}
seconds=${2:?usage: fuzz/run.sh BUILD_DIR SECONDS [PARALLEL]}
parallel=${3:-1}
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$build" && pwd)
# FUZZ_TARGETS="fuzz_SseParser …" limits the run to those targets; FUZZ_SEED=N fixes
# libFuzzer's random seed, so a short run tries the same inputs each time (CI uses it).
all="fuzz_HttpRequestParser fuzz_SseParser fuzz_DialectRequest fuzz_DialectResponse fuzz_DialectStream
     fuzz_ConfigParser fuzz_OpenAiBody fuzz_ResponsesDialect"
read -r -a targets <<<"$(echo ${FUZZ_TARGETS:-$all})"

fuzz_one() {
  local t=$1
  local work="$build/fuzz-corpus/$t" artifacts="$build/fuzz-artifacts/$t"
  local dict=() log="$build/fuzz-logs/$t.log"
  mkdir -p "$work" "$artifacts" "$build/fuzz-logs" "$here/regressions/$t"
  [ -f "$here/dictionaries/$t.dict" ] && dict=(-dict="$here/dictionaries/$t.dict")
  local status cpu TIMEFORMAT='%U %S'
  cpu=$( { time nice -n 19 "$build/fuzz/$t" -max_total_time="$seconds" ${FUZZ_SEED:+-seed=$FUZZ_SEED} -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
             -print_final_stats=1 -print_funcs=0 -artifact_prefix="$artifacts/" "${dict[@]}" \
             "$work" "$here/corpus/$t" "$here/regressions/$t" >"$log" 2>&1; echo "status $?" >"$log.status"; } 2>&1 )
  status=$(cut -d' ' -f2 "$log.status")
  cpu=$(echo "$cpu" | awk '{printf "%.0f", $1 + $2}')
  if [ "$status" = 0 ]; then
    echo "fuzz: $t: $(grep -a -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$') runs in ${seconds}s (${cpu} CPU s), no finding"
  elif [ "$status" = 72 ]; then # libFuzzer's exit code when SIGINT or SIGTERM stops it
    echo "fuzz: $t interrupted by a signal, no finding until then; log $log" >&2
    return 1
  else
    echo "fuzz: $t FAILED; input in $artifacts/, log $log:" >&2
    grep -a -E 'ERROR|fuzz check failed|SUMMARY|runtime error' "$log" | head -5 >&2
    return 1
  fi
}
export -f fuzz_one
export build seconds here

printf '%s\n' "${targets[@]}" | xargs -P "$parallel" -I{} bash -c 'fuzz_one {}'
