-- wrk: GET /heroes/{id} for ids drawn uniformly from 1..N (the first
-- argument after --), each hero with its team.
local n = 1
function init(args)
  n = tonumber(args[1]) or 1
  math.randomseed(os.time())
end
function request()
  return wrk.format("GET", "/heroes/" .. math.random(1, n))
end
