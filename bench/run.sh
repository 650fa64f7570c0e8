#!/usr/bin/env bash
# Ferry benchmark: `ferry copy --from-list` against skopeo 1.9.3 (`skopeo sync` and a loop of
# `skopeo copy --all`), every tool copying the same seeded image set from one local upstream
# registry into a fresh, empty local registry.
#
# Usage:  bash bench/run.sh [main] [tune] [requests] [memory]   (no argument: all four, in that order)
#
#   main    ROUNDS rounds; in each round, each tool (order rotated per round so that machine noise
#           and cache effects do not always favour the same tool) gets a FRESH empty registry and
#           is timed twice: cold (empty mirror), then the no-op re-run into the now full mirror.
#   tune    one cold Ferry copy per --parallel-images/--parallel-layers pair in $TUNE.
#   requests  not timed: one cold copy and one no-op re-run each of Ferry and skopeo sync, through
#           registries of our own with access logs on (the upstream's storage, a fresh destination),
#           to count the HTTP requests each tool sends to each side, by method and kind.
#   memory  a 1 GiB single-layer image: peak RSS of ferry copy and of skopeo copy while it moves.
#
# Environment:
#   ROUNDS=3                    rounds of the main comparison
#   MEMORY_ROUNDS=3             rounds of the memory case
#   TUNE="4/4 8/6 16/8 4/10"    IMAGES/LAYERS pairs for the tune mode
#   SKOPEO_COPY_RERUN=1         also time the no-op re-run of the skopeo copy loop (0 skips it)
#   STEP_TIMEOUT=900            seconds before one timed command is killed (recorded as rc 124)
#   SCRATCH=<repo>/.build-bench build directory of the release binaries
#   REBUILD=0                   1: run the (incremental) release build even if the binaries exist,
#                               so that the figures are those of the current Sources/
#   SKOPEO_FLAGS=""             extra flags of every skopeo copy/sync (none by default: the lab's
#                               layers are real tar+gzip, so skopeo keeps them and their digests as
#                               they are; earlier lab layers were raw bytes and needed --preserve-digests)
#   DATASET=bench               upstream set of main and tune (`demo` makes a quick smoke test of this script)
#
# Measures, per timed command (the client process only, registries excluded):
#   wall, user and sys CPU, and peak RSS via GNU time (for the skopeo copy loop: the whole loop;
#   CPU summed over all skopeo processes, RSS the largest one); the growth of the destination's
#   blob store (`du -sb STORAGE/docker/registry/v2/blobs`, the same measure for every tool);
#   Ferry's own bytesUploaded; and the CPU the upstream and the destination docker-registry
#   processes spent during the command (from /proc/PID/stat).
#
# Output: bench/results/<UTC stamp>/ with runs.csv (raw rows), requests.csv (request counts),
# env.txt (the machine, commit, uptime), logs/ (stdout and stderr of every timed command, access
# logs) and summary.md (the Markdown tables also printed at the end; `python3 bench/summarize.py
# DIR` prints them again). The timed commands run as `bash -c FUNCTION`: a few ms of bash are
# included in every tool's wall time and CPU alike.
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$BENCH")
SCRATCH=${SCRATCH:-$REPO/.build-bench}
FERRY=$SCRATCH/release/ferry
LAB=$SCRATCH/release/ferry-lab
ROUNDS=${ROUNDS:-3}
MEMORY_ROUNDS=${MEMORY_ROUNDS:-3}
TUNE=${TUNE:-"4/4 8/6 16/8 4/10"}
SKOPEO_COPY_RERUN=${SKOPEO_COPY_RERUN:-1}
STEP_TIMEOUT=${STEP_TIMEOUT:-900}
SKOPEO_FLAGS=${SKOPEO_FLAGS-}
DATASET=${DATASET:-bench}
NAMESPACE=mirror        # Ferry and the copy loop mirror to DEST/mirror/<source repository path>:<tag>

