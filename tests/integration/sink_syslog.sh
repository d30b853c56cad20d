#!/bin/sh
# sink_syslog.sh - -o syslog to Debian's rsyslog, for real (root, real eBPF).
#
# Two private rsyslogd (config, pid file and work dir in $D; loopback ports
# and a private unix socket: the machine's /dev/log and /etc/rsyslog.conf
# are never touched): A listens on a unix socket and UDP, B on TCP and TLS
# (rsyslog-gnutls; a throw-away CA made with certtool, client certificates
# required).  rsyslog parses every message as RFC 5424 and prints its parsed
# fields (mmpstrucdata: the structured data) with a template.
#   1. every finding arrives on all four, with its SD fields and JSON;
#   2. B is stopped while findings keep coming, then started again: tracee
#      reconnects and delivers them, and what it could not is counted;
#   3. a TLS receiver with a certificate from another CA is refused, counted;
#   4. bad destinations are refused before anything starts.
. "$top_srcdir/tests/integration/sink_lib.sh"

RSYSLOGD=$(command -v rsyslogd || echo /usr/sbin/rsyslogd)
[ -x "$RSYSLOGD" ] || skip_all "rsyslog is not installed (apt-get install rsyslog rsyslog-gnutls)"
[ -e /usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_gtls.so ] || [ -n "$(find /usr/lib -name lmnsd_gtls.so 2>/dev/null)" ] ||
	skip_all "rsyslog-gnutls is not installed"
command -v certtool >/dev/null 2>&1 || skip_all "certtool is missing (apt-get install gnutls-bin)"
"$TRACEE" -o syslog:tls://localhost:1 --help >/dev/null 2>&1 ||
	skip_all "this tracee was built without GnuTLS"

# --- a throw-away CA, the receiver's and the sender's certificates ---------
mkcert() { # NAME TEMPLATE-LINES [CA]: $D/NAME.pem and $D/NAME-key.pem
	certtool --generate-privkey --key-type=ecdsa --outfile "$D/$1-key.pem" >/dev/null 2>&1
	printf '%s\nexpiration_days = 2\n' "$2" >"$D/$1.tmpl"
	if [ -z "$3" ]; then
		certtool --generate-self-signed --load-privkey "$D/$1-key.pem" \
			--template "$D/$1.tmpl" --outfile "$D/$1.pem" >/dev/null 2>&1
	else
		certtool --generate-certificate --load-privkey "$D/$1-key.pem" \
			--load-ca-certificate "$D/$3.pem" --load-ca-privkey "$D/$3-key.pem" \
			--template "$D/$1.tmpl" --outfile "$D/$1.pem" >/dev/null 2>&1
	fi
}
CA_T='cn = "tracee test CA"
ca
cert_signing_key'
mkcert ca "$CA_T"
mkcert srv 'cn = "localhost"
dns_name = "localhost"
ip_address = "127.0.0.1"
tls_www_server
signing_key
encryption_key' ca
mkcert cli 'cn = "tracee-sender"
tls_www_client
signing_key
encryption_key' ca
mkcert otherca "$CA_T"
[ -s "$D/ca.pem" ] && [ -s "$D/srv.pem" ] && [ -s "$D/cli.pem" ] && [ -s "$D/otherca.pem" ]
ok $? "certtool made a CA, a server and a client certificate"

UDP=$(free_port udp)
TCP=$(free_port tcp)
TLS=$(free_port tcp)
SOCK=$D/log.sock

# rsyslog's parsed view of a message: input, RFC 5424 header fields, the
# structured data as mmpstrucdata splits it (names lowercased), the message.
# Each rsyslogd writes its own file: omfile flushes its buffer in pieces that
# may end mid-line, so two daemons appending to one file interleave lines.
TEMPLATE='template(name="fields" type="list") {
	property(name="inputname") constant(value="|")
	property(name="protocol-version") constant(value="|")
	property(name="app-name") constant(value="|")
	property(name="msgid") constant(value="|")
	property(name="syslogseverity-text") constant(value="|")
	property(name="$!rfc5424-sd!finding@32473!id") constant(value="|")
	property(name="$!rfc5424-sd!finding@32473!name") constant(value="|")
	property(name="$!rfc5424-sd!finding@32473!severity") constant(value="|")
	property(name="$!rfc5424-sd!event@32473!name") constant(value="|")
	property(name="$!rfc5424-sd!event@32473!hostpid") constant(value="|")
	property(name="$!rfc5424-sd!args@32473!pathname") constant(value="|")
	property(name="msg" droplastlf="on") constant(value="\n")
}
action(type="mmpstrucdata")
action(type="omfile" file="'$D'/received.@RS@" template="fields")'

