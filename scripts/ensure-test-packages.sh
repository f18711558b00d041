#!/usr/bin/env bash
# The tests drive real components from Debian's packages: Chromium for the browser tests, Dovecot for the mail tests,
# PostgreSQL for the second run of the suite (scripts/test.sh starts a private cluster of its own).
# Installs what is missing when run as root (CI, fresh development machines); otherwise says what to run.
set -euo pipefail
missing=()
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
# Dovecot is started privately by test/helpers/mail-servers.ts (own config, port and dirs); a system
# instance that apt may start alongside does not disturb it.
[ -x "${DOVECOT_PATH:-/usr/sbin/dovecot}" ] || missing+=(dovecot-imapd)
# Only the programs: the cluster apt may create and start alongside is not the one the tests use.
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || command -v initdb >/dev/null || missing+=(postgresql)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian packages the tests need: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "The tests need these Debian packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