MODES=("$@")
[[ ${#MODES[@]} -gt 0 ]] || MODES=(main tune requests memory)
for mode in "${MODES[@]}"; do
    case $mode in main|tune|requests|memory) ;; *) echo "unknown mode: $mode (main, tune, requests, memory)" >&2; exit 2 ;; esac
done

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$BENCH/results/$STAMP
LOGS=$OUT/logs
CSV=$OUT/runs.csv
mkdir -p "$LOGS"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ferry-bench.XXXXXX")   # registries' storage, lists, scratch files
CLK_TCK=$(getconf CLK_TCK)

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# ---------------------------------------------------------------------------------------------
# Processes: every ferry-lab we start is remembered so the EXIT trap can stop it (it stops its
# docker-registry on SIGTERM). The docker-registry PIDs are remembered too, in case a ferry-lab
# died without stopping its registry.
LAB_PIDS=()
REG_PIDS=()
STEP_PID=   # the timeout(1) wrapping the command being measured, if any

cleanup() {
    set +e   # clean up as much as possible, whatever fails
    local pid
    # timeout(1) passes the signal on to its whole process group: the tool and its children.
    if [[ -n $STEP_PID ]]; then kill -TERM "$STEP_PID" 2>/dev/null; wait "$STEP_PID" 2>/dev/null; fi
    for pid in "${LAB_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${LAB_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    for pid in "${REG_PIDS[@]}"; do
        # Only if that PID is still a docker-registry (it was ours; the PID may since be reused).
        [[ $(cat "/proc/$pid/comm" 2>/dev/null) == docker-registry ]] && kill -TERM "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# The value of KEY in a ferry-lab --info file.
info_get() { sed -n "s/^$2=//p" "$1"; }

# start_lab NAME ferry-lab-arguments...
# Starts ferry-lab with --info/--root under $WORK/NAME and waits for its info file (it appears
# atomically once the registry is ready and seeded). Sets LAST_LAB_PID and LAST_INFO.
start_lab() {
    local name=$1; shift
    local info=$WORK/$name/info root=$WORK/$name/root
    mkdir -p "$WORK/$name"
    "$LAB" "$@" --info "$info" --root "$root" >"$LOGS/lab-$name.log" 2>&1 &
    LAST_LAB_PID=$!
    LAB_PIDS+=("$LAST_LAB_PID")
    local waited=0
    until [[ -f $info ]]; do
        if ! kill -0 "$LAST_LAB_PID" 2>/dev/null; then
            log "ferry-lab $* exited before it was ready:"; tail -20 "$LOGS/lab-$name.log" >&2; exit 1
        fi
        ((waited++ < 6000)) || { log "ferry-lab $* not ready after 600 s"; exit 1; }
        sleep 0.1
    done
    LAST_INFO=$info
}

# stop_lab PID NAME: stops one ferry-lab (and so its registry) and deletes its storage.
stop_lab() {
    local pid=$1 name=$2 keep=() p
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    for p in "${LAB_PIDS[@]}"; do [[ $p == "$pid" ]] || keep+=("$p"); done
    LAB_PIDS=("${keep[@]}")
    rm -rf "${WORK:?}/$name"
}

# start_registry NAME: a fresh empty registry. Sets DEST_HOST, DEST_STORAGE, DEST_REG_PID, DEST_LAB_PID.
start_registry() {
    start_lab "$1" registry
    DEST_LAB_PID=$LAST_LAB_PID
    DEST_HOST=$(info_get "$LAST_INFO" HOST)
    DEST_STORAGE=$(info_get "$LAST_INFO" STORAGE)
    DEST_REG_PID=$(info_get "$LAST_INFO" PID)
    REG_PIDS+=("$DEST_REG_PID")
}

# start_upstream DATASET: a seeded upstream. Sets SRC_HOST, SRC_LIST, SRC_REG_PID, SRC_LAB_PID.
start_upstream() {
    log "seeding upstream ($1)"
    start_lab "upstream-$1" serve --dataset "$1"
    SRC_LAB_PID=$LAST_LAB_PID
    SRC_HOST=$(info_get "$LAST_INFO" UPSTREAM)
    SRC_LIST=$(info_get "$LAST_INFO" LIST)
    # serve's info has no PID: its registry is the docker-registry child of that ferry-lab.
    SRC_REG_PID=$(pgrep -P "$SRC_LAB_PID" -x docker-registry | head -1 || true)
    [[ -n $SRC_REG_PID ]] && REG_PIDS+=("$SRC_REG_PID")
    log "upstream $SRC_HOST: $(info_get "$LAST_INFO" IMAGES) images, $(info_get "$LAST_INFO" BYTES) bytes"
    SYNC_YAML=$WORK/sync-$SRC_HOST.yaml
    make_sync_yaml "$SRC_HOST" "$SRC_LIST" >"$SYNC_YAML"
}

# make_sync_yaml HOST LIST: the `skopeo sync --src yaml` file naming the same images as LIST (every
# listed tag of every repository). The copy loop reads LIST itself.
make_sync_yaml() {
    if grep -q '@' "$2"; then log "the list has digest references; the sync YAML only handles tags"; exit 1; fi
    printf '%s:\n  tls-verify: false\n  images:\n' "$1"
    # list lines are HOST/REPOSITORY:TAG; group the tags by repository
    sed -n "s|^$1/||p" "$2" | awk -F: '{ tags[$1] = (tags[$1] ? tags[$1] ", " : "") "\"" $2 "\"" }
        END { for (r in tags) printf "    %s: [%s]\n", r, tags[r] }' | sort
}

# step OUT ERR command...: runs one measured command under timeout(1), in the background so that
# a signal to this script is handled at once (bash defers traps while a foreground child runs).
# Returns the command's status (124: killed after STEP_TIMEOUT).
step() {
    local out=$1 err=$2 rc=0; shift 2
    timeout -k 10 "$STEP_TIMEOUT" "$@" >"$out" 2>"$err" &
    STEP_PID=$!
    wait "$STEP_PID" || rc=$?
    STEP_PID=
    return "$rc"
}

# CPU seconds a process has used so far (0 if it is gone).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
blob_bytes() { du -sb "$1/docker/registry/v2/blobs" 2>/dev/null | cut -f1 || echo 0; }

echo "round,tool,case,parallel,wall_s,user_s,sys_s,cpu_s,max_rss_kb,dest_blob_bytes,reported_bytes,src_registry_cpu_s,dest_registry_cpu_s,rc,detail" >"$CSV"

# timed ROUND TOOL CASE PARALLEL -- command...
# Runs one command against the current destination, appends one CSV row. A failing command is
# recorded (rc column, logs kept) and the run goes on.
timed() {
    local round=$1 tool=$2 case=$3 parallel=$4; shift 5
    local tag="$round-$tool-$case-${parallel//\//x}"
    local bytes0 src0 dst0 rc=0
    bytes0=$(blob_bytes "$DEST_STORAGE"); src0=$(cpu_ticks "$SRC_REG_PID"); dst0=$(cpu_ticks "$DEST_REG_PID")
    : >"$WORK/time.txt"
    step "$LOGS/$tag.out" "$LOGS/$tag.err" /usr/bin/time -f '%e %U %S %M' -o "$WORK/time.txt" "$@" || rc=$?
    local src1 dst1 bytes1 wall="" user="" sys="" rss=""
    src1=$(cpu_ticks "$SRC_REG_PID"); dst1=$(cpu_ticks "$DEST_REG_PID"); bytes1=$(blob_bytes "$DEST_STORAGE")
    # The last line holds the figures (the first is a notice when rc != 0); none if time was killed.
    read -r wall user sys rss < <(tail -1 "$WORK/time.txt") || true
    [[ $wall =~ ^[0-9.]+$ ]] || { wall="" user=0 sys=0 rss=""; }
    local reported="" detail=""
    if [[ $tool == ferry* ]]; then
        reported=$(jq -r 'select(.event == "summary") | .bytesUploaded' "$LOGS/$tag.out" 2>/dev/null | tail -1)
        detail=$(jq -r 'select(.event == "summary") | "copied=\(.copied) skipped=\(.skipped) failed=\(.failed) up=\(.blobsUploaded) mounted=\(.blobsMounted) present=\(.blobsSkipped) manifests=\(.manifestsPushed)"' \
            "$LOGS/$tag.out" 2>/dev/null | tail -1)
    fi
    local cpu src dst
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
    src=$(awk -v a="$src0" -v b="$src1" -v t="$CLK_TCK" 'BEGIN { printf "%.2f", (b - a) / t }')
    dst=$(awk -v a="$dst0" -v b="$dst1" -v t="$CLK_TCK" 'BEGIN { printf "%.2f", (b - a) / t }')
    echo "$round,$tool,$case,$parallel,$wall,$user,$sys,$cpu,$rss,$((bytes1 - bytes0)),$reported,$src,$dst,$rc,$detail" >>"$CSV"
    log "$(printf '%-6s %-12s %-6s %-5s %7ss wall %7ss cpu %7s KB rss %11s B rc=%s %s' \
        "$round" "$tool" "$case" "$parallel" "$wall" "$cpu" "$rss" "$((bytes1 - bytes0))" "$rc" "$detail")"
    if ((rc != 0)); then log "FAILED ($tag): see $LOGS/$tag.err"; tail -5 "$LOGS/$tag.err" >&2 || true; fi
}

# The commands under test. Each copies every image of $SRC_LIST to $DEST_HOST/$NAMESPACE/<repo>:<tag>.
run_ferry() {   # run_ferry [extra ferry flags]
    "$FERRY" copy --from-list "$SRC_LIST" --log-format json "$@" "docker://$DEST_HOST/$NAMESPACE"
}
run_skopeo_sync() {
    # --all: every platform of an index (sync copies only the local one by default).
    # skopeo puts each repository at DEST_PREFIX/<last path component> (mirror/svc-0, not
    # mirror/bench/app-0/svc-0): the bench set's last components are unique, so the same images
    # land, under other names. (--scoped would keep the path but prefixes the source host:port,
    # which is not a valid repository name.) SKOPEO_FLAGS is unquoted on purpose: a word list.
    # shellcheck disable=SC2086
    skopeo sync --all $SKOPEO_FLAGS --src yaml --dest docker --dest-tls-verify=false "$SYNC_YAML" "$DEST_HOST/$NAMESPACE"
}
run_skopeo_copy_loop() {   # one `skopeo copy --all` per listed image, one after another
    local ref rc=0
    while read -r ref; do
        [[ -z $ref || $ref == \#* ]] && continue
        # shellcheck disable=SC2086
        skopeo copy --all $SKOPEO_FLAGS --src-tls-verify=false --dest-tls-verify=false \
            "docker://$ref" "docker://$DEST_HOST/$NAMESPACE/${ref#*/}" || rc=1
    done <"$SRC_LIST"
    return $rc
}
# timeout(1) runs programs, not shell functions: export them for `bash -c`.
export -f run_ferry run_skopeo_sync run_skopeo_copy_loop
export FERRY SRC_LIST NAMESPACE SKOPEO_FLAGS
FN=(bash -c '"$@"' fn)   # "${FN[@]}" FUNCTION ARGS...: a function as a command (DEST_HOST, SYNC_YAML exported per step)

# One tool's turn in a main round: fresh registry, cold copy, no-op re-run, registry removed.
main_turn() {
    local round=$1 tool=$2
    start_registry "dest-$round-$tool"
    export DEST_HOST SYNC_YAML SRC_LIST
    case $tool in
    ferry)
        timed "$round" ferry cold default -- "${FN[@]}" run_ferry
        timed "$round" ferry noop default -- "${FN[@]}" run_ferry ;;
    skopeo-sync)
        timed "$round" skopeo-sync cold - -- "${FN[@]}" run_skopeo_sync
        timed "$round" skopeo-sync noop - -- "${FN[@]}" run_skopeo_sync ;;
    skopeo-copy)
        timed "$round" skopeo-copy cold - -- "${FN[@]}" run_skopeo_copy_loop
        if [[ $SKOPEO_COPY_RERUN == 1 ]]; then timed "$round" skopeo-copy noop - -- "${FN[@]}" run_skopeo_copy_loop; fi ;;
    esac
    stop_lab "$DEST_LAB_PID" "dest-$round-$tool"
}

# ---------------------------------------------------------------------------------------------
# Request counting (mode `requests`). The lab's registries run with access logs off, so this mode
# starts docker-registry processes of its own with them on: a "view" of the upstream serving the
# upstream's own storage (reads only), and fresh destinations.

# start_logged_registry NAME STORAGE_DIR: sets LR_HOST, LR_PID, LR_LOG.
start_logged_registry() {
    local name=$1 storage=$2 port config
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    config=$WORK/$name.yml
    LR_LOG=$LOGS/access-$name.log
    mkdir -p "$storage"
    cat >"$config" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: false
storage:
  filesystem:
    rootdirectory: "$storage"
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: "127.0.0.1:$port"
  secret: "ferry-bench-$port"
EOF
    docker-registry serve "$config" >"$LR_LOG" 2>&1 &
    LR_PID=$!
    REG_PIDS+=("$LR_PID")
    LR_HOST=127.0.0.1:$port
    local waited=0
    until curl -sf -o /dev/null "http://$LR_HOST/v2/"; do
        kill -0 "$LR_PID" 2>/dev/null || { log "docker-registry $name did not start:"; tail "$LR_LOG" >&2; exit 1; }
        ((waited++ < 150)) || { log "docker-registry $name not ready after 15 s"; exit 1; }
        sleep 0.1
    done
}

# counted TOOL CASE -- command...: runs a command, then counts the access-log lines it caused on
# the upstream view ($VIEW_LOG) and the destination ($LR_LOG) by method and kind of request.
counted() {
    local tool=$1 case=$2; shift 3
    local up0 dst0 rc=0
    up0=$(wc -l <"$VIEW_LOG"); dst0=$(wc -l <"$LR_LOG")
    step "$LOGS/requests-$tool-$case.out" "$LOGS/requests-$tool-$case.err" "$@" || rc=$?
    sleep 0.2   # let the registries finish writing their last log lines
    ((rc == 0)) || log "FAILED (requests $tool $case, rc=$rc): see $LOGS/requests-$tool-$case.err"
    local side from file
    for side in upstream dest; do
        if [[ $side == upstream ]]; then from=$up0 file=$VIEW_LOG; else from=$dst0 file=$LR_LOG; fi
        # combined log format: ... "METHOD /path HTTP/1.1" status ...
        tail -n +"$((from + 1))" "$file" | awk -v t="$tool" -v c="$case" -v s="$side" -F'"' '
            NF > 2 && $2 ~ /^[A-Z]+ \/.* HTTP\// { split($2, r, " "); m = r[1]; p = r[2]; sub(/\?.*/, "", p)
                     if (p == "/v2/") k = "ping"; else if (p ~ /\/blobs\/uploads\//) k = "upload"
                     else if (p ~ /\/blobs\//) k = "blob"; else if (p ~ /\/manifests\//) k = "manifest"
                     else if (p ~ /\/tags\/list$/) k = "tags"; else k = "other"
                     n[m " " k]++ }
            END { for (x in n) { split(x, a, " "); print t "," c "," s "," a[1] "," a[2] "," n[x] } }' >>"$OUT/requests.csv"
    done
}

requests_mode() {
    echo "tool,case,side,method,kind,count" >"$OUT/requests.csv"
    # The upstream's storage: the rootdirectory in its ferry-lab registry configuration.
    local config storage
    config=$(ls "$WORK/upstream-$DATASET/root/registries/"*/config.yml | head -1)
    storage=$(sed -n 's/^ *rootdirectory: "\(.*\)"$/\1/p' "$config")
    start_logged_registry upstream-view "$storage"
    local view_pid=$LR_PID view_host=$LR_HOST
    VIEW_LOG=$LR_LOG
    sed "s|^$SRC_HOST/|$view_host/|" "$SRC_LIST" >"$WORK/list-view.txt"
    make_sync_yaml "$view_host" "$WORK/list-view.txt" >"$WORK/sync-view.yaml"
    local tool case
    for tool in ferry skopeo-sync; do
        start_logged_registry "dest-requests-$tool" "$WORK/requests-$tool"
        log "counting requests: $tool (upstream view $view_host, destination $LR_HOST)"
        for case in cold noop; do
            if [[ $tool == ferry ]]; then
                counted ferry "$case" -- "$FERRY" copy --from-list "$WORK/list-view.txt" --log-format json "docker://$LR_HOST/$NAMESPACE"
            else
                # shellcheck disable=SC2086
                counted skopeo-sync "$case" -- skopeo sync --all $SKOPEO_FLAGS --src yaml --dest docker \
                    --dest-tls-verify=false "$WORK/sync-view.yaml" "$LR_HOST/$NAMESPACE"
            fi
        done
        kill -TERM "$LR_PID"; wait "$LR_PID" 2>/dev/null || true
        rm -rf "${WORK:?}/requests-$tool"
    done
    kill -TERM "$view_pid"; wait "$view_pid" 2>/dev/null || true
}

# ---------------------------------------------------------------------------------------------
# Build (only if the binaries are missing), then describe the machine.
if [[ ! -x $FERRY || ! -x $LAB || ${REBUILD:-0} == 1 ]]; then
    log "building release binaries into $SCRATCH"
    (cd "$REPO" && swift build -c release --scratch-path "$SCRATCH")
fi
command -v skopeo >/dev/null || { echo "skopeo is required" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "GNU time is required: apt-get install -y time" >&2; exit 1; }

{
    echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "modes: ${MODES[*]}  rounds: $ROUNDS  memory rounds: $MEMORY_ROUNDS  tune: $TUNE"
    echo "nproc: $(nproc)"
    echo "cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
    echo "memory: $(free -m | awk '/^Mem:/ { print $2 " MiB" }')"
    echo "kernel: $(uname -r)"
    echo "os: $(. /etc/os-release && echo "$PRETTY_NAME")"
    echo "swift: $(swift --version 2>&1 | head -1)"
    echo "skopeo: $(skopeo --version)"
    echo "registry: $(docker-registry --version 2>&1)"
    echo "ferry binary: $FERRY ($(stat -c %y "$FERRY"))"
    echo "git: $(cd "$REPO" && git rev-parse --short HEAD 2>/dev/null)$(cd "$REPO" && git diff --quiet HEAD -- Sources 2>/dev/null || echo ' + uncommitted changes in Sources/')"
    echo "uptime at start: $(uptime)"
} >"$OUT/env.txt"
cat "$OUT/env.txt" >&2

# ---------------------------------------------------------------------------------------------
for mode in "${MODES[@]}"; do
    if [[ $mode != memory ]] && [[ -z ${BENCH_UPSTREAM_UP:-} ]]; then
        start_upstream "$DATASET"
        BENCH_UPSTREAM_UP=1
        BENCH_SRC=("$SRC_LAB_PID" "$SRC_HOST" "$SRC_LIST" "$SRC_REG_PID" "$SYNC_YAML")
    fi
    case $mode in
    main)
        tools=(ferry skopeo-sync skopeo-copy)
        for ((round = 1; round <= ROUNDS; round++)); do
            log "round $round/$ROUNDS (uptime: $(uptime | sed 's/.*load/load/'))"
            for ((i = 0; i < ${#tools[@]}; i++)); do
                main_turn "$round" "${tools[(i + round - 1) % ${#tools[@]}]}"   # rotated order
            done
        done ;;
    tune)
        for pair in $TUNE; do
            start_registry "dest-tune-${pair//\//x}"
            export DEST_HOST
            timed tune ferry cold "$pair" -- "${FN[@]}" run_ferry --parallel-images "${pair%/*}" --parallel-layers "${pair#*/}"
            stop_lab "$DEST_LAB_PID" "dest-tune-${pair//\//x}"
        done ;;
    requests)
        requests_mode ;;
    memory)
        if [[ -n ${BENCH_UPSTREAM_UP:-} ]]; then   # the bench upstream is no longer needed
            stop_lab "${BENCH_SRC[0]}" "upstream-$DATASET"; BENCH_UPSTREAM_UP=
        fi
        start_upstream 1gib
        export SRC_LIST
        for ((round = 1; round <= MEMORY_ROUNDS; round++)); do
            start_registry "dest-mem-$round-ferry"; export DEST_HOST
            timed "mem$round" ferry cold default -- "${FN[@]}" run_ferry
            stop_lab "$DEST_LAB_PID" "dest-mem-$round-ferry"
            start_registry "dest-mem-$round-skopeo"; export DEST_HOST
            timed "mem$round" skopeo-copy cold - -- "${FN[@]}" run_skopeo_copy_loop
            stop_lab "$DEST_LAB_PID" "dest-mem-$round-skopeo"
        done
        stop_lab "$SRC_LAB_PID" upstream-1gib ;;
    esac
done

echo "uptime at end: $(uptime)" >>"$OUT/env.txt"
log "uptime at end: $(uptime)"
python3 "$BENCH/summarize.py" "$OUT" | tee "$OUT/summary.md"
log "raw results: $CSV"
