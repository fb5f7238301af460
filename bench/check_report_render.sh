#!/usr/bin/env bash
# Render the HTML inspection report in headless Chromium: a screenshot of the first A4
# page and an A4 PDF; fail if the screenshot is blank. Look at the PNG yourself too.
#   bench/check_report_render.sh [REPORT.html] [OUTDIR]
# Without REPORT.html it writes one with `caseread report` from the current store
# (--store / CASEREAD_STORE, else the demo store: run `caseread demo --no-open` first).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${2:-$(mktemp -d)}"
mkdir -p "$out"
html="${1:-$out/report.html}"
if [ -z "${1:-}" ]; then
  .venv/bin/caseread report --format html "$html"
fi
command -v chromium >/dev/null || { echo "chromium not installed (apt-get install -y chromium)"; exit 2; }
ink=$(.venv/bin/python tests/test_report_chromium.py "$html" "$out/page1.png")
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$(mktemp -d)" --no-pdf-header-footer --print-to-pdf="$out/report.pdf" \
  "file://$(realpath "$html")" 2>/dev/null
pages=$(grep -a -o '/Type /Page[s]*' "$out/report.pdf" | grep -c 'Page$' || true)
echo "html: $html ($(wc -c <"$html") bytes)"
echo "screenshot: $out/page1.png ink fraction $ink"
echo "pdf: $out/report.pdf, $pages A4 pages"
python3 - "$ink" <<'PY'
import sys
ink = float(sys.argv[1])
sys.exit(0 if 0.01 < ink < 0.6 else f"blank or solid screenshot (ink {ink})")
PY
