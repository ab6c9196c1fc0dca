#!/usr/bin/env bash
# fluxacdc local test stack: MariaDB + Kafka (KRaft) + Kafka Connect with Debezium.
# No Docker: Debian packages for MariaDB, Maven Central jars for Kafka and Debezium,
# every process bound to 127.0.0.1 and owned by this script through pid files.
#
#   tests/stack/stack.sh up|down|status|env|logs [SERVICE] [LINES]|clean
#   tests/stack/stack.sh sql [mariadb options] ['STATEMENT']   (as fluxa_admin; stdin if no statement)
#   tests/stack/stack.sh restart-connect|stop-connect|start-connect
#   tests/stack/stack.sh stop-kafka|start-kafka                  (the broker alone; Connect waits it out)
#   tests/stack/stack.sh start-connect2|stop-connect2            (2nd worker, same group)
#   tests/stack/stack.sh kafka-topics ARGS...                    (org.apache.kafka.tools.TopicCommand)
#
# Environment (all optional):
#   FLUXACDC_STACK_PROFILE        current (default): Kafka + Connect 4.1.1, Debezium 3.5.0.Final
#                                 3.9: Kafka + Connect 3.9.1, Debezium 3.2.0.Final
#   FLUXACDC_STACK_DIR            run dir (default: <repo>/.stack)
#   FLUXACDC_STACK_MYSQL_PORT     13306
#   FLUXACDC_STACK_KAFKA_PORT     19092     FLUXACDC_STACK_CONTROLLER_PORT 19093
#   FLUXACDC_STACK_KAFKA_SASL_PORT kafka+2 (SASL_PLAINTEXT)  FLUXACDC_STACK_KAFKA_SASL_SSL_PORT kafka+3 (SASL_SSL)
#   FLUXACDC_STACK_CONNECT_PORT   18083     FLUXACDC_STACK_CONNECT2_PORT   18084
#   FLUXACDC_STACK_TIMEOUT        seconds to wait for each service (default 120)
#   FLUXACDC_STACK_NO_APT=1       never apt-get install missing tools, fail instead
# See tests/stack/README.md.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
RUN=${FLUXACDC_STACK_DIR:-$ROOT/.stack}
case $RUN in /*) ;; *) RUN=$PWD/$RUN ;; esac
RUN=${RUN%/}

H=127.0.0.1
MYSQL_PORT=${FLUXACDC_STACK_MYSQL_PORT:-13306}
KAFKA_PORT=${FLUXACDC_STACK_KAFKA_PORT:-19092}
CONTROLLER_PORT=${FLUXACDC_STACK_CONTROLLER_PORT:-19093}
KAFKA_SASL_PORT=${FLUXACDC_STACK_KAFKA_SASL_PORT:-$((KAFKA_PORT + 2))}
KAFKA_SASL_SSL_PORT=${FLUXACDC_STACK_KAFKA_SASL_SSL_PORT:-$((KAFKA_PORT + 3))}
CONNECT_PORT=${FLUXACDC_STACK_CONNECT_PORT:-18083}
CONNECT2_PORT=${FLUXACDC_STACK_CONNECT2_PORT:-18084}
TIMEOUT=${FLUXACDC_STACK_TIMEOUT:-120}
PROFILE=${FLUXACDC_STACK_PROFILE:-current}
case $PROFILE in
current | 3.9) ;;
*) printf 'stack: error: FLUXACDC_STACK_PROFILE=%s: want current or 3.9\n' "$PROFILE" >&2; exit 64 ;;
esac

DB=fluxa
CDC_USER=fluxa_cdc
CDC_PW=fluxa-cdc-pw
ADMIN_USER=fluxa_admin
ADMIN_PW=fluxa-admin-pw
CONNECT_GROUP=fluxa-connect
# SASL/PLAIN user of the broker's SASL_PLAINTEXT and SASL_SSL listeners
KAFKA_SASL_USER=fluxa_tail
KAFKA_SASL_PW=fluxa-tail-pw
MARIADB_CLASS=io.debezium.connector.mariadb.MariaDbConnector
MYSQL_CLASS=io.debezium.connector.mysql.MySqlConnector

CONF=$RUN/conf
KAFKA_TLS=$CONF/kafka-tls
LOGS=$RUN/logs
PIDS=$RUN/run
SOCK=$RUN/mysql/mysql.sock
MYSQL_DATA=$RUN/mysql/data
# Each profile has its own jars and its own Kafka data (a log dir formatted by
# Kafka 4.1 is not for a 3.9 broker; Connect's state lives in Kafka): switching
# profiles in one run dir mixes neither.  MariaDB is shared.
JARS=$RUN/jars/$PROFILE
LIB=$JARS/lib
PLUGINS=$JARS/plugins
JAR_STAMP=$JARS/.stamp
KAFKA_DATA=$RUN/kafka/$PROFILE/data

JAVA=java
ME=$(id -un)

say() { printf 'stack: %s\n' "$*" >&2; }
die() { printf 'stack: error: %s\n' "$*" >&2; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# ---------------------------------------------------------------- dependencies

have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/usr/bin/$1" ]; }

java_major() { # java binary -> major version, 0 when unknown
	"$1" -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]) + 0; exit }' || echo 0
}

find_java() {
	local cand
	for cand in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java 2>/dev/null || true)" \
		/usr/lib/jvm/java-17-openjdk-*/bin/java /usr/lib/jvm/java-2[0-9]-openjdk-*/bin/java; do
		[ -n "$cand" ] && [ -x "$cand" ] || continue
		if [ "$(java_major "$cand")" -ge 17 ]; then JAVA=$cand; return 0; fi
	done
	return 1
}

