#!/usr/bin/env bash
# bench/run.sh — end-to-end performance of the built apikeys binary, as ratios measured in
# one run on one machine (see bench/README.md and docs/performance.md).
#
#   bash bench/run.sh [--quick] [--no-record]
#
# --quick      fewer runs (a smoke test of the script itself; the ratios are noisier)
# --no-record  do not append the results row to docs/performance.md
#
# Tools: go, hyperfine, jq, curl, /usr/bin/time (GNU time) and gh. Missing Debian packages
# are installed with apt-get when running as root; gh is only a reference point, so without
# it that one ratio says "n/a".
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

quick=0
record=1
for arg in "$@"; do
  case $arg in
    --quick) quick=1 ;;
    --no-record) record=0 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "bench/run.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

if [ $quick = 1 ]; then
  start_warmup=20 start_runs=250 gh_runs=20 list_runs=5 rss_runs=1 comp_runs=50 floor_rounds=1 floor_runs=5
else
  start_warmup=50 start_runs=1000 gh_runs=300 list_runs=30 rss_runs=3 comp_runs=300 floor_rounds=5 floor_runs=10
fi

say() { printf '== %s\n' "$*" >&2; }

# ---------------------------------------------------------------- tools
missing=()
for tool in hyperfine:hyperfine jq:jq curl:curl /usr/bin/time:time gh:gh; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || missing+=("${tool##*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing ${missing[*]} with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null || true
    for pkg in "${missing[@]}"; do
      apt-get install -y -qq --no-install-recommends "$pkg" >/dev/null 2>&1 ||
        say "apt-get could not install $pkg"
    done
  fi
fi
for tool in go hyperfine jq curl /usr/bin/time; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench/run.sh: $tool is required" >&2; exit 1; }
done
have_gh=0
command -v gh >/dev/null 2>&1 && have_gh=1

# ---------------------------------------------------------------- scratch space, clean-up
work=$(mktemp -d "${TMPDIR:-/tmp}/apikeys-bench.XXXXXX")
server_pid=""
pages_pid=""
stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
stop_pages() {
  if [ -n "$pages_pid" ]; then
    kill "$pages_pid" 2>/dev/null || true
    wait "$pages_pid" 2>/dev/null || true
    pages_pid=""
  fi
}
cleanup() { stop_pages; stop_server; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# Nothing of the user's own apikeys set-up may leak in: no profile, no saved session, no cache.
while IFS='=' read -r name _; do
  case $name in APIKEYS_*) unset "$name" ;; esac
done < <(env)
export XDG_CONFIG_HOME="$work/config" XDG_STATE_HOME="$work/state" XDG_CACHE_HOME="$work/cache"
export NO_COLOR=1

load_start=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- builds (make build's flags)
say "building apikeys and a hello world with CGO_ENABLED=0 -trimpath -ldflags '-s -w'"
version=$(git describe --tags --always --dirty 2>/dev/null || echo dev)
bin="$work/apikeys"
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=$version" -o "$bin" ./cmd/apikeys
mkdir -p "$work/hello"
cat >"$work/hello/main.go" <<'EOF'
package main

import "os"

func main() { os.Stdout.WriteString("hello, world\n") }
EOF
printf 'module hello\n\ngo 1.26\n' >"$work/hello/go.mod"
(cd "$work/hello" && CGO_ENABLED=0 GOFLAGS= go build -trimpath -ldflags '-s -w' -o "$work/hello-go" .)
CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' -o "$work/pageserver" ./bench/pageserver

# ---------------------------------------------------------------- helpers
# hf ARGS...: hyperfine, quiet unless it fails.
hf() {
  if ! hyperfine "$@" >"$work/hyperfine.log" 2>&1; then
    cat "$work/hyperfine.log" >&2
    exit 1
  fi
}
# ms X: X with two decimals when it is a number.
ms() { printf '%.2f' "$1" 2>/dev/null || printf '%s' "$1"; }
# median_ms FILE N: the median of hyperfine export FILE's Nth command, in milliseconds.
median_ms() { jq -r ".results[$2].median * 1000" "$1"; }
# ratio A B: A/B with three decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "inf"; else printf "%.3f", a / b }'; }
# verdict VALUE OP TARGET: PASS or MISS.
verdict() {
  awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN {
    ok = (op == "<=") ? (v <= t) : (v >= t); print ok ? "PASS" : "MISS" }'
}

# start_server DATA: serves the sandbox on DATA; sets url.
start_server() {
  stop_server
  "$bin" sandbox serve --data "$1" >"$work/serve.out" 2>"$work/serve.err" &
  server_pid=$!
  url=""
  for _ in $(seq 100); do
    url=$(head -n1 "$work/serve.out" 2>/dev/null || true)
    [ -n "$url" ] && break
    sleep 0.05
  done
  [ -n "$url" ] || { cat "$work/serve.err" >&2; echo "bench/run.sh: sandbox serve did not start" >&2; exit 1; }
}

# login: the same four calls the curl script makes; sets org and token (org-scoped, 1 h).
login() {
  local api="$url/api/ss/rest/v1" first access refresh
  first=$(curl -sSf -X POST -H 'Content-Type: application/json' \
    -d '{"username":"admin@acme.example","password":"sandbox-password"}' "$api/authenticate")
  access=$(jq -r '.result.accessToken // .accessToken' <<<"$first")
  refresh=$(jq -r '.result.refreshToken // .refreshToken' <<<"$first")
  org=$(curl -sSf -H "Authorization: Bearer $access" "$api/users/self" |
    jq -r 'if has("result") then .result else . end | .organizations[0].id')
  token=$(curl -sSf -X POST -H 'Content-Type: application/json' \
    -d "{\"refreshToken\":\"$refresh\",\"organizationId\":\"$org\"}" "$api/refresh-token" |
    jq -r '.result.accessToken // .accessToken')
}

export APIKEYS_USERNAME=admin@acme.example APIKEYS_PASSWORD=sandbox-password

# ---------------------------------------------------------------- 1. start-up
say "1. start-up: apikeys version vs hello world ($start_runs runs each), vs gh --version ($gh_runs runs)"
# Five rounds, each timing the three commands one after the other: the ratio is the median of
# the rounds' ratios, so a change of load during the run weighs on both sides alike.
rounds=5
: >"$work/start.rounds"
for round in $(seq $rounds); do
  hf -N --style none --warmup "$start_warmup" --runs $((start_runs / rounds)) \
    --export-json "$work/start.json" "$work/hello-go" "$bin version" "$bin --version"
  echo "$(median_ms "$work/start.json" 0) $(median_ms "$work/start.json" 1) $(median_ms "$work/start.json" 2)" >>"$work/start.rounds"
done
# median COLUMN: the median of a column of start.rounds (hello, version, --version, ratio).
median_col() {
  awk '{ print $1, $2, $3, $2 / $1 }' "$work/start.rounds" | cut -d' ' -f"$1" | sort -g |
    awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}
hello_ms=$(median_col 1)
version_ms=$(median_col 2)
dashv_ms=$(median_col 3)
r_start=$(printf '%.3f' "$(median_col 4)")
if [ $have_gh = 1 ]; then
  # gh takes ten times longer: fewer runs, and apikeys timed again beside it.
  hf -N --style none --warmup 20 --runs "$gh_runs" --export-json "$work/gh.json" \
    "$bin version" "gh --version"
  gh_version_ms=$(median_ms "$work/gh.json" 0)
  gh_ms=$(median_ms "$work/gh.json" 1)
  r_gh=$(ratio "$gh_ms" "$gh_version_ms")
  v_gh=$(verdict "$r_gh" ">=" 5)
else
  gh_ms="n/a" r_gh="n/a" v_gh="n/a (gh not installable here)"
fi

# ---------------------------------------------------------------- 2. list 10,000 keys
say "2. list 10,000 keys: apikeys vs curl | jq ($list_runs runs each)"
"$bin" sandbox reset --keys 10000 --data "$work/k10k.db" 2>/dev/null
start_server "$work/k10k.db"
export APIKEYS_API_URL="$url"
list_args=(list --filter role=editor --sort -expires -o csv)
# Both sides log in: authenticate, users/self, refresh-token with the organization, then list.
cp "$root/bench/curl-jq-list.sh" "$work/curl-jq-list.sh"
"$bin" "${list_args[@]}" >"$work/apikeys.csv"
bash "$work/curl-jq-list.sh" >"$work/curljq.csv"
# Same rows: same count and the same IDs (ties in the expiry may be ordered differently).
uuid='[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
grep -oE "$uuid" "$work/apikeys.csv" | sort >"$work/ids.a"
grep -oE "$uuid" "$work/curljq.csv" | sort >"$work/ids.b"
if ! cmp -s "$work/ids.a" "$work/ids.b"; then
  echo "bench/run.sh: apikeys and curl | jq do not print the same rows" >&2
  diff "$work/ids.a" "$work/ids.b" | head >&2
  exit 1
fi
rows=$(($(wc -l <"$work/apikeys.csv") - 1))
hf -N --style none --warmup 3 --runs "$list_runs" --export-json "$work/list.json" \
  "bash $work/curl-jq-list.sh" "$bin ${list_args[*]}"
curl_ms=$(median_ms "$work/list.json" 0)
list_ms=$(median_ms "$work/list.json" 1)
r_list=$(ratio "$list_ms" "$curl_ms")
# For information: both with a token obtained beforehand (APIKEYS_TOKEN + APIKEYS_ORG).
login
export TOKEN=$token
cat >"$work/curl-jq-token.sh" <<EOF
curl -sSf -H "Authorization: Bearer \$TOKEN" "$url/api/ss/rest/v1/organizations/$org/api-keys" |
  jq -r '["title","id","creator","created","expires"],
    (if type == "object" then .result else . end
      | map(select(.role == "ORG_EDITOR")) | sort_by(.expirationDate) | reverse | .[]
      | [.title, .id, .createdBy, .creationDate, .expirationDate]) | @csv'
EOF
hf -N --style none --warmup 3 --runs "$list_runs" --export-json "$work/list-token.json" \
  "bash $work/curl-jq-token.sh" \
  "env -u APIKEYS_USERNAME -u APIKEYS_PASSWORD APIKEYS_TOKEN=$token APIKEYS_ORG=$org $bin ${list_args[*]}"
curl_tok_ms=$(median_ms "$work/list-token.json" 0)
list_tok_ms=$(median_ms "$work/list-token.json" 1)
r_list_tok=$(ratio "$list_tok_ms" "$curl_tok_ms")

# ---------------------------------------------------------------- helpers of 2b and 3
# start_pages: bench/pageserver reads every page of the sandbox on $url once with $token, then
# serves those bytes; sets purl and pages_path.
start_pages() {
  stop_pages
  "$work/pageserver" -from "$url" -token "$token" -org "$org" >"$work/pages.out" 2>"$work/pages.err" &
  pages_pid=$!
  purl=""
  for _ in $(seq 600); do
    purl=$(head -n1 "$work/pages.out" 2>/dev/null || true)
    [ -n "$purl" ] && break
    kill -0 "$pages_pid" 2>/dev/null || break
    sleep 0.05
  done
  [ -n "$purl" ] || { cat "$work/pages.err" >&2; echo "bench/run.sh: bench/pageserver did not start" >&2; exit 1; }
  pages_path="$purl/api/ss/rest/v1/organizations/$org/api-keys"
}
# floor N: apikeys list (token given, no login) against bench/pageserver, and curl fetching the
# same pages the same way: page 0, then the others 4 at a time (apikeys' keyPageWorkers).
# floor_rounds interleaved hyperfine rounds; sets floor_ratio (median of the rounds' ratios),
# floor_ms (apikeys' median) and floor_curl_ms.
floor() {
  local n=$1 pages last
  pages=$(((n + 1000 - 1) / 1000))
  last=$((pages - 1))
  cat >"$work/curl-pages-$n.sh" <<EOF
curl -sSf -H "Authorization: Bearer $token" "$pages_path?page=0&size=1000" >/dev/null &&
  curl -sSf --no-progress-meter --parallel --parallel-max 4 -H "Authorization: Bearer $token" "$pages_path?page=[1-$last]&size=1000" >/dev/null
EOF
  local cmd_api="APIKEYS_API_URL=$purl APIKEYS_TOKEN=$token APIKEYS_ORG=$org $bin ${list_args[*]} >/dev/null"
  bash "$work/curl-pages-$n.sh"
  : >"$work/floor-$n.rounds"
  for _ in $(seq "$floor_rounds"); do
    hf --style none --warmup 2 --runs "$floor_runs" --export-json "$work/floor.json" \
      "bash $work/curl-pages-$n.sh" "$cmd_api"
    echo "$(median_ms "$work/floor.json" 0) $(median_ms "$work/floor.json" 1)" >>"$work/floor-$n.rounds"
  done
  floor_curl_ms=$(cut -d' ' -f1 "$work/floor-$n.rounds" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  floor_ms=$(cut -d' ' -f2 "$work/floor-$n.rounds" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  floor_ratio=$(awk '{ print $2 / $1 }' "$work/floor-$n.rounds" | sort -g | awk '{ a[NR] = $1 } END { printf "%.3f", a[int((NR + 1) / 2)] }')
}

# ---------------------------------------------------------------- 2b. the floor, 10,000 keys
say "2b. list 10,000 keys from prepared page bytes: apikeys vs curl, same pages, 4 in flight"
start_pages
# The prepared pages are the sandbox's bytes: apikeys prints the same CSV from either.
env -u APIKEYS_USERNAME -u APIKEYS_PASSWORD APIKEYS_TOKEN="$token" APIKEYS_ORG="$org" APIKEYS_API_URL="$purl" \
  "$bin" "${list_args[@]}" >"$work/pages.csv"
cmp -s "$work/pages.csv" "$work/apikeys.csv" || { echo "bench/run.sh: apikeys prints other rows from bench/pageserver" >&2; exit 1; }
floor 10000
floor10_ratio=$floor_ratio floor10_ms=$floor_ms floor10_curl_ms=$floor_curl_ms
stop_pages

# ---------------------------------------------------------------- 3. 100,000 keys: floor and peak RSS
say "3. 100,000 keys: list from prepared page bytes, then the peak RSS of each output format"
"$bin" sandbox reset --keys 100000 --data "$work/k100k.db" 2>/dev/null
start_server "$work/k100k.db"
export APIKEYS_API_URL="$url"
login
payload=$(curl -sSf -o "$work/keys100k.json" -w '%{size_download}' -H "Authorization: Bearer $token" \
  "$url/api/ss/rest/v1/organizations/$org/api-keys")
nkeys=$(jq 'if type == "object" then .result else . end | length' "$work/keys100k.json")
rm -f "$work/keys100k.json"
start_pages
floor 100000
floor100_ratio=$floor_ratio floor100_ms=$floor_ms floor100_curl_ms=$floor_curl_ms
# Linear cost: the time per key at 100,000 over the time per key at 10,000 (1 is linear).
per_key_growth=$(awk -v a="$floor100_ms" -v b="$floor10_ms" 'BEGIN { printf "%.2f", (a / 100011) / (b / 10011) }')
# rss FORMAT: the median peak RSS in KiB of rss_runs runs of list -o FORMAT (table: piped, the
# plain table; tty: the terminal table, under script(1)'s pseudo-terminal); checks the rows.
rss() {
  local format=$1 kb=() out="$work/all.$1"
  for _ in $(seq "$rss_runs"); do
    case $format in
      tty)
        # The variables reach the command through script's environment, not its argv; with
        # no pager: on a pseudo-terminal less would wait for a key at the first screenful.
        APIKEYS_API_URL=$purl APIKEYS_TOKEN=$token APIKEYS_ORG=$org APIKEYS_PAGER='' \
          script -qec "/usr/bin/time -f '%M %e' -o $work/time.out $bin list" /dev/null >"$out" ;;
      table)
        APIKEYS_API_URL=$purl APIKEYS_TOKEN=$token APIKEYS_ORG=$org /usr/bin/time -f '%M %e' -o "$work/time.out" "$bin" list >"$out" ;;
      *)
        APIKEYS_API_URL=$purl APIKEYS_TOKEN=$token APIKEYS_ORG=$org /usr/bin/time -f '%M %e' -o "$work/time.out" "$bin" list -o "$format" >"$out" ;;
    esac
    kb+=("$(cut -d' ' -f1 "$work/time.out")")
  done
  local ids
  ids=$(grep -coE "$uuid" "$out" || true)
  [ "$ids" -ge "$nkeys" ] || { echo "bench/run.sh: list -o $format printed $ids key IDs of $nkeys" >&2; exit 1; }
  rm -f "$out"
  printf '%s\n' "${kb[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}
rss_formats=(csv tsv json yaml table tty)
rss_line="" rss_worst=0 rss_kb=0
for format in "${rss_formats[@]}"; do
  kb=$(rss "$format")
  r=$(ratio "$((kb * 1024))" "$payload")
  [ "$format" = csv ] && rss_kb=$kb
  rss_line="$rss_line $format $r ($((kb / 1024)) MiB) ·"
  rss_worst=$(awk -v a="$r" -v b="$rss_worst" 'BEGIN { print (a > b) ? a : b }')
done
rss_line=${rss_line% ·}
r_rss=$(ratio "$((rss_kb * 1024))" "$payload")
stop_pages

# ---------------------------------------------------------------- 4. completion, 1,000 keys
say "4. completion of key IDs, 1,000 keys, warm cache"
"$bin" sandbox reset --keys 1000 --data "$work/k1k.db" 2>/dev/null
start_server "$work/k1k.db"
export APIKEYS_API_URL="$url"
"$bin" __complete show "" >"$work/complete.out" 2>/dev/null || true
ncand=$(grep -cE '^[0-9a-f]{8}-[0-9a-f]{4}-' "$work/complete.out" || true)
if [ "$ncand" -ge 1000 ]; then
  # The first call above filled the cache; the timed runs (a few seconds) stay within its TTL.
  hf -N --style none --warmup 10 --runs "$comp_runs" --export-json "$work/comp.json" \
    "$bin version" "$bin __complete show ''"
  comp_ver_ms=$(median_ms "$work/comp.json" 0)
  comp_ms=$(median_ms "$work/comp.json" 1)
  r_comp=$(ratio "$comp_ms" "$comp_ver_ms")
  v_comp=$(verdict "$r_comp" "<=" 2)
else
  comp_ms="n/a" r_comp="n/a"
  v_comp="not measured: \`apikeys __complete show \"\"\` gave $ncand key IDs, not the 1,000 expected (completion not built yet?)"
fi
stop_server

# ---------------------------------------------------------------- report
v_start=$(verdict "$r_start" "<=" 2.5)
v_list=$(verdict "$r_list" "<=" 0.5)
v_floor10=$(verdict "$floor10_ratio" "<=" 1.5)
v_floor100=$(verdict "$floor100_ratio" "<=" 3)
v_rss=$(verdict "$rss_worst" "<=" 3)
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
mem=$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
machine="$(nproc) × $cpu, $mem"
today=$(date -u +%F)
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

cat <<EOF

apikeys $version — $today — $machine
                                                          ratio    target   result
1. start-up: apikeys version / hello world               $(printf '%7s' "$r_start")   ≤ 2.5    $v_start
   gh --version / apikeys version                         $(printf '%7s' "$r_gh")   ≥ 5      $v_gh
2. list 10k (filter, sort, csv) / curl | jq, both log in $(printf '%7s' "$r_list")   ≤ 0.5    $v_list
2b. list 10k from prepared pages / curl, same pages      $(printf '%7s' "$floor10_ratio")   ≤ 1.5    $v_floor10
3a. list 100k from prepared pages / curl, same pages     $(printf '%7s' "$floor100_ratio")   ≤ 3      $v_floor100
    time per key at 100k / at 10k (1 is linear)          $(printf '%7s' "$per_key_growth")
3b. peak RSS 100k keys / payload, worst format           $(printf '%7s' "$rss_worst")   ≤ 3      $v_rss
    $rss_line
4. completion of key IDs (1k, warm) / start-up           $(printf '%7s' "$r_comp")   ≤ 2      $v_comp

medians: hello $(ms "$hello_ms") ms · apikeys version $(ms "$version_ms") ms · --version $(ms "$dashv_ms") ms · gh --version $(ms "$gh_ms") ms
list 10k ($rows rows): apikeys $(ms "$list_ms") ms · curl|jq $(ms "$curl_ms") ms; both with a token obtained beforehand: apikeys $(ms "$list_tok_ms") ms · curl|jq $(ms "$curl_tok_ms") ms (ratio $r_list_tok)
prepared pages (medians of $floor_rounds rounds of $floor_runs runs): 10k apikeys $(ms "$floor10_ms") ms · curl $(ms "$floor10_curl_ms") ms; 100k apikeys $(ms "$floor100_ms") ms · curl $(ms "$floor100_curl_ms") ms
100k ($nkeys keys): payload $payload bytes; peak RSS median of $rss_runs runs per format
completion: $(ms "$comp_ms") ms (apikeys version in the same hyperfine run: $(ms "${comp_ver_ms:-n/a}") ms)
load average (1, 5, 15 min): $load_start at the start, $load_end at the end$(awk -v l="${load_start%% *}" -v n="$(nproc)" 'BEGIN { if (l > n / 2) printf " — a busy machine: ratios are less reliable" }')
EOF

if [ $record = 1 ] && [ $quick = 0 ]; then
  doc="$root/docs/performance.md"
  short() { printf '%s' "$1" | sed 's/PASS.*/PASS/; s/MISS.*/MISS/; s/^n\/a.*/n\/a/; s/^not measured.*/not measured/'; }
  row="| $today | $version | $r_start $(short "$v_start") | $r_list $(short "$v_list") | $floor10_ratio $(short "$v_floor10") | $floor100_ratio $(short "$v_floor100") | $per_key_growth | $rss_worst $(short "$v_rss") | $r_comp $(short "$v_comp") | hello / version $(ms "$hello_ms") / $(ms "$version_ms") ms · prepared 10k $(ms "$floor10_ms") / $(ms "$floor10_curl_ms") ms, 100k $(ms "$floor100_ms") / $(ms "$floor100_curl_ms") ms · RSS$rss_line · load $load_start → $load_end |"
  if grep -q '^<!-- bench:floor:end -->' "$doc" 2>/dev/null; then
    awk -v row="$row" '/^<!-- bench:floor:end -->/ { print row } { print }' "$doc" >"$work/doc" && cp "$work/doc" "$doc"
    say "appended the results row to docs/performance.md"
  else
    say "docs/performance.md has no results marker: row not recorded"
    echo "$row"
  fi
fi
