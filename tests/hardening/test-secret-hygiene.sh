#!/bin/bash
# test-secret-hygiene.sh — needs RELAY_CLI and RELAY_SANDBOX (meson's test_env)
#
# Copyright 2026 The Relay authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Secret hygiene (issue 6, item 3). In a private D-Bus session with its
# own unlocked gnome-keyring and throwaway HOME and XDG folders, with
# G_MESSAGES_DEBUG=all and GSettings written to a key file, this runs
# against relay-sandbox: an OAuth sign-in (relay-cli login --no-browser,
# the authorize URL fetched the way a browser would), send, balance,
# accounts and sign-out; then an API-key sign-in, send and sign-out; then
# a sign-in with the API key and a signature secret, a signed send and
# sign-out. It checks that relay-cli's argv and environment never hold
# the signature secret, then searches everything relay-cli printed and
# every file under HOME and the config, cache, state and data folders
# (binary files too: the history database and its -wal and -shm) for the
# consumer secret, the API secret, the signature secret, the verifier and
# every secret the keyring held: none may appear. Output is TAP; a secret found is named by kind, never
# printed.

set -uo pipefail

if [ -z "${RELAY_CLI:-}" ] || [ -z "${RELAY_SANDBOX:-}" ]; then
  echo "1..0 # SKIP RELAY_CLI and RELAY_SANDBOX must name the programs"
  exit 0
fi

if [ -z "${RELAY_HYGIENE_WORK:-}" ]; then
  work=$(mktemp -d "${TMPDIR:-/tmp}/relay-hygiene.XXXXXX")
  # RELAY_HYGIENE_KEEP=1 keeps the folders to look at a failure.
  [ -n "${RELAY_HYGIENE_KEEP:-}" ] && echo "# keeping $work" || trap 'rm -rf "$work"' EXIT
  mkdir -p "$work/home" "$work/config" "$work/data" "$work/cache" "$work/state" \
           "$work/run" "$work/out" "$work/provider"
  chmod 700 "$work/run"
  HOME="$work/home" XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" \
  XDG_CACHE_HOME="$work/cache" XDG_STATE_HOME="$work/state" XDG_RUNTIME_DIR="$work/run" \
  RELAY_HYGIENE_WORK="$work" dbus-run-session -- "$0"
  exit $?
fi

work=$RELAY_HYGIENE_WORK

# The bus above is this script's own; even so, only the test schema.
schema=io.github.relaysms.Relay.Credential.Test
export RELAY_CREDENTIAL_SCHEMA=$schema
out=$work/out
n=0
failed=0