ensure_deps() {
	local need=() sudo=
	have mariadbd || need+=(mariadb-server)
	have mariadb-install-db || need+=(mariadb-server)
	have mariadb || need+=(mariadb-client)
	have mariadb-admin || need+=(mariadb-client)
	have kcat || need+=(kcat)
	have jq || need+=(jq)
	have curl || need+=(curl)
	have mvn || need+=(maven)
	find_java || need+=(openjdk-17-jre-headless)
	have setsid && have flock || need+=(util-linux)
	have openssl || need+=(openssl)
	[ ${#need[@]} -eq 0 ] && return 0
	mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u)
	[ "${FLUXACDC_STACK_NO_APT:-}" = 1 ] && die "missing packages: ${need[*]} (FLUXACDC_STACK_NO_APT=1)"
	if [ "$(id -u)" -ne 0 ]; then
		have sudo || die "missing packages: ${need[*]}; not root and no sudo"
		sudo="sudo -n"
	fi
	say "installing missing packages: ${need[*]}"
	# dpkg -s guards against a PATH without /usr/sbin: only fetch what is really absent
	local pkg missing=()
	for pkg in "${need[@]}"; do
		dpkg -s "$pkg" >/dev/null 2>&1 && [ "$pkg" != openjdk-17-jre-headless ] || missing+=("$pkg")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
		$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
	fi
	find_java || die "no java >= 17 found after installing openjdk-17-jre-headless"
}

# ---------------------------------------------------------------- jars

# A profile's lib/ and plugins/ are complete when its stamp holds the pom's hash
# and the profile's name: a warm `up` does not run maven at all.
ensure_jars() {
	local want have_=
	want="$(sha256sum "$HERE/pom.xml" | cut -d' ' -f1) $PROFILE"
	[ -f "$JAR_STAMP" ] && have_=$(cat "$JAR_STAMP")
	if [ "$want" = "$have_" ] && ls "$LIB"/kafka_2.13-*.jar >/dev/null 2>&1 &&
		[ -d "$PLUGINS/debezium-connector-mariadb" ] && [ -d "$PLUGINS/debezium-connector-mysql" ]; then
		return 0
	fi
	local t0; t0=$(now)
	# jars of the layout before profiles (one lib/ at the top of the run dir)
	rm -rf "$RUN/lib" "$RUN/plugins" "$RUN/maven-target" "$RUN/.jars.sha256"
	say "fetching jars of profile $PROFILE with maven (tests/stack/pom.xml) into $JARS"
	rm -rf "$JARS"
	mkdir -p "$LOGS" "$JARS"
	if ! mvn -B -q -f "$HERE/pom.xml" -P "$PROFILE" -Djars.dir="$JARS" generate-resources >"$LOGS/maven.log" 2>&1; then
		tail -n 40 "$LOGS/maven.log" >&2
		die "maven failed (full log: $LOGS/maven.log)"
	fi
	rm -rf "$JARS/maven-target"
	echo "$want" >"$JAR_STAMP"
	say "jars ready in $(elapsed "$t0") s"
}

# ---------------------------------------------------------------- processes

pidfile() { echo "$PIDS/$1.pid"; }
logfile() { echo "$LOGS/$1.log"; }
marker() { echo "$CONF/$1."; } # every service's command line names its own config file

# pid of a running service started by this run dir, or failure.
svc_pid() {
	local f pid state
	f=$(pidfile "$1")
	[ -f "$f" ] || return 1
	pid=$(cat "$f" 2>/dev/null) || return 1
	[[ "$pid" =~ ^[0-9]+$ ]] || return 1
	[ -r "/proc/$pid/cmdline" ] || return 1
	state=$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null) || return 1
	[ "$state" != Z ] || return 1
	tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$(marker "$1")" || return 1
	echo "$pid"
}

port_busy() { (exec 3<>"/dev/tcp/$H/$1") 2>/dev/null; }

