# Sourced by test_tls.sh after lib.sh: a throwaway PKI made by openssl and an
# nginx (Debian nginx-light) on loopback that terminates TLS in front of the
# stack's Connect.  Everything lives in $TLS (under the test's temp dir) and
# is deleted with it; nothing generated here is ever committed.
#
# tls_pki: CA, a second CA (rogue), server certs for 127.0.0.1 (good, wrong
#   host, expired), a client cert from the CA and one from the rogue CA.
# tls_nginx_start PASSWORD: one server block per case, ports in $PORT_*:
#   PORT_TLS     TLS only
#   PORT_MTLS    TLS + client certificate required (ssl_verify_client on)
#   PORT_AUTH    TLS + basic auth (user reltest, PASSWORD)
#   PORT_ALL     TLS + client certificate + basic auth
#   PORT_WRONGHOST  a certificate for another host name
#   PORT_EXPIRED    an expired certificate
TLS="$FX_TMP/tls"
NGINX_PID=

tls_pki() {
	local d=$TLS
	mkdir -p "$d/ca" "$d/tmp"
	chmod 700 "$d"
	local ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
	# shellcheck disable=SC2086
	{
		openssl req -x509 "${ec[@]}" -keyout "$d/ca.key" -out "$d/ca.pem" -days 2 -subj "/CN=reltest CA" &&
			openssl req -x509 "${ec[@]}" -keyout "$d/rogue-ca.key" -out "$d/rogue-ca.pem" -days 2 -subj "/CN=reltest rogue CA" &&
			tls_leaf server "/CN=127.0.0.1" "subjectAltName=IP:127.0.0.1,DNS:localhost" serverAuth ca &&
			tls_leaf wronghost "/CN=wrong.example" "subjectAltName=DNS:wrong.example" serverAuth ca &&
			tls_leaf client "/CN=reltest-client" "" clientAuth ca &&
			tls_leaf rogue-client "/CN=reltest-client" "" clientAuth rogue-ca &&
			tls_expired
	} >"$d/openssl.log" 2>&1
}

# tls_leaf NAME SUBJECT SAN EKU ISSUER
tls_leaf() {
	local d=$TLS
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$d/$1.key" \
		-out "$d/$1.csr" -subj "$2" || return 1
	{ [ -n "$3" ] && echo "$3"; echo "extendedKeyUsage=$4"; echo "basicConstraints=CA:FALSE"; } >"$d/$1.ext"
	openssl x509 -req -in "$d/$1.csr" -CA "$d/$5.pem" -CAkey "$d/$5.key" -CAcreateserial \
		-out "$d/$1.pem" -days 2 -extfile "$d/$1.ext"
}

# A server certificate that expired yesterday (openssl ca can set the dates).
tls_expired() {
	local d=$TLS
	: >"$d/ca/index.txt"
	echo 1000 >"$d/ca/serial"
	cat >"$d/ca/ca.cnf" <<EOF
[ca]
default_ca = reltest
[reltest]
dir = $d/ca
database = $d/ca/index.txt
serial = $d/ca/serial
new_certs_dir = $d/ca
certificate = $d/ca.pem
private_key = $d/ca.key
default_md = sha256
policy = anything
copy_extensions = none
[anything]
commonName = supplied
[ext]
subjectAltName = IP:127.0.0.1,DNS:localhost
extendedKeyUsage = serverAuth
EOF
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$d/expired.key" \
		-out "$d/expired.csr" -subj "/CN=127.0.0.1" || return 1
	openssl ca -batch -config "$d/ca/ca.cnf" -extensions ext -in "$d/expired.csr" -out "$d/expired.pem" \
		-startdate "$(date -u -d '-3 days' +%y%m%d%H%M%SZ)" -enddate "$(date -u -d '-1 day' +%y%m%d%H%M%SZ)"
}

free_ports() { # free_ports N: N distinct free loopback ports
	python3 -c '
import socket, sys
ss = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in ss: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))' "$1"
}

tls_nginx_start() {
	local d=$TLS pw=$1 up=${FLUXACDC_CONNECT_URL#http://} ports
	read -r PORT_TLS PORT_MTLS PORT_AUTH PORT_ALL PORT_WRONGHOST PORT_EXPIRED <<<"$(free_ports 6)"
	printf 'reltest:%s\n' "$(openssl passwd -apr1 "$pw")" >"$d/htpasswd"
	local common="ssl_protocols TLSv1.2 TLSv1.3; location / { proxy_pass http://connect; proxy_set_header Authorization \"\"; proxy_read_timeout 120s; }"
	cat >"$d/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $d/nginx.pid;
error_log $d/error.log info;
events { worker_connections 128; }
http {
  access_log $d/access.log;
  client_body_temp_path $d/tmp/body;
  proxy_temp_path $d/tmp/proxy;
  fastcgi_temp_path $d/tmp/fastcgi;
  uwsgi_temp_path $d/tmp/uwsgi;
  scgi_temp_path $d/tmp/scgi;
  upstream connect { server $up; }
  server { listen 127.0.0.1:$PORT_TLS ssl; ssl_certificate $d/server.pem; ssl_certificate_key $d/server.key; $common }
  server { listen 127.0.0.1:$PORT_MTLS ssl; ssl_certificate $d/server.pem; ssl_certificate_key $d/server.key;
           ssl_client_certificate $d/ca.pem; ssl_verify_client on; $common }
  server { listen 127.0.0.1:$PORT_AUTH ssl; ssl_certificate $d/server.pem; ssl_certificate_key $d/server.key;
           auth_basic "reltest"; auth_basic_user_file $d/htpasswd; $common }
  server { listen 127.0.0.1:$PORT_ALL ssl; ssl_certificate $d/server.pem; ssl_certificate_key $d/server.key;
           ssl_client_certificate $d/ca.pem; ssl_verify_client on;
           auth_basic "reltest"; auth_basic_user_file $d/htpasswd; $common }
  server { listen 127.0.0.1:$PORT_WRONGHOST ssl; ssl_certificate $d/wronghost.pem; ssl_certificate_key $d/wronghost.key; $common }
  server { listen 127.0.0.1:$PORT_EXPIRED ssl; ssl_certificate $d/expired.pem; ssl_certificate_key $d/expired.key; $common }
}
EOF
	local nginx
	nginx=$(command -v nginx || echo /usr/sbin/nginx)
	"$nginx" -p "$d" -e "$d/error.log" -c "$d/nginx.conf" >"$d/nginx.out" 2>&1 &
	NGINX_PID=$!
	local deadline=$((SECONDS + 30)) # nginx answers, or died (a busy machine: 30 s)
	while [ $SECONDS -lt $deadline ]; do
		curl -s -o /dev/null --cacert "$d/ca.pem" "https://127.0.0.1:$PORT_TLS/" && return 0
		kill -0 "$NGINX_PID" 2>/dev/null || break
		sleep 0.05
	done
	cat "$d/nginx.out" "$d/error.log" 2>/dev/null | tail -5
	return 1
}

tls_nginx_stop() {
	[ -n "$NGINX_PID" ] || return 0
	kill "$NGINX_PID" 2>/dev/null
	wait "$NGINX_PID" 2>/dev/null
	NGINX_PID=
}
