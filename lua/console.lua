-- The Lua side of the console (claimkit-lua.c runs it with the database):
-- ck, help(), pretty(), tabulate() and completion.
local db = ...
local as_json = {__tostring = function(t) return json(t) end}
-- Functions registered at the console with a Lua function (ck.register):
-- name -> the entry, which brings its own call (the function, run here)
-- and describes itself as db:functions() does.
local registered = {}
-- ck.name(...) is db:name(...), or a function registered here; tables it
-- returns print as JSON
ck = setmetatable({}, {__index = function(_, name)
  local entry = registered[name]
  return function(...)
    local r
    if entry then r = entry.call(...) else r = db:call(name, ...) end
    if type(r) == 'table' and getmetatable(r) == nil then
      setmetatable(r, as_json) end
    return r
  end end})

-- ck.register(name, fn_or_source [, {params=, doc=, returns=}]).  Lua
-- source (a function expression, as text) is registered in the database
-- handle's registry through the sandbox, like a pack's script: db:call,
-- db:functions() and scripts see it, and it runs under the budget.  A Lua
-- function stays here: it runs in the console, unsandboxed, with its
-- upvalues, and only ck.name and help() see it.
local param_types = {string = true, number = true, integer = true,
  boolean = true, array = true, object = true, any = true}
local function valid_name(s)
  return type(s) == 'string' and #s <= 64 and s:match('^[a-z][a-z0-9_]*$')
end
-- the spec's parameters as db:functions() describes them
local function console_params(params)
  local out = {}
  if params == nil then return out end
  if type(params) ~= 'table' then
    error("ck.register: 'params' must be a list", 3) end
  for i, p in ipairs(params) do
    if type(p) == 'string' then p = {name = p} end
    if type(p) ~= 'table' or not valid_name(p.name) then
      error(('ck.register: param %d needs a name (a-z, 0-9, _)'):format(i), 3)
    end
    local ty = p.type or 'any'
    if not param_types[ty] then
      error(("ck.register: param '%s': type '%s' is not one of string, "
        .. "number, integer, boolean, array, object, any"):format(p.name,
        tostring(ty)), 3)
    end
    out[i] = {name = p.name, type = ty, default = p.default,
      doc = p.doc or ''}
  end
  return out
