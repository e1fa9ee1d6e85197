#!/usr/bin/env bash
# A throw-away IMAP server for the reply-by-e-mail tests (Debian's dovecot), started by
# .ci/run and usable by hand: `tests/servers/dovecot.sh start|stop|restart`. It listens on
# 127.0.0.1:10143 (IMAP, STARTTLS required before login) and 127.0.0.1:10993 (IMAPS) with a
# certificate of its own CA, written to $DIR/ca.pem. Any user name signs in with the password
# "tilt-test" and gets a mailbox of its own (maildir under $DIR/home/<user>): each pytest
# worker uses "tilt-<worker>", so that parallel tests never read each other's mail. No system
# service is used or needed.
set -euo pipefail
DIR=${TILT_DOVECOT_DIR:-/tmp/tilt-test-servers/dovecot}
PORT=${TILT_DOVECOT_PORT:-10143}
TLS_PORT=${TILT_DOVECOT_TLS_PORT:-10993}
RUN_AS=${TILT_DOVECOT_USER:-$(id -un)}
command -v dovecot >/dev/null || PATH="$PATH:/usr/sbin"

stop() {
  if [ -f "$DIR/dovecot.conf" ] && [ -f "$DIR/run/master.pid" ]; then
    doveadm -c "$DIR/dovecot.conf" stop 2>/dev/null || kill "$(cat "$DIR/run/master.pid")" 2>/dev/null || true
    for _ in $(seq 1 50); do [ -f "$DIR/run/master.pid" ] || break; sleep 0.1; done
  fi
}

start() {
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    if grep -q "mailbox per user name" "$DIR/dovecot.conf" 2>/dev/null; then
      echo "dovecot already answers on $PORT"; return 0
    fi
    stop  # an older configuration (one shared mailbox): start again with this one
  fi
  # root runs the mail processes as the packaged "dovecot" user (dovecot refuses uid 0)
  local mail_user=$RUN_AS login_user=$RUN_AS
  if [ "$(id -u)" = 0 ]; then mail_user=dovecot; login_user=dovenull; fi
  rm -rf "$DIR" && mkdir -p "$DIR/run" "$DIR/state" "$DIR/home"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=Tilt test CA" \
    -keyout "$DIR/ca.key" -out "$DIR/ca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
    -keyout "$DIR/server.key" -out "$DIR/server.csr" 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > "$DIR/san.ext"
  openssl x509 -req -in "$DIR/server.csr" -CA "$DIR/ca.pem" -CAkey "$DIR/ca.key" \
    -CAcreateserial -days 3650 -extfile "$DIR/san.ext" -out "$DIR/server.pem" 2>/dev/null
  chown -R "$mail_user" "$DIR/home"
  chmod 755 "$DIR"
  cat > "$DIR/dovecot.conf" <<CONF
base_dir = $DIR/run
state_dir = $DIR/state
log_path = $DIR/dovecot.log
protocols = imap
listen = 127.0.0.1
default_internal_user = $mail_user
default_login_user = $login_user
first_valid_uid = 1
ssl = required
ssl_cert = <$DIR/server.pem
ssl_key = <$DIR/server.key
disable_plaintext_auth = yes
auth_mechanisms = plain
# a mailbox per user name: every name is accepted with the one test password
passdb {
  driver = static
  args = password=tilt-test
}
userdb {
  driver = static
  args = uid=$mail_user gid=$(id -gn "$mail_user") home=$DIR/home/%u
}
mail_location = maildir:~/Maildir
namespace inbox {
  inbox = yes
  separator = /
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $PORT
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $TLS_PORT
    ssl = yes
  }
}
service anvil {
  chroot =
}
service imap-login {
  chroot =
}
CONF
  dovecot -c "$DIR/dovecot.conf"
  for _ in $(seq 1 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1
  done
  echo "dovecot on 127.0.0.1:$PORT (STARTTLS) and :$TLS_PORT (IMAPS), any user, CA $DIR/ca.pem"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  *) echo "usage: $0 start|stop|restart" >&2; exit 2 ;;
esac
