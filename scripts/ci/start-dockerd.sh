#!/usr/bin/env bash
# Start a Docker daemon suitable for air-gapped CI hosts (Debian 12, run as root).
#
# Idempotent: installs Debian's docker.io (and the tools the stand-in image
# builds need) when missing, starts dockerd in the background unless it
# already answers, and waits until the daemon is usable.
#
# The daemon gets no bridge and touches no iptables rules: CI hosts route
# traffic through a transparent egress proxy and must not have their
# firewall rewritten, so every build and container uses `--network host`.
#
# Environment (all optional):
#   DOCKERD_LOG           log file               (/var/log/truthgraph-dockerd.log)
#   DOCKERD_DATA_ROOT     daemon data directory  (/var/lib/docker)
#   DOCKERD_WAIT_SECONDS  how long to wait       (60)
#   DOCKERD_EXTRA_ARGS    extra dockerd flags, word-split
set -euo pipefail

readonly DOCKER=/usr/bin/docker # Debian's client; /usr/local/bin/docker may be another one
readonly SOCKET=/var/run/docker.sock
readonly LOG=${DOCKERD_LOG:-/var/log/truthgraph-dockerd.log}
readonly DATA_ROOT=${DOCKERD_DATA_ROOT:-/var/lib/docker}
readonly WAIT_SECONDS=${DOCKERD_WAIT_SECONDS:-60}
DAEMON_PID=

# The daemon must talk to this socket, whatever the caller's environment says.
unset DOCKER_HOST DOCKER_CONTEXT

log() { printf '[start-dockerd] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

[[ $(id -u) -eq 0 ]] || die "must run as root (dockerd and apt-get need it)"

daemon_up() { "$DOCKER" info >/dev/null 2>&1; }

install_packages() {
	# docker.io 20.10 embeds BuildKit (DOCKER_BUILDKIT=1), so bookworm needs no
	# docker-buildx package (it only exists from trixie on). docker-compose is
	# Compose v1, the only Compose bookworm ships. debootstrap builds the
	# stand-in base images. Recommends are skipped: they pull needrestart,
	# apparmor and git, none of which a CI daemon needs.
	local -a wanted=(docker.io containerd runc tini debootstrap docker-compose xz-utils ca-certificates)
	local -a missing=()
	local pkg
	for pkg in "${wanted[@]}"; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg")
	done
	((${#missing[@]} == 0)) && return 0
	log "installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	# On a systemd host the package would start its own dockerd, with a bridge
	# and iptables rules; policy-rc.d keeps maintainer scripts from doing so.
	local own_policy=0
	if [[ ! -e /usr/sbin/policy-rc.d ]]; then
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
		chmod 755 /usr/sbin/policy-rc.d
		own_policy=1
		trap 'rm -f /usr/sbin/policy-rc.d' EXIT
	fi
	apt-get update -q
	apt-get install -y -q --no-install-recommends "${missing[@]}"
	if ((own_policy)); then
		rm -f /usr/sbin/policy-rc.d
		trap - EXIT
	fi
}

start_daemon() {
	# A dead daemon leaves its pid file behind; a live one means another
	# dockerd owns the data root and we must not start a second.
	local pidfile=/var/run/docker.pid
	if [[ -s $pidfile ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
		log "dockerd (pid $(cat "$pidfile")) is running but not answering yet"
		return 0
	fi
	rm -f "$pidfile"

	mkdir -p "$(dirname "$LOG")" "$DATA_ROOT"
	local -a extra=()
	# shellcheck disable=SC2206 # word-splitting of extra flags is intended
	[[ -n ${DOCKERD_EXTRA_ARGS:-} ]] && extra=(${DOCKERD_EXTRA_ARGS})
	log "starting dockerd, log: $LOG"
	# setsid + nohup: the daemon must outlive the CI step that started it.
	setsid nohup /usr/sbin/dockerd \
		--host "unix://$SOCKET" \
		--data-root "$DATA_ROOT" \
		--pidfile "$pidfile" \
		--bridge=none \
		--iptables=false \
		--ip6tables=false \
		--ip-masq=false \
		"${extra[@]}" \
		>>"$LOG" 2>&1 </dev/null &
	DAEMON_PID=$!
}

wait_for_daemon() {
	local deadline=$((SECONDS + WAIT_SECONDS))
	until daemon_up; do
		# Fail fast when the daemon died instead of waiting out the timeout.
		if [[ -n ${DAEMON_PID:-} ]] && ! kill -0 "$DAEMON_PID" 2>/dev/null; then
			tail -n 30 "$LOG" >&2 || true
			die "dockerd exited during start-up, see $LOG"
		fi
		if ((SECONDS >= deadline)); then
			log "last lines of $LOG:"
			tail -n 30 "$LOG" >&2 || true
			die "dockerd did not answer on $SOCKET within ${WAIT_SECONDS}s"
		fi
		sleep 1
	done
}

install_packages
if [[ -d /run/systemd/system ]] && systemctl is-active --quiet docker.service docker.socket 2>/dev/null; then
	log "warning: systemd's docker.service/docker.socket is active and runs dockerd with default"
	log "networking; for this setup: systemctl disable --now docker.service docker.socket"
fi
if daemon_up; then
	log "dockerd already answers on $SOCKET"
else
	start_daemon
	wait_for_daemon
fi

"$DOCKER" version --format 'client {{.Client.Version}} / server {{.Server.Version}}'
"$DOCKER" info --format 'storage driver {{.Driver}}, cgroup {{.CgroupDriver}} v{{.CgroupVersion}}, root {{.DockerRootDir}}'
debootstrap --version 2>/dev/null || true
docker-compose version --short 2>/dev/null | sed 's/^/docker-compose /' || true
log "ready: DOCKER_HOST=unix://$SOCKET DOCKER_BUILDKIT=1 $DOCKER ..."
