#!/usr/bin/env bash
# Stoplight Prism, pinned in .ci/prism/, serving both contracts on 127.0.0.1 for the Prism tests:
#   spec/logto-verifications.openapi.json  at PRISM_URL          (test/test_prism.py)
#   spec/logto-account.openapi.json        at PRISM_ACCOUNT_URL
#
#   source .ci/prism.sh                 from a bash script: start both (installing Prism if
#                                       needed), export the URLs, stop them when that script
#                                       exits. If Prism cannot start, the source fails when CI
#                                       is set; otherwise it warns (the Prism tests then skip).
#   eval "$(bash .ci/prism.sh start)"   the same by hand: prints `export PRISM_URL=...` (and
#                                       PRISM_ACCOUNT_URL, and their PIDs) on stdout; exits
#                                       non-zero on failure
#   bash .ci/prism.sh stop              stop the Prisms this script started
#   bash .ci/prism.sh install           only install (npm ci into .prism/)
#
# Progress and errors go to stderr; a failure ends with the end of that Prism's log.
# PRISM_PORT and PRISM_ACCOUNT_PORT pick the ports (default: free ones).

if [ "${BASH_SOURCE[0]}" != "$0" ]; then
  # Sourced: define nothing in the caller's shell but the exported variables and an EXIT trap.
  if __prism_env="$(bash "${BASH_SOURCE[0]}" start)"; then
    eval "$__prism_env"
    # shellcheck disable=SC2064  # the path is meant to be expanded now
    trap "bash '$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/prism.sh' stop" EXIT
    unset __prism_env
  else
    unset __prism_env
    case "$(printf '%s' "${CI:-}" | tr '[:upper:]' '[:lower:]')" in
      "" | 0 | false | no) echo "prism.sh: Prism did not start; the Prism tests will be skipped" >&2 ;;
      *) echo "prism.sh: Prism did not start, and CI needs it" >&2; return 1 ;;
    esac
  fi
  return 0
fi

set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prefix="$root/.prism"
bin="$prefix/node_modules/.bin/prism"
version="$(sed -n 's/.*"@stoplight\/prism-cli": *"\([^"]*\)".*/\1/p' "$root/.ci/prism/package.json" | head -n1)"

# One line per server: name, contract, variable for its URL, variable for its port, and the
# request that must answer 200 once it is up.
servers="verifications spec/logto-verifications.openapi.json PRISM_URL PRISM_PORT POST /api/verifications/web-authn/registration
account spec/logto-account.openapi.json PRISM_ACCOUNT_URL PRISM_ACCOUNT_PORT GET /api/my-account"

say() { echo "prism.sh: $*" >&2; }
die() { say "$*"; exit 1; }

install() {
  command -v node >/dev/null || die "node is not installed (Prism $version needs Node.js 18 or newer; tested on 20)"
  command -v npm >/dev/null || die "npm is not installed"
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  [ "$major" -ge 18 ] || die "Node.js $(node --version) is too old for Prism $version (18 or newer; tested on 20)"
  mkdir -p "$prefix"
  if [ -x "$bin" ] && cmp -s "$root/.ci/prism/package-lock.json" "$prefix/package-lock.json" \
      && [ "$("$bin" --version 2>/dev/null)" = "$version" ]; then
    return 0
  fi
  say "installing @stoplight/prism-cli $version into .prism/"
  cp "$root/.ci/prism/package.json" "$root/.ci/prism/package-lock.json" "$prefix/"
  npm ci --prefix "$prefix" --no-audit --no-fund --loglevel=error >&2 || die "npm ci failed"
  [ "$("$bin" --version)" = "$version" ] || die "installed Prism is $("$bin" --version), expected $version"
}

# N distinct free ports, one per line (held open together, so no two are the same).
free_ports() {
  node -e '
    const net = require("net");
    const held = Array.from({length: Number(process.argv[1])}, () => net.createServer());
    Promise.all(held.map(s => new Promise(ok => s.listen(0, "127.0.0.1", ok)))).then(() => {
      console.log(held.map(s => s.address().port).join("\n"));
      held.forEach(s => s.close());
    });' "$1"
}

running() { [ -f "$prefix/$1.pid" ] && kill -0 "$(cat "$prefix/$1.pid")" 2>/dev/null; }

answers() {
  node -e '
    fetch(process.argv[1], {method: process.argv[2], headers: {Authorization: "Bearer probe"}})
      .then(r => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))' "$1" "$2" </dev/null 2>/dev/null
}

start() {
  install
  local name spec variable port_variable method path free url
  while read -r name _ _ _ _ _; do
    if running "$name"; then
      die "Prism ($name) is already running (pid $(cat "$prefix/$name.pid")); run: bash .ci/prism.sh stop"
    fi
  done <<<"$servers"
  free="$(free_ports 2)"
  while read -r name spec variable port_variable method path; do
    port="${!port_variable:-$(printf '%s\n' "$free" | head -n1)}"
    free="$(printf '%s\n' "$free" | tail -n +2)"
    url="http://127.0.0.1:$port"
    say "starting Prism $version for $spec on $url"
    # setsid: Prism gets its own process group, so stop can end it and its children together.
    $(command -v setsid || true) "$bin" mock -h 127.0.0.1 -p "$port" "$root/$spec" \
      >"$prefix/$name.log" 2>&1 </dev/null &
    echo $! >"$prefix/$name.pid"
    echo "$url" >"$prefix/$name.url"
  done <<<"$servers"

  # Both start at once; wait until each answers.
  local deadline=$((SECONDS + 90))
  while read -r name spec variable port_variable method path; do
    url="$(cat "$prefix/$name.url")"
    until answers "$url$path" "$method"; do
      if ! running "$name"; then
        tail -n 30 "$prefix/$name.log" >&2 || true
        stop
        die "Prism ($name) exited before it answered"
      fi
      if [ "$SECONDS" -ge "$deadline" ]; then
        tail -n 30 "$prefix/$name.log" >&2 || true
        stop
        die "Prism ($name) did not answer on $url within 90 s"
      fi
      sleep 0.5
    done
    say "Prism answers on $url for $spec (pid $(cat "$prefix/$name.pid"), log .prism/$name.log)"
    echo "export $variable=$url"
    echo "export ${variable%_URL}_PID=$(cat "$prefix/$name.pid")"
  done <<<"$servers"
}

stop() {
  local name pid
  while read -r name _ _ _ _ _; do
    if running "$name"; then
      pid="$(cat "$prefix/$name.pid")"
      kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      say "stopped Prism ($name, pid $pid)"
    fi
    rm -f "$prefix/$name.pid" "$prefix/$name.url"
  done <<<"$servers"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  *) die "usage: bash .ci/prism.sh start|stop|install" ;;
esac
