#!/usr/bin/env bash
# The commands the workflows run, kept in one place so that a test runs exactly them.
#   check.sh pr    lint, verify the citations in the content files the pull request changes
#                  (under GitHub Actions: annotations on the diff and a step summary), build
#   check.sh main  lint, verify every citation, build the site to publish
# Environment: BASE_REF (pr: what to diff against, default origin/main), CHANGED (pr: a
# comma-separated list of content files, instead of the diff), VERIFY_FLAGS (extra verify
# flags), BASE_URL (canonical URL of the published site), OUT (output directory, default site),
# CONTENT (content directory, default content).
set -euo pipefail
mode=${1:?usage: check.sh pr|main}
out=${OUT:-site}
content=${CONTENT:-content}
ts() { go run ./cmd/triagesite "$@"; }

ts lint --content "$content"
case "$mode" in
  pr)
    # Deleted files have no citations left to verify (and --only refuses a file that does not exist).
    changed=${CHANGED-$(git diff --name-only --diff-filter=d "${BASE_REF:-origin/main}" -- "$content" | grep -E '\.ya?ml$' | paste -sd, - || true)}
    if [ -n "$changed" ]; then
      # A pull request fails on claims that are wrong; a source that cannot answer is not the author's fault.
      # Under GitHub Actions verify writes annotations at each wrong citation's path:line:col.
      ts verify --content "$content" --only "$changed" --fail-on contradicted,missing ${VERIFY_FLAGS:-}
    else
      echo "check.sh: no content file changed; nothing to verify"
    fi
    ;;
  main)
    ts verify --content "$content" --fail-on contradicted,missing ${VERIFY_FLAGS:-}
    ;;
  *)
    echo "check.sh: unknown mode $mode (want pr or main)" >&2
    exit 2
    ;;
esac
ts build --content "$content" --out "$out" ${BASE_URL:+--base-url "$BASE_URL"}
