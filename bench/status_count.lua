-- Counts responses by status class across all wrk threads and prints one line at the end:
--   BENCH_STATUS 2xx=N 3xx=N 4xx=N 5xx=N other=N
-- and the latency percentiles wrk --latency does not print (microseconds):
--   BENCH_P95_US N
--   BENCH_P999_US N
-- wrk's own "Non-2xx or 3xx responses" only counts status >= 400; a redirect (e.g. to a
-- login page) would pass silently, so the benchmark counts every class itself.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  s2xx, s3xx, s4xx, s5xx, sother = 0, 0, 0, 0, 0
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    s2xx = s2xx + 1
  elseif status >= 300 and status < 400 then
    s3xx = s3xx + 1
  elseif status >= 400 and status < 500 then
    s4xx = s4xx + 1
  elseif status >= 500 and status < 600 then
    s5xx = s5xx + 1
  else
    sother = sother + 1
  end
end

function done(summary, latency, requests)
  local t = { s2xx = 0, s3xx = 0, s4xx = 0, s5xx = 0, sother = 0 }
  for _, thread in ipairs(threads) do
    for k, _ in pairs(t) do
      t[k] = t[k] + (thread:get(k) or 0)
    end
  end
  io.write(string.format("BENCH_STATUS 2xx=%d 3xx=%d 4xx=%d 5xx=%d other=%d\n",
    t.s2xx, t.s3xx, t.s4xx, t.s5xx, t.sother))
  io.write(string.format("BENCH_P95_US %d\n", latency:percentile(95)))
  io.write(string.format("BENCH_P999_US %d\n", latency:percentile(99.9)))
end
