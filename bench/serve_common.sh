# Sourced by the bench scripts that drive `sieve serve` (bench_http.sh, bench_soak.sh,
# bench_jobs.sh); run from the repository root.
#   bench_setup TARGET...   picks the build ($SIEVE_BENCH_BUILD, default build/release configured
#                           by the `release` preset), builds sieve and TARGETs, makes $tmp and a
#                           trap that stops the server and removes $tmp.
#   start_server ARGS...    starts `sieve serve --port 0 --state-dir $tmp/state ARGS...` and sets
#                           $server (pid) and $port; exits with the server's log if it does not
#                           listen within 60 s.
#   machine_line            one line: CPUs, CPU model, uptime and load.

bench_setup() {
  build=${SIEVE_BENCH_BUILD:-build/release}
  if [ "$build" = build/release ]; then
    cmake --preset release >/dev/null
  fi
  cmake --build "$build" --target sieve "$@" >/dev/null
  tmp=$(mktemp -d)
  server=
  trap bench_cleanup EXIT
}

bench_cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$tmp"
}

start_server() {
  "$build/connector/sieve" serve --port 0 --state-dir "$tmp/state" "$@" > "$tmp/serve.log" 2>&1 &
  server=$!
  port=
  for _ in $(seq 600); do
    port=$(sed -n 's|^listening: http://127.0.0.1:\([0-9]*\)/$|\1|p' "$tmp/serve.log")
    [ -n "$port" ] && break
    sleep 0.1
  done
  [ -n "$port" ] || { echo "sieve serve did not start:" >&2; cat "$tmp/serve.log" >&2; exit 1; }
}

machine_line() {
  echo "machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p'); uptime: $(uptime)"
}
