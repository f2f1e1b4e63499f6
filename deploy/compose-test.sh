#!/usr/bin/env bash
# npm run test:compose — runs docker-compose.yml for real, on a machine with no Docker engine and
# no image registry (docs/deploy.md, "Compose test"):
#   - Debian's podman (runc, pinned ulimits: deploy/test/containers.conf) serves the Docker API on
#     its own socket; Debian's docker-compose 1.29 drives it;
#   - the base images the Dockerfiles name are built locally (deploy/test/base-images.sh);
#   - docker-compose.test.yml puts a locally built FerretDB in place of MongoDB (nothing else);
#   - a preflight checks, before the long build, that containers on one network resolve each
#     other by name (the piece a fresh podman host most often lacks), and names what is missing;
#   - deploy/test/compose-scenario.mjs plays the users: two gateways behind the proxy, a restart of
#     the message service, one gateway stopped, a full `docker-compose stop` and start again;
#   - deploy/test/compose-browser.mjs: the web client in Chromium through the proxy, 3 gateways,
#     one killed (SIGKILL) while two users chat;
#   - on failure: which container failed, its health-check output, the last log lines of each;
#   - everything is torn down at the end, pass or fail: no container, network or volume is left.
# Runs as root (podman rootful). Bounded in time: every step has a timeout.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
STARTED=$SECONDS
log() { printf '[compose-test %4ds] %s\n' "$((SECONDS - STARTED))" "$*" >&2; }
fail() {
  log "FAIL: $*"
  exit 1
}
# Long steps run in the background and are waited for, so that Ctrl-C / SIGTERM reach the trap
# at once (bash runs traps only between foreground commands); the teardown stops the step.
STEP_PID=""
step() {
  "$@" &
  STEP_PID=$!
  local rc=0
  wait "$STEP_PID" || rc=$?
  STEP_PID=""
  return "$rc"
}

[[ $(id -u) -eq 0 ]] || fail "run as root (rootful podman)"

