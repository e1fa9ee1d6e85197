#!/usr/bin/env bash
# A throw-away OpenLDAP directory for the sign-in tests (Debian's slapd), started by .ci/run
# and usable by hand: `tests/servers/slapd.sh start|stop`. It listens on 127.0.0.1:3389
# (plain, StartTLS) and 127.0.0.1:6636 (LDAPS) with a certificate of its own CA, written to
# $DIR/ca.pem; base dc=lemans,dc=test, administrator cn=admin,dc=lemans,dc=test (password
# "admin-test"). Tests create their entries under a unique ou and remove them.
set -euo pipefail
DIR=${TILT_SLAPD_DIR:-/tmp/tilt-test-servers/slapd}
PORT=${TILT_SLAPD_PORT:-3389}
TLS_PORT=${TILT_SLAPD_TLS_PORT:-6636}
SUFFIX="dc=lemans,dc=test"

stop() {
  if [ -f "$DIR/slapd.pid" ]; then
    kill "$(cat "$DIR/slapd.pid")" 2>/dev/null || true
    for _ in $(seq 1 50); do [ -f "$DIR/slapd.pid" ] || break; sleep 0.1; done
  fi
}

start() {
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    echo "slapd already answers on $PORT"; return 0
  fi
  command -v slapd >/dev/null || PATH="$PATH:/usr/sbin"
  rm -rf "$DIR" && mkdir -p "$DIR/data"
  # its own CA and a certificate for 127.0.0.1 and localhost
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=Tilt test CA" \
    -keyout "$DIR/ca.key" -out "$DIR/ca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
    -keyout "$DIR/server.key" -out "$DIR/server.csr" 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > "$DIR/san.ext"
  openssl x509 -req -in "$DIR/server.csr" -CA "$DIR/ca.pem" -CAkey "$DIR/ca.key" \
    -CAcreateserial -days 3650 -extfile "$DIR/san.ext" -out "$DIR/server.pem" 2>/dev/null
  chmod 644 "$DIR/server.key"
  cat > "$DIR/slapd.conf" <<CONF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
pidfile $DIR/slapd.pid
modulepath /usr/lib/ldap
moduleload back_mdb
TLSCACertificateFile $DIR/ca.pem
TLSCertificateFile $DIR/server.pem
TLSCertificateKeyFile $DIR/server.key
database mdb
maxsize 104857600
suffix "$SUFFIX"
rootdn "cn=admin,$SUFFIX"
rootpw admin-test
directory $DIR/data
access to attrs=userPassword by self read by anonymous auth by * none
access to * by * read
CONF
  slapd -f "$DIR/slapd.conf" -h "ldap://127.0.0.1:$PORT/ ldaps://127.0.0.1:$TLS_PORT/"
  for _ in $(seq 1 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1
  done
  printf 'dn: %s\nobjectClass: dcObject\nobjectClass: organization\ndc: lemans\no: Le Mans Metropole (tests)\n' \
    "$SUFFIX" | ldapadd -x -H "ldap://127.0.0.1:$PORT" -D "cn=admin,$SUFFIX" -w admin-test >/dev/null
  echo "slapd on 127.0.0.1:$PORT (StartTLS) and :$TLS_PORT (LDAPS), CA $DIR/ca.pem"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  *) echo "usage: $0 start|stop|restart" >&2; exit 2 ;;
esac