mkdir "$D/rsa" "$D/rsb"
cat >"$D/rsa.conf" <<EOF
global(workDirectory="$D/rsa" maxMessageSize="64k")
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="$SOCK" useSpecialParser="off" parseHostname="on")
module(load="imudp")
input(type="imudp" address="127.0.0.1" port="$UDP" name="udp")
module(load="mmpstrucdata")
${TEMPLATE%@RS@*}a${TEMPLATE#*@RS@}
EOF
cat >"$D/rsb.conf" <<EOF
global(workDirectory="$D/rsb" maxMessageSize="64k"
	defaultNetstreamDriverCAFile="$D/ca.pem"
	defaultNetstreamDriverCertFile="$D/srv.pem"
	defaultNetstreamDriverKeyFile="$D/srv-key.pem")
module(load="imtcp")
input(type="imtcp" address="127.0.0.1" port="$TCP" name="tcp")
input(type="imtcp" address="127.0.0.1" port="$TLS" name="tls"
	streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="x509/certvalid")
module(load="mmpstrucdata")
${TEMPLATE%@RS@*}b${TEMPLATE#*@RS@}
EOF

listening() { ss -Hltn "sport = :$1" | grep -q LISTEN; }
rs_start() { # a or b
	bg_start "rs$1" "$RSYSLOGD" -n -f "$D/rs$1.conf" -i "$D/rs$1.pid"
	if [ "$1" = a ]; then
		wait_for 10 test -S "$SOCK"
	else
		wait_for 10 listening "$TCP" && wait_for 10 listening "$TLS"
	fi
}
rs_start a
ok $? "rsyslogd A listens on a private unix socket and UDP 127.0.0.1:$UDP"
rs_start b
ok $? "rsyslogd B listens on TCP 127.0.0.1:$TCP and TLS 127.0.0.1:$TLS"

received() { cat "$D/received.a" "$D/received.b" 2>/dev/null; }
count() { # INPUT: distinct findings received on it
	received | grep "^$1|" | cut -d'|' -f11 | sort -u | grep -c .
}
all_arrived() { # N INPUT...
	ar_n=$1
	shift
	for ar_i; do
		[ "$(count "$ar_i")" -ge "$ar_n" ] || return 1
	done
}

TLSOPTS="-o option:syslog-ca=$D/ca.pem -o option:syslog-cert=$D/cli.pem -o option:syslog-key=$D/cli-key.pem"
# shellcheck disable=SC2086
if ! start run -s "$SIG" --signatures TEST-SINK -o "syslog:unix:$SOCK" \
	-o "syslog:udp://127.0.0.1:$UDP" -o "syslog:tcp://127.0.0.1:$TCP" \
	-o "syslog:tls://localhost:$TLS" $TLSOPTS; then
	ok 1 "tracee starts with four syslog outputs"
	done_testing
fi
ok 0 "tracee starts with four syslog outputs"

# --- 1. every finding, on every transport, parsed as RFC 5424 --------------
why_missing() { # what rsyslog and tracee said, when something did not arrive
	diag "rsyslog's own messages (rsyslogd -n prints them on its stderr):"
	diag "$(cat "$D/rsa.log" "$D/rsb.log" 2>/dev/null | tail -n 20)"
	diag "lines received that are not RFC 5424 from tracee:"
	diag "$(received | awk -F'|' '$2 != "1" || $3 != "tracee"' | cut -c 1-300 | head -n 5)"
}
hits 1 40
# A loaded build host (a package build runs the suite with -j) is slow.
wait_for 60 all_arrived 40 imuxsock udp tcp tls || why_missing
for i in imuxsock udp tcp tls; do
	is "$(count $i)" 40 "$i: all 40 findings arrived"
done
line=$(received | grep "^tls|" | grep -F "|$D/hit-7.sink-hit|" | head -n 1)
like "$line" "^tls\|1\|tracee\|TEST-SINK\|err\|TEST-SINK\|sink_hit\|2\|security_file_open\|[0-9]+\|$D/hit-7.sink-hit\|\{" \
	"rsyslog parsed RFC 5424: version 1, app tracee, MSGID, severity, the finding's and the event's SD"
printf '%s\n' "$line" | cut -d'|' -f12- | python3 -c '
import json, sys
d = json.loads(sys.stdin.read())
assert d["eventName"] == "sink_hit", d["eventName"]
assert d["metadata"]["Properties"]["signatureID"] == "TEST-SINK"
'
ok $? "the message is the finding as Tracee's JSON"
bad=$(received | awk -F'|' '$2 != "1" || $3 != "tracee" || $6 != "TEST-SINK"' | head -n 3)
is "$bad" "" "every message received was parsed as RFC 5424 with its structured data" || why_missing

# --- 2. B goes away and comes back -----------------------------------------
bg_stop rsb
ok $? "rsyslogd B stopped"
hits 41 70	# while B is away: queued by the TCP and TLS sinks
sleep 1
rs_start b
ok $? "rsyslogd B started again"
hits 71 100
wait_for 30 all_arrived 100 tcp tls
wait_for 10 all_arrived 100 imuxsock udp
stop
is "$?" 0 "tracee exits 0 on SIGINT"
is "$(grep -c '"eventName":"sink_hit"' "$D/run.json")" 100 "the JSON file output has all 100 findings"
for i in tcp tls; do
	case $i in
	tcp) spec="syslog:tcp://127.0.0.1:$TCP" ;;
	*) spec="syslog:tls://localhost:$TLS" ;;
	esac
	st=$(grep -F "output $spec: written" "$D/run.err")
	lost=$(printf '%s\n' "$st" | sed -n 's/.* lost \([0-9]*\) .*/\1/p')
	rec=$(printf '%s\n' "$st" | sed -n 's/.*reconnects or retries \([0-9]*\).*/\1/p')
	got=$(count $i)
	is "$((got + ${lost:-999}))" 100 "$i: received ($got) and counted as lost (${lost:-?}) add up to every finding"
	[ "${rec:-0}" -ge 1 ]
	ok $? "$i: tracee reconnected ($rec) after the receiver came back"
