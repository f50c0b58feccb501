-- Applies one merchant's events from one topic-partition to its rolling profile, atomically.
--
-- Business rules live in TypeScript: profileDelta computes what each event adds, and this
-- script only adds, trims into the carry, keeps the latest-wins stock state and guards
-- idempotency. It mirrors applyProfileDelta (libs/profile/src/apply-profile-delta.ts) step
-- for step: change one, change the other; the integration tests hold them to each other.
-- The byte layout is documented in profile-layout.ts. The constants in capitals are
-- prepended by apply-profile-script.ts from the TypeScript configuration.
--
-- KEYS[1] the profile string          KEYS[2] this input stream's fingerprints
-- ARGV[1] source slot (0, 1 or 2)     ARGV[2] Kafka partition
-- ARGV[3] fingerprint key TTL in ms   ARGV[4] the events, in offset order: [u16 length][event]…
-- Returns one letter per event: A applied, R redelivered (at or below the applied position),
-- F re-published copy (fingerprint seen), C currency mismatch (not applied).

local profileKey, fingerprintKey = KEYS[1], KEYS[2]
local slot = tonumber(ARGV[1])
local partition = tonumber(ARGV[2])
local fingerprintTtlMs = tonumber(ARGV[3])

local NO_CURRENCY = '\0\0\0'
local NIBBLE_BYTES = (1 + #NIBBLE_COUNTERS) / 2
local SEEN_HEADER_FORMAT = '>I4I4'
local SEEN_HEADER_BYTES = 8
local GROUP_TRAILER_FORMAT = '>BI4'
local GROUP_TRAILER_BYTES = 5
local FINGERPRINT_BYTES = 8
local STOCK_SNAPSHOT = 1
local STOCK_OUT = 2

-- ---------------------------------------------------------------- varints and day records
-- Lua numbers are doubles: exact up to EXACT_MAX, which addExact never lets a sum pass.
-- Lua strings are immutable and a long one costs a copy: the code below reads the stored
-- bytes in place, decodes only the records it touches, and builds the result once.

local function readVarint(bytes, at)
  local value, scale = 0, 1
  while true do
    local byte = string.byte(bytes, at)
    if byte == nil then error('profile: truncated varint in ' .. profileKey) end
    at = at + 1
    if byte < 128 then return value + byte * scale, at end
    value = value + (byte - 128) * scale
    scale = scale * 128
  end
end

local function appendVarint(out, value)
  while value >= 128 do
    local low = value % 128
    out[#out + 1] = low + 128
    value = (value - low) / 128
  end
  out[#out + 1] = value
end

-- A record's payload from `at`: its gap, its counters, and where the payload ends (the
-- length byte's position).
local function decodeRecord(bytes, at)
  local fields = {}
  for index = 0, NIBBLE_BYTES - 1 do
    local byte = string.byte(bytes, at + index)
    if byte == nil then error('profile: truncated day record in ' .. profileKey) end
    fields[#fields + 1] = (byte - byte % 16) / 16
    fields[#fields + 1] = byte % 16
  end
  local next = at + NIBBLE_BYTES
  for index = 1, #fields do
    if fields[index] == NIBBLE_ESCAPE then
      local rest
      rest, next = readVarint(bytes, next)
      fields[index] = NIBBLE_ESCAPE + rest
    end
  end
  local counters = {}
  for index = 1, #NIBBLE_COUNTERS do counters[NIBBLE_COUNTERS[index]] = fields[index + 1] end
  for index = 1, #VARINT_COUNTERS do counters[VARINT_COUNTERS[index]], next = readVarint(bytes, next) end
  if string.byte(bytes, next) ~= nil and string.byte(bytes, next) ~= next - at then
    error('profile: day record length disagrees in ' .. profileKey)
  end
  return fields[1], counters, next
end

-- Only the gap (the first 4-bit field, escaped to the first varint when 15 or more).
local function gapAt(bytes, at)
  local byte = string.byte(bytes, at)
  local gap = (byte - byte % 16) / 16
  if gap ~= NIBBLE_ESCAPE then return gap end
  return NIBBLE_ESCAPE + readVarint(bytes, at + NIBBLE_BYTES)
end

-- The whole record: payload, then its length in one byte.
local function encodeRecord(gap, counters)
  local fields = { gap }
  for index = 1, #NIBBLE_COUNTERS do fields[index + 1] = counters[NIBBLE_COUNTERS[index]] end
  local out = {}
  for index = 1, #fields, 2 do
    out[#out + 1] = math.min(fields[index], NIBBLE_ESCAPE) * 16 + math.min(fields[index + 1], NIBBLE_ESCAPE)
  end
  for index = 1, #fields do
    if fields[index] >= NIBBLE_ESCAPE then appendVarint(out, fields[index] - NIBBLE_ESCAPE) end
  end
  for index = 1, #VARINT_COUNTERS do appendVarint(out, counters[VARINT_COUNTERS[index]]) end
  out[#out + 1] = #out
  return string.char(unpack(out))
end

-- ---------------------------------------------------------------- the profile string

local raw = redis.call('GET', profileKey)
local profileExists = raw ~= false
local profileChanged = false
local h = { flags = 0, currency = NO_CURRENCY, firstSeen = 0, newest = 0, newestStock = 0, warehouseCount = 0, unitCount = 0 }
local carried = {}
for index = 1, #CARRIED_COUNTERS do carried[index] = 0 end
local positions = {}
for source = 0, 2 do positions[source] = { partition = NO_PARTITION, from = 0, through = 0 } end
-- The day records are the stored bytes [middleStart, middleEnd) of `raw`, followed by `tail`:
-- the records peeled off the end (or inserted) and decoded because an event touches them.
-- The first record's gap is never read: its day is firstDay, so trimming needs no rewrite.
local middleStart, middleEnd, firstDay, middleLastDay = 1, 1, 0, nil
local tail = {}
local stockBytes = ''

if profileExists then
  local v = { struct.unpack(HEADER_FORMAT, raw) }
  if v[1] ~= LAYOUT_VERSION then
    return redis.error_reply('PROFILE_LAYOUT ' .. profileKey .. ' has layout ' .. v[1] .. ', expected ' .. LAYOUT_VERSION)
  end
  h.flags, h.currency, h.firstSeen, h.newest, h.newestStock = v[2], v[3], v[4], v[5], v[6]
  local dayBytes
  firstDay, middleLastDay, dayBytes = v[7], v[8], v[9]
  h.warehouseCount, h.unitCount = v[10], v[11]
  carried = { v[12], v[13], v[14] }
  for source = 0, 2 do
    positions[source] = { partition = v[15 + source * 3], from = v[16 + source * 3], through = v[17 + source * 3] }
  end
  middleStart, middleEnd = HEADER_BYTES + 1, HEADER_BYTES + dayBytes + 1
  stockBytes = string.sub(raw, middleEnd)
  if dayBytes == 0 then middleLastDay = nil end
else
  raw = ''
end

local function addExact(total, increment)
  local sum = total + increment
  if sum > EXACT_MAX then
    h.flags = bit.bor(h.flags, OVERFLOWED_FLAG)
    return total
  end
  return sum
end

local function addCounters(target, increments)
  for index = 1, COUNTER_COUNT do target[index] = addExact(target[index], increments[index]) end
end

local function foldIntoCarry(counters)
  for index = 1, #CARRIED_COUNTERS do carried[index] = addExact(carried[index], counters[CARRIED_COUNTERS[index]]) end
end

local function decodedCounters(entry)
  if entry.counters == nil then
    local _
    _, entry.counters = decodeRecord(entry.payload, 1)
  end
  return entry.counters
end

-- Moves the last stored record into the tail (walking back by the trailing length byte).
local function peelLastRecord()
  local length = string.byte(raw, middleEnd - 1)
  local start = middleEnd - 1 - length
  if start < middleStart then error('profile: day record overruns the records in ' .. profileKey) end
  local entry = { day = middleLastDay, payload = string.sub(raw, start, middleEnd - 2) }
  entry.gap = gapAt(entry.payload, 1)
  table.insert(tail, 1, entry)
  middleEnd = start
  if middleEnd > middleStart then middleLastDay = entry.day - entry.gap else middleLastDay = nil end
end

-- The counters of `day`'s record, created when the day has none yet. Usually the newest
-- record or a new one; a late event peels back only as far as its own day.
local function dayCounters(day)
  while middleEnd > middleStart and middleLastDay >= day do peelLastRecord() end
  local at = #tail + 1
  for index = 1, #tail do
    if tail[index].day >= day then
      at = index
      break
    end
  end
  local entry = tail[at]
  if entry == nil or entry.day ~= day then
    entry = { day = day, counters = {} }
    for index = 1, COUNTER_COUNT do entry.counters[index] = 0 end
    table.insert(tail, at, entry)
  end
  return decodedCounters(entry)
end

-- Folds every record before keptFromDay into the carry, from the front.
local function trimDaysBefore(keptFromDay)
  while middleEnd > middleStart and firstDay < keptFromDay do
    local _, counters, lengthAt = decodeRecord(raw, middleStart)
    foldIntoCarry(counters)
    middleStart = lengthAt + 1
    if middleEnd > middleStart then firstDay = firstDay + gapAt(raw, middleStart) else middleLastDay = nil end
  end
  while tail[1] and tail[1].day < keptFromDay do
    foldIntoCarry(decodedCounters(table.remove(tail, 1)))
  end
end

-- Appends the day records to `parts`; returns their first and last day and their length.
local function encodeDays(parts)
  local previousDay, bytes = nil, 0
  if middleEnd > middleStart then
    parts[#parts + 1] = string.sub(raw, middleStart, middleEnd - 1)
    previousDay, bytes = middleLastDay, middleEnd - middleStart
  end
  for _, entry in ipairs(tail) do
    local gap = previousDay and entry.day - previousDay or 0
    local record
    if entry.counters == nil and gap == entry.gap then
      record = entry.payload .. string.char(#entry.payload)
    else
      record = encodeRecord(gap, decodedCounters(entry))
    end
    parts[#parts + 1] = record
    previousDay, bytes = entry.day, bytes + #record
  end
  local first = 0
  if middleEnd > middleStart then first = firstDay elseif tail[1] then first = tail[1].day end
  return first, previousDay or 0, bytes
end

-- ---------------------------------------------------------------- stock state (latest wins)

local warehouses, units = nil, nil

local function loadStock()
  if warehouses then return end
  warehouses, units = {}, {}
  local at = 1
  for index = 1, h.warehouseCount do
    local key, time, tie, onHand, value
    key, time, tie, onHand, value, at = struct.unpack(WAREHOUSE_ENTRY_FORMAT, stockBytes, at)
    warehouses[index] = { key = key, time = time, tie = tie, onHand = onHand, value = value }
  end
  for index = 1, h.unitCount do
    local key, time, tie, out
    key, time, tie, out, at = struct.unpack(UNIT_ENTRY_FORMAT, stockBytes, at)
    units[index] = { key = key, time = time, tie = tie, out = out == 1 }
  end
end

local function encodeStock()
  if warehouses == nil then return stockBytes end
  local parts = {}
  for _, w in ipairs(warehouses) do parts[#parts + 1] = struct.pack(WAREHOUSE_ENTRY_FORMAT, w.key, w.time, w.tie, w.onHand, w.value) end
  for _, u in ipairs(units) do parts[#parts + 1] = struct.pack(UNIT_ENTRY_FORMAT, u.key, u.time, u.tie, u.out and 1 or 0) end
  h.warehouseCount, h.unitCount = #warehouses, #units
  return table.concat(parts)
end

local function compareVersions(a, b)
  if a.time ~= b.time then return a.time - b.time end
  return a.tie - b.tie
end

-- Byte order, not string `<` (which follows the locale's collation).
local function keyBefore(a, b)
  for index = 1, #a do
    local x, y = string.byte(a, index), string.byte(b, index)
    if x ~= y then return x < y end
  end
  return false
end

local function keepIf(entries, keep)
  local kept = {}
  for _, entry in ipairs(entries) do
    if keep(entry) then kept[#kept + 1] = entry end
  end
  return kept
end

local function upsertLatest(entries, entry, entriesMax)
  for index, existing in ipairs(entries) do
    if existing.key == entry.key then
      if compareVersions(entry, existing) > 0 then entries[index] = entry end
      return
    end
  end
  entries[#entries + 1] = entry
  if #entries <= entriesMax then return end
  local oldest = 1
  for index = 2, #entries do
    local order = compareVersions(entries[index], entries[oldest])
    if order < 0 or (order == 0 and keyBefore(entries[index].key, entries[oldest].key)) then oldest = index end
  end
  table.remove(entries, oldest)
end

local function applyStock(e)
  loadStock()
  if e.time > h.newestStock then h.newestStock = e.time end
  local snapshotHorizon = h.newestStock - STOCK_STATE_MS
  local restockHorizon = h.newestStock - LATE_STOCK_MS
  warehouses = keepIf(warehouses, function(w) return w.time >= snapshotHorizon end)
  units = keepIf(units, function(u) return u.time >= (u.out and snapshotHorizon or restockHorizon) end)
  if e.stockKind == STOCK_SNAPSHOT then
    if e.time >= snapshotHorizon then
      upsertLatest(warehouses, { key = e.stockKey, time = e.time, tie = e.tie, onHand = e.onHand, value = e.value }, WAREHOUSES_MAX)
    end
  elseif e.time >= restockHorizon then
    upsertLatest(units, { key = e.stockKey, time = e.time, tie = e.tie, out = e.stockKind == STOCK_OUT }, UNITS_MAX)
  end
end

-- ---------------------------------------------------------------- applying one event

local function applyEvent(e)
  if not profileExists then
    profileExists, h.firstSeen, h.newest = true, e.time, e.time
  end
  if h.currency == NO_CURRENCY then h.currency = e.currency end
  if e.time < h.firstSeen then h.firstSeen = e.time end
  if e.time > h.newest then h.newest = e.time end
  local keptFromDay = (h.newest - h.newest % DAY_MS) / DAY_MS - KEPT_DAYS + 1
  trimDaysBefore(keptFromDay)
  if e.day < keptFromDay then foldIntoCarry(e.counters) else addCounters(dayCounters(e.day), e.counters) end
  if e.stockKind ~= 0 then applyStock(e) end
end

local function decodeEvent(packed, from, to)
  local e, counterCount, at = {}, 0, from
  e.offset, e.fingerprint, e.time, e.day, e.hour, e.currency, e.tie, counterCount, at = struct.unpack(EVENT_FORMAT, packed, from)
  e.counters = {}
  for index = 1, COUNTER_COUNT do e.counters[index] = 0 end
  for _ = 1, counterCount do
    local index, value
    index, value, at = struct.unpack('>BI7', packed, at)
    if index < 1 or index > COUNTER_COUNT then error('profile: counter index ' .. index .. ' out of range') end
    e.counters[index] = value
  end
  e.stockKind, at = struct.unpack('>B', packed, at)
  if e.stockKind ~= 0 then
    e.stockKey, at = struct.unpack('>c6', packed, at)
    if e.stockKind == STOCK_SNAPSHOT then e.onHand, e.value, at = struct.unpack('>I7I7', packed, at) end
  end
  if at ~= to then error('profile: malformed event argument') end
  return e
end

-- ---------------------------------------------------------------- fingerprints
-- [u32 newest hour][u32 fingerprint count], then groups of [count × 8-byte fingerprint]
-- [u8 count][u32 event-time hour], walked back from the end. New fingerprints of this call
-- wait in `pending` and are written once at the end.

local seen = redis.call('GET', fingerprintKey)
local newestHour, storedCount = 0, 0
if seen then
  newestHour, storedCount = struct.unpack(SEEN_HEADER_FORMAT, seen)
else
  seen = struct.pack(SEEN_HEADER_FORMAT, 0, 0)
end
local pending, pendingSet = {}, {}
local seenChanged = false

-- Calls visit(fingerprintsStart, groupEnd, count, hour) for each stored group, newest
-- written first, until it returns true.
local function eachStoredGroup(visit)
  local groupEnd = #seen + 1
  while groupEnd > SEEN_HEADER_BYTES + 1 do
    local count, hour = struct.unpack(GROUP_TRAILER_FORMAT, seen, groupEnd - GROUP_TRAILER_BYTES)
    local fingerprintsStart = groupEnd - GROUP_TRAILER_BYTES - count * FINGERPRINT_BYTES
    if fingerprintsStart <= SEEN_HEADER_BYTES then error('fingerprints: corrupt group in ' .. fingerprintKey) end
    if visit(fingerprintsStart, groupEnd, count, hour) then return end
    groupEnd = fingerprintsStart
  end
end

local function isFingerprintSlot(position)
  local slot = false
  eachStoredGroup(function(fingerprintsStart, groupEnd)
    if position < fingerprintsStart then return false end
    slot = position < groupEnd - GROUP_TRAILER_BYTES and (position - fingerprintsStart) % FINGERPRINT_BYTES == 0
    return true
  end)
  return slot
end

local function fingerprintSeen(fingerprint)
  if pendingSet[fingerprint] then return true end
  local from = SEEN_HEADER_BYTES + 1
  while true do
    local at = string.find(seen, fingerprint, from, true)
    if at == nil then return false end
    if isFingerprintSlot(at) then return true end
    from = at + 1
  end
end

local function keepStoredGroups(keep)
  local parts, count = {}, 0
  eachStoredGroup(function(fingerprintsStart, groupEnd, n, hour)
    if keep(hour, fingerprintsStart) then
      table.insert(parts, 1, string.sub(seen, fingerprintsStart, groupEnd - 1))
      count = count + n
    end
  end)
  table.insert(parts, 1, struct.pack(SEEN_HEADER_FORMAT, 0, 0))
  seen, storedCount, seenChanged = table.concat(parts), count, true
end

local function keepPending(keep)
  local kept = {}
  pendingSet = {}
  for _, entry in ipairs(pending) do
    if keep(entry.hour) then
      kept[#kept + 1] = entry
      pendingSet[entry.fingerprint] = true
    end
  end
  pending = kept
end

local function advanceHour(hour)
  if hour <= newestHour then return end
  newestHour, seenChanged = hour, true
  local cutoff = newestHour - FINGERPRINT_HOURS
  local stale = false
  eachStoredGroup(function(_, _, _, groupHour)
    stale = groupHour < cutoff
    return stale
  end)
  local fresh = function(groupHour) return groupHour >= cutoff end
  if stale then keepStoredGroups(fresh) end
  keepPending(fresh)
end

-- Past FINGERPRINTS_MAX, the oldest hour goes first (a very busy merchant's horizon shrinks).
local function forgetOldest()
  local oldestHour, oldestStart = nil, nil
  eachStoredGroup(function(fingerprintsStart, _, _, hour)
    if oldestHour == nil or hour < oldestHour then oldestHour, oldestStart = hour, fingerprintsStart end
  end)
  if oldestStart then
    keepStoredGroups(function(_, fingerprintsStart) return fingerprintsStart ~= oldestStart end)
  else
    table.remove(pending, 1)
    keepPending(function() return true end)
  end
end

local function rememberFingerprint(fingerprint, hour)
  pending[#pending + 1] = { fingerprint = fingerprint, hour = hour }
  pendingSet[fingerprint], seenChanged = true, true
  while storedCount + #pending > FINGERPRINTS_MAX do forgetOldest() end
end

-- The stored groups, then the pending fingerprints (extending the last group when they share its hour).
local function encodeFingerprints()
  local parts = { struct.pack(SEEN_HEADER_FORMAT, newestHour, storedCount + #pending) }
  local group = nil
  if #seen > SEEN_HEADER_BYTES and pending[1] then
    local count, hour = struct.unpack(GROUP_TRAILER_FORMAT, seen, #seen - GROUP_TRAILER_BYTES + 1)
    if hour == pending[1].hour then group = { count = count, hour = hour } end
  end
  parts[2] = string.sub(seen, SEEN_HEADER_BYTES + 1, #seen - (group and GROUP_TRAILER_BYTES or 0))
  for _, entry in ipairs(pending) do
    if group and (group.hour ~= entry.hour or group.count == 255) then
      parts[#parts + 1] = struct.pack(GROUP_TRAILER_FORMAT, group.count, group.hour)
      group = nil
    end
    if group == nil then group = { count = 0, hour = entry.hour } end
    parts[#parts + 1] = entry.fingerprint
    group.count = group.count + 1
  end
  if group then parts[#parts + 1] = struct.pack(GROUP_TRAILER_FORMAT, group.count, group.hour) end
  return table.concat(parts)
end

-- ---------------------------------------------------------------- the batch

local position = positions[slot]
local statuses = {}
local events = ARGV[4]
local nextEvent = 1
while nextEvent <= #events do
  local length = struct.unpack('>H', events, nextEvent)
  local e = decodeEvent(events, nextEvent + 2, nextEvent + 2 + length)
  nextEvent = nextEvent + 2 + length
  local mismatch = e.currency ~= NO_CURRENCY and h.currency ~= NO_CURRENCY and e.currency ~= h.currency
  if position.partition == partition and e.offset <= position.through then
    -- Redelivered: already handled. A mismatch is reported again so its dead letter is not lost.
    statuses[#statuses + 1] = mismatch and 'C' or 'R'
  else
    if position.partition ~= partition then position.partition, position.from = partition, e.offset end
    position.through, profileChanged = e.offset, true
    if mismatch then
      statuses[#statuses + 1] = 'C'
    else
      advanceHour(e.hour)
      local inHorizon = e.hour >= newestHour - FINGERPRINT_HOURS
      if inHorizon and fingerprintSeen(e.fingerprint) then
        statuses[#statuses + 1] = 'F'
      else
        applyEvent(e)
        if inHorizon then rememberFingerprint(e.fingerprint, e.hour) end
        statuses[#statuses + 1] = 'A'
      end
    end
  end
end

-- Every value is computed before anything is written: a script that fails half-way would
-- leave its earlier writes in place (Redis does not roll a script back).
local fingerprintsValue = seenChanged and encodeFingerprints() or nil
local profileValue = nil
if profileExists and profileChanged then
  local parts = { '' }
  local first, last, dayBytes = encodeDays(parts)
  parts[#parts + 1] = encodeStock()
  parts[1] = struct.pack(HEADER_FORMAT, LAYOUT_VERSION, h.flags, h.currency, h.firstSeen, h.newest, h.newestStock,
    first, last, dayBytes, h.warehouseCount, h.unitCount, carried[1], carried[2], carried[3],
    positions[0].partition, positions[0].from, positions[0].through,
    positions[1].partition, positions[1].from, positions[1].through,
    positions[2].partition, positions[2].from, positions[2].through)
  profileValue = table.concat(parts)
end
if fingerprintsValue then redis.call('SET', fingerprintKey, fingerprintsValue, 'PX', fingerprintTtlMs) end
if profileValue then redis.call('SET', profileKey, profileValue) end
return table.concat(statuses)