ok () { n=$((n + 1)); echo "ok $n - $1"; }
# Reads `secret-tool search --all` output; prints each secret value the
# keyring holds. A stored value may be a bare secret or a small record
# (form or JSON); in a record, the values of fields whose name contains
# "secret" are the secrets.
secret_parts () {
  sed -n 's/^secret = //p' | awk '
    {
      n = split ($0, f, /[&=,:;"{}\[\] \t]+/)
      named = 0
      for (i = 1; i <= n; i++) if (f[i] ~ /^[a-z][a-z_.-]*$/) named = 1
      last = ""
      for (i = 1; i <= n; i++)
        {
          if (f[i] == "") continue
          if (named && f[i] ~ /^[a-z][a-z_.-]*$/) { last = f[i]; continue }
          if ((!named || last ~ /secret/) && length (f[i]) >= 8) print f[i]
        }
    }'
}
not_ok () { n=$((n + 1)); failed=1; echo "not ok $n - $1"; }
check () { local what=$1; shift; if "$@"; then ok "$what"; else not_ok "$what"; fi; }
random_secret () { head -c 18 /dev/urandom | base64 | tr '+/' '._'; }

consumer_key=hygiene-consumer-key
consumer_secret=$(random_secret)
api_key=hygieneapikey
api_secret=$(random_secret)
signature_secret=$(random_secret)
verifier=

keyring_env=$(printf 'hygiene-keyring-password' |
              gnome-keyring-daemon --unlock --components=secrets --daemonize)
keyring_pid=$(printf '%s\n' "$keyring_env" | sed -n 's/^GNOME_KEYRING_PID=//p')
export GNOME_KEYRING_CONTROL=$(printf '%s\n' "$keyring_env" | sed -n 's/^GNOME_KEYRING_CONTROL=//p')

"$RELAY_SANDBOX" --port 0 --auto-approve \
  --consumer-key "$consumer_key" --consumer-secret "$consumer_secret" \
  --api-key "$api_key" --api-secret "$api_secret" \
  --signature-secret "$signature_secret" --signature-method sha256 \
  --messages "$work/provider/messages.jsonl" \
  >"$work/provider/sandbox.out" 2>"$work/provider/sandbox.err" &
sandbox_pid=$!

login_pid=
holder_pid=
cleanup () {
  [ -n "$login_pid" ] && kill "$login_pid" 2>/dev/null
  [ -n "$holder_pid" ] && kill "$holder_pid" 2>/dev/null
  kill "$sandbox_pid" 2>/dev/null
  [ -n "$keyring_pid" ] && kill "$keyring_pid" 2>/dev/null
  wait 2>/dev/null
}
trap cleanup EXIT

# Everything Relay itself says, at every log level, and its settings in a
# file we can search.
export G_MESSAGES_DEBUG=all
export GSETTINGS_BACKEND=keyfile

echo "1..20"

base=
for _ in $(seq 100); do
  base=$(sed -n 's/^Listening on //p' "$work/provider/sandbox.out" 2>/dev/null | head -n1)
  [ -n "$base" ] && break
  sleep 0.1
done
if [ -z "$base" ]; then
  not_ok "relay-sandbox starts"
  exit 1
fi
ok "relay-sandbox listens on $base"
rest_base=${base%/}
oauth_base=${base}oauth/

# --- OAuth sign-in, the browser played by curl ---------------------------
printf '%s\n' "$consumer_secret" |
  timeout 120 "$RELAY_CLI" login --oauth-base "$oauth_base" --rest-base "$rest_base" \
    --consumer-key "$consumer_key" --no-browser >"$out/login.out" 2>"$out/login.err" &
login_pid=$!

authorize=
for _ in $(seq 300); do
  authorize=$(sed -n 's/^Open: //p' "$out/login.out" | head -n1)
  [ -n "$authorize" ] && break
  kill -0 "$login_pid" 2>/dev/null || break
  sleep 0.1
done

callback=
if [ -n "$authorize" ]; then
  callback=$(curl -s -o "$out/authorize.html" -w '%{redirect_url}' "$authorize")
  verifier=$(printf '%s\n' "$callback" | sed -n 's/.*[?&]oauth_verifier=\([^&]*\).*/\1/p')
  [ -n "$callback" ] && curl -s -o "$out/callback.html" "$callback"
fi
wait "$login_pid"
login_status=$?
login_pid=
signed_in () { [ $login_status -eq 0 ] && [ -n "$verifier" ] && grep -q '^Signed in' "$out/login.out"; }
check "OAuth sign-in through the callback prints “Signed in” (exit $login_status)" signed_in

# What the keyring holds while signed in: every part of every secret.
secret-tool search --all xdg:schema "$schema" \
  >"$work/provider/keyring.txt" 2>/dev/null
keyring_parts=$(secret_parts <"$work/provider/keyring.txt" | sort -u)
check "the keyring holds the consumer secret" \
  grep -qxF -- "$consumer_secret" <(printf '%s\n' "$keyring_parts")

timeout 60 "$RELAY_CLI" send --to 447700900001 --text "Hygiene check" \
  >"$out/send.out" 2>"$out/send.err"
check "send with the stored OAuth credentials" test $? -eq 0
# A reader holds the history open from here on, so that what later
# relay-cli runs write stays in the -wal (and the -shm stays) for the
# search, as it would while the window runs.
db=$work/data/relay/relay.db
if [ -s "$db" ]; then
  /usr/bin/python3 -c '
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN")
db.execute("SELECT count(*) FROM messages").fetchone()
print("ready", flush=True)
time.sleep(300)
' "$db" </dev/null >"$work/provider/holder.out" 2>&1 &
  holder_pid=$!
  for _ in $(seq 100); do
    grep -q ready "$work/provider/holder.out" 2>/dev/null && break
    sleep 0.1
  done
fi
timeout 60 "$RELAY_CLI" balance >"$out/balance.out" 2>"$out/balance.err"
check "balance with the stored OAuth credentials" test $? -eq 0
timeout 60 "$RELAY_CLI" accounts --json >"$out/accounts.out" 2>"$out/accounts.err"
check "accounts lists the account" test $? -eq 0
timeout 60 "$RELAY_CLI" logout >"$out/logout.out" 2>"$out/logout.err"
check "sign-out" test $? -eq 0

# --- API key sign-in -----------------------------------------------------
printf '%s\n' "$api_secret" |
  timeout 60 "$RELAY_CLI" login --api-key "$api_key" --rest-base "$rest_base" \
    >"$out/login-api.out" 2>"$out/login-api.err"
check "API-key sign-in" test $? -eq 0
secret-tool search --all xdg:schema "$schema" \
  >>"$work/provider/keyring.txt" 2>/dev/null
keyring_parts=$( (printf '%s\n' "$keyring_parts"; secret_parts <"$work/provider/keyring.txt") | sort -u)
timeout 60 "$RELAY_CLI" send --to 447700900002 --text "Hygiene check 2" \
  >"$out/send-api.out" 2>"$out/send-api.err"
check "send with the stored API key" test $? -eq 0
# Both sends went through the history: the database and, with the reader
# above holding it open, its -wal and -shm are under the data folder the
# search covers.
history_files () { test -s "$db" && test -s "$db-wal" && test -e "$db-shm"; }
check "the history database, its -wal and -shm exist after the sends" history_files
in_history () {
  grep -qaF -- "Hygiene check 2" "$db" "$db-wal" 2>/dev/null &&
    grep -qaF -- "447700900001" "$db" "$db-wal" 2>/dev/null
}
check "the history database holds both messages" in_history
for f in "$db" "$db-wal" "$db-shm"; do
  [ -e "$f" ] && echo "# searched: ${f#$work/} ($(stat -c %s "$f") bytes)"
done
timeout 60 "$RELAY_CLI" logout >"$out/logout-api.out" 2>"$out/logout-api.err"
status=$?
left=$(secret-tool search --all xdg:schema "$schema" 2>/dev/null |
       grep -c '^secret = ')
check "sign-out empties the keyring (exit $status, $left items left)" test $status -eq 0 -a "$left" -eq 0

# --- API key and signature secret ---------------------------------------
# Both secrets come on stdin; while relay-cli waits for the second line,
# its argv and environment are read from /proc.
mkfifo "$work/provider/stdin"
timeout 60 "$RELAY_CLI" login --api-key "$api_key" --signature-method sha256 --rest-base "$rest_base" \
  <"$work/provider/stdin" >"$out/login-signed.out" 2>"$out/login-signed.err" &
login_pid=$!
exec 7>"$work/provider/stdin"
printf '%s\n' "$api_secret" >&7
# relay-cli itself is timeout's child (found through /proc, no procps).
child_of () {
  local parent=$1 stat fields
  for stat in /proc/[0-9]*/stat; do
    # "pid (comm) state ppid …": state and ppid follow the last ")".
    fields=$(sed 's/.*) //' "$stat" 2>/dev/null) || continue
    set -- $fields
    [ "${2:-}" = "$parent" ] && { basename "$(dirname "$stat")"; return; }
  done
}
cli_pid=
for _ in $(seq 100); do
  cli_pid=$(child_of "$login_pid")
  [ -n "$cli_pid" ] && grep -qaF -- "relay-cli" "/proc/$cli_pid/cmdline" 2>/dev/null && break
  sleep 0.1
done
process_clean () {
  [ -n "$cli_pid" ] &&
    grep -qaF -- "--signature-method" "/proc/$cli_pid/cmdline" &&
    ! grep -qaF -- "$signature_secret" "/proc/$cli_pid/cmdline" "/proc/$cli_pid/environ" &&
    ! grep -qaF -- "$api_secret" "/proc/$cli_pid/cmdline" "/proc/$cli_pid/environ"
}
check "relay-cli login's argv and environment hold no secret" process_clean
printf '%s\n' "$signature_secret" >&7
exec 7>&-
wait "$login_pid"
status=$?
login_pid=
check "sign-in with the API key and signature secret (exit $status)" test $status -eq 0
secret-tool search --all xdg:schema "$schema" \
  >>"$work/provider/keyring.txt" 2>/dev/null
keyring_parts=$( (printf '%s\n' "$keyring_parts"; secret_parts <"$work/provider/keyring.txt") | sort -u)
check "the keyring holds the signature secret" \
  grep -qxF -- "$signature_secret" <(printf '%s\n' "$keyring_parts")
timeout 60 "$RELAY_CLI" send --to 447700900003 --text "Hygiene check 3" \
  >"$out/send-signed.out" 2>"$out/send-signed.err"
check "send with the stored signature secret" test $? -eq 0
signed_on_wire () { tail -n1 "$work/provider/messages.jsonl" | grep -qF '"auth":"sig"'; }
check "the sandbox got that message signed, without the API secret" signed_on_wire
timeout 60 "$RELAY_CLI" logout >"$out/logout-signed.out" 2>"$out/logout-signed.err"
check "sign-out of the signed account" test $? -eq 0

# --- The search ----------------------------------------------------------
haystacks=("$out" "$work/home" "$work/config" "$work/cache" "$work/state" "$work/data")

# The search must be able to find something: plant a canary first.
canary=$(random_secret)
printf 'x%sx\n' "$canary" >"$work/state/canary"
check "the search finds a planted canary" grep -rqaF -- "$canary" "${haystacks[@]}"
rm -f "$work/state/canary"

leaks=
search () {
  local kind=$1 needle=$2 hits
  [ -n "$needle" ] || return 0
  hits=$(grep -rlaF -- "$needle" "${haystacks[@]}" 2>/dev/null | sed "s|^$work/||" | tr '\n' ' ')
  [ -n "$hits" ] && leaks="$leaks $kind in: $hits;"
}
search "the consumer secret" "$consumer_secret"
search "the API secret" "$api_secret"
search "the signature secret" "$signature_secret"
search "the verifier" "$verifier"
i=0
while IFS= read -r part; do
  i=$((i + 1))
  [ -z "$part" ] || [ "$part" = "$consumer_key" ] || [ "$part" = "$api_key" ] ||
    search "keyring secret part $i" "$part"
done <<<"$keyring_parts"

[ -n "$holder_pid" ] && kill "$holder_pid" 2>/dev/null
holder_pid=

if [ -z "$leaks" ]; then
  ok "no secret in relay-cli's output, HOME, config, cache, state or data (history database included)"
else
  not_ok "secrets found:$leaks"
fi

exit $failed
