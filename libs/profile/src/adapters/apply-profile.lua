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

-- An event's increments are sparse: { counter index, value, counter index, value, … } for
-- its non-zero counters only (adding zero never changes a sum nor overflows it); `length`
-- says how much of the (reused) table is this event's.
local function addIncrements(target, increments, length)
  for at = 1, length, 2 do
    -- addExact, inlined: this runs for every counter of every event.
    local index = increments[at]
    local sum = target[index] + increments[at + 1]
    if sum > EXACT_MAX then h.flags = bit.bor(h.flags, OVERFLOWED_FLAG) else target[index] = sum end
  end
end

local function foldIntoCarry(counters)
  for index = 1, #CARRIED_COUNTERS do carried[index] = addExact(carried[index], counters[CARRIED_COUNTERS[index]]) end
end

-- Position in `carried` of each carried counter index.
local CARRIED_POSITION = {}
for position = 1, #CARRIED_COUNTERS do CARRIED_POSITION[CARRIED_COUNTERS[position]] = position end

local function foldIncrementsIntoCarry(increments, length)
  for at = 1, length, 2 do
    local position = CARRIED_POSITION[increments[at]]
    if position then carried[position] = addExact(carried[position], increments[at + 1]) end
  end
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

-- The day dayCounters last answered for, and its counters: consecutive events nearly always
-- share a day. The answer stays right for the rest of the call: a record leaves the tail only
-- when trimmed, a trimmed day is behind keptFromDay for good (it only rises), and no event
-- asks for a day behind it; and once a day is in the tail, no stored record is left at or
-- after it to peel.
local cachedDay, cachedCounters = nil, nil

-- The counters of `day`'s record, created when the day has none yet. Usually the newest
-- record or a new one; a late event peels back only as far as its own day.
local function dayCounters(day)
  if day == cachedDay then return cachedCounters end
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
  cachedDay, cachedCounters = day, decodedCounters(entry)
  return cachedCounters
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

-- Drops, in place and in order, the entries older than their horizon: a snapshot or an open
-- stock-out behind snapshotHorizon, a remembered restock behind restockHorizon. In place and
-- without a closure, because it runs for every stock event.
local function dropStale(entries, snapshotHorizon, restockHorizon)
  local kept, count = 0, #entries
  for index = 1, count do
    local entry = entries[index]
    local horizon = snapshotHorizon
    if entry.out == false then horizon = restockHorizon end
    if entry.time >= horizon then
      kept = kept + 1
      entries[kept] = entry
    end
  end
  for index = count, kept + 1, -1 do entries[index] = nil end
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
  -- A warehouse entry has no `out` (nil): it is held to the snapshot horizon, like a stock-out.
  dropStale(warehouses, snapshotHorizon, restockHorizon)
  dropStale(units, snapshotHorizon, restockHorizon)
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
  -- trimDaysBefore's own conditions, checked here first: most events have nothing to trim.
  if (middleEnd > middleStart and firstDay < keptFromDay) or (tail[1] and tail[1].day < keptFromDay) then
    trimDaysBefore(keptFromDay)
  end
  if e.day < keptFromDay then
    foldIncrementsIntoCarry(e.increments, e.incrementsLength)
  else
    addIncrements(dayCounters(e.day), e.increments, e.incrementsLength)
  end
  if e.stockKind ~= 0 then applyStock(e) end
end

-- One event at a time: the batch loop decodes each event into the same table, which nothing
-- keeps past the event (the stock state copies what it keeps), rather than making a table
-- (and a table of increments) per event.
local e = {
  offset = 0, fingerprint = '', time = 0, currency = NO_CURRENCY, day = 0, hour = 0, tie = 0,
  increments = {}, incrementsLength = 0, stockKind = 0, stockKey = false, onHand = 0, value = 0,
}

-- The day, hour and tie-breaker are not sent: they follow from the time and the fingerprint
-- (see event-argument.ts).
local function decodeEvent(packed, from, to)
  local offset, fingerprint, time, currency, counterCount, at = struct.unpack(EVENT_FORMAT, packed, from)
  local increments = e.increments
  for position = 1, counterCount * 2, 2 do
    local index, value = string.byte(packed, at), 1
    if index >= INCREMENT_OF_ONE_FLAG then
      index, at = index - INCREMENT_OF_ONE_FLAG, at + 1
    else
      value, at = struct.unpack('>I7', packed, at + 1)
    end
    if index < 1 or index > COUNTER_COUNT then error('profile: counter index ' .. index .. ' out of range') end
    increments[position], increments[position + 1] = index, value
  end
  local stockKind = string.byte(packed, at)
  if stockKind == nil then error('profile: malformed event argument') end
  at = at + 1
  if stockKind ~= 0 then
    e.stockKey, at = struct.unpack('>c6', packed, at)
    if stockKind == STOCK_SNAPSHOT then e.onHand, e.value, at = struct.unpack('>I7I7', packed, at) end
    -- Only the stock state reads the tie-breaker.
    e.tie = string.byte(fingerprint, 1) * 256 + string.byte(fingerprint, 2)
  end
  if at ~= to then error('profile: malformed event argument') end
  e.offset, e.fingerprint, e.time, e.currency, e.stockKind = offset, fingerprint, time, currency, stockKind
  e.incrementsLength = counterCount * 2
  e.day, e.hour = (time - time % DAY_MS) / DAY_MS, (time - time % HOUR_MS) / HOUR_MS
