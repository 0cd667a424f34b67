#!/usr/bin/env bash
# A real CUPS print server for the printing tests, with test queues whose jobs land as PDF
# files (cups-pdf) so that a test can measure and look at what was printed. Idempotent:
# starts cupsd if it is not running and (re)makes the queues. Needs root (CI runs as root);
# prints the folder where the printed PDFs land on stdout, everything else on stderr.
#
#   scripts/cups_test_server.sh          # start (or find) it, make the queues
#   scripts/cups_test_server.sh stop     # remove the test queues (cupsd keeps running)
#
# Queues (all named CDT-*, so they never clash with a desk's real printers):
#   CDT-A4       paper A4 by default; A5 and custom sizes available (cups-pdf's PPD)
#   CDT-A5       the same printer with A5 by default
#   CDT-A4only   an office printer with A4 paper only (tests/printing/test_printers.drv)
#   CDT-Roll80   an 80 mm receipt roll, 80 x 297 mm by default, any length (same .drv)
#   CDT-Refuse   refuses jobs (cupsreject), like a queue an administrator closed
#   CDT-Paused   holds jobs (cupsdisable), like a printer out of paper
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=${CUPS_TEST_OUT:-/var/spool/cups-pdf-desk-tests}
QUEUES=(CDT-A4 CDT-A5 CDT-A4only CDT-Roll80 CDT-Refuse CDT-Paused)
fail() { echo "cups_test_server: $*" >&2; exit 1; }

if [ "${1:-}" = "stop" ]; then
  for q in "${QUEUES[@]}"; do lpadmin -x "$q" 2>/dev/null || true; done
  exit 0
fi

[ "$(id -u)" = 0 ] || fail "needs root (it installs print queues)"
if ! command -v cupsd >/dev/null || [ ! -x /usr/lib/cups/backend/cups-pdf ] \
    || ! command -v ppdc >/dev/null || ! command -v lpadmin >/dev/null; then
  echo "cups_test_server: installing CUPS, cups-pdf and the PPD compiler" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq cups-daemon cups-client \
    cups-filters cups-ppdc printer-driver-cups-pdf >&2
fi

# cupsd: the system's own server; started here when nothing (systemd, a desktop) runs it.
if ! lpstat -r 2>/dev/null | grep -q "is running"; then
  cupsd >&2 || fail "cupsd did not start"
  for _ in $(seq 50); do lpstat -r 2>/dev/null | grep -q "is running" && break; sleep 0.1; done
  lpstat -r 2>/dev/null | grep -q "is running" || fail "cupsd does not answer"
fi

# Each cups-pdf queue reads cups-pdf-<name>.conf (its URI is cups-pdf:/<name>): one folder per
# queue, the job id in each file name (Label 1), files readable by the tests.
PPDS=$(mktemp -d)
trap 'rm -rf "$PPDS"' EXIT
ppdc -d "$PPDS" tests/printing/test_printers.drv >&2
mkdir -p "$OUT"
for q in "${QUEUES[@]}"; do
  mkdir -p "$OUT/$q"
  chmod 0777 "$OUT/$q"
  cat >"/etc/cups/cups-pdf-$q.conf" <<CONF
Out $OUT/$q
AnonDirName $OUT/$q
Label 1
UserUMask 0022
AnonUMask 0022
Grp lpadmin
DecodeHexStrings 1
CONF
done

CUPS_PDF_PPD=/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd
add() {  # name ppd default-media
  lpadmin -x "$1" 2>/dev/null || true
  lpadmin -p "$1" -v "cups-pdf:/$1" -P "$2" -o "media=$3" -o printer-error-policy=abort-job \
    -E >&2 2>/dev/null
}
add CDT-A4 "$CUPS_PDF_PPD" A4
add CDT-A5 "$CUPS_PDF_PPD" A5
add CDT-A4only "$PPDS/deska4.ppd" A4
add CDT-Roll80 "$PPDS/desk80.ppd" X80MMY297MM
add CDT-Refuse "$CUPS_PDF_PPD" A4
add CDT-Paused "$CUPS_PDF_PPD" A4
cupsreject -r "closed by the administrator" CDT-Refuse
cupsdisable -r "out of paper" CDT-Paused
echo "$OUT"
