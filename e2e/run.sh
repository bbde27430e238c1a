#!/usr/bin/env bash
# Site-quality checks: every page is valid HTML (vnu-jar), the main page kinds have no serious
# or critical accessibility violations (axe-core in Chromium), every page reads at 390px and
# 1280px (no sideways scroll, no word broken inside itself), browser journeys work (search →
# job → pattern → SIG, theme toggle, the jobs index's sort and filters), Lighthouse 12 scores
# one page of every kind (printed; performance 95, the rest 100), and screenshots are saved.
#
#   bash e2e/run.sh                       # from anywhere; CI runs it from .ci/run
#   ARTIFACTS=/some/dir bash e2e/run.sh   # where screenshots go (default e2e/artifacts/)
#   bash e2e/run.sh --update-readme       # also refresh docs/screenshots/{home,report}.png
#   E2E_ONLY=html,axe bash e2e/run.sh     # a subset: html, axe, layout, journey, lighthouse, screenshots
#
# Installs what is missing: Chromium and Java from Debian (only when absent), the npm
# packages pinned in package-lock.json (npm ci: vnu-jar, axe-core, playwright-core, lighthouse). Closes with "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"
e2e=$(pwd)
repo=$(cd .. && pwd)

update_readme=
for arg in "$@"; do
  case "$arg" in
    --update-readme) update_readme=1 ;;
    *) echo "run.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

chromium=${CHROMIUM:-/usr/bin/chromium}
artifacts=${ARTIFACTS:-$e2e/artifacts}
mkdir -p "$artifacts"
artifacts=$(cd "$artifacts" && pwd)

# Debian packages, only when missing; CI runs as root, a developer may need sudo.
root=; [ "$(id -u)" = 0 ] || root=sudo
apt_updated=
apt_install() {
  if [ -z "$apt_updated" ]; then
    $root timeout 300 apt-get update -qq
    apt_updated=1
  fi
  $root env DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq "$@"
}

echo "e2e: tools"
if [ ! -x "$chromium" ]; then
  if [ -n "${CHROMIUM:-}" ]; then
    echo "e2e: CHROMIUM=$CHROMIUM is not an executable" >&2
    echo "0 passed, 1 failed"
    exit 1
  fi
  echo "e2e: $chromium is missing: installing Debian's chromium"
  apt_install chromium
fi
if ! command -v java >/dev/null; then
  echo "e2e: java is missing (vnu-jar needs it): installing Debian's default-jre-headless"
  apt_install default-jre-headless
fi
command -v node >/dev/null || { echo "e2e: node is missing (Node 20 or later is needed)" >&2; exit 1; }
"$chromium" --version 2>/dev/null | grep -v '^$' | head -1 || true
java -version 2>&1 | head -1
echo "node $(node --version)"

# vnu-jar's install script would fetch a Java runtime; the system's Java is used instead.
echo "e2e: npm ci"
timeout 300 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "e2e: building the site"
(cd "$repo" && timeout 600 go run ./cmd/triagesite build --out "$work/site")
# The same content with 20 rows a list page, so that the bundled site's lists span pages:
# the HTML check covers the paged lists, and a journey searches across them.
echo "e2e: building it again into site/paged/ with --list-rows 20"
(cd "$repo" && timeout 600 go run ./cmd/triagesite build --list-rows 20 --out "$work/site/paged")

# The page kinds the bundled content has no data for (a flaky test's page; input-health
# problems; a drift page that refuses an empty snapshot), built from the test fixtures.
echo "e2e: building the test fixtures' site into site/living/"
(cd "$repo" && timeout 600 go run ./e2e/fixture "$work/living-content" &&
  timeout 600 go run ./cmd/triagesite build --content "$work/living-content" --now 2026-05-13 --out "$work/site/living")

echo "e2e: serving it on loopback"
node "$e2e/serve.mjs" "$work/site" 0 >"$work/serve.log" 2>&1 &
server_pid=$!
url=
for _ in $(seq 1 100); do
  url=$(sed -n 's/^listening \(http:[^ ]*\)$/\1/p' "$work/serve.log")
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "e2e: the static server did not start:" >&2
  cat "$work/serve.log" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
echo "e2e: $url"

check_args=(--site "$work/site" --url "$url" --artifacts "$artifacts")
[ -n "$update_readme" ] && check_args+=(--readme-shots "$repo/docs/screenshots")
[ -n "${E2E_ONLY:-}" ] && check_args+=(--only "$E2E_ONLY")

status=0
CHROMIUM="$chromium" timeout 1200 node "$e2e/check.mjs" "${check_args[@]}" || status=$?
if [ "$status" = 124 ]; then
  echo "e2e: the checks did not finish in 20 minutes" >&2
  echo "0 passed, 1 failed"
fi
exit "$status"