end
-- a Lua literal of a spec value (strings, numbers, booleans, tables)
local function literal(v)
  local t = type(v)
  if t == 'string' then return ('%q'):format(v)
  elseif t == 'number' then
    if math.type(v) == 'integer' then return ('%d'):format(v) end
    if v ~= v then return '(0/0)' end
    if v == math.huge then return '(1/0)' end
    if v == -math.huge then return '(-1/0)' end
    return ('%.17g'):format(v)
  elseif t == 'boolean' or t == 'nil' then return tostring(v)
  elseif t == 'table' then
    local parts = {}
    for k, x in pairs(v) do
      parts[#parts + 1] = '[' .. literal(k) .. '] = ' .. literal(x) end
    table.sort(parts)
    return '{' .. table.concat(parts, ', ') .. '}'
  end
  error('ck.register: a ' .. t .. ' cannot be part of a function spec', 4)
end
local function database_has(name)
  for _, f in ipairs(db:functions()) do
    if f.name == name then return true end
  end
  return false
end
rawset(ck, 'register', function(name, fn, spec)
  if not valid_name(name) then
    error(("ck.register: '%s' is not a function name (a-z, 0-9 and _, "
      .. "starting with a letter)"):format(tostring(name)), 2)
  end
  spec = spec or {}
  if type(spec) ~= 'table' then
    error('ck.register: the third argument is {params=, doc=, returns=}', 2)
  end
  if type(fn) == 'string' then
    -- compiled here first, for its syntax errors without the sandbox's
    -- wrapping; it runs only in the sandbox
    local ok, err = load('return ' .. fn, '=' .. name, 't')
    if not ok then error('ck.register: ' .. err, 2) end
    -- loaded by name, so that its errors say "name:line:" of its own lines
    local src = ('ck.register{name = %s, doc = %s, returns = %s, params = %s, '
      .. 'fn = assert(load(%s, %s, "t"))()}'):format(literal(name),
      literal(spec.doc), literal(spec.returns), literal(spec.params),
      literal('return ' .. fn), literal('=' .. name))
    db:script(src, 'ck.register')
    registered[name] = nil -- the database's now
    return
  end
  if type(fn) ~= 'function' then
    error('ck.register: the function must be a Lua function or its source, '
      .. 'not a ' .. type(fn), 2)
  end
  if not registered[name] and database_has(name) then
    error(("ck.register: '%s' is a function of the database; a function "
      .. "registered at the console may not hide it"):format(name), 2)
  end
  local params = console_params(spec.params)
  registered[name] = {name = name, doc = spec.doc or '',
    returns = spec.returns or 'any', params = params, console = true,
    call = function(...)
      local args, n = table.pack(...), select('#', ...)
      local named = args[1]
      -- ck.name{a = 1}: a table of named arguments, as in the sandbox
      if n == 1 and type(named) == 'table' and #named == 0 and next(named)
          and #params > 0 and getmetatable(named) == nil then
        args, n = {}, #params
        for i, p in ipairs(params) do args[i] = named[p.name] end
      end
      for i, p in ipairs(params) do
        if args[i] == nil then args[i] = p.default end
      end
      return fn(table.unpack(args, 1, math.max(n, #params)))
    end}
end)
local function fmt(v)
  if v == nil then return '' end
  if math.type(v) == 'float' then
    if v ~= v then return 'nan' end
    if v == math.floor(v) and math.abs(v) < 1e15 then
      return string.format('%d', v) end
    return string.format('%.6g', v)
  end
  if type(v) == 'table' then
    local parts = {}
    for i, x in ipairs(v) do parts[i] = fmt(x) end
    if #parts > 0 or next(v) == nil then return table.concat(parts, ', ') end
    local keys = {}
    for k in pairs(v) do keys[#keys + 1] = tostring(k) end
    table.sort(keys)
    for i, k in ipairs(keys) do parts[i] = k .. '=' .. fmt(v[k]) end
    return '{' .. table.concat(parts, ', ') .. '}'
  end
  return tostring(v)
end
-- a figure in its own unit: 0.198 % is 19.8%, -0.005 pp -0.5 pp, 0.005 bp
-- 50 bp; the stored value stays the fraction
local unit_scale = {['%'] = {100, '%'}, pp = {100, ' pp'}, bp = {1e4, ' bp'}}
local function cell(row, c)
  local v, u = row[c], unit_scale[row.unit]
  if u and (c == 'value' or c == 'lo' or c == 'hi') and math.type(v) == 'float'
      and v == v and math.abs(v) ~= math.huge then
    return string.format('%g', v * u[1]) .. u[2]
  end
  return fmt(v)
end
local first_columns = {id = 1, actor = 2, name = 3, date = 4, period = 5,
  text = 6}
local function columns(rows)
  local seen, cols = {}, {}
  for _, row in ipairs(rows) do
    for k in pairs(row) do
      if not seen[k] then seen[k] = true; cols[#cols + 1] = k end
    end
  end
  table.sort(cols, function(a, b)
    local ra, rb = first_columns[a] or 99, first_columns[b] or 99
    if ra ~= rb then return ra < rb end
    return a < b end)
  return cols
end
-- terminal columns: East Asian wide characters take two
local function cp_width(c)
  if c >= 0x1100 and (c <= 0x115F or (c >= 0x2E80 and c <= 0xA4CF)
      or (c >= 0xAC00 and c <= 0xD7A3) or (c >= 0xF900 and c <= 0xFAFF)
      or (c >= 0xFE30 and c <= 0xFE4F) or (c >= 0xFF00 and c <= 0xFF60)
      or (c >= 0xFFE0 and c <= 0xFFE6)) then return 2 end
  return 1
end
local function width(s)
  if not utf8.len(s) then return #s end
  local w = 0
  for _, c in utf8.codes(s) do w = w + cp_width(c) end
  return w
end
local function clip(s, max)
  if width(s) <= max or not utf8.len(s) then return s end
  local w, out = 0, {}
  for _, c in utf8.codes(s) do
    w = w + cp_width(c)
    if w > max - 1 then break end
    out[#out + 1] = utf8.char(c)
  end
  return table.concat(out) .. '…'
end
-- text in lines of at most `max` columns, broken at a space, else anywhere
-- (Chinese has no spaces)
local function wrap(s, max)
  if not utf8.len(s) or width(s) <= max then return {s} end
  local lines, cur, cw, last_space = {}, {}, 0, nil
  for _, c in utf8.codes(s) do
    local ch, w = utf8.char(c), cp_width(c)
    if cw + w > max and #cur > 0 then
      if ch == ' ' then
        lines[#lines + 1] = table.concat(cur)
        cur, cw, last_space, ch = {}, 0, nil, nil
      elseif last_space then
        lines[#lines + 1] = table.concat(cur, '', 1, last_space - 1)
        cur = table.move(cur, last_space + 1, #cur, 1, {})
        cw, last_space = width(table.concat(cur)), nil
      else
        lines[#lines + 1] = table.concat(cur)
        cur, cw, last_space = {}, 0, nil
      end
    end
    if ch then
      cur[#cur + 1] = ch
      cw = cw + w
      if ch == ' ' then last_space = #cur end
    end
  end
  if #cur > 0 then lines[#lines + 1] = table.concat(cur) end
  return lines
end
-- rows as aligned columns; cells cut at 40 columns, or with wrap_last the
-- last column wrapped to the terminal's width
local function table_text(rows, cols, wrap_last)
  cols = cols or columns(rows)
  local w, cells = {}, {}
  local n = #cols
  for j, c in ipairs(cols) do w[j] = width(c) end
  for i, row in ipairs(rows) do
    cells[i] = {}
    for j, c in ipairs(cols) do
      local s = (cell(row, c):gsub('\n', ' '))
      if not (wrap_last and j == n) then s = clip(s, 40) end
      cells[i][j] = s
      if width(s) > w[j] and not (wrap_last and j == n) then w[j] = width(s) end
    end
  end
  if wrap_last then
    local used = 0
    for j = 1, n - 1 do used = used + w[j] + 2 end
    local room = math.max(20, terminal_width() - used - 1)
    for _, r in ipairs(cells) do
      w[n] = math.max(w[n], math.min(room, width(r[n])))
    end
    w[n] = math.min(w[n], room)
  end
  local function line(vals)
    local out = {}
    for j, s in ipairs(vals) do
      out[j] = s .. string.rep(' ', w[j] - width(s)) end
    return (table.concat(out, '  '):gsub('%s+$', ''))
  end
  local out = {line(cols)}
  local rule = {}
  for j in ipairs(cols) do rule[j] = string.rep('-', w[j]) end
  out[2] = line(rule)
  for i in ipairs(rows) do
    if wrap_last then
      local parts = wrap(cells[i][n], w[n])
      local first = table.move(cells[i], 1, n - 1, 1, {})
      first[n] = parts[1]
      out[#out + 1] = line(first)
      for k = 2, #parts do
        local more = {}
        for j = 1, n - 1 do more[j] = '' end
        more[n] = parts[k]
        out[#out + 1] = line(more)
      end
    else
      out[#out + 1] = line(cells[i])
    end
  end
  return table.concat(out, '\n')
end
local function is_rows(v)
  if type(v) ~= 'table' or #v == 0 then return false end
  for _, row in ipairs(v) do
    if type(row) ~= 'table' or #row > 0 then return false end
  end
  return true
end
tabulate = table_text
local last_report, show_report -- db:report's last page (below)
function pretty(...)
  local first = ...
  if last_report and first == last_report.page then
    show_report(last_report)
    return
  end
  for i = 1, select('#', ...) do
    local v = select(i, ...)
    if is_rows(v) then print(table_text(v))
    elseif type(v) == 'table' and #v == 0 and next(v) then
      local rows = {}
      for k, x in pairs(v) do rows[#rows + 1] = {key = k, value = x} end
      table.sort(rows, function(a, b) return tostring(a.key) < tostring(b.key) end)
      print(table_text(rows))
    else print(fmt(v)) end
  end
end
-- the database's functions and those registered at the console, by name
local function all_functions()
  local fns = db:functions()
  for _, f in pairs(registered) do fns[#fns + 1] = f end
  table.sort(fns, function(a, b) return a.name < b.name end)
  return fns
end
function help(name)
  local fns = all_functions()
  if name == nil then
    local rows = {}
    for _, f in ipairs(fns) do
      local ps = {}
      for i, p in ipairs(f.params) do ps[i] = p.name end
      rows[#rows + 1] = {name = f.name .. '(' .. table.concat(ps, ', ') .. ')',
        doc = f.doc}
    end
    print(table_text(rows, {'name', 'doc'}, true))
    print('help("name") describes one; db:name(...) or ck.name(...) calls it.')
    return
  end
  for _, f in ipairs(fns) do
    if f.name == name then
      local ps = {}
      for i, p in ipairs(f.params) do
        ps[i] = p.name .. (p.default ~= nil and ('=' .. fmt(p.default)) or '')
      end
      print(f.name .. '(' .. table.concat(ps, ', ') .. ') -> ' .. f.returns
        .. (f.console and '  (registered at the console)' or ''))
      print(table.concat(wrap(f.doc, terminal_width() - 1), '\n'))
      local rows = {}
      for i, p in ipairs(f.params) do
        rows[i] = {name = p.name, type = p.type,
          default = p.default == nil and 'required' or fmt(p.default), doc = p.doc}
      end
      if #rows > 0 then
        print(table_text(rows, {'name', 'type', 'default', 'doc'}, true)) end
      return
    end
  end
  print('no function ' .. tostring(name) .. '; help() lists them')
end
-- db is the database with one change for a person at the console: the
-- page db:report returns is remembered, and pretty() -- what the prompt
-- prints results with -- shows it as the dashboard and the path written
-- instead of hundreds of lines of HTML.  A script gets page and dashboard
-- as from the module.
local real = db
local methods = select(2, debug.getupvalue(getmetatable(real).__index, 1))
local function report(_, options)
  local page, dashboard = real:report(options)
  last_report = {page = page, dashboard = dashboard,
    output = type(options) == 'string' and options
      or type(options) == 'table' and options.output or nil}
  return page, dashboard
end
function show_report(r)
  for _, t in ipairs(r.dashboard) do
    print(t.title); print(table_text(t.rows, t.columns)); print()
  end
  print(r.output and ('wrote ' .. r.output)
    or ('(the page: ' .. #r.page .. ' bytes of HTML; db:report{output = "r.html"} writes it)'))
end
local console_db
console_db = setmetatable({}, {
  __index = function(_, name)
    if name == 'report' then return report end
    local method = real[name]
    return function(self, ...)
      if self == console_db then self = real end
      return method(self, ...)
    end
  end,
  __tostring = function() return tostring(real) end,
  __close = function() real:close() end})
_G.db = console_db

-- Tab completion: what `text` (the word before the cursor) may become.
local keywords = {'and', 'break', 'do', 'else', 'elseif', 'end', 'false',
  'for', 'function', 'goto', 'if', 'in', 'local', 'nil', 'not', 'or',
  'repeat', 'return', 'then', 'true', 'until', 'while'}
local function function_names()
  local ok, fns = pcall(real.functions, real)
  local names = {}
  if ok then for i, f in ipairs(fns) do names[i] = f.name end end
  for name in pairs(registered) do names[#names + 1] = name end
  return names
end
-- the words that may follow `head` and a dot or colon
local function members(value, colon)
  local words = {}
  if value == console_db or value == real then
    for name in pairs(methods) do words[#words + 1] = name end
    for _, name in ipairs(function_names()) do words[#words + 1] = name end
  elseif value == ck then
    for _, name in ipairs(function_names()) do words[#words + 1] = name end
    words[#words + 1] = 'register'
  elseif type(value) == 'string' and colon then
    for name in pairs(string) do words[#words + 1] = name end
  elseif type(value) == 'table' then
    for k, v in pairs(value) do
      if type(k) == 'string' and k:match('^[%a_][%w_]*$')
          and (not colon or type(v) == 'function') then
        words[#words + 1] = k
      end
    end
  end
  return words
end
return function(text)
  local head, sep, partial = text:match('^([%a_][%w_%.]*)([%.:])([%w_]*)$')
  local words, prefix = {}, ''
  if head then
    local value = _G
    for name in head:gmatch('[^.]+') do
      if type(value) ~= 'table' then value = nil; break end
      value = rawget(value, name)
    end
    words, prefix = members(value, sep == ':'), head .. sep
  else
    partial = text
    for k in pairs(_G) do
      if type(k) == 'string' then words[#words + 1] = k end
    end
    for _, k in ipairs(keywords) do words[#words + 1] = k end
  end
  local out, seen = {}, {}
  for _, w in ipairs(words) do
    if w:sub(1, #partial) == partial and not seen[w] then
      seen[w] = true
      out[#out + 1] = prefix .. w
    end
  end
  table.sort(out)
  return out
end
