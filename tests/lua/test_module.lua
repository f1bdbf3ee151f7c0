-- test_module.lua -- require "claimkit" in the system lua5.4.
--   LUA_CPATH=build/lua/?.so lua5.4 tests/lua/test_module.lua PACK
local claimkit = require "claimkit"
local pack = assert(arg[1], "usage: test_module.lua claims.json")

local passed, failed = 0, 0
local function test(name, fn)
  local ok, err = pcall(fn)
  if ok then passed = passed + 1; print("ok   " .. name)
  else failed = failed + 1; print("FAIL " .. name .. ": " .. tostring(err)) end
end

local function raises(fn, part)
  local ok, err = pcall(fn)
  assert(not ok, "no error")
  assert(tostring(err):find(part, 1, true), "error was: " .. tostring(err))
end

test("open_import_and_call_registry_functions", function()
  local db <close> = claimkit.open()
  db:import(pack)
  assert(db:consensus("open-closed-parity", "n") == 5)
  assert(math.abs(db:consensus("open-closed-parity") - 0.5424857003518557) < 1e-12)
  assert(db:label("competition-shift") == "consensus")
  assert(db:value("deepseek", "aa-index", "2026-03") == 41.61)
  assert(db:rank("aa-index", "deepseek") == 6)
  assert(#db:views("open-closed-parity") == 5)
  assert(db:stats().claims == 72)
end)

test("names_and_aliases_stand_for_ids", function()
  local db <close> = claimkit.open()
  db:import(pack)
  assert(db:stance("open-closed-parity", "斯坦福") ==
         db:stance("open-closed-parity", "stanford-hai"))
  assert(db:value("DeepSeek", "智能指数", "2026-03") == 41.61)
  raises(function() db:stance("open-closed-parity", "长桥") end,
         "no actor '长桥' (CK_NOTFOUND)")
end)

test("named_arguments_and_infinite_bounds", function()
  local db <close> = claimkit.open()
  db:import(pack)
  assert(db:consensus{question = "open-closed-parity", measure = "n"} == 5)
  assert(db:value("qwen", "mau", "", "hi") == math.huge)
  assert(db:quantity("超过3亿", 0, "hi") == math.huge)
  assert(db:quantity("两百多亿美元", 0, "unit") == "USD")
end)

test("errors_carry_the_status_code", function()
  local db <close> = claimkit.open()
  raises(function() db:consensus("nope") end, "no question 'nope' (CK_NOTFOUND)")
  raises(function() db:consensus("q", "cns", "colour=red") end, "(CK_")
  raises(function() db:nosuch() end, "no function 'nosuch'")
  raises(function() db:nosuch() end, "(CK_NOTFOUND)")
  raises(function() db:import('{"claims": 3}') end, "(CK_INVALID)")
  raises(function() claimkit.open("/nonexistent/dir/x.db") end, "(CK_IO)")
  raises(function() claimkit.open(nil, "w") end, "mode must be")
end)

test("import_text_export_and_read_only_files", function()
  local path = os.tmpname()
  os.remove(path)
  do
    local db <close> = claimkit.open(path)
    db:import('{"actors": [{"id": "a", "region": "overseas"}]}')
    assert(db:export():find('"region": "overseas"', 1, true))
  end
  local ro <close> = claimkit.open(path, "r")
  assert(ro:stats().actors == 1)
  raises(function() ro:import('{"actors": [{"id": "b"}]}') end, "(CK_READONLY)")
  os.remove(path)
end)

test("scripts_register_functions_for_the_module_too", function()
  local db <close> = claimkit.open()
  db:import(pack)
  db:script([[ck.register{name = "parity_mean", returns = "number",
    fn = function() return ck.consensus("open-closed-parity", "mean") end}]])
  assert(math.abs(db:parity_mean() - 0.2) < 1e-12)
  local w = db:watch_team()  -- from the pack's own script
  assert(w.status == "contested", w.status)
  raises(function() db:script("error('x')") end, "(CK_SCRIPT)")
end)

test("close_is_idempotent_and_use_after_close_raises", function()
  local db = claimkit.open()
  db:close()
  db:close()
  raises(function() db:stats() end, "closed")
  assert(tostring(db):find("closed"))
end)

test("limits", function()
  local db <close> = claimkit.open()
  assert(db:limit(claimkit.LIMIT_LUA_STEPS) == 100000000)
  db:limit(claimkit.LIMIT_LUA_STEPS, 1000)
  raises(function() db:script("while true do end") end, "instruction limit")
end)

test("a_null_result_runs_the_function_once", function()
  local db <close> = claimkit.open()
  db:script([[calls = 0 ck.register{name = "once", params = {"x"},
    fn = function(x) calls = calls + 1 if x == 1 then return 1 / 0 end end}]])
  assert(db:once(1) == math.huge)
  assert(db:once(2) == nil)
  db:script("assert(calls == 2, calls)")
end)

test("the_report_of_any_database", function()
  local db <close> = claimkit.open()
  db:import([[{"sources": [{"id": "s", "title": "Notes <1>"}],
    "actors": [{"id": "a", "region": "north"}, {"id": "b", "region": "south"}],
    "questions": [{"id": "q", "text": "Q?", "scale": [0, 2]}],
    "claims": [{"source": "s", "actor": "a", "question": "q", "stance": 2},
               {"source": "s", "actor": "b", "question": "q", "stance": 0}]}]])
  local path = os.tmpname()
  local html, dashboard = db:report{output = path}
  assert(html:find("<title>Notes &lt;1&gt; — who believes what</title>", 1, true))
  assert(html:find(">north</text>", 1, true) and html:find(">south</text>", 1, true))
  assert(not html:find("Rankings", 1, true) and not html:find("<h2>Figures", 1, true))
  assert(dashboard[1].title == "Questions" and dashboard[1].rows[1].question == "q")
  assert(dashboard[1].rows[1]["north-south"] == "+2.00", dashboard[1].rows[1]["north-south"])
  local f = assert(io.open(path))
  assert(f:read("a") == html)
  f:close()
  os.remove(path)
  raises(function() db:report{output = "/nonexistent/dir/r.html"} end, "cannot write")
end)

print(string.format("%d passed, %d failed", passed, failed))
os.exit(failed == 0 and passed > 0 and 0 or 1)
