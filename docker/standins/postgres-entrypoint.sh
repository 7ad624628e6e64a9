#!/usr/bin/env bash
# Entrypoint of the truthgraph/pgvector stand-in image.
#
# Behaves like the entrypoint of the official postgres / pgvector images for the
# parts TruthGraph relies on:
#   POSTGRES_PASSWORD, POSTGRES_USER (postgres), POSTGRES_DB ($POSTGRES_USER),
#   POSTGRES_INITDB_ARGS, POSTGRES_HOST_AUTH_METHOD (scram-sha-256), each also
#   readable from a file through its *_FILE variant (Docker/Compose secrets);
#   PGDATA (/var/lib/postgresql/data); PGPORT (5432) - postgres, psql and
#   pg_isready all read it, which matters with host networking;
#   /docker-entrypoint-initdb.d/*.sh, *.sql, *.sql.gz, *.sql.xz run once, on
#   first start, against a server that only listens on a private Unix socket
#   (PGHOST points there), so health checks stay red until init is done.
# Started as root it fixes data directory ownership, then re-executes itself
# as the postgres user; postgres ends up as PID 1 so it receives the stop
# signal (the image sets STOPSIGNAL SIGINT: fast shutdown) directly.
set -Eeuo pipefail

log() { printf '%s [entrypoint] %s\n' "$(date -u +'%Y-%m-%d %H:%M:%S UTC')" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# file_env VAR [DEFAULT]: VAR comes from $VAR or from the file named by
# $VAR_FILE (never both), so secrets need not sit in the environment.
file_env() {
	local var=$1 def=${2:-}
	local fvar="${var}_FILE"
	if [[ -n ${!var:-} && -n ${!fvar:-} ]]; then
		die "both $var and $fvar are set (but are exclusive)"
	fi
	local val=$def
	if [[ -n ${!var:-} ]]; then
		val=${!var}
	elif [[ -n ${!fvar:-} ]]; then
		[[ -r ${!fvar} ]] || die "$fvar=${!fvar} is not a readable file"
		val=$(<"${!fvar}")
	fi
	export "$var=$val"
	unset "$fvar"
}

# "docker run IMAGE -c foo=bar" means "postgres -c foo=bar".
if [[ $# -eq 0 || ${1:0:1} == '-' ]]; then
	set -- postgres "$@"
fi

# Anything other than the server (psql, bash, ...) runs untouched.
if [[ $1 != postgres ]]; then
	exec "$@"
fi

: "${PGDATA:=/var/lib/postgresql/data}"
export PGDATA

if [[ $(id -u) -eq 0 ]]; then
	# Volumes are usually created root-owned; postgres refuses group/world
	# access to its data directory.
	mkdir -p "$PGDATA" /var/run/postgresql
	chown postgres:postgres "$PGDATA"
	chmod 700 "$PGDATA"
	chown postgres:postgres /var/run/postgresql
	chmod 3777 /var/run/postgresql
	# setpriv execs directly (no su/PAM fork), so signals still reach postgres.
	exec setpriv --reuid=postgres --regid=postgres --init-groups "${BASH_SOURCE[0]}" "$@"
fi

file_env POSTGRES_PASSWORD
file_env POSTGRES_USER postgres
file_env POSTGRES_DB "$POSTGRES_USER"
file_env POSTGRES_INITDB_ARGS
: "${POSTGRES_HOST_AUTH_METHOD:=scram-sha-256}"

# Runs pre-start SQL through the Unix socket only; local connections are
# trusted by initdb's defaults (as in the official image).
psql_init() {
	psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --no-password "$@"
}

run_init_files() {
	local f
	for f in /docker-entrypoint-initdb.d/*; do
		[[ -e $f ]] || continue
		case $f in
		*.sh)
			if [[ -x $f ]]; then
				log "running $f"
				"$f"
			else
				log "sourcing $f"
				# shellcheck disable=SC1090 # user-provided init script
				. "$f"
			fi
			;;
		*.sql) log "running $f"; psql_init --dbname "$POSTGRES_DB" -f "$f" ;;
		*.sql.gz) log "running $f"; gunzip -c "$f" | psql_init --dbname "$POSTGRES_DB" ;;
		*.sql.xz) log "running $f"; xzcat "$f" | psql_init --dbname "$POSTGRES_DB" ;;
		*) log "ignoring $f" ;;
		esac
	done
}

init_database() {
	if [[ -z $POSTGRES_PASSWORD && $POSTGRES_HOST_AUTH_METHOD != trust ]]; then
		die "database is uninitialized and POSTGRES_PASSWORD is not set;
  set POSTGRES_PASSWORD (or POSTGRES_PASSWORD_FILE), or POSTGRES_HOST_AUTH_METHOD=trust to allow all connections without a password"
	fi
	[[ -w $PGDATA ]] || die "$PGDATA is not writable by $(id -un)"

	log "initializing database in $PGDATA"
	local -a initdb_args=()
	# shellcheck disable=SC2206 # POSTGRES_INITDB_ARGS is a word list by contract
	[[ -n $POSTGRES_INITDB_ARGS ]] && initdb_args=(${POSTGRES_INITDB_ARGS})
	# The password travels through a pipe, never the command line.
	# TCP, loopback included, needs the password: with host networking the
	# container's loopback is the host's. The Unix socket stays trusted.
	# Options in POSTGRES_INITDB_ARGS come last and so take precedence.
	initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") \
		--encoding=UTF8 --locale=C.UTF-8 \
		--auth-local=trust --auth-host="$POSTGRES_HOST_AUTH_METHOD" "${initdb_args[@]}"

	printf '\nhost all all all %s\n' "$POSTGRES_HOST_AUTH_METHOD" >>"$PGDATA/pg_hba.conf"

	# Temporary server: no TCP and a private socket directory, so neither
	# clients nor pg_isready health checks see it before init has finished.
	# Init scripts reach it through PGHOST.
	local init_socket_dir
	init_socket_dir=$(mktemp -d /tmp/pg-init.XXXXXX)
	export PGHOST=$init_socket_dir
	pg_ctl -D "$PGDATA" -w start \
		-o "-c listen_addresses='' -c unix_socket_directories='$init_socket_dir' -p ${PGPORT:-5432}"

	if [[ $POSTGRES_DB != postgres ]]; then
		local exists
		# -c does not expand psql variables, so go through stdin instead.
		exists=$(printf "SELECT 1 FROM pg_database WHERE datname = :'db';\n" | psql_init --dbname postgres -tA -v db="$POSTGRES_DB")
		if [[ -z $exists ]]; then
			log "creating database $POSTGRES_DB"
			printf 'CREATE DATABASE :"db";\n' | psql_init --dbname postgres -v db="$POSTGRES_DB" >/dev/null
		fi
	fi

	run_init_files

	pg_ctl -D "$PGDATA" -m fast -w stop
	unset PGHOST
	rmdir "$init_socket_dir"
	log "initialization complete"
}

if [[ ! -s $PGDATA/PG_VERSION ]]; then
	init_database
fi

# Credentials are only needed for initdb; keep them out of the server's env.
unset POSTGRES_PASSWORD
exec "$@"
