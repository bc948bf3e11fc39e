#!/usr/bin/env bash
# Stoplight Prism, pinned in .ci/prism/, serving spec/logto-verifications.openapi.json
# on 127.0.0.1 for test/test_prism.py.
#
#   source .ci/prism.sh                 from a bash script: start Prism (installing it if
#                                       needed), export PRISM_URL, stop Prism when that
#                                       script exits. If Prism cannot start, the source
#                                       fails when CI is set; otherwise it warns (the
#                                       Prism tests then skip).
#   eval "$(bash .ci/prism.sh start)"   the same by hand: prints `export PRISM_URL=...`
#                                       (and PRISM_PID) on stdout; exits non-zero on failure
#   bash .ci/prism.sh stop              stop the Prism this script started
#   bash .ci/prism.sh install           only install (npm ci into .prism/)
#
# Progress and errors go to stderr; a failure ends with the end of Prism's log.
# PRISM_PORT picks the port (default: a free one).

if [ "${BASH_SOURCE[0]}" != "$0" ]; then
  # Sourced: define nothing in the caller's shell but PRISM_URL, PRISM_PID and an EXIT trap.
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
spec="$root/spec/logto-verifications.openapi.json"
pidfile="$prefix/prism.pid"
logfile="$prefix/prism.log"
bin="$prefix/node_modules/.bin/prism"
version="$(sed -n 's/.*"@stoplight\/prism-cli": *"\([^"]*\)".*/\1/p' "$root/.ci/prism/package.json" | head -n1)"

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

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

start() {
  install
  if running; then
    die "Prism is already running (pid $(cat "$pidfile")); run: bash .ci/prism.sh stop"
  fi
  local port="${PRISM_PORT:-$(free_port)}"
  local url="http://127.0.0.1:$port"
  say "starting Prism $version on $url"
  # setsid: Prism gets its own process group, so stop can end it and its children together.
  $(command -v setsid || true) "$bin" mock -h 127.0.0.1 -p "$port" "$spec" >"$logfile" 2>&1 </dev/null &
  echo $! >"$pidfile"
  local deadline=$((SECONDS + 60))
  until node -e '
      fetch(process.argv[1] + "/api/verifications/web-authn/registration",
            {method: "POST", headers: {Authorization: "Bearer probe"}})
        .then(r => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))' "$url" 2>/dev/null; do
    if ! running; then
      tail -n 30 "$logfile" >&2 || true
      die "Prism exited before it answered"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 30 "$logfile" >&2 || true
      stop
      die "Prism did not answer on $url within 60 s"
    fi
    sleep 0.5
  done
  say "Prism answers on $url (pid $(cat "$pidfile"), log .prism/prism.log)"
  echo "export PRISM_URL=$url"
  echo "export PRISM_PID=$(cat "$pidfile")"
}

stop() {
  if running; then
    local pid
    pid="$(cat "$pidfile")"
    kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    say "stopped Prism (pid $pid)"
  fi
  rm -f "$pidfile"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  *) die "usage: bash .ci/prism.sh start|stop|install" ;;
esac
