-- wrk script: send every line of a file once, in order (run it with -t1), then print
-- "warmed" on stdout.
--
--   wrk -t1 -c50 -d900s -s warm.lua URL -- LINES_FILE
--
-- Lines are "passkey<TAB>query" as for announce.lua; they go to /announce?query, which is
-- how announce.py announces every peer of the board to opentracker before measuring it.
-- wrk itself always runs for its whole -d duration, so announce.py stops it when it reads
-- "warmed". (A separate script because wrk only calls response() when the script defines
-- it as it loads, and a response() slows the measured runs of announce.lua.)

local paths = {}
local sent = 0
local answered = 0

function init(args)
   for line in io.lines(args[1]) do
      paths[#paths + 1] = "/announce?" .. line:match("\t(.+)$")
   end
end

function request()
   sent = sent % #paths + 1
   return wrk.format("GET", paths[sent])
end

function response()
   answered = answered + 1
   if answered == #paths then
      io.write("warmed\n")
      io.flush()
      wrk.thread:stop()
   end
end
