#!/usr/bin/env bash
# One command for the demo: installs what is missing, builds, starts the
# server on an embedded SQLite database with the demo venue, and opens the
# counter app. Without a display the server keeps running for the web page.
# Order confirmations go to a local SMTP sink whose mails land as files.
# Environment: MARQUEE_PORT (default 8080), MARQUEE_SMTP_PORT (default 2525),
# MARQUEE_DEMO_DIR (data folder).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/installer/setup.sh"

port=${MARQUEE_PORT:-8080}
data=${MARQUEE_DEMO_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/marquee-demo}
mkdir -p "$data"
server="$top/build/server/marquee-server"
app="$top/build/app/marquee"
db="sqlite:$data/marquee.db"
url="http://127.0.0.1:$port"

smtp_port=${MARQUEE_SMTP_PORT:-2525}
mail="$data/mail"

# A real SMTP server on loopback that keeps each mail as a file (a maildir):
# what a buyer would receive, without sending anything anywhere. Debian's
# aiosmtpd belongs to the system's python3.
/usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Mailbox "$mail" \
    >"$data/smtp.log" 2>&1 &
smtp_pid=$!
"$server" --db "$db" --demo --listen "127.0.0.1:$port" --smtp "smtp://127.0.0.1:$smtp_port" \
    >"$data/server.log" 2>&1 &
server_pid=$!
trap 'kill $server_pid $smtp_pid 2>/dev/null || true' EXIT INT TERM

# The server prints its address once it is listening.
for _ in $(seq 1 100); do
    grep -q '^Web page:' "$data/server.log" 2>/dev/null && break
    if ! kill -0 "$server_pid" 2>/dev/null; then
        cat "$data/server.log" >&2
        echo "The server did not start (is port $port in use? try MARQUEE_PORT=8081)." >&2
        exit 1
    fi
    sleep 0.1
done
cat "$data/server.log"

# The demo's staff passwords are printed once, at the very first start; kept
# (readable by this user only) so later runs can show them again.
accounts="$data/demo-accounts.txt"
if grep -q '^Demo sign-in' "$data/server.log"; then
    (umask 077 && grep '^Demo sign-in' "$data/server.log" >"$accounts")
fi

echo
echo "Marquee demo is running."
echo "  Web page for customers: $url/"
echo "  E-mails to buyers (order link and PDF tickets): one file each in $mail/new"
echo "  Data: $data (delete it to start over)"
if [ -f "$accounts" ]; then
    echo "  Sign in at the counter with one of these (from the first start):"
    sed 's/^Demo sign-in (shown once): /    /' "$accounts"
fi
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    echo "  Opening the counter app; closing it stops the server."
    "$app" --server "$url"
else
    echo "  No display here, so the counter app cannot open. On a desktop, run:"
    echo "    $app --server $url"
    echo "  The server keeps running; press Ctrl+C to stop it."
    wait "$server_pid"
fi
