#!/usr/bin/env bash
# The composite action's step (action.yml), also runnable by hand: runs the conformance suite on a
# manifest, then writes the HTML report, a Markdown summary (appended to the job summary on GitHub)
# and the step's outputs. Inputs arrive through the environment, never pasted into the script.
#   BUSTBENCH_MANIFEST  path of the target manifest (required)
#   BUSTBENCH_STRICT    true: SHOULD failures fail the gate too (default false)
#   BUSTBENCH_OUT       folder for every result (default bustbench-results)
#   BUSTBENCH_TRACK     true: also a quick bench and the lifecycle matrix, exported for Bencher and
#                       github-action-benchmark (default false)
# Exit code: the suite's (0 gate passed, 1 gate failed, 2 bad manifest or input).
set -uo pipefail
kit="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cli="$kit/dist/cli/bustbench.js"
manifest="${BUSTBENCH_MANIFEST:-}"
strict="${BUSTBENCH_STRICT:-false}"
out="${BUSTBENCH_OUT:-bustbench-results}"
track="${BUSTBENCH_TRACK:-false}"

if [ -z "$manifest" ]; then echo "error: the manifest input is required" >&2; exit 2; fi
case "$strict" in
  true | false) ;;
  *) echo "error: strict must be true or false, got '$strict'" >&2; exit 2 ;;
esac
case "$track" in
  true | false) ;;
  *) echo "error: track must be true or false, got '$track'" >&2; exit 2 ;;
esac
if [ ! -f "$cli" ]; then echo "error: bustbench is not built ($cli is missing): run node scripts/build.ts" >&2; exit 2; fi

args=(conformance "$manifest" --out "$out/conformance")
if [ "$strict" = true ]; then args+=(--strict); fi
node "$cli" "${args[@]}"
code=$?

# The figures a continuous-benchmarking service follows: a quick bench and the lifecycle matrix, exported.
# Their own failures are reported and leave the gate as the suite decided it.
if [ "$track" = true ]; then
  node "$cli" bench --target "$manifest" --quick --out "$out/bench" || echo "warning: the benchmark failed" >&2
  node "$cli" lifecycle "$manifest" --out "$out/lifecycle" || echo "warning: the lifecycle matrix failed" >&2
  for format in bmf github-bigger github-smaller; do
    node "$cli" report --dir "$out" --format "$format" --out "$out/$format.json" >/dev/null ||
      echo "warning: no $format export" >&2
  done
fi

# The summary and the page are written whatever the gate says; a failure to write them is reported, not hidden.
node "$cli" report --dir "$out" --format md --out "$out/summary.md" >/dev/null || echo "warning: no Markdown summary" >&2
node "$cli" report --dir "$out" --out "$out/index.html" >/dev/null || echo "warning: no HTML report" >&2
if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -f "$out/summary.md" ]; then cat "$out/summary.md" >>"$GITHUB_STEP_SUMMARY"; fi

case "$code" in
  0) gate=pass ;;
  1) gate=fail ;;
  *) gate=error ;;
esac
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "gate=$gate"
    echo "results=$out/conformance"
    echo "markdown=$out/summary.md"
    echo "html=$out/index.html"
    if [ "$track" = true ]; then
      echo "bmf=$out/bmf.json"
      echo "github-bigger=$out/github-bigger.json"
      echo "github-smaller=$out/github-smaller.json"
    fi
  } >>"$GITHUB_OUTPUT"
fi
exit "$code"
