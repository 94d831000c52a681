#!/usr/bin/env bash
# End-to-end suite (tests/e2e/**/*.e2e.ts): the real bot + Microsoft 365 Agents
# Playground + headless Chromium, run inside a private network namespace with
# only loopback up. The Playground tries to reach Application Insights and
# 169.254.169.254 even with telemetry off; in the namespace those calls fail at
# once and nothing leaves the machine.
#
# The namespace also gets its own PID space: when the run ends (or is killed),
# the kernel kills every process left in it — no stray bot, Playground or
# Chromium survives a crashed test run.
#
#   bash tests/e2e/run-e2e.sh                      # whole suite
#   bash tests/e2e/run-e2e.sh first-contact        # vitest filter
#   E2E_TIMEOUT=900 bash tests/e2e/run-e2e.sh      # overall limit in s (default 600)
#
# Needs: root (or unprivileged user namespaces), util-linux `unshare`, iproute2
# `ip`, Debian chromium (`apt-get install -y chromium`), `npm ci` done.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
# The project's pinned Node (devDependency `node`) first, also when not started via npm.
export PATH="$root/node_modules/.bin:$PATH"

if [[ "${KP_E2E_INSIDE_NETNS:-}" != "1" ]]; then
  fail() { echo "run-e2e: $*" >&2; exit 1; }
  [[ -x node_modules/.bin/vitest ]] || fail "node_modules missing: run \`npm ci\` first."
  [[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]] || fail "Chromium not found at ${CHROMIUM_PATH:-/usr/bin/chromium}: apt-get update && apt-get install -y chromium (or set CHROMIUM_PATH)."
  command -v unshare >/dev/null || fail "\`unshare\` not found (package util-linux): it isolates the run in a private network namespace."
  command -v ip >/dev/null || fail "\`ip\` not found (package iproute2): needed to bring up loopback inside the namespace."

  ns_flags=(--net --pid --fork --kill-child --mount-proc)
  if [[ "$(id -u)" != "0" ]]; then
    # Rootless fallback: a user namespace in which we are root (works where unprivileged user namespaces are enabled).
    if unshare --user --map-root-user --net true 2>/dev/null; then
      ns_flags=(--user --map-root-user "${ns_flags[@]}")
    else
      fail "must run as root (or with unprivileged user namespaces enabled) to create a private network namespace with \`unshare -n\`.
  Try: sudo -E bash tests/e2e/run-e2e.sh   (or: sudo -E npm run test:e2e)"
    fi
  fi

  started=$(date +%s.%N)
  set +e
  unshare "${ns_flags[@]}" env KP_E2E_INSIDE_NETNS=1 bash "$0" "$@"
  status=$?
  set -e
  echo "run-e2e: finished with status $status in $(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s"
  exit "$status"
fi

# ---- inside the namespace (bash is PID 1 here: when it exits, everything left is killed)
ip link set lo up
if ip route get 1.1.1.1 >/dev/null 2>&1; then
  echo "run-e2e: the namespace has a route off the machine; refusing to run." >&2
  exit 1
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if (( node_major < 22 )); then
  echo "run-e2e: Node $(node --version) found first on PATH; the project pins Node 24 (npm ci installs it)." >&2
  exit 1
fi

set +e
timeout --kill-after=15 "${E2E_TIMEOUT:-600}" vitest run --config vitest.e2e.config.ts "$@"
status=$?
set -e
if (( status == 124 || status == 137 )); then
  echo "run-e2e: stopped after ${E2E_TIMEOUT:-600} s (E2E_TIMEOUT)." >&2
fi
exit "$status"