done
like "$(cat "$D/run.err")" "syslog:tcp://127.0.0.1:$TCP: cannot send: .*retrying with back-off" \
	"the outage was reported once, with what tracee does about it"
like "$(cat "$D/run.err")" "syslog:tcp://127.0.0.1:$TCP: connected again after [0-9]+ ms" \
	"and its end"

# --- 3. a receiver whose certificate another CA signed -----------------------
if start badca -s "$SIG" --signatures TEST-SINK -o "syslog:tls://localhost:$TLS" \
	-o "option:syslog-ca=$D/otherca.pem" -o "option:syslog-cert=$D/cli.pem" \
	-o "option:syslog-key=$D/cli-key.pem"; then
	hits 101 103
	wait_for 10 grep -q "not trusted" "$D/badca.err"
	stop
	like "$(cat "$D/badca.err")" "syslog:tls://localhost:$TLS: cannot send: TLS: the receiver's certificate is not trusted.*option:syslog-ca" \
		"an untrusted receiver certificate is refused, naming the option to fix"
	like "$(cat "$D/badca.err")" "syslog:tls://localhost:$TLS: written 0, lost 3 " \
		"what could not be sent is counted"
	[ "$(received | grep -c -E "/hit-10[123]\.sink-hit")" = 0 ]
	ok $? "nothing went to the untrusted receiver"
else
	ok 1 "tracee starts with an untrusted CA"
fi

# --- 4. bad destinations: one line, non-zero, nothing started ----------------
for bad in "syslog:ftp://x" "syslog:tcp://127.0.0.1:99999" "syslog:udp://:514" \
	"syslog:unix:relative/path" "syslogx"; do
	out=$("$TRACEE" -o "$bad" 2>&1)
	st=$?
	[ $st -ne 0 ] && [ "$(printf '%s\n' "$out" | grep -c .)" = 1 ]
	ok $? "-o $bad: refused in one line (exit $st): $out"
done
out=$("$TRACEE" -o syslog:tls://localhost:1 -o "option:syslog-cert=$D/cli.pem" \
	-o "option:syslog-ca=$D/ca.pem" -s "$SIG" --signatures TEST-SINK 2>&1)
like "$out" "needs both option:syslog-cert=FILE and option:syslog-key=FILE" \
	"a client certificate without its key is refused"
done_testing
