#!/usr/bin/env bash
# POST /v1/classify latency with a personal layer learned from N corrections: `sieve serve`
# (release build) gets N corrections through POST /v1/feedback (papers of judged-2.jsonl, each
# with a verdict other than its judges' one in turn), waits until GET /v1/personal says they are
# learned, then runs bench/http_load.cpp as bench_http.sh does (200 keep-alive connections,
# 1,000 requests/s, 30 s). Bar: p99 <= 10 ms as without a layer. Also prints how long after the
# last POST /v1/feedback the layer served it. Needs python3 (not a CI dependency: benchmarks only).
# usage: bench/bench_personal_http.sh [corrections=1000] [connections=200] [rate=1000] [seconds=30]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
connections=${2:-200}
rate=${3:-1000}
seconds=${4:-30}
corpus=${SIEVE_SHARED:-../shared}/corpus
. bench/serve_common.sh
bench_setup bench_http_load
start_server --db "$tmp/none/zotero.sqlite"
machine_line
python3 - "$port" "$tmp/state/token" "$corpus/judged-2.jsonl" "$n" <<'PY'
import json, sys, time, urllib.request
port, token, path, n = sys.argv[1], open(sys.argv[2]).read().strip(), sys.argv[3], int(sys.argv[4])
def call(method, route, body=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{route}", method=method,
                                 data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Authorization": "Bearer " + token,
                                          "Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(req))
verdicts = ["relevant", "application", "irrelevant"]
sent = 0
t0 = time.time()
with open(path) as f:
    for line in f:
        p = json.loads(line)
        if sent >= n: break
        v = [x for x in verdicts if x != p["verdict"]][sent % 2]
        call("POST", "/v1/feedback", {"libraryID": 1, "key": f"K{sent}", "verdict": v,
                                      "title": p["title"], "abstract": p["abstract"]})
        sent += 1
last = time.time()
while True:
    s = call("GET", "/v1/personal")
    if s["learned"] == n and not s["training"]: break
    time.sleep(0.005)
print(f"{sent} corrections posted in {last - t0:.1f} s; trainer idle {1000 * (time.time() - last):.0f} ms "
      f"after the last; agreement {s['agreement']}; judge {s['judge']}")
PY
echo "server: $build/connector/sieve serve --port 0 (port $port), corpus: $corpus/validation.jsonl"
"$build/bench/bench_http_load" "$port" "$tmp/state/token" "$corpus/validation.jsonl" \
  "$connections" "$rate" "$seconds"
ps -o rss=,time= -p "$server" | awk '{print "server after the run: RSS " $1 " KB, CPU time " $2}'