# start_bg SERVICE CMD... : new session, own pid file written by the process itself.
start_bg() {
	local svc=$1 f log i
	shift
	f=$(pidfile "$svc")
	log=$(logfile "$svc")
	rm -f "$f"
	[ -f "$log" ] && mv -f "$log" "$log.1"
	# shellcheck disable=SC2016
	setsid -f bash -c 'echo $$ >"$0"; exec "$@"' "$f" "$@" >"$log" 2>&1 </dev/null 9>&-
	for i in $(seq 1 100); do
		[ -s "$f" ] && return 0
		sleep 0.05
	done
	die "$svc: did not start (see $log)"
}

# stop_svc SERVICE [SIGNAL] [TIMEOUT]: signal, wait, then KILL.
stop_svc() {
	local svc=$1 sig=${2:-TERM} t=${3:-30} pid i
	if ! pid=$(svc_pid "$svc"); then
		rm -f "$(pidfile "$svc")"
		return 0
	fi
	say "stopping $svc (pid $pid, SIG$sig)"
	kill -"$sig" "$pid" 2>/dev/null || true
	for i in $(seq 1 $((t * 10))); do
		svc_pid "$svc" >/dev/null || break
		sleep 0.1
	done
	if svc_pid "$svc" >/dev/null; then
		say "$svc (pid $pid) still running after ${t}s: SIGKILL"
		kill -KILL "$pid" 2>/dev/null || true
		for i in $(seq 1 50); do svc_pid "$svc" >/dev/null || break; sleep 0.1; done
	fi
	svc_pid "$svc" >/dev/null && die "$svc (pid $pid) would not die"
	rm -f "$(pidfile "$svc")"
}

# wait_port_free PORT: a port a service of ours just left may take a moment:
# svc_pid counts a zombie as gone, but a killed JVM's main thread turns zombie
# while its other threads still hold the listening socket (and PID 1 here may
# be slow to reap), so a restart waits for the port itself, 10 s at most.
wait_port_free() {
	local i
	for i in $(seq 1 100); do port_busy "$1" || return 0; sleep 0.1; done
	return 1
}

# wait_for SERVICE DESCRIPTION CHECK-FUNCTION: poll until the check passes.
wait_for() {
	local svc=$1 what=$2 check=$3 deadline
	deadline=$(($(date +%s) + TIMEOUT))
	until $check; do
		if ! svc_pid "$svc" >/dev/null; then
			say "$svc died while waiting for $what; last log lines:"
			tail -n 60 "$(logfile "$svc")" >&2 || true
			die "$svc failed to start"
		fi
		if [ "$(date +%s)" -ge "$deadline" ]; then
			say "$svc: no $what after ${TIMEOUT}s; last log lines:"
			tail -n 60 "$(logfile "$svc")" >&2 || true
			die "$svc not ready"
		fi
		sleep 0.3
	done
}

# ---------------------------------------------------------------- configs

# The broker's TLS key and certificate for SASL_SSL, signed by a CA of this
# run dir only (made once; clients trust $KAFKA_TLS/ca.pem).
write_kafka_tls() {
	[ -s "$KAFKA_TLS/broker.pem" ] && [ -s "$KAFKA_TLS/ca.pem" ] && return 0
	local d=$KAFKA_TLS
	mkdir -p "$d"
	chmod 700 "$d"
	{
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
			-keyout "$d/ca.key" -out "$d/ca.pem" -subj "/CN=fluxacdc test stack CA" &&
			openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
				-keyout "$d/broker.key" -out "$d/broker.csr" -subj "/CN=$H" &&
			printf 'subjectAltName=IP:%s,DNS:localhost\nextendedKeyUsage=serverAuth\n' "$H" >"$d/broker.ext" &&
			openssl x509 -req -in "$d/broker.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial \
				-days 3650 -out "$d/broker.crt" -extfile "$d/broker.ext" &&
			cat "$d/broker.key" "$d/broker.crt" >"$d/broker.pem"
	} >"$LOGS/kafka-tls.log" 2>&1 || die "openssl failed making the broker's certificate (see $LOGS/kafka-tls.log)"
}

