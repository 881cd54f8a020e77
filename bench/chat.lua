-- SPDX-License-Identifier: GPL-3.0-or-later
-- wrk script: POSTs a request body (BENCH_BODY; by default a realistic chat completion request)
-- to BENCH_PATH (by default /v1/chat/completions) on every target alike
-- and prints one machine-readable line (latencies in microseconds).
local function read(path)
  local f = assert(io.open(path, "rb"))
  local data = f:read("*a")
  f:close()
  return data
end

wrk.method = "POST"
wrk.path = os.getenv("BENCH_PATH") or "/v1/chat/completions"
wrk.body = read(os.getenv("BENCH_BODY"))
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer sk-bench-not-a-real-key"
wrk.headers["User-Agent"] = "OpenAI/Python 1.54.3"
-- A Messages request (the translated agent scenario) carries Anthropic's headers too.
if wrk.path == "/v1/messages" then
  wrk.headers["anthropic-version"] = "2023-06-01"
  wrk.headers["x-api-key"] = "sk-bench-not-a-real-key"
end
-- The peer gateway (Portkey) takes its target from these two headers; the other targets
-- ignore them. They go to every target so that every target gets the same bytes.
wrk.headers["x-portkey-provider"] = "openai"
wrk.headers["x-portkey-custom-host"] = os.getenv("BENCH_UPSTREAM_URL")

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d mean_us=%.1f " ..
    "errors_connect=%d errors_read=%d errors_write=%d errors_status=%d errors_timeout=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.max, latency.mean, e.connect, e.read, e.write, e.status, e.timeout))
end
