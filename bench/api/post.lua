-- wrk: POST /heroes/ with a HeroCreate body (a hero of team 1).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"name":"Bench Hero","secret_name":"Nobody","age":30,"power":"speed","team_id":1}'