# --- Tools ------------------------------------------------------------------------------------
ensure_packages() {
  local missing=()
  command -v podman >/dev/null || missing+=(podman)
  command -v docker-compose >/dev/null || missing+=(docker-compose)
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  command -v runc >/dev/null || missing+=(runc)
  [[ -x /usr/libexec/podman/catatonit ]] || missing+=(catatonit)
  # Service names resolve on a compose network only through podman's DNS: on Debian 12's CNI
  # backend that is the dnsname plugin (netavark's aardvark-dns would do it too; we stay on CNI).
  [[ -x /usr/lib/cni/dnsname ]] || missing+=(golang-github-containernetworking-plugin-dnsname)
  # The browser scenario drives Debian's Chromium through the proxy.
  [[ -x /usr/bin/chromium ]] || missing+=(chromium fonts-liberation)
  if ((${#missing[@]})); then
    log "installing Debian packages: ${missing[*]}"
    timeout 120 apt-get update -qq
    DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}
ensure_packages
mkdir -p "$ROOT/.cache/deploy"
if [[ ! -d node_modules/socket.io-client ]]; then
  log "npm ci (the scenario's client runs on this machine)"
  step timeout 600 npm ci --no-audit --no-fund >"$ROOT/.cache/npm-ci.log" 2>&1 || {
    tail -n 20 "$ROOT/.cache/npm-ci.log" >&2
    fail "npm ci"
  }
fi

# --- Podman's Docker API, with this test's settings ----------------------------------------------
export CONTAINERS_CONF="$ROOT/deploy/test/containers.conf"
SOCK_DIR=/run/chat-compose-test
SOCK="$SOCK_DIR/podman.sock"
export DOCKER_HOST="unix://$SOCK"
PODMAN_PID=""
PUMP_PID=""
mkdir -p "$SOCK_DIR"
# One compose test at a time on a machine (same socket, same project names).
exec 9>"$SOCK_DIR/lock"
flock -n 9 || fail "another compose test is running (lock $SOCK_DIR/lock)"
if [[ -f "$SOCK_DIR/podman.pid" ]]; then # the service of an interrupted run, if it still runs
  stale=$(cat "$SOCK_DIR/podman.pid")
  if grep -qs 'system.service' "/proc/$stale/cmdline"; then kill "$stale" 2>/dev/null || true; sleep 1; fi
fi
rm -f "$SOCK"
podman system service --time=0 "$DOCKER_HOST" >"$ROOT/.cache/deploy/podman-service.log" 2>&1 9>&- &
PODMAN_PID=$!
echo "$PODMAN_PID" >"$SOCK_DIR/podman.pid"
early_exit() {
  local rc=$?
  kill "$PODMAN_PID" 2>/dev/null && wait "$PODMAN_PID" 2>/dev/null
  rm -f "$SOCK_DIR/podman.pid" "$SOCK"
  exit "$rc"
}
trap early_exit EXIT
for _ in $(seq 100); do [[ -S "$SOCK" ]] && break; sleep 0.1; done
[[ -S "$SOCK" ]] || fail "podman system service did not open $SOCK"

# --- Images the Dockerfiles build from ------------------------------------------------------------
mkdir -p "$ROOT/.cache/deploy"
# shellcheck source=deploy/test/base-images.sh
source "$ROOT/deploy/test/base-images.sh"
ensure_base_images
FERRETDB_BIN=$(node -e "console.log(require('./scripts/lib/provision.cjs').ensureFerretdb())")
cmp -s "$FERRETDB_BIN" deploy/test/ferretdb/ferretdb || cp "$FERRETDB_BIN" deploy/test/ferretdb/ferretdb

# --- The compose project ----------------------------------------------------------------------------
export COMPOSE_PROJECT_NAME=chatcomposetest
export COMPOSE_HTTP_TIMEOUT=300 COMPOSE_DOCKER_CLI_BUILD=0 DOCKER_BUILDKIT=0
export NODE_IMAGE="$NODE_BASE_IMAGE" DEBIAN_IMAGE="$DEBIAN_BASE_IMAGE"
export CHAT_IMAGE=chat-compose-test CHAT_TAG=latest
# FerretDB is no replica set: the one variable the test sets differently from .env.example.
export MONGO_URL=mongodb://mongo:27017/chat
export PROXY_BIND=127.0.0.1
PROXY_PORT=$(node -e "require('./scripts/lib/provision.cjs').freePort().then((p) => console.log(p))")
export PROXY_PORT
export PROXY_COOKIE_KEY="test-$RANDOM$RANDOM"
export LOG_LEVEL=warn
# Never the developer's own .env: an empty env file.
: >"$ROOT/.cache/deploy/empty.env"
COMPOSE=(docker-compose --env-file "$ROOT/.cache/deploy/empty.env" -f docker-compose.yml -f docker-compose.test.yml)
label="com.docker.compose.project=$COMPOSE_PROJECT_NAME"
# Second project: the NATS cluster override, checked on its own after the scenario.
CLUSTER_PROJECT=${COMPOSE_PROJECT_NAME}nats
CLUSTER=(docker-compose --env-file "$ROOT/.cache/deploy/empty.env" -p "$CLUSTER_PROJECT"
  -f docker-compose.yml -f docker-compose.nats-cluster.yml -f docker-compose.test.yml)
cluster_label="com.docker.compose.project=$CLUSTER_PROJECT"

# Docker runs health checks itself; podman needs systemd timers for that, and this machine has no
# systemd. So this loop plays dockerd's part: it runs each container's own health check (as defined
# in the compose file) every 2 s while starting or unhealthy, every 10 s once healthy.
health_pump() {
  declare -A last=()
  while sleep 2; do
    local now id status
    now=$(date +%s)
    while read -r id status; do
      [[ -n "$id" ]] || continue
      if [[ "$status" == healthy ]] && ((now - ${last[$id]:-0} < 10)); then continue; fi
      last[$id]=$now
      timeout 20 podman healthcheck run "$id" >/dev/null 2>&1 &
    done < <({
      podman ps --filter "label=$label" --format '{{.ID}} {{.Status}}'
      podman ps --filter "label=$cluster_label" --format '{{.ID}} {{.Status}}'
    } 2>/dev/null |
      sed -E 's/^([0-9a-f]+) .*\((healthy|unhealthy|starting)\).*$/\1 \2/; t; s/^([0-9a-f]+) .*$/\1 none/')
    wait
  done
}

# What a failed run prints: each container's state and health (with the output of its last
# health checks) — the failed ones first, flagged — then the last log lines of every service.
diagnose() {
  local ids
  ids=$(podman ps -a -q --filter "label=$label" 2>/dev/null)
  [[ -n "$ids" ]] || return 0
  log "containers (state, exit code, health; the last health-check output of each that is not healthy):"
  # shellcheck disable=SC2086
  podman inspect $ids 2>/dev/null | node -e '
    let raw = ""; process.stdin.on("data", (c) => (raw += c)).on("end", () => {
      for (const c of JSON.parse(raw || "[]")) {
        const st = c.State ?? {}; const h = st.Health ?? st.Healthcheck ?? {};
        const failed = st.Status !== "running" ? st.ExitCode !== 0 : h.Status && h.Status !== "healthy";
        console.error(`    ${failed ? "FAILED " : "       "}${c.Name.replace(/^\//, "")}: ${st.Status} exit ${st.ExitCode}` +
          `${h.Status ? ", health " + h.Status + " (failing streak " + (h.FailingStreak ?? 0) + ")" : ""}${st.OOMKilled ? ", OOM-killed" : ""}`);
        if (failed || (h.Status && h.Status !== "healthy"))
          for (const l of (h.Log ?? []).slice(-3)) console.error(`        check exit ${l.ExitCode}: ${String(l.Output ?? "").trim().slice(0, 300)}`);
      }
    });' || true
  log "logs of the stack (last lines per service):"
  timeout 60 "${COMPOSE[@]}" logs --no-color --tail=40 >&2 2>/dev/null
}

teardown() {
  local rc=$?
  set +e
  [[ -n "$STEP_PID" ]] && kill -TERM "$STEP_PID" 2>/dev/null && wait "$STEP_PID" 2>/dev/null
  if ((rc != 0)); then
    diagnose
  fi
  preflight_cleanup
  [[ -n "$PUMP_PID" ]] && kill "$PUMP_PID" 2>/dev/null && wait "$PUMP_PID" 2>/dev/null
  log "tearing down (docker-compose down -v)"
  timeout 180 "${COMPOSE[@]}" down -v --remove-orphans -t 20 >/dev/null 2>&1
  timeout 120 "${CLUSTER[@]}" down -v --remove-orphans -t 10 >/dev/null 2>&1
  local left l
  for l in "$label" "$cluster_label"; do
    left=$(
      podman ps -a -q --filter "label=$l"
      podman network ls -q --filter "label=$l"
      podman volume ls -q --filter "label=$l"
    )
    if [[ -n "$left" ]]; then
      log "left behind after down -v ($l): $(echo "$left" | tr '\n' ' ') — removing"
      podman rm -f -t 5 $(podman ps -a -q --filter "label=$l") >/dev/null 2>&1
      podman network rm $(podman network ls -q --filter "label=$l") >/dev/null 2>&1
      podman volume rm -f $(podman volume ls -q --filter "label=$l") >/dev/null 2>&1
      ((rc == 0)) && rc=1
    fi
  done
  ((rc != 0)) || log "no container, network or volume of $COMPOSE_PROJECT_NAME or $CLUSTER_PROJECT is left"
  kill "$PODMAN_PID" 2>/dev/null && wait "$PODMAN_PID" 2>/dev/null
  rm -f "$SOCK_DIR/podman.pid" "$SOCK"
  if ((rc == 0)); then log "PASS (${SECONDS}s)"; else log "FAILED (exit $rc)"; fi
  exit "$rc"
}
trap teardown EXIT
trap 'exit 130' INT TERM

log "removing leftovers of an interrupted run, if any"
timeout 120 "${COMPOSE[@]}" down -v --remove-orphans -t 5 >/dev/null 2>&1 || true
timeout 120 "${CLUSTER[@]}" down -v --remove-orphans -t 5 >/dev/null 2>&1 || true

# --- Preflight: name resolution between containers, before the long build ----------------------
PREFLIGHT_NET=${COMPOSE_PROJECT_NAME}-preflight
PREFLIGHT_CTR=${COMPOSE_PROJECT_NAME}-preflight-peer
preflight_cleanup() {
  podman rm -f -t 0 "$PREFLIGHT_CTR" >/dev/null 2>&1
  podman network rm -f "$PREFLIGHT_NET" >/dev/null 2>&1
  return 0
}
preflight_dns() {
  local backend resolved
  backend=$(podman info --format '{{.Host.NetworkBackend}}' 2>/dev/null || echo unknown)
  log "preflight: two containers on one network ($backend backend) must resolve each other by name"
  preflight_cleanup
  podman network create "$PREFLIGHT_NET" >/dev/null || fail "podman network create failed"
  timeout 60 podman run -d --name "$PREFLIGHT_CTR" --network "$PREFLIGHT_NET" "$DEBIAN_BASE_IMAGE" sleep 120 >/dev/null ||
    fail "podman run of the preflight container failed"
  resolved=$(timeout 60 podman run --rm --network "$PREFLIGHT_NET" "$DEBIAN_BASE_IMAGE" getent hosts "$PREFLIGHT_CTR" 2>&1) || resolved=""
  preflight_cleanup
  if [[ -z "$resolved" ]]; then
    if [[ "$backend" == cni && ! -x /usr/lib/cni/dnsname ]]; then
      fail "containers cannot resolve each other by name: podman's CNI backend has no dnsname plugin (apt-get install golang-github-containernetworking-plugin-dnsname), or switch to netavark + aardvark-dns"
    elif [[ "$backend" == netavark ]] && ! command -v aardvark-dns >/dev/null && [[ ! -x /usr/lib/podman/aardvark-dns ]]; then
      fail "containers cannot resolve each other by name: netavark needs aardvark-dns (apt-get install aardvark-dns)"
    fi
    fail "containers on one $backend network cannot resolve each other by name (getent hosts $PREFLIGHT_CTR found nothing); see docs/deploy.md, \"What a host needs\""
  fi
  log "    resolved $PREFLIGHT_CTR: $resolved"
}
preflight_dns

log "docker-compose config"
"${COMPOSE[@]}" config -q
"${CLUSTER[@]}" config -q

log "docker-compose build (base images: $NODE_IMAGE, $DEBIAN_IMAGE)"
step timeout 1200 "${COMPOSE[@]}" build >"$ROOT/.cache/deploy/compose-build.log" 2>&1 ||
  {
    tail -n 40 "$ROOT/.cache/deploy/compose-build.log" >&2
    fail "docker-compose build"
  }
podman image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep "/$CHAT_IMAGE" | sed 's/^/    /' >&2

health_pump &
PUMP_PID=$!

# Two replicas of every service: gateways behind the proxy, auth and message in NATS queue groups.
export SCALE="--scale gateway=2 --scale auth=2 --scale message=2"
log "docker-compose up -d $SCALE (waits on every health check it depends on)"
up_rc=0
step timeout 300 "${COMPOSE[@]}" up -d $SCALE >"$ROOT/.cache/deploy/compose-up.log" 2>&1 || up_rc=$?
sed 's/^/    /' "$ROOT/.cache/deploy/compose-up.log" >&2
((up_rc == 0)) || fail "docker-compose up"

log "scenario through the proxy on 127.0.0.1:$PROXY_PORT"
export COMPOSE_ENV_FILE="$ROOT/.cache/deploy/empty.env"
step timeout 600 node deploy/test/compose-scenario.mjs

log "browser scenario: the web client in Chromium through the proxy, 3 gateways, one killed"
step timeout 600 node deploy/test/compose-browser.mjs

# --- The NATS cluster override -----------------------------------------------------------------
nats_http() { # container path: GET from the node's monitoring port (bash only in the image)
  podman exec "$1" bash -c "exec 3<>/dev/tcp/127.0.0.1/8222; printf 'GET $2 HTTP/1.0\r\n\r\n' >&3; cat <&3"
}
log "NATS cluster override: three nodes, routed to each other, one JetStream meta group"
step timeout 180 "${CLUSTER[@]}" up -d nats nats-2 nats-3 >"$ROOT/.cache/deploy/compose-cluster.log" 2>&1 ||
  {
    cat "$ROOT/.cache/deploy/compose-cluster.log" >&2
    fail "docker-compose up of the NATS cluster"
  }
nodes=$(podman ps --filter "label=$cluster_label" --format '{{.Names}}' | sort)
[[ $(wc -l <<<"$nodes") -eq 3 ]] || fail "3 NATS nodes expected, got: $nodes"
deadline=$((SECONDS + 90))
for node in $nodes; do
  until nats_http "$node" /routez | grep -Eq '"num_routes": *2\b' &&
    nats_http "$node" /jsz | grep -Eq '"cluster_size": *3\b' &&
    nats_http "$node" /jsz | grep -Eq '"leader": *"nats-[123]"'; do
    ((SECONDS < deadline)) || fail "$node: no full mesh of routes or no JetStream meta leader: $(nats_http "$node" /jsz | tail -c 600)"
    sleep 1
  done
  log "    $node: 2 routes, JetStream meta group of 3 with leader $(nats_http "$node" /jsz | grep -Eo '"leader": *"[^"]*"' | head -1 | cut -d'"' -f4)"
done