end

-- ---------------------------------------------------------------- fingerprints
-- [u32 newest hour][u32 fingerprint count], then groups of [count × 8-byte fingerprint]
-- [u8 count][u32 event-time hour]. The stored groups are indexed once per call; what the
-- call forgets or remembers is kept in tables and the value is written once at the end.
--
-- Each new newest hour forgets the groups and pending fingerprints more than
-- FINGERPRINT_HOURS behind it. Rather than rebuilding both on every new hour (once per event
-- for a merchant with an event an hour), forgetting is lazy: `forgottenBefore` only rises,
-- so an entry older than it is forgotten for the rest of the call, and is skipped where it
-- is read and dropped when the value is written (or when the count must be exact, past
-- FINGERPRINTS_MAX). Which fingerprints count as seen, and the value written, are the same as
-- forgetting at once.

local seen = redis.call('GET', fingerprintKey)
local newestHour = 0
if seen then newestHour = struct.unpack(SEEN_HEADER_FORMAT, seen) else seen = '' end
-- Stored groups in stored order: { first = position of the first fingerprint, count, hour, dropped }.
local groups = {}
do
  local reversed, groupEnd = {}, #seen + 1
  while groupEnd > SEEN_HEADER_BYTES + 1 do
    local count, hour = struct.unpack(GROUP_TRAILER_FORMAT, seen, groupEnd - GROUP_TRAILER_BYTES)
    local first = groupEnd - GROUP_TRAILER_BYTES - count * FINGERPRINT_BYTES
    if first <= SEEN_HEADER_BYTES then error('fingerprints: corrupt group in ' .. fingerprintKey) end
    reversed[#reversed + 1] = { first = first, count = count, hour = hour, dropped = false }
    groupEnd = first
  end
  for index = #reversed, 1, -1 do groups[#groups + 1] = reversed[index] end
end
-- Fingerprints remembered by this call, in order, as parallel arrays (a table per entry would
-- cost more than the rest of the entry's work); and the index of the latest entry of each
-- fingerprint (an earlier one with the same bytes is always forgotten: a fingerprint is only
-- remembered when no live entry has it).
local pendingFingerprints, pendingHours, pendingDropped, pendingCount = {}, {}, {}, 0
local pendingByFingerprint = {}
local forgottenBefore = -1
local seenChanged = false
-- Entries stored or pending, forgotten ones included until compacted: an upper bound of the live count.
local entryCount = 0
for _, group in ipairs(groups) do entryCount = entryCount + group.count end

local function isLiveGroup(group) return not group.dropped and group.hour >= forgottenBefore end
local function isLivePending(index) return not pendingDropped[index] and pendingHours[index] >= forgottenBefore end

-- Physically drops forgotten groups and pending entries; entryCount becomes exact. `final`:
-- the value is about to be written and nothing is looked up any more, so the index of pending
-- fingerprints is not rebuilt.
local function compact(final)
  local keptGroups, count = {}, 0
  for _, group in ipairs(groups) do
    if isLiveGroup(group) then
      keptGroups[#keptGroups + 1] = group
      count = count + group.count
    end
  end
  local fingerprints, hours, kept = {}, {}, 0
  if not final then pendingByFingerprint = {} end
  for index = 1, pendingCount do
    if isLivePending(index) then
      kept = kept + 1
      fingerprints[kept], hours[kept] = pendingFingerprints[index], pendingHours[index]
      if not final then pendingByFingerprint[pendingFingerprints[index]] = kept end
    end
  end
  groups, entryCount = keptGroups, count + kept
  pendingFingerprints, pendingHours, pendingDropped, pendingCount = fingerprints, hours, {}, kept
end

local function fingerprintSeen(fingerprint)
  local index = pendingByFingerprint[fingerprint]
  if index and isLivePending(index) then return true end
  local from = SEEN_HEADER_BYTES + 1
  while true do
    local at = string.find(seen, fingerprint, from, true)
    if at == nil then return false end
    for _, group in ipairs(groups) do
      local slotsEnd = group.first + group.count * FINGERPRINT_BYTES
      if at >= group.first and at < slotsEnd then
        if (at - group.first) % FINGERPRINT_BYTES == 0 and isLiveGroup(group) then return true end
        break
      end
    end
    from = at + 1
  end
end

local function advanceHour(hour)
  if hour <= newestHour then return end
  newestHour, seenChanged = hour, true
  forgottenBefore = newestHour - FINGERPRINT_HOURS
end

-- Past FINGERPRINTS_MAX, the oldest hour goes first (a very busy merchant's horizon shrinks):
-- the oldest stored group (the last one stored, among equally old), else the first pending.
-- Called on a compacted state only.
local function forgetOldest()
  local oldest = nil
  for index = #groups, 1, -1 do
    if oldest == nil or groups[index].hour < oldest.hour then oldest = groups[index] end
  end
  if oldest then
    oldest.dropped = true
    entryCount = entryCount - oldest.count
  elseif pendingCount > 0 then
    pendingDropped[1] = true
    entryCount = entryCount - 1
  end
  compact()
end

local function rememberFingerprint(fingerprint, hour)
  pendingCount = pendingCount + 1
  pendingFingerprints[pendingCount], pendingHours[pendingCount] = fingerprint, hour
  pendingByFingerprint[fingerprint] = pendingCount
  entryCount, seenChanged = entryCount + 1, true
  if entryCount > FINGERPRINTS_MAX then
    compact()
    while entryCount > FINGERPRINTS_MAX do forgetOldest() end
  end
end

-- The live stored groups, then the pending fingerprints (extending the last group when they share its hour).
local function encodeFingerprints()
  compact(true)
  local parts = { struct.pack(SEEN_HEADER_FORMAT, newestHour, entryCount) }
  local group = nil
  local last = groups[#groups]
  if last and pendingCount > 0 and last.hour == pendingHours[1] then group = { count = last.count, hour = last.hour } end
  for index, stored in ipairs(groups) do
    local slotsEnd = stored.first + stored.count * FINGERPRINT_BYTES
    if index == #groups and group then
      parts[#parts + 1] = string.sub(seen, stored.first, slotsEnd - 1)
    else
      parts[#parts + 1] = string.sub(seen, stored.first, slotsEnd + GROUP_TRAILER_BYTES - 1)
    end
  end
  for index = 1, pendingCount do
    local hour = pendingHours[index]
    if group and (group.hour ~= hour or group.count == 255) then
      parts[#parts + 1] = struct.pack(GROUP_TRAILER_FORMAT, group.count, group.hour)
      group = nil
    end
    if group == nil then group = { count = 0, hour = hour } end
    parts[#parts + 1] = pendingFingerprints[index]
    group.count = group.count + 1
  end
  if group then parts[#parts + 1] = struct.pack(GROUP_TRAILER_FORMAT, group.count, group.hour) end
  return table.concat(parts)
end

-- ---------------------------------------------------------------- the batch

local position = positions[slot]
local statuses, statusCount = {}, 0
local events = ARGV[4]
local nextEvent = 1
while nextEvent <= #events do
  local lengthHigh, lengthLow = string.byte(events, nextEvent, nextEvent + 1)
  if lengthLow == nil then error('profile: malformed event argument') end
  local length = lengthHigh * 256 + lengthLow
  decodeEvent(events, nextEvent + 2, nextEvent + 2 + length)
  nextEvent = nextEvent + 2 + length
  local mismatch = e.currency ~= NO_CURRENCY and h.currency ~= NO_CURRENCY and e.currency ~= h.currency
  local status
  if position.partition == partition and e.offset <= position.through then
    -- Redelivered: already handled. A mismatch is reported again so its dead letter is not lost.
    status = mismatch and 'C' or 'R'
  else
    if position.partition ~= partition then position.partition, position.from = partition, e.offset end
    position.through, profileChanged = e.offset, true
    if mismatch then
      status = 'C'
    else
      if e.hour > newestHour then advanceHour(e.hour) end
      local inHorizon = e.hour >= newestHour - FINGERPRINT_HOURS
      if inHorizon and fingerprintSeen(e.fingerprint) then
        status = 'F'
      else
        applyEvent(e)
        if inHorizon then rememberFingerprint(e.fingerprint, e.hour) end
        status = 'A'
      end
    end
  end
  statusCount = statusCount + 1
  statuses[statusCount] = status
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