write_configs() {
	mkdir -p "$CONF" "$LOGS" "$PIDS" "$RUN/mysql" "$KAFKA_DATA"
	write_kafka_tls
	local user_line=
	[ "$(id -u)" -eq 0 ] && user_line="user=root"
	cat >"$CONF/mariadb.cnf" <<EOF
# generated by tests/stack/stack.sh; read by mariadbd via --defaults-file only
[mysqld]
$user_line
datadir=$MYSQL_DATA
socket=$SOCK
pid-file=$RUN/mysql/mariadbd.pid
log-error=$LOGS/mariadb.log
port=$MYSQL_PORT
bind-address=$H
skip-name-resolve
skip-host-cache
character-set-server=utf8mb4
collation-server=utf8mb4_unicode_ci
innodb_buffer_pool_size=64M
innodb_log_file_size=32M
innodb_flush_log_at_trx_commit=2
sync_binlog=0
# what Debezium needs
log_bin=$MYSQL_DATA/mariadb-bin
binlog_format=ROW
binlog_row_image=FULL
server_id=1
binlog_expire_logs_seconds=604800
EOF

	cat >"$CONF/kafka.properties" <<EOF
# generated by tests/stack/stack.sh: single node KRaft, broker + controller
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$H:$CONTROLLER_PORT
listeners=PLAINTEXT://$H:$KAFKA_PORT,CONTROLLER://$H:$CONTROLLER_PORT,SASL_PLAINTEXT://$H:$KAFKA_SASL_PORT,SASL_SSL://$H:$KAFKA_SASL_SSL_PORT
advertised.listeners=PLAINTEXT://$H:$KAFKA_PORT,SASL_PLAINTEXT://$H:$KAFKA_SASL_PORT,SASL_SSL://$H:$KAFKA_SASL_SSL_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL
# clients that authenticate (tail's SASL tests): SASL/PLAIN, in clear and over TLS
sasl.enabled.mechanisms=PLAIN
listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_$KAFKA_SASL_USER="$KAFKA_SASL_PW";
listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_$KAFKA_SASL_USER="$KAFKA_SASL_PW";
listener.name.sasl_ssl.ssl.keystore.type=PEM
listener.name.sasl_ssl.ssl.keystore.location=$KAFKA_TLS/broker.pem
log.dirs=$KAFKA_DATA
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=5
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=5
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
delete.topic.enable=true
log.retention.hours=168
log.segment.bytes=67108864
EOF

	cat >"$CONF/kafka-log4j.properties" <<'EOF'
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.request.logger=WARN
log4j.logger.org.apache.zookeeper=WARN
log4j.logger.kafka.log.LogCleaner=WARN
log4j.logger.org.apache.kafka.storage.internals.log=WARN
log4j.logger.kafka.log=WARN
EOF

	local n port
	for n in 1 2; do
		if [ $n = 1 ]; then port=$CONNECT_PORT; f=connect; else port=$CONNECT2_PORT; f=connect2; fi
		cat >"$CONF/$f.properties" <<EOF
# generated by tests/stack/stack.sh: Kafka Connect distributed worker $n of group $CONNECT_GROUP
bootstrap.servers=$H:$KAFKA_PORT
group.id=$CONNECT_GROUP
key.converter=org.apache.kafka.connect.json.JsonConverter
value.converter=org.apache.kafka.connect.json.JsonConverter
key.converter.schemas.enable=true
value.converter.schemas.enable=true
config.storage.topic=$CONNECT_GROUP-configs
config.storage.replication.factor=1
offset.storage.topic=$CONNECT_GROUP-offsets
offset.storage.replication.factor=1
offset.storage.partitions=5
status.storage.topic=$CONNECT_GROUP-status
status.storage.replication.factor=1
status.storage.partitions=5
offset.flush.interval.ms=2000
listeners=http://$H:$port
rest.advertised.host.name=$H
rest.advertised.port=$port
rest.advertised.listener=http
plugin.path=$PLUGINS
# Debezium and Kafka jars carry ServiceLoader manifests: no reflective classpath scan
plugin.discovery=service_load
# a killed worker's tasks move on after 10 s instead of the default 5 min
scheduled.rebalance.max.delay.ms=10000
EOF
	done

	cat >"$CONF/connect-log4j.properties" <<'EOF'
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %X{connector.context}%m (%c:%L)%n
log4j.logger.org.reflections=ERROR
log4j.logger.org.apache.kafka.clients.consumer.ConsumerConfig=WARN
log4j.logger.org.apache.kafka.clients.producer.ProducerConfig=WARN
log4j.logger.org.apache.kafka.clients.admin.AdminClientConfig=WARN
log4j.logger.org.apache.kafka.common.utils.AppInfoParser=WARN
log4j.logger.org.eclipse.jetty=WARN
EOF

	cat >"$CONF/tools-log4j.properties" <<'EOF'
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF

	# Kafka 4 logs through log4j2: the same settings in its format (XML needs
	# nothing beyond log4j-core)
	log4j2_xml INFO '[%d] %p %m (%c)%n' SYSTEM_OUT \
		state.change.logger=WARN kafka.request.logger=WARN kafka.log.LogCleaner=WARN \
		org.apache.kafka.storage.internals.log=WARN kafka.log=WARN >"$CONF/kafka-log4j2.xml"
	log4j2_xml INFO '[%d] %p %X{connector.context}%m (%c:%L)%n' SYSTEM_OUT \
		org.reflections=ERROR org.apache.kafka.clients.consumer.ConsumerConfig=WARN \
		org.apache.kafka.clients.producer.ProducerConfig=WARN org.apache.kafka.clients.admin.AdminClientConfig=WARN \
		org.apache.kafka.common.utils.AppInfoParser=WARN org.eclipse.jetty=WARN >"$CONF/connect-log4j2.xml"
	log4j2_xml WARN '[%d] %p %m (%c)%n' SYSTEM_ERR >"$CONF/tools-log4j2.xml"
}

