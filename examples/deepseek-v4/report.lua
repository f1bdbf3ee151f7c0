-- report.lua -- the DeepSeek V4 dashboard and report.
--
--   claimkit-lua -d deepseek-v4.db examples/deepseek-v4/report.lua [report.html]
--
-- Imports the example pack into the console's database, prints a terminal
-- dashboard (questions, frameworks, key figures, the watchlist) and writes
-- one self-contained HTML page: inline SVG charts, every number linked to
-- the quotes behind it, no network.

local here = (arg and arg[0] or ""):match("^(.*)/[^/]*$") or "."
local out_path = arg and arg[1] or "report.html"

db:import(here .. "/claims.json")

-- ---- data ---------------------------------------------------------------

local function rows(sql, ...) return db:sql(sql, {...}) end

local function try(f, ...)
  local ok, v = pcall(f, ...)
  if ok then return v end
  return nil
end

local questions = rows("SELECT q.id, q.text, q.framework, f.name AS framework_name, "
  .. "q.scale_min, q.scale_max FROM questions q LEFT JOIN frameworks f "
  .. "ON f.id = q.framework ORDER BY q.framework, q.id")
for _, q in ipairs(questions) do
  q.n = db:consensus(q.id, "n")
  q.mean = try(db.consensus, db, q.id, "mean")
  q.cns = try(db.consensus, db, q.id, "cns")
  q.label = try(db.label, db, q.id) or "-"
  q.gap = try(db.split, db, q.id)
  q.views = db:views(q.id)
  -- a region filter keeps each actor's own latest view, so the counts come
  -- from the one list
  q.by_region = {}
  for _, region in ipairs{"domestic", "overseas"} do
    local counts = {}
    for s = q.scale_min, q.scale_max do counts[s] = 0 end
    q.by_region[region] = counts
  end
  for _, v in ipairs(q.views) do
    local counts = q.by_region[v.region]
    if counts then counts[v.stance] = counts[v.stance] + 1 end
  end
end

local frameworks = rows("SELECT id, name FROM frameworks ORDER BY id")
for _, f in ipairs(frameworks) do f.cns = try(db.framework, db, f.id) end

local labs = rows("SELECT DISTINCT entity AS id FROM observations "
  .. "WHERE metric = 'aa-index' AND period = '2026-03'")
for _, lab in ipairs(labs) do
  lab.value = db:value(lab.id, "aa-index", "2026-03")
  lab.rank = db:rank("aa-index", lab.id, "2026-03")
end
table.sort(labs, function(a, b) return a.value > b.value end)
local leader = labs[1]
for _, lab in ipairs(labs) do
  lab.gap = db:gap("aa-index", lab.id, leader.id, "2026-03")
end

local figures = rows("SELECT o.entity, e.name AS entity_name, o.metric, "
  .. "m.name AS metric_name, o.period, o.unit FROM observations o "
  .. "JOIN entities e ON e.id = o.entity JOIN metrics m ON m.id = o.metric "
  .. "WHERE o.metric NOT IN ('aa-index', 'release') "
  .. "GROUP BY o.entity, o.metric, o.period ORDER BY o.metric, o.entity, o.period")
for _, f in ipairs(figures) do
  f.value = db:value(f.entity, f.metric, f.period)
  f.lo = db:value(f.entity, f.metric, f.period, "lo")
  f.hi = db:value(f.entity, f.metric, f.period, "hi")
  f.sources = db:sources(f.entity, f.metric, f.period)
end

local watchlist = {}
for _, w in ipairs{
    {"watch_model", "Model effectiveness"}, {"watch_commercial", "Commercialisation"},
    {"watch_compute", "Domestic compute ecosystem"}, {"watch_team", "Team stability"},
    {"watch_price", "Price and competition"}} do
  local r = try(db.call, db, w[1]) or {status = "no data", reading = ""}
  watchlist[#watchlist + 1] = {name = w[2], fn = w[1], status = r.status,
                               reading = r.reading or ""}
end

-- ---- number formats -----------------------------------------------------

local function num(v, digits)
  if v == nil then return "-" end
  if v == math.huge then return "∞" end
  if v == -math.huge then return "-∞" end
  return string.format("%." .. (digits or 2) .. "f", v)
end

local function signed(v)
  if v == nil then return "-" end
  return string.format("%+.2f", v)
end

