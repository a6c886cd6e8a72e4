-- wrk script: random announces of known peers, read from a file prepared by announce.py.
--
--   wrk ... -s announce.lua URL -- LINES_FILE tinypier|opentracker
--
-- Each line of LINES_FILE is "passkey<TAB>query", the query already percent-encoded.
-- TinyPier is asked at /announce/<passkey>?query, opentracker (no passkeys) at
-- /announce?query. done() prints one JSON line that announce.py reads.

local lines = {}
local flavour = "tinypier"

function init(args)
   flavour = args[2] or flavour
   for line in io.lines(args[1]) do
      local passkey, query = line:match("^(%x+)\t(.+)$")
      if flavour == "opentracker" then
         lines[#lines + 1] = "/announce?" .. query
      else
         lines[#lines + 1] = "/announce/" .. passkey .. "?" .. query
      end
   end
   math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 1000)
end

function request()
   return wrk.format("GET", lines[math.random(#lines)])
end

function done(summary, latency, requests)
   local errors = summary.errors
   io.write(string.format(
      '{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, ' ..
      '"connect_errors": %d, "read_errors": %d, "write_errors": %d, ' ..
      '"status_errors": %d, "timeouts": %d}\n',
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
      errors.connect, errors.read, errors.write, errors.status, errors.timeout))
end