# log4j2_xml ROOT-LEVEL PATTERN TARGET [LOGGER=LEVEL...]: a log4j2 XML config
log4j2_xml() {
	local root=$1 pattern=$2 target=$3 l
	shift 3
	cat <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<!-- generated by tests/stack/stack.sh -->
<Configuration status="WARN">
  <Appenders>
    <Console name="console" target="$target"><PatternLayout pattern="$pattern"/></Console>
  </Appenders>
  <Loggers>
EOF
	for l in "$@"; do printf '    <Logger name="%s" level="%s"/>\n' "${l%%=*}" "${l#*=}"; done
	cat <<EOF
    <Root level="$root"><AppenderRef ref="console"/></Root>
  </Loggers>
</Configuration>
EOF
}

# log_opt kafka|connect|tools: the JVM option that points the profile's
# logging library at its config file
log_opt() {
	case $PROFILE in
	3.9) echo "-Dlog4j.configuration=file:$CONF/$1-log4j.properties" ;;
	*) echo "-Dlog4j2.configurationFile=$CONF/$1-log4j2.xml" ;;
	esac
}

JVM_OPTS=(-Xms128m -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true
	-Djava.net.preferIPv4Stack=true -XX:+ExitOnOutOfMemoryError)

# ---------------------------------------------------------------- MariaDB

mysql_admin() { # as the OS user through unix_socket auth (bootstrap only)
	mariadb --no-defaults --socket="$SOCK" -u "$ME" "$@"
}

