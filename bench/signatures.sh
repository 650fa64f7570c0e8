#!/usr/bin/env bash
# What looking up signatures and referrers costs a `ferry -c` run (bench/README.md, "Signature
# and referrer lookups"). The bench dataset's 63 images are mirrored as additionalImages into
# local registries, once with the lookups (the default) and once without
# (`--remove-signatures --referrers none`), and for each: a dry-run against the empty mirror, the
# mirror run, and a no-op re-run. Each is timed (/usr/bin/time: wall seconds, peak RSS) and the
# requests the upstream registry served are counted from its log. The dataset has no signatures,
# so every lookup is a miss: the cost is requests, which on loopback is CPU and round trips.
#
#   bash bench/signatures.sh            # ROUNDS=3 by default
#   ROUNDS=5 bash bench/signatures.sh
# Uses the release binaries of bench/run.sh (.build-bench/release; built if missing).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
SCRATCH=${SCRATCH:-$REPO/.build-bench}
ROUNDS=${ROUNDS:-3}
FERRY=$SCRATCH/release/ferry
LAB=$SCRATCH/release/ferry-lab
[[ -x $FERRY && -x $LAB ]] || (cd "$REPO" && swift build -c release --scratch-path "$SCRATCH")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ferry-bench-signatures.XXXXXX")
PIDS=()
cleanup() {
    set +e
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null; done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# lab NAME ARGS...: a ferry-lab in the background; waits for its info file, prints its path.
lab() {
    local name=$1; shift
    mkdir -p "$WORK/$name"
    "$LAB" "$@" --info "$WORK/$name/info" --root "$WORK/$name/root" >"$WORK/$name/log" 2>&1 &
    PIDS+=("$!")
    local waited=0
    until [[ -f $WORK/$name/info ]]; do
        ((waited++ < 3000)) || { echo "ferry-lab $* not ready" >&2; exit 1; }
        sleep 0.1
    done
    echo "$WORK/$name/info"
}
info() { sed -n "s/^$2=//p" "$1"; }

upstream_info=$(lab upstream serve --dataset bench)
SEEDED=$(info "$upstream_info" UPSTREAM)
# The lab's registries keep no access log: a second docker-registry serves the same storage with
# one (as bench/run.sh's request counts do), and ferry reads from it.
STORAGE=$(dirname "$(find "$WORK/upstream/root" -name config.yml | head -1)")/storage
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
UPSTREAM=127.0.0.1:$PORT
UPLOG=$WORK/upstream-view.log
cat >"$WORK/view.yml" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: false
storage:
  filesystem:
    rootdirectory: "$STORAGE"
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: "$UPSTREAM"
EOF
docker-registry serve "$WORK/view.yml" >"$UPLOG" 2>&1 &
PIDS+=("$!")
until curl -sf -o /dev/null "http://$UPSTREAM/v2/"; do sleep 0.1; done
LIST=$WORK/list.txt
sed "s|^$SEEDED/|$UPSTREAM/|" "$(info "$upstream_info" LIST)" >"$LIST"
ISC=$WORK/isc.yaml
{
    printf 'kind: ImageSetConfiguration\napiVersion: mirror.openshift.io/v2alpha1\nmirror:\n  additionalImages:\n'
    sed 's/^/  - name: /' "$LIST"
} >"$ISC"
# Access-log lines ("METHOD /path HTTP/1.1") the upstream view has written.
served() { sleep 0.2; grep -c '"[A-Z]* /v2/' "$UPLOG" || true; }

# measure LABEL MIRROR WORKSPACE FLAGS...: one timed ferry -c; prints "LABEL seconds rss_kib requests".
measure() {
    local label=$1 mirror=$2 workspace=$3; shift 3
    local before after
    before=$(served)
    /usr/bin/time -f '%e %M' -o "$WORK/time" "$FERRY" -c "$ISC" --workspace "file://$workspace" "docker://$mirror/bench" \
        --dest-tls-verify=false --src-tls-verify=false "$@" >"$WORK/out" 2>"$WORK/err" \
        || { echo "ferry failed ($label):" >&2; tail -5 "$WORK/err" >&2; exit 1; }
    after=$(served)
    echo "$label $(cat "$WORK/time") $((after - before))"
}

echo "# $(info "$upstream_info" IMAGES) images from $UPSTREAM, $ROUNDS rounds; commit $(git -C "$REPO" rev-parse --short HEAD)"
echo "# case seconds peak_rss_kib upstream_requests"
for mode in lookups none; do
    flags=()
    [[ $mode == none ]] && flags=(--remove-signatures --referrers none)
    for round in $(seq "$ROUNDS"); do
        mirror_info=$(lab "mirror-$mode-$round" registry)
        mirror=$(info "$mirror_info" HOST)
        workspace=$WORK/ws-$mode-$round
        measure "$mode:dry-run" "$mirror" "$workspace" --dry-run "${flags[@]}"
        measure "$mode:mirror" "$mirror" "$workspace" "${flags[@]}"
        measure "$mode:re-run" "$mirror" "$workspace" "${flags[@]}"
    done
done
