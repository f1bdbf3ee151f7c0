-- watch.lua -- the minutes' five things to watch after DeepSeek V4
-- (37:48 - 39:22), each a registry function computing a status from the
-- stored claims.  Shipped inside claims.json's "scripts", so every database
-- holding the pack has them: ck.watch_team(), =CKCALL("watch_team"), ...
--
-- Each returns {status = ..., reading = ..., question = ...}, where status
-- is "supportive", "contested", "at risk" or "no data".

local function reading(question)
  if ck.consensus(question, "n") == 0 then return nil end
  return {
    mean = ck.consensus(question, "mean"),
    cns = ck.consensus(question, "cns"),
    label = ck.label(question),
  }
end

local function describe(question, r)
  return string.format("%s: mean %+.2f, cns %.2f (%s)", question, r.mean,
                       r.cns, r.label)
end

local function watch(name, doc, fn)
  ck.register{name = name, doc = doc, returns = "object", params = {}, fn = fn}
end

-- 1. Model effectiveness: does V4 keep the open-source lead, and how far
-- is it from the closed frontier?
watch("watch_model", "Watchlist 1, model effectiveness: V4's open-source lead "
      .. "and the open-closed parity debate.", function()
  local lead = reading("v4-open-source-leader")
  local parity = reading("open-closed-parity")
  if not lead then return {status = "no data"} end
  local status = (lead.label == "consensus" and lead.mean >= 1)
      and ((parity and parity.label ~= "consensus") and "contested" or "supportive")
      or "at risk"
  return {status = status, question = "v4-open-source-leader",
          reading = describe("v4-open-source-leader", lead)
            .. (parity and ("; " .. describe("open-closed-parity", parity)) or "")}
end)

-- 2. Commercialisation: the framework the minutes say "各说各话" on.
watch("watch_commercial", "Watchlist 2, commercialisation: consensus across "
      .. "the commercial-realization framework.", function()
  local ok, cns = pcall(ck.framework, "commercial-realization")
  if not ok then return {status = "no data"} end
  local model = reading("business-model-proven")
  return {status = cns >= 0.8 and "supportive" or cns >= 0.6 and "contested"
            or "at risk",
          question = "business-model-proven",
          reading = string.format("commercial-realization mean cns %.2f", cns)
            .. (model and ("; " .. describe("business-model-proven", model)) or "")}
end)

-- 3. Domestic compute ecosystem: do domestic and overseas houses read the
-- Ascend adaptation the same way?
watch("watch_compute", "Watchlist 3, domestic compute ecosystem: the "
      .. "domestic - overseas gap on the chip turning point.", function()
  local r = reading("domestic-chip-turning-point")
  if not r then return {status = "no data"} end
  local ok, gap = pcall(ck.split, "domestic-chip-turning-point")
  local status = r.label == "consensus" and "supportive" or "contested"
  return {status = status, question = "domestic-chip-turning-point",
          reading = describe("domestic-chip-turning-point", r)
            .. (ok and string.format("; domestic - overseas %+.2f", gap) or "")}
end)

-- 4. Team stability: talent retention after departures.
watch("watch_team", "Watchlist 4, team stability: can DeepSeek keep its "
      .. "people.", function()
  local r = reading("talent-retention")
  if not r then return {status = "no data"} end
  return {status = r.mean > 0.5 and "supportive" or r.mean < -0.5 and "at risk"
            or "contested",
          question = "talent-retention",
          reading = describe("talent-retention", r)}
end)

-- 5. Price and competition: does cheaper inference grow or shrink compute?
watch("watch_price", "Watchlist 5, price and competition: the Jevons debate "
      .. "and how the market priced it.", function()
  local r = reading("compute-demand-jevons")
  if not r then return {status = "no data"} end
  local balance = ck.consensus("compute-demand-jevons", "balance")
  local ok, nvda = pcall(ck.value, "nvidia", "stock-move")
  return {status = r.label == "consensus"
            and (balance > 0 and "supportive" or "at risk") or "contested",
          question = "compute-demand-jevons",
          reading = describe("compute-demand-jevons", r)
            .. string.format("; bull - bear %+.2f", balance)
            .. (ok and string.format("; NVIDIA %+.0f%%", nvda * 100) or "")}
end)