setup_sql() {
	local u
	echo "CREATE DATABASE IF NOT EXISTS \`$DB\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
	for u in "'$CDC_USER'@'127.0.0.1'" "'$CDC_USER'@'localhost'"; do
		cat <<EOF
CREATE USER IF NOT EXISTS $u IDENTIFIED BY '$CDC_PW';
ALTER USER $u IDENTIFIED BY '$CDC_PW';
REVOKE ALL PRIVILEGES, GRANT OPTION FROM $u;
GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, BINLOG MONITOR ON *.* TO $u;
EOF
	done
	for u in "'$ADMIN_USER'@'127.0.0.1'" "'$ADMIN_USER'@'localhost'"; do
		cat <<EOF
CREATE USER IF NOT EXISTS $u IDENTIFIED BY '$ADMIN_PW';
ALTER USER $u IDENTIFIED BY '$ADMIN_PW';
GRANT ALL PRIVILEGES ON *.* TO $u WITH GRANT OPTION;
EOF
	done
	cat <<EOF
CREATE TABLE IF NOT EXISTS \`$DB\`.UserEntity (
  ID bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,
  Name varchar(100) NULL,
  Email varchar(200) NULL,
  Balance decimal(12,2) NULL,
  CreatedAt datetime(3) NULL,
  Meta json NULL,
  Avatar blob NULL
) ENGINE=InnoDB;
CREATE TABLE IF NOT EXISTS \`$DB\`.OrderEntity (
  ID bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,
  UserID bigint unsigned NULL,
  Total decimal(10,2) NULL,
  Status varchar(20) NULL
) ENGINE=InnoDB;
FLUSH PRIVILEGES;
EOF
}

start_mariadb() {
	if svc_pid mariadb >/dev/null; then return 0; fi
	port_busy "$MYSQL_PORT" && die "port $H:$MYSQL_PORT is in use by a process this stack did not start"
	if [ ! -d "$MYSQL_DATA/mysql" ]; then
		say "mariadb: initialising $MYSQL_DATA"
		rm -rf "$MYSQL_DATA" "$RUN/mysql/setup.sha256"
		mkdir -p "$MYSQL_DATA"
		if ! mariadb-install-db --defaults-file="$CONF/mariadb.cnf" --auth-root-authentication-method=socket \
			--auth-root-socket-user="$ME" --skip-test-db >"$LOGS/mariadb-install.log" 2>&1; then
			tail -n 40 "$LOGS/mariadb-install.log" >&2
			die "mariadb-install-db failed"
		fi
	fi
	rm -f "$SOCK"
	start_bg mariadb "$(PATH=$PATH:/usr/sbin command -v mariadbd)" --defaults-file="$CONF/mariadb.cnf"
}

mariadb_pingable() { mariadb-admin --no-defaults --socket="$SOCK" -u "$ME" --connect-timeout=2 ping >/dev/null 2>&1; }
mariadb_sql_ready() {
	mariadb --no-defaults -h "$H" -P "$MYSQL_PORT" -u "$CDC_USER" -p"$CDC_PW" --connect-timeout=2 \
		-N -e 'SELECT 1' "$DB" >/dev/null 2>&1
}

ready_mariadb() {
	wait_for mariadb "socket ping" mariadb_pingable
	local want
	want=$(setup_sql | sha256sum | cut -d' ' -f1)
	if [ "$(cat "$RUN/mysql/setup.sha256" 2>/dev/null)" != "$want" ]; then
		setup_sql | mysql_admin || die "mariadb: setup SQL failed"
		echo "$want" >"$RUN/mysql/setup.sha256"
	fi
	wait_for mariadb "SQL as $CDC_USER over TCP" mariadb_sql_ready
}

# ---------------------------------------------------------------- Kafka

start_kafka() {
	if svc_pid kafka >/dev/null; then return 0; fi
	wait_port_free "$KAFKA_PORT" || die "port $H:$KAFKA_PORT is in use by a process this stack did not start"
	wait_port_free "$CONTROLLER_PORT" || die "port $H:$CONTROLLER_PORT is in use by a process this stack did not start"
	wait_port_free "$KAFKA_SASL_PORT" || die "port $H:$KAFKA_SASL_PORT is in use by a process this stack did not start"
	wait_port_free "$KAFKA_SASL_SSL_PORT" || die "port $H:$KAFKA_SASL_SSL_PORT is in use by a process this stack did not start"
	if [ ! -f "$KAFKA_DATA/meta.properties" ]; then
		local id
		# a cluster id is 16 random bytes, base64url without padding (what `random-uuid` prints);
		# one in 64 starts with '-', so it is passed as --cluster-id=ID, never as a separate word
		id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
		say "kafka: formatting $KAFKA_DATA (cluster id $id)"
		if ! "$JAVA" "${JVM_OPTS[@]}" "$(log_opt kafka)" -cp "$LIB/*" \
			kafka.tools.StorageTool format --cluster-id="$id" -c "$CONF/kafka.properties" >"$LOGS/kafka-format.log" 2>&1; then
			cat "$LOGS/kafka-format.log" >&2
			die "kafka storage format failed"
		fi
	fi
	start_bg kafka "$JAVA" "${JVM_OPTS[@]}" -Dfluxacdc.stack=kafka \
		"$(log_opt kafka)" -Dkafka.logs.dir="$LOGS" \
		-cp "$LIB/*" kafka.Kafka "$CONF/kafka.properties"
	kafka_conf_hash >"$PIDS/kafka.conf.sha256"
	echo "$PROFILE" >"$PIDS/kafka.profile"
}

kafka_conf_hash() { sha256sum "$CONF/kafka.properties" | cut -d' ' -f1; }

# A broker started from an older kafka.properties (e.g. before the SASL
# listeners existed) is restarted by `up`, so that the stack matches this script.
restart_kafka_if_stale() {
	svc_pid kafka >/dev/null || return 0
	[ "$(cat "$PIDS/kafka.conf.sha256" 2>/dev/null)" = "$(kafka_conf_hash)" ] && return 0
	say "kafka: its configuration changed since it started: restarting it"
	stop_svc kafka TERM 45
}

kafka_ready() {
	kcat -b "$H:$KAFKA_PORT" -L -J -m 2 2>/dev/null | jq -e '.brokers | length >= 1' >/dev/null 2>&1
}
ready_kafka() { wait_for kafka "broker metadata" kafka_ready; }

# ---------------------------------------------------------------- Connect

connect_port_of() { if [ "$1" = connect2 ]; then echo "$CONNECT2_PORT"; else echo "$CONNECT_PORT"; fi; }

start_connect_svc() { # connect | connect2
	local svc=$1 port
	port=$(connect_port_of "$svc")
	if svc_pid "$svc" >/dev/null; then return 0; fi
	wait_port_free "$port" || die "port $H:$port is in use by a process this stack did not start"
	start_bg "$svc" "$JAVA" "${JVM_OPTS[@]}" -Dfluxacdc.stack="$svc" \
		"$(log_opt connect)" \
		-cp "$LIB/*" org.apache.kafka.connect.cli.ConnectDistributed "$CONF/$svc.properties"
	echo "$PROFILE" >"$PIDS/$svc.profile"
}

CHECK_PORT=
connect_rest_ready() {
	local url="http://$H:$CHECK_PORT" code
	curl -fsS -m 3 "$url/" >/dev/null 2>&1 || return 1
	# /health (Kafka 3.9, KIP-1017) answers 200 once the worker has joined its group
	code=$(curl -s -o /dev/null -w '%{http_code}' -m 3 "$url/health" 2>/dev/null) || return 1
	[ "$code" = 200 ] || [ "$code" = 404 ] || return 1
	curl -fsS -m 5 "$url/connectors" >/dev/null 2>&1 || return 1
	curl -fsS -m 5 "$url/connector-plugins" 2>/dev/null |
		jq -e --arg a "$MARIADB_CLASS" --arg b "$MYSQL_CLASS" \
			'(map(.class) | index($a)) != null and (map(.class) | index($b)) != null' >/dev/null 2>&1
}
ready_connect_svc() {
	CHECK_PORT=$(connect_port_of "$1")
	wait_for "$1" "REST API with both Debezium plugins on :$CHECK_PORT" connect_rest_ready
}

# ---------------------------------------------------------------- profiles

# profile_of SERVICE: the profile a running service was started with
# ("unknown" for one started before profiles existed), or failure if it is down.
profile_of() {
	svc_pid "$1" >/dev/null || return 1
	cat "$PIDS/$1.profile" 2>/dev/null || echo unknown
}

# `up` with another profile than the running Kafka and Connect: they stop (the
# workers first) and start again from this profile's jars and data.
stop_other_profile() {
	local s p stop=()
	for s in connect2 connect kafka; do
		p=$(profile_of "$s") || continue
		[ "$p" = "$PROFILE" ] || stop+=("$s")
	done
	[ ${#stop[@]} -eq 0 ] && return 0
	say "switching to profile $PROFILE: stopping ${stop[*]} (started with profile $(profile_of "${stop[0]}"))"
	for s in connect2 connect kafka; do
		svc_pid "$s" >/dev/null && stop_svc "$s" TERM 45
	done
	return 0
}

# start-connect & co. join what runs: they refuse to mix profiles.
need_same_profile() {
	local s p
	for s in kafka connect connect2; do
		p=$(profile_of "$s") || continue
		[ "$p" = "$PROFILE" ] || die "$s runs profile $p, not $PROFILE: run 'stack.sh up' with FLUXACDC_STACK_PROFILE=$PROFILE"
	done
}

# ---------------------------------------------------------------- commands

lock() {
	mkdir -p "$RUN"
	exec 9>"$RUN/.lock"
	flock -w 600 9 || die "another stack.sh holds $RUN/.lock"
}

cmd_up() {
	local t0
	t0=$(now)
	ensure_deps
	lock
	ensure_jars
	write_configs
	stop_other_profile
	restart_kafka_if_stale
	# Kafka's JVM start dominates: launch it first, prepare MariaDB meanwhile,
	# start Connect as soon as the broker answers, finish MariaDB set-up meanwhile.
	start_kafka
	start_mariadb
	ready_kafka
	start_connect_svc connect
	ready_mariadb
	ready_connect_svc connect
	if svc_pid connect2 >/dev/null; then ready_connect_svc connect2; fi
	say "up in $(elapsed "$t0") s, profile $PROFILE: mysql $H:$MYSQL_PORT, kafka $H:$KAFKA_PORT (SASL $KAFKA_SASL_PORT, SASL_SSL $KAFKA_SASL_SSL_PORT), connect http://$H:$CONNECT_PORT (run dir $RUN)"
}

cmd_down() {
	if [ ! -d "$RUN" ]; then say "down (no run dir $RUN)"; return 0; fi
	lock
	# workers first, while the broker is still there for them to leave the group cleanly
	stop_svc connect2 TERM 30 &
	stop_svc connect TERM 30 &
	wait
	stop_svc kafka TERM 45 &
	stop_svc mariadb TERM 45 &
	wait
	local s
	for s in connect2 connect kafka mariadb; do
		svc_pid "$s" >/dev/null && die "$s still running"
	done
	say "down"
}

cmd_status() {
	local s pid rc=0 where
	for s in mariadb kafka connect connect2; do
		case $s in
		mariadb) where="$H:$MYSQL_PORT socket $SOCK" ;;
		kafka) where="$H:$KAFKA_PORT (controller $H:$CONTROLLER_PORT, SASL $KAFKA_SASL_PORT, SASL_SSL $KAFKA_SASL_SSL_PORT)" ;;
		connect) where="http://$H:$CONNECT_PORT" ;;
		connect2) where="http://$H:$CONNECT2_PORT (optional)" ;;
		esac
		if pid=$(svc_pid "$s"); then
			printf '%-9s up    pid %-7s %s\n' "$s" "$pid" "$where"
		else
			printf '%-9s down  %-11s %s\n' "$s" "" "$where"
			[ "$s" = connect2 ] || rc=1
		fi
	done
	printf 'run dir   %s\n' "$RUN"
	printf 'profile   %s (kafka: %s, connect: %s)\n' "$PROFILE" "$(profile_of kafka || echo down)" "$(profile_of connect || echo down)"
	return $rc
}

cmd_env() {
	cat <<EOF
export FLUXACDC_STACK_DIR='$RUN'
export FLUXACDC_STACK_PROFILE='$PROFILE'
export FLUXACDC_MYSQL_HOST='$H'
export FLUXACDC_MYSQL_PORT='$MYSQL_PORT'
export FLUXACDC_MYSQL_SOCKET='$SOCK'
export FLUXACDC_MYSQL_USER='$CDC_USER'
export FLUXACDC_MYSQL_PASSWORD='$CDC_PW'
export FLUXACDC_MYSQL_DATABASE='$DB'
export FLUXACDC_MYSQL_DSN='$CDC_USER:$CDC_PW@tcp($H:$MYSQL_PORT)/$DB'
export FLUXACDC_MYSQL_ADMIN_USER='$ADMIN_USER'
export FLUXACDC_MYSQL_ADMIN_PASSWORD='$ADMIN_PW'
export FLUXACDC_MYSQL_ADMIN_DSN='$ADMIN_USER:$ADMIN_PW@tcp($H:$MYSQL_PORT)/$DB'
export FLUXACDC_BROKERS='$H:$KAFKA_PORT'
export FLUXACDC_KAFKA_SASL_BROKERS='$H:$KAFKA_SASL_PORT'
export FLUXACDC_KAFKA_SASL_SSL_BROKERS='$H:$KAFKA_SASL_SSL_PORT'
export FLUXACDC_KAFKA_SASL_USER='$KAFKA_SASL_USER'
export FLUXACDC_KAFKA_SASL_PASSWORD='$KAFKA_SASL_PW'
export FLUXACDC_KAFKA_CA='$KAFKA_TLS/ca.pem'
export FLUXACDC_CONNECT_URL='http://$H:$CONNECT_PORT'
export FLUXACDC_CONNECT2_URL='http://$H:$CONNECT2_PORT'
EOF
}

cmd_logs() {
	local svcs=(mariadb kafka connect connect2) n=${2:-40} s f
	[ -n "${1:-}" ] && svcs=("$1")
	for s in "${svcs[@]}"; do
		f=$(logfile "$s")
		[ -f "$f" ] || continue
		echo "==> $f <=="
		tail -n "$n" "$f"
	done
}

cmd_sql() {
	[ -S "$SOCK" ] || die "mariadb is not up (no socket $SOCK)"
	local args=("$@") stmt=
	if [ ${#args[@]} -gt 0 ] && [[ "${args[-1]}" != -* ]]; then
		stmt=${args[-1]}
		unset 'args[-1]'
	fi
	if [ -n "$stmt" ]; then
		mariadb --no-defaults --socket="$SOCK" -u "$ADMIN_USER" -p"$ADMIN_PW" --batch "${args[@]}" "$DB" -e "$stmt"
	else
		mariadb --no-defaults --socket="$SOCK" -u "$ADMIN_USER" -p"$ADMIN_PW" --batch "${args[@]}" "$DB"
	fi
}

cmd_clean() { # down, then forget all data (keeps the jars)
	cmd_down
	rm -rf "$RUN/mysql" "$RUN/kafka" "$LOGS" "$PIDS" "$CONF"
	say "data removed (jars kept in $RUN/jars)"
}

need_kafka() { svc_pid kafka >/dev/null || die "kafka is not up: run 'stack.sh up' first"; }

cmd_start_connect() {
	local svc=${1:-connect}
	find_java || die "no java >= 17"
	lock
	need_kafka
	need_same_profile
	write_configs
	start_connect_svc "$svc"
	ready_connect_svc "$svc"
	say "$svc ready on http://$H:$(connect_port_of "$svc")"
}

cmd_stop_connect() { lock; stop_svc "${1:-connect}" TERM 30; }

# The kill comes first, before find_java (it runs a JVM: a second or more on
# a busy machine): a test kills the worker at a moment it chose.
cmd_restart_connect() {
	local t0
	t0=$(now)
	lock
	need_kafka
	need_same_profile
	stop_svc connect KILL 10
	find_java || die "no java >= 17"
	write_configs
	start_connect_svc connect
	ready_connect_svc connect
	say "connect killed and back in $(elapsed "$t0") s"
}

cmd_stop_kafka() { lock; stop_svc kafka TERM 45; }

# The broker alone, after stop-kafka; waits until it answers, then until a
# running Connect worker answers again (it rejoins its group by itself).
cmd_start_kafka() {
	local t0
	t0=$(now)
	find_java || die "no java >= 17"
	lock
	need_same_profile
	write_configs
	start_kafka
	ready_kafka
	if svc_pid connect >/dev/null; then ready_connect_svc connect; fi
	say "kafka back in $(elapsed "$t0") s"
}

cmd_kafka_topics() {
	find_java || die "no java >= 17"
	[ -f "$CONF/tools-log4j2.xml" ] || write_configs
	"$JAVA" -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC "$(log_opt tools)" \
		-cp "$LIB/*" org.apache.kafka.tools.TopicCommand --bootstrap-server "$H:$KAFKA_PORT" "$@"
}

usage() {
	sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
up) cmd_up ;;
down) cmd_down ;;
status) cmd_status ;;
env) cmd_env ;;
logs) cmd_logs "$@" ;;
sql) cmd_sql "$@" ;;
clean) cmd_clean ;;
start-connect) cmd_start_connect connect ;;
stop-connect) cmd_stop_connect connect ;;
restart-connect) cmd_restart_connect ;;
start-connect2) cmd_start_connect connect2 ;;
stop-connect2) cmd_stop_connect connect2 ;;
stop-kafka) cmd_stop_kafka ;;
start-kafka) cmd_start_kafka ;;
kafka-topics) cmd_kafka_topics "$@" ;;
-h | --help | help) usage ;;
*)
	usage >&2
	exit 64
	;;
esac