local function amount(v, unit)
  if v == nil then return "-" end
  if v == math.huge then return "∞" end
  if v == -math.huge then return "-∞" end
  if unit == "%" then return string.format("%g%%", v * 100) end
  local a, text = math.abs(v), nil
  if a >= 1e12 then text = string.format("%.4g T", v / 1e12)
  elseif a >= 1e9 then text = string.format("%.4g B", v / 1e9)
  elseif a >= 1e6 then text = string.format("%.4g M", v / 1e6)
  else text = string.format("%.4g", v) end
  if unit and unit ~= "" then text = text .. " " .. unit end
  return text
end

-- ---- the terminal dashboard ---------------------------------------------

print(string.format("DeepSeek V4 -- who believes what (claimkit %s)\n", require("claimkit").version))
local stats = db:stats()
print(string.format("%d claims: %d views from %d actors on %d questions, %d figures\n",
  stats.claims, stats.views, stats.actors, stats.questions, stats.observations))

local qrows = {}
for _, q in ipairs(questions) do
  qrows[#qrows + 1] = {question = q.id, framework = q.framework, n = q.n,
    mean = signed(q.mean), cns = num(q.cns), label = q.label,
    ["dom-ovs"] = signed(q.gap)}
end
print(tabulate(qrows, {"question", "framework", "n", "mean", "cns", "label", "dom-ovs"}))
print()
local frows = {}
for _, f in ipairs(frameworks) do
  frows[#frows + 1] = {framework = f.id, ["mean cns"] = num(f.cns)}
end
print(tabulate(frows, {"framework", "mean cns"}))
print()
local lrows = {}
for _, lab in ipairs(labs) do
  lrows[#lrows + 1] = {lab = lab.id, ["index 2026-03"] = num(lab.value),
    rank = math.tointeger(lab.rank) or lab.rank, ["gap to " .. leader.id] = signed(lab.gap)}
end
print(tabulate(lrows, {"lab", "index 2026-03", "rank", "gap to " .. leader.id}))
print()
local krows = {}
for _, f in ipairs(figures) do
  krows[#krows + 1] = {entity = f.entity, metric = f.metric, period = f.period or "",
    value = amount(f.value, f.unit),
    range = (f.lo == f.hi) and "" or (amount(f.lo, f.unit) .. " .. " .. amount(f.hi, f.unit))}
end
print(tabulate(krows, {"entity", "metric", "period", "value", "range"}))
print()
print(tabulate(watchlist, {"name", "status", "reading"}))

-- ---- the HTML report ----------------------------------------------------

local function esc(s)
  return (tostring(s):gsub("[&<>\"']", {["&"] = "&amp;", ["<"] = "&lt;",
    [">"] = "&gt;", ['"'] = "&quot;", ["'"] = "&#39;"}))
end

local function anchor(kind, ...) return (kind .. "-" .. table.concat({...}, "-"))
  :gsub("[^%w%-]", "_") end

local html = {}
local function w(...) for _, s in ipairs{...} do html[#html + 1] = s end end

local stance_colors = {"#b2182b", "#ef8a62", "#d9d9d9", "#67a9cf", "#2166ac"}
local function stance_color(q, s)
  local k = q.scale_max - q.scale_min
  local i = k > 0 and math.floor((s - q.scale_min) / k * 4 + 0.5) + 1 or 3
  return stance_colors[i]
end

-- Stance distribution per question, split by region: stacked bars.
local function stance_chart()
  local row_h, bar_h, left, width = 46, 16, 300, 420
  local h = #questions * row_h + 40
  w(string.format('<svg id="stances" class="chart" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="Stance distribution per question by region">',
    left + width + 20, h, left + width + 20, h))
  for i, q in ipairs(questions) do
    local y = 20 + (i - 1) * row_h
    w(string.format('<a href="#%s"><text x="%d" y="%d" class="qlabel">%s</text></a>',
      anchor("q", q.id), left - 10, y + bar_h + 4, esc(q.id)))
    for j, region in ipairs{"domestic", "overseas"} do
      local counts, total = q.by_region[region], 0
      for _, c in pairs(counts) do total = total + c end
      local yy = y + (j - 1) * (bar_h + 2)
      w(string.format('<text x="%d" y="%d" class="small">%s</text>', left + width + 4, yy + 12,
        region == "domestic" and "D" or "O"))
      local x = left
      for s = q.scale_min, q.scale_max do
        if total > 0 and counts[s] > 0 then
          local bw = counts[s] / total * width
          w(string.format('<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"><title>%s %s: stance %+d, %d of %d</title></rect>',
            x, yy, bw, bar_h, stance_color(q, s), esc(q.id), region, s, counts[s], total))
          x = x + bw
        end
      end
      if total == 0 then
        w(string.format('<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#ccc" stroke-dasharray="3 3"/>',
          left, yy, width, bar_h))
      end
    end
  end
  local lx = left
  for i, label in ipairs{"-2 no", "-1", "0", "+1", "+2 yes"} do
    w(string.format('<rect x="%d" y="%d" width="12" height="12" fill="%s"/><text x="%d" y="%d" class="small">%s</text>',
      lx, h - 16, stance_colors[i], lx + 16, h - 6, label))
    lx = lx + 70
  end
  w('</svg>')
end

-- Horizontal bars with a value label linking to its evidence.
local function bar_chart(id, title, items, max, fmt, marks)
  local row_h, left, width = 28, 220, 380
  local h = #items * row_h + 30
  w(string.format('<svg id="%s" class="chart" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s">',
    id, left + width + 90, h, left + width + 90, h, esc(title)))
  for _, m in ipairs(marks or {}) do
    local x = left + m / max * width
    w(string.format('<line x1="%.1f" y1="0" x2="%.1f" y2="%d" class="mark"/><text x="%.1f" y="%d" class="small">%s</text>',
      x, x, h - 16, x + 2, h - 4, esc(tostring(m))))
  end
  for i, it in ipairs(items) do
    local y = 8 + (i - 1) * row_h
    local bw = math.max(0, (it.value or 0) / max * width)
    w(string.format('<text x="%d" y="%d" class="qlabel">%s</text>', left - 10, y + 15, esc(it.label)))
    w(string.format('<rect x="%d" y="%d" width="%.1f" height="18" fill="%s"><title>%s: %s</title></rect>',
      left, y, bw, it.color or "#4575b4", esc(it.label), fmt(it.value)))
    w(string.format('<a href="#%s"><text x="%.1f" y="%d" class="value">%s</text></a>',
      it.href, left + bw + 6, y + 14, esc(fmt(it.value))))
  end
  w('</svg>')
end

w([[<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>DeepSeek V4 -- who believes what</title>
<style>
body { font: 14px/1.45 system-ui, "Noto Sans CJK SC", sans-serif; margin: 2em auto; max-width: 1100px; color: #222; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: .2em; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: .5em 0; } td, th { padding: 3px 8px; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.chart text { font-size: 12px; } .chart .qlabel { text-anchor: end; } .chart .small { font-size: 10px; fill: #555; }
.chart .value { font-size: 12px; fill: #08519c; } .chart .mark { stroke: #999; stroke-dasharray: 4 3; }
.label-consensus { color: #1a7f37; font-weight: 600; } .label-divergent { color: #b42318; font-weight: 600; } .label-mixed { color: #9a6700; font-weight: 600; }
.status { font-weight: 600; } blockquote { margin: .2em 0 .6em 1em; color: #444; }
.muted { color: #777; } a { color: #0b5cad; text-decoration: none; } a:hover { text-decoration: underline; }
</style></head><body>]])
w('<h1>DeepSeek V4 — who believes what</h1>')
w(string.format('<p class="muted">%d claims from the research minutes of 2026-04-28: %d views by %d institutions and groups on %d questions, %d quoted figures. Made with claimkit %s; every number links to the words behind it.</p>',
  stats.claims, stats.views, stats.actors, stats.questions, stats.observations,
  esc(require("claimkit").version)))

w('<h2>Consensus by framework</h2>')
local fitems = {}
for _, f in ipairs(frameworks) do
  fitems[#fitems + 1] = {label = f.id, value = f.cns, href = "framework-" .. f.id,
    color = (f.cns or 0) >= 0.8 and "#1a7f37" or (f.cns or 0) < 0.6 and "#b42318" or "#9a6700"}
end
bar_chart("frameworks", "Mean consensus (cns) by framework", fitems, 1,
  function(v) return num(v) end, {0.6, 0.8})

w('<h2>Questions</h2><table><tr><th>question</th><th>framework</th><th>n</th><th>mean</th><th>cns</th><th>label</th><th>domestic − overseas</th></tr>')
for _, q in ipairs(questions) do
  local a = anchor("q", q.id)
  w(string.format('<tr><td><a href="#%s">%s</a><br><span class="muted">%s</span></td><td>%s</td><td class="n">%d</td><td class="n"><a href="#%s">%s</a></td><td class="n"><a href="#%s">%s</a></td><td class="label-%s">%s</td><td class="n"><a href="#%s">%s</a></td></tr>',
    a, esc(q.id), esc(q.text or ""), esc(q.framework or ""), q.n, a, signed(q.mean), a,
    num(q.cns), esc(q.label), esc(q.label), a, signed(q.gap)))
end
w('</table>')

w('<h2>Stances by region</h2><p class="muted">Each question: domestic (D) and overseas (O) institutions, one actor one share, coloured from the low pole (red) to the high pole (blue).</p>')
stance_chart()

w('<h2>The March 2026 lab index</h2>')
local litems = {}
for _, lab in ipairs(labs) do
  litems[#litems + 1] = {label = lab.id, value = lab.value,
    href = anchor("src", lab.id, "aa-index"),
    color = lab.id == "deepseek" and "#d94801" or "#4575b4"}
end
bar_chart("labs", "Artificial Analysis Intelligence Index, 2026-03", litems,
  math.ceil(leader.value / 10) * 10, function(v) return num(v) end)
local ds
for _, lab in ipairs(labs) do if lab.id == "deepseek" then ds = lab end end
if ds then
  w(string.format('<p>DeepSeek ranks <a href="#%s">%d of %d</a> on the March index, <a href="#%s">%s points</a> behind %s.</p>',
    anchor("src", "deepseek", "aa-index"), math.tointeger(ds.rank) or ds.rank, #labs,
    anchor("src", "deepseek", "aa-index"), num(-ds.gap), esc(leader.id)))
end

w('<h2>Key figures</h2><table><tr><th>entity</th><th>metric</th><th>period</th><th>value</th><th>range</th></tr>')
for _, f in ipairs(figures) do
  local a = anchor("src", f.entity, f.metric, f.period or "")
  w(string.format('<tr><td>%s</td><td>%s</td><td>%s</td><td class="n"><a href="#%s">%s</a></td><td class="n">%s</td></tr>',
    esc(f.entity_name or f.entity), esc(f.metric_name or f.metric), esc(f.period or ""), a,
    esc(amount(f.value, f.unit)),
    f.lo == f.hi and "" or esc(amount(f.lo, f.unit) .. " … " .. amount(f.hi, f.unit))))
end
w('</table>')

w('<h2>Watchlist</h2><p class="muted">The minutes\' five things to watch (37:48), computed by the pack\'s Lua script.</p><table><tr><th>what</th><th>status</th><th>reading</th></tr>')
for _, it in ipairs(watchlist) do
  w(string.format('<tr><td>%s</td><td class="status">%s</td><td>%s</td></tr>', esc(it.name),
    esc(it.status), esc(it.reading)))
end
w('</table>')

w('<h2>Evidence: views</h2>')
for _, f in ipairs(frameworks) do
  w(string.format('<p id="framework-%s"><b>%s</b>: mean cns %s over its questions below.</p>',
    esc(f.id), esc(f.name or f.id), num(f.cns)))
end
for _, q in ipairs(questions) do
  w(string.format('<h3 id="%s">%s</h3><p>%s</p>', anchor("q", q.id), esc(q.id), esc(q.text or "")))
  for _, v in ipairs(q.views) do
    w(string.format('<div><b>%s</b> <span class="muted">(%s)</span>: stance %+d, minute %s<blockquote>%s</blockquote></div>',
      esc(v.name or v.actor), esc(v.region or ""), v.stance, esc(v.locator or "-"), esc(v.quote or "")))
  end
end

w('<h2>Evidence: figures</h2>')
local function sources_block(id, title, list)
  w(string.format('<h3 id="%s">%s</h3>', id, esc(title)))
  for _, s in ipairs(list) do
    w(string.format('<div><b>%s</b>: %s, minute %s%s<blockquote>%s</blockquote></div>',
      esc(s.name or s.actor), esc(amount(s.value, s.unit)), esc(s.locator or "-"),
      s.quantity and (' <span class="muted">(“' .. esc(s.quantity) .. '”)</span>') or "",
      esc(s.quote or "")))
  end
end
for _, lab in ipairs(labs) do
  sources_block(anchor("src", lab.id, "aa-index"), lab.id .. " / aa-index / 2026-03",
    db:sources(lab.id, "aa-index", "2026-03"))
end
for _, f in ipairs(figures) do
  sources_block(anchor("src", f.entity, f.metric, f.period or ""),
    f.entity .. " / " .. f.metric .. " / " .. (f.period or ""), f.sources)
end
w('</body></html>\n')

local file = assert(io.open(out_path, "w"))
file:write(table.concat(html, "\n"))
file:close()
print("\nwrote " .. out_path)
