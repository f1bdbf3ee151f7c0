-- report.lua -- the report of a claim database: who believes what, on
-- whatever questions, frameworks, regions and figures it holds.
--
-- Built into the console and the Lua module (report.h is made from this
-- file at build time):
--
--   claimkit-lua -d claims.db report [-o report.html] [--title TEXT]
--   local html, tables = db:report{output = "report.html", title = "..."}
--
-- Called with the database, the options and the claimkit module; returns
-- the page (one self-contained HTML file: inline SVG, every number linked
-- to the quotes behind it, no network) and the dashboard, a list of
-- {title, columns, rows} the console prints.  A section the database has no
-- data for is left out; long lists are cut (LIMITS) and say how many more.

local db, options, claimkit = ...
options = options or {}

local LIMITS = {questions = 200, figures = 300, rankings = 12, ranked = 40,
                evidence = 25}

-- ---- data ---------------------------------------------------------------

local function try(f, ...)
  local ok, v = pcall(f, ...)
  if ok then return v end
  return nil
end

local function sql(query, ...) return db:sql(query, {...}) end

local stats = db:stats()

-- questions with their views, framework order then id
local questions = {}
for _, q in ipairs(sql("SELECT q.id, q.text, q.framework, q.scale_min, q.scale_max "
    .. "FROM questions q ORDER BY q.framework IS NULL, q.framework, q.id")) do
  q.n = try(db.consensus, db, q.id, "n") or 0
  if q.n > 0 then questions[#questions + 1] = q end
end
local more_questions = math.max(0, #questions - LIMITS.questions)
while #questions > LIMITS.questions do table.remove(questions) end

-- the regions the views come from, most views first
local region_count, regions = {}, {}
for _, q in ipairs(questions) do
  q.mean = try(db.consensus, db, q.id, "mean")
  q.cns = try(db.consensus, db, q.id, "cns")
  q.label = try(db.label, db, q.id) or "-"
  q.views = try(db.views, db, q.id) or {}
  q.by_region = {}
  for _, v in ipairs(q.views) do
    local region = v.region or "(no region)"
    v.region = region
    if not region_count[region] then
      region_count[region] = 0
      regions[#regions + 1] = region
    end
    region_count[region] = region_count[region] + 1
    local counts = q.by_region[region]
    if not counts then
      counts = {}
      for s = q.scale_min, q.scale_max do counts[s] = 0 end
      q.by_region[region] = counts
    end
    counts[v.stance] = (counts[v.stance] or 0) + 1
  end
end
table.sort(regions, function(a, b)
  if region_count[a] ~= region_count[b] then return region_count[a] > region_count[b] end
  return a < b end)

-- two regions to set against each other: domestic and overseas when the
-- views have both, else the two there are, else none
local split_a, split_b
if region_count.domestic and region_count.overseas then
  split_a, split_b = "domestic", "overseas"
elseif #regions == 2 and regions[1] ~= "(no region)" and regions[2] ~= "(no region)" then
  split_a, split_b = regions[1], regions[2]
end
if split_a then
  for _, q in ipairs(questions) do
    q.gap = try(db.split, db, q.id, "region", split_a, split_b)
  end
end

local frameworks = {}
for _, f in ipairs(sql("SELECT id, name FROM frameworks ORDER BY id")) do
  f.cns = try(db.framework, db, f.id)
  if f.cns then frameworks[#frameworks + 1] = f end
end

-- rankings: a metric and period for which at least three entities have a
-- value, the most entities first
local rankings = {}
for _, g in ipairs(sql("SELECT o.metric, o.period, m.name AS metric_name, "
    .. "count(DISTINCT o.entity) AS n FROM observations o JOIN metrics m ON m.id = o.metric "
    .. "WHERE o.period IS NOT NULL GROUP BY o.metric, o.period HAVING n >= 3 "
    .. "ORDER BY n DESC, o.metric, o.period LIMIT ?", LIMITS.rankings)) do
  local entries = {}
  for _, e in ipairs(sql("SELECT DISTINCT o.entity AS id, e.name FROM observations o "
      .. "JOIN entities e ON e.id = o.entity WHERE o.metric = ? AND o.period = ? "
      .. "ORDER BY o.entity", g.metric, g.period)) do
    e.value = try(db.value, db, e.id, g.metric, g.period)
    e.rank = try(db.rank, db, g.metric, e.id, g.period)
    if e.value and e.rank then entries[#entries + 1] = e end
  end
  table.sort(entries, function(a, b)
    if a.rank ~= b.rank then return a.rank < b.rank end
    return a.id < b.id end)
  while #entries > LIMITS.ranked do table.remove(entries) end
  if #entries >= 3 then
    g.entries = entries
    g.leader = entries[1]
    for _, e in ipairs(entries) do
      e.gap = try(db.gap, db, g.metric, e.id, g.leader.id, g.period)
    end
    rankings[#rankings + 1] = g
  end
end
local ranked = {}
for _, g in ipairs(rankings) do ranked[g.metric .. "\0" .. g.period] = true end

-- every other figure: an entity, metric and period with its value
local figures, more_figures = {}, 0
for _, f in ipairs(sql("SELECT o.entity, e.name AS entity_name, o.metric, "
    .. "m.name AS metric_name, o.period, min(o.unit) AS unit FROM observations o "
    .. "JOIN entities e ON e.id = o.entity JOIN metrics m ON m.id = o.metric "
    .. "GROUP BY o.entity, o.metric, o.period ORDER BY o.metric, o.entity, o.period")) do
  if not ranked[f.metric .. "\0" .. (f.period or "")] then
    if #figures < LIMITS.figures then
      f.value = try(db.value, db, f.entity, f.metric, f.period or "")
      f.lo = try(db.value, db, f.entity, f.metric, f.period or "", "lo")
      f.hi = try(db.value, db, f.entity, f.metric, f.period or "", "hi")
      f.sources = try(db.sources, db, f.entity, f.metric, f.period or "") or {}
      figures[#figures + 1] = f
    else
      more_figures = more_figures + 1
    end
  end
end

-- the functions the database's scripts register that take no argument:
-- those not in a database of no scripts
local builtin = {}
do
  local empty = claimkit.open(":memory:")
  for _, f in ipairs(empty:functions()) do builtin[f.name] = true end
  empty:close()
end
local watches = {}
for _, f in ipairs(db:functions()) do
  if not builtin[f.name] and #f.params == 0 then
    local ok, r = pcall(db.call, db, f.name)
    local status, reading
    if not ok then
      status, reading = "error", tostring(r)
    elseif type(r) == "table" then
      status, reading = r.status, r.reading
      if status == nil and reading == nil then reading = tostring(r) end
    else
      reading = tostring(r)
    end
    watches[#watches + 1] = {name = f.name, doc = f.doc or "",
                             status = status and tostring(status) or "",
                             reading = reading and tostring(reading) or ""}
  end
end

-- ---- number formats -----------------------------------------------------

local function num(v, digits)
  if v == nil then return "-" end
  if v == math.huge then return "∞" end
  if v == -math.huge then return "-∞" end
  if v ~= v then return "-" end
  return string.format("%." .. (digits or 2) .. "f", v)
end

local function signed(v)
  if v == nil or v ~= v then return "-" end
  return string.format("%+.2f", v)
end

local function amount(v, unit)
  if v == nil or v ~= v then return "-" end
  if v == math.huge then return "∞" end
  if v == -math.huge then return "-∞" end
  -- %, pp and bp in their own unit (19.8%, -0.5 pp, 50 bp); stored as fractions
  if unit == "%" then return string.format("%g%%", v * 100) end
  if unit == "pp" then return string.format("%g pp", v * 100) end
  if unit == "bp" then return string.format("%g bp", v * 1e4) end
  local a, text = math.abs(v), nil
  if a >= 1e12 then text = string.format("%.4g T", v / 1e12)
  elseif a >= 1e9 then text = string.format("%.4g B", v / 1e9)
  elseif a >= 1e6 then text = string.format("%.4g M", v / 1e6)
  else text = string.format("%.4g", v) end
  if unit and unit ~= "" then text = text .. " " .. unit end
  return text
end

local function int(v) return math.tointeger(v) or v end

-- a difference: two decimals, or in the units amount() uses when large
local function signed_amount(v)
  if v == nil or v ~= v then return "-" end
  if math.abs(v) < 1e6 then return signed(v) end
  return (v >= 0 and "+" or "") .. amount(v)
end

-- ---- the dashboard --------------------------------------------------------

local title = options.title
if not title or title == "" then
  local only = sql("SELECT json_extract(record, '$.title') AS t FROM sources LIMIT 2")
  title = (#only == 1 and only[1].t) and only[1].t or "Claims"
end

local dashboard = {}
local function dash(name, columns, rows)
  if #rows > 0 then dashboard[#dashboard + 1] = {title = name, columns = columns, rows = rows} end
end

local split_name = split_a and (split_a .. "-" .. split_b)
local qrows = {}
for _, q in ipairs(questions) do
  local row = {question = q.id, framework = q.framework or "", n = int(q.n),
               mean = signed(q.mean), cns = num(q.cns), label = q.label}
  if split_name then row[split_name] = signed(q.gap) end
  qrows[#qrows + 1] = row
end
local qcols = {"question", "framework", "n", "mean", "cns", "label"}
if split_name then qcols[#qcols + 1] = split_name end
dash("Questions", qcols, qrows)
local frows = {}
for _, f in ipairs(frameworks) do frows[#frows + 1] = {framework = f.id, ["mean cns"] = num(f.cns)} end
dash("Frameworks", {"framework", "mean cns"}, frows)
for _, g in ipairs(rankings) do
  local rows, value_col = {}, g.metric .. " " .. g.period
  local gap_col = "gap to " .. g.leader.id
  for _, e in ipairs(g.entries) do
    rows[#rows + 1] = {entity = e.id, [value_col] = amount(e.value), rank = int(e.rank),
                       [gap_col] = signed_amount(e.gap)}
  end
  dash("Ranking: " .. g.metric .. " " .. g.period, {"entity", value_col, "rank", gap_col}, rows)
end
local krows = {}
for _, f in ipairs(figures) do
  krows[#krows + 1] = {entity = f.entity, metric = f.metric, period = f.period or "",
    value = amount(f.value, f.unit),
    range = (f.lo == f.hi) and "" or (amount(f.lo, f.unit) .. " .. " .. amount(f.hi, f.unit))}
end
dash("Figures", {"entity", "metric", "period", "value", "range"}, krows)
dash("Script functions", {"name", "status", "reading"}, watches)

-- ---- the page ---------------------------------------------------------------

local function esc(s)
  return (tostring(s):gsub("[&<>\"']", {["&"] = "&amp;", ["<"] = "&lt;",
    [">"] = "&gt;", ['"'] = "&quot;", ["'"] = "&#39;"}))
end

-- An element id from record ids: anything but letters, digits and '-' is
-- written as _XX, so two different ids never give one anchor.
local function anchor(kind, ...)
  local parts = {}
  for i, p in ipairs{...} do
    parts[i] = tostring(p):gsub("[^%w%-]", function(c) return string.format("_%02X", c:byte()) end)
  end
  return kind .. "-" .. table.concat(parts, "-")
end

local html = {}
local function w(...) for _, s in ipairs{...} do html[#html + 1] = s end end

local stance_colors = {"#b2182b", "#ef8a62", "#d9d9d9", "#67a9cf", "#2166ac"}
local function stance_color(q, s)
  local k = q.scale_max - q.scale_min
  local i = k > 0 and math.floor((s - q.scale_min) / k * 4 + 0.5) + 1 or 3
  return stance_colors[i]
end

-- Stance distribution per question and region: stacked bars.
local function stance_chart()
  local bar_h, left, width = 16, 300, 420
  local per = #regions
  local row_h = per * (bar_h + 2) + 12
  local h = #questions * row_h + 40
  w(string.format('<svg id="stances" class="chart" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="Stance distribution per question by region">',
    left + width + 120, h, left + width + 120, h))
  for i, q in ipairs(questions) do
    local y = 20 + (i - 1) * row_h
    w(string.format('<a href="#%s"><text x="%d" y="%d" class="qlabel">%s</text></a>',
      anchor("q", q.id), left - 10, y + bar_h + 4, esc(q.id)))
    for j, region in ipairs(regions) do
      local counts, total = q.by_region[region] or {}, 0
      for _, c in pairs(counts) do total = total + c end
      local yy = y + (j - 1) * (bar_h + 2)
      w(string.format('<text x="%d" y="%d" class="small">%s</text>', left + width + 4, yy + 12,
        esc(region)))
      local x = left
      for s = q.scale_min, q.scale_max do
        if total > 0 and (counts[s] or 0) > 0 then
          local bw = counts[s] / total * width
          w(string.format('<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"><title>%s %s: stance %+d, %d of %d</title></rect>',
            x, yy, bw, bar_h, stance_color(q, s), esc(q.id), esc(region), s, counts[s], total))
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
  for i, label in ipairs{"low pole", "", "middle", "", "high pole"} do
    w(string.format('<rect x="%d" y="%d" width="12" height="12" fill="%s"/><text x="%d" y="%d" class="small">%s</text>',
      lx, h - 16, stance_colors[i], lx + 16, h - 6, label))
    lx = lx + 70
  end
  w('</svg>')
end

-- Horizontal bars with a value label linking to its evidence.
local function bar_chart(id, title_text, items, max, fmt, marks)
  local row_h, left, width = 28, 220, 380
  local h = #items * row_h + 30
  if not (max and max > 0 and max < math.huge) then max = 1 end
  w(string.format('<svg id="%s" class="chart" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s">',
    id, left + width + 90, h, left + width + 90, h, esc(title_text)))
  for _, m in ipairs(marks or {}) do
    local x = left + m / max * width
    w(string.format('<line x1="%.1f" y1="0" x2="%.1f" y2="%d" class="mark"/><text x="%.1f" y="%d" class="small">%s</text>',
      x, x, h - 16, x + 2, h - 4, esc(tostring(m))))
  end
  for i, it in ipairs(items) do
    local y = 8 + (i - 1) * row_h
    local v = it.value or 0
    local bw = (v == v and v > 0) and math.min(width, v / max * width) or 0
    w(string.format('<text x="%d" y="%d" class="qlabel">%s</text>', left - 10, y + 15, esc(it.label)))
    w(string.format('<rect x="%d" y="%d" width="%.1f" height="18" fill="%s"><title>%s: %s</title></rect>',
      left, y, bw, it.color or "#4575b4", esc(it.label), esc(fmt(it.value))))
    w(string.format('<a href="#%s"><text x="%.1f" y="%d" class="value">%s</text></a>',
      it.href, left + bw + 6, y + 14, esc(fmt(it.value))))
  end
  w('</svg>')
end

w([[<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">]])
w('<title>' .. esc(title) .. ' — who believes what</title>')
w([[<style>
body { font: 14px/1.45 system-ui, "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "PingFang SC", "Microsoft YaHei", sans-serif; margin: 2em auto; max-width: 1100px; color: #222; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: .2em; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: .5em 0; } td, th { padding: 3px 8px; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.chart text { font-size: 12px; } .chart .qlabel { text-anchor: end; } .chart .small { font-size: 10px; fill: #555; }
.chart .value { font-size: 12px; fill: #08519c; } .chart .mark { stroke: #999; stroke-dasharray: 4 3; }
.label-consensus { color: #1a7f37; font-weight: 600; } .label-divergent { color: #b42318; font-weight: 600; } .label-mixed { color: #9a6700; font-weight: 600; }
.status { font-weight: 600; } blockquote { margin: .2em 0 .6em 1em; color: #444; }
.muted { color: #777; } a { color: #0b5cad; text-decoration: none; } a:hover { text-decoration: underline; }
</style></head><body>]])
w('<h1>' .. esc(title) .. ' — who believes what</h1>')
local actors_with_views = sql("SELECT count(DISTINCT actor) AS n FROM claims WHERE kind = 'view'")[1].n
w(string.format('<p class="muted">%d claims: %d views by %d actors on %d questions, %d figures. Made with claimkit %s; every number links to the words behind it.</p>',
  stats.claims, stats.views, actors_with_views, #questions + more_questions, stats.observations,
  esc(claimkit.version)))
if stats.claims == 0 then
  w('<p>The database holds no claims yet.</p>')
end

if #frameworks > 0 then
  w('<h2>Consensus by framework</h2>')
  local items = {}
  for _, f in ipairs(frameworks) do
    items[#items + 1] = {label = f.id, value = f.cns, href = anchor("framework", f.id),
      color = (f.cns or 0) >= 0.8 and "#1a7f37" or (f.cns or 0) < 0.6 and "#b42318" or "#9a6700"}
  end
  bar_chart("frameworks", "Mean consensus (cns) by framework", items, 1,
    function(v) return num(v) end, {0.6, 0.8})
end

if #questions > 0 then
  w('<h2>Questions</h2><table><tr><th>question</th><th>framework</th><th>n</th><th>mean</th><th>cns</th><th>label</th>')
  if split_a then w(string.format('<th>%s − %s</th>', esc(split_a), esc(split_b))) end
  w('</tr>')
  for _, q in ipairs(questions) do
    local a = anchor("q", q.id)
    w(string.format('<tr><td><a href="#%s">%s</a><br><span class="muted">%s</span></td><td>%s</td><td class="n">%d</td><td class="n"><a href="#%s">%s</a></td><td class="n"><a href="#%s">%s</a></td><td class="label-%s">%s</td>',
      a, esc(q.id), esc(q.text or ""), esc(q.framework or ""), q.n, a, signed(q.mean), a,
      num(q.cns), esc(q.label), esc(q.label)))
    if split_a then w(string.format('<td class="n"><a href="#%s">%s</a></td>', a, signed(q.gap))) end
    w('</tr>')
  end
  w('</table>')
  if more_questions > 0 then
    w(string.format('<p class="muted">%d more questions with views are not shown.</p>', more_questions))
  end
  w('<h2>Stances by region</h2><p class="muted">Each question: the institutions of each region, one actor one share, coloured from the low pole (red) to the high pole (blue).</p>')
  stance_chart()
end

for _, g in ipairs(rankings) do
  w(string.format('<h2>%s, %s</h2>', esc(g.metric_name or g.metric), esc(g.period)))
  local items = {}
  for _, e in ipairs(g.entries) do
    items[#items + 1] = {label = e.id, value = e.value, href = anchor("src", e.id, g.metric, g.period),
      color = e == g.leader and "#d94801" or "#4575b4"}
  end
  local max = 0
  for _, e in ipairs(g.entries) do if e.value > max and e.value < math.huge then max = e.value end end
  bar_chart(anchor("rank", g.metric, g.period), (g.metric_name or g.metric) .. ", " .. g.period,
    items, max * 1.1, function(v) return amount(v) end)
  w(string.format('<p>%s leads %d entities; ranks and gaps to it link to their sources.</p>',
    esc(g.leader.name or g.leader.id), #g.entries))
end

if #figures > 0 then
  w('<h2>Figures</h2><table><tr><th>entity</th><th>metric</th><th>period</th><th>value</th><th>range</th></tr>')
  for _, f in ipairs(figures) do
    local a = anchor("src", f.entity, f.metric, f.period or "")
    w(string.format('<tr><td>%s</td><td>%s</td><td>%s</td><td class="n"><a href="#%s">%s</a></td><td class="n">%s</td></tr>',
      esc(f.entity_name or f.entity), esc(f.metric_name or f.metric), esc(f.period or ""), a,
      esc(amount(f.value, f.unit)),
      f.lo == f.hi and "" or esc(amount(f.lo, f.unit) .. " … " .. amount(f.hi, f.unit))))
  end
  w('</table>')
  if more_figures > 0 then
    w(string.format('<p class="muted">%d more figures are not shown (claimkit-lua export --csv lists every claim).</p>', more_figures))
  end
end

if #watches > 0 then
  w('<h2>Script functions</h2><p class="muted">What the database\'s scripts compute from the claims.</p><table><tr><th>function</th><th>status</th><th>reading</th></tr>')
  for _, it in ipairs(watches) do
    w(string.format('<tr><td>%s<br><span class="muted">%s</span></td><td class="status">%s</td><td>%s</td></tr>',
      esc(it.name), esc(it.doc), esc(it.status), esc(it.reading)))
  end
  w('</table>')
end

if #questions > 0 then
  w('<h2>Evidence: views</h2>')
  for _, f in ipairs(frameworks) do
    w(string.format('<p id="%s"><b>%s</b>: mean cns %s over its questions below.</p>',
      anchor("framework", f.id), esc(f.name or f.id), num(f.cns)))
  end
  for _, q in ipairs(questions) do
    w(string.format('<h3 id="%s">%s</h3><p>%s</p>', anchor("q", q.id), esc(q.id), esc(q.text or "")))
    for i, v in ipairs(q.views) do
      if i > LIMITS.evidence then
        w(string.format('<p class="muted">%d more views.</p>', #q.views - LIMITS.evidence))
        break
      end
      w(string.format('<div><b>%s</b> <span class="muted">(%s)</span>: stance %+d, at %s<blockquote>%s</blockquote></div>',
        esc(v.name or v.actor), esc(v.region), v.stance, esc(v.locator or "-"), esc(v.quote or "")))
    end
  end
end

local function sources_block(id, heading, list)
  w(string.format('<h3 id="%s">%s</h3>', id, esc(heading)))
  for i, s in ipairs(list) do
    if i > LIMITS.evidence then
      w(string.format('<p class="muted">%d more sources.</p>', #list - LIMITS.evidence))
      break
    end
    w(string.format('<div><b>%s</b>: %s, at %s%s<blockquote>%s</blockquote></div>',
      esc(s.name or s.actor or "-"), esc(amount(s.value, s.unit)), esc(s.locator or "-"),
      s.quantity and (' <span class="muted">(“' .. esc(s.quantity) .. '”)</span>') or "",
      esc(s.quote or "")))
  end
end
if #rankings > 0 or #figures > 0 then
  w('<h2>Evidence: figures</h2>')
  for _, g in ipairs(rankings) do
    for _, e in ipairs(g.entries) do
      sources_block(anchor("src", e.id, g.metric, g.period), e.id .. " / " .. g.metric .. " / " .. g.period,
        try(db.sources, db, e.id, g.metric, g.period) or {})
    end
  end
  for _, f in ipairs(figures) do
    sources_block(anchor("src", f.entity, f.metric, f.period or ""),
      f.entity .. " / " .. f.metric .. " / " .. (f.period or ""), f.sources)
  end
end
w('</body></html>\n')

local page = table.concat(html, "\n")
if options.output then
  local file, err = io.open(options.output, "w")
  if not file then error("report: cannot write " .. tostring(err), 0) end
  file:write(page)
  file:close()
end
return page, dashboard
