-- POSTs one signed WhatsApp webhook delivery, as Meta sends it, on every request; counts the
-- status classes and prints the extra percentiles as status_count.lua does (loaded first).
--   wrk -s bench/webhook_post.lua URL -- BODY_FILE SIGNATURE
-- BODY_FILE holds the JSON body; SIGNATURE is "sha256=" + HMAC-SHA256(body, app secret),
-- computed by bench/whatsapp_webhook.py (LuaJIT has no HMAC). The same body every time is
-- fine: the webhook stores every delivery, duplicates are dropped later by the worker.

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "status_count.lua")

local count_init = init

-- wrk builds its one static request after init(), so what is set here goes on every request.
function init(args)
  count_init(args)
  local f = assert(io.open(args[1], "rb"))
  wrk.body = f:read("*a")
  f:close()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-Hub-Signature-256"] = args[2]
end
