#!/usr/bin/env bash
# Build the stand-in base images TruthGraph uses where no registry is reachable:
#   truthgraph/python:3.13-slim-trixie  stands in for python:3.13-slim-trixie
#                                       (the runtime stage of the Dockerfiles)
#   truthgraph/python:3.13-venv-trixie  the same plus venv's pip bootstrap (the
#                                       build stage; the official image has both)
#   truthgraph/pgvector:pg17            stands in for pgvector/pgvector:pg17
# Both are built from Debian trixie (debootstrap, variant minbase) using only
# the Debian mirror this machine's apt is configured with.
#
# Usage: build-bases.sh [--force] [--refresh-base] [--only python|pgvector]
#   --force         rebuild the images even if they are up to date
#   --refresh-base  debootstrap again instead of using the cached base rootfs
#                   (implies --force)
#   --only          build one of the two images
#
# Environment (all optional):
#   TRUTHGRAPH_STANDIN_CACHE      cache dir (/var/cache/truthgraph-standins)
#   TRUTHGRAPH_STANDIN_MAX_AGE    days before the cached base rootfs is
#                                 rebuilt (7); cached packages older than 30
#                                 days are pruned
#   TRUTHGRAPH_DEBIAN_MIRROR      Debian mirror (default: from apt sources)
#   TRUTHGRAPH_DEBIAN_SECURITY_MIRROR   security mirror (default: from apt
#                                 sources; empty string: no security suite)
#   TRUTHGRAPH_BUILD_CA           CA bundle for HTTPS mirrors / TLS-inspecting
#                                 proxies (/etc/ssl/certs/ca-certificates.crt);
#                                 used while building, never copied into images
#
# Run as root (debootstrap and chroot need it); dockerd must be running
# (scripts/ci/start-dockerd.sh).
set -euo pipefail

readonly SUITE=trixie
readonly PYTHON_TAG=truthgraph/python:3.13-slim-trixie
readonly PYTHON_BUILD_TAG=truthgraph/python:3.13-venv-trixie
# Debian splits what the official image keeps in ensurepip into these; only a
# build stage creating a venv needs them (pip and setuptools wheels included).
readonly VENV_PACKAGES=(python3-venv python3.13-venv python3-pip-whl python3-setuptools-whl)
readonly PGVECTOR_TAG=truthgraph/pgvector:pg17
readonly PG_MAJOR=17
# Same uid/gid as the official postgres image, so data volumes move between
# the official image and the stand-in without a chown.
readonly PG_UID=999

readonly DOCKER=/usr/bin/docker
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly HERE
readonly CACHE=${TRUTHGRAPH_STANDIN_CACHE:-/var/cache/truthgraph-standins}
readonly MAX_AGE_DAYS=${TRUTHGRAPH_STANDIN_MAX_AGE:-7}
readonly BUILD_CA=${TRUTHGRAPH_BUILD_CA:-/etc/ssl/certs/ca-certificates.crt}
ARCH=$(dpkg --print-architecture)
readonly ARCH
readonly BASE_TAR=$CACHE/rootfs/debian-$SUITE-minbase-$ARCH.tar
export DOCKER_BUILDKIT=1
unset DOCKER_HOST DOCKER_CONTEXT

log() { printf '[build-bases] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

FORCE=0
REFRESH_BASE=0
ONLY=
while (($#)); do
	case $1 in
	--force) FORCE=1 ;;
	--refresh-base) REFRESH_BASE=1 FORCE=1 ;;
	--only) ONLY=${2:?--only needs python or pgvector}; shift ;;
	-h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown argument: $1" ;;
	esac
	shift
done
[[ -z $ONLY || $ONLY == python || $ONLY == pgvector ]] || die "--only takes python or pgvector"
[[ $(id -u) -eq 0 ]] || die "must run as root (debootstrap, chroot)"
command -v debootstrap >/dev/null || die "debootstrap missing; run scripts/ci/start-dockerd.sh first"
"$DOCKER" info >/dev/null 2>&1 || die "dockerd does not answer; run scripts/ci/start-dockerd.sh first"

# ---------------------------------------------------------------------------
# Host configuration: mirror and proxy come from apt, so nothing is hard-coded.

# First repository URI apt has for the given Release label (Debian or
# Debian-Security). Reads the enabled sources in either format.
apt_repo_uri() {
	# shellcheck disable=SC2016 # apt expands $(FIELD), not the shell
	apt-get indextargets --format '$(LABEL) $(REPO_URI)' 2>/dev/null |
		awk -v want="$1" '$1 == want { sub(/\/$/, "", $2); print $2; exit }'
}

detect_mirrors() {
	if [[ -z ${TRUTHGRAPH_DEBIAN_MIRROR:-} || -z ${TRUTHGRAPH_DEBIAN_SECURITY_MIRROR+x} ]] &&
		[[ -z $(apt_repo_uri Debian) ]]; then
		apt-get update -q >/dev/null # index targets need downloaded lists
	fi
	MIRROR=${TRUTHGRAPH_DEBIAN_MIRROR:-$(apt_repo_uri Debian)}
	SECURITY_MIRROR=${TRUTHGRAPH_DEBIAN_SECURITY_MIRROR-$(apt_repo_uri Debian-Security)}
	[[ -n $MIRROR ]] || die "no Debian mirror in apt sources; set TRUTHGRAPH_DEBIAN_MIRROR"
	[[ -n $SECURITY_MIRROR ]] || log "warning: no security mirror configured; images get no $SUITE-security updates"
	log "mirror: $MIRROR${SECURITY_MIRROR:+, security: $SECURITY_MIRROR}"
}

# Proxy settings: the environment wins, then apt's own configuration.
detect_proxy() {
	local apt_http apt_https
	eval "$(apt-config shell apt_http Acquire::http::Proxy apt_https Acquire::https::Proxy)"
	HTTP_PROXY_URL=${http_proxy:-${HTTP_PROXY:-${apt_http:-}}}
	HTTPS_PROXY_URL=${https_proxy:-${HTTPS_PROXY:-${apt_https:-$HTTP_PROXY_URL}}}
	# apt uses "DIRECT" to mean no proxy.
	[[ $HTTP_PROXY_URL == DIRECT ]] && HTTP_PROXY_URL=
	[[ $HTTPS_PROXY_URL == DIRECT ]] && HTTPS_PROXY_URL=
	if [[ -n $HTTP_PROXY_URL$HTTPS_PROXY_URL ]]; then
		log "proxy: http=${HTTP_PROXY_URL:-none} https=${HTTPS_PROXY_URL:-none}"
		# debootstrap downloads with wget, which reads these.
		export http_proxy=$HTTP_PROXY_URL https_proxy=$HTTPS_PROXY_URL
	fi
}

# ---------------------------------------------------------------------------
# chroot handling. Everything written here for the build is removed again by
# finalize_rootfs, so neither proxy nor CA ends up in an image.

MOUNTS=()
WORKDIRS=()
cleanup() {
	local i
	for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
		umount -l "${MOUNTS[i]}" 2>/dev/null || true
	done
	MOUNTS=()
	for i in "${WORKDIRS[@]}"; do
		rm -rf --one-file-system "$i"
	done
}
trap cleanup EXIT

# Signals get the exit status of the signal, and still run cleanup.
trap 'exit 130' INT
trap 'exit 143' TERM

in_root() { chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
	DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 "$@"; }

enter_rootfs() {
	mount -t proc proc "$ROOT/proc" && MOUNTS+=("$ROOT/proc")
	mount -t sysfs sys "$ROOT/sys" && MOUNTS+=("$ROOT/sys")
	# Downloaded packages survive between runs, so rebuilds need no downloads.
	mkdir -p "$CACHE/debs"
	mount --bind "$CACHE/debs" "$ROOT/var/cache/apt/archives" && MOUNTS+=("$ROOT/var/cache/apt/archives")
	cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
	# Packages must not start services inside the chroot.
	printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
	chmod 755 "$ROOT/usr/sbin/policy-rc.d"
	{
		[[ -n $HTTP_PROXY_URL ]] && printf 'Acquire::http::Proxy "%s";\n' "$HTTP_PROXY_URL"
		[[ -n $HTTPS_PROXY_URL ]] && printf 'Acquire::https::Proxy "%s";\n' "$HTTPS_PROXY_URL"
		# An HTTPS mirror behind a TLS-inspecting proxy needs the host's CA.
		if [[ $MIRROR == https:* || $SECURITY_MIRROR == https:* ]]; then
			cp "$BUILD_CA" "$ROOT/tmp/build-ca.crt"
			printf 'Acquire::https::CAInfo "/tmp/build-ca.crt";\n'
		fi
		# Keep the bind-mounted package cache: the image's rootfs gets no copy.
		printf 'Binary::apt::APT::Keep-Downloaded-Packages "true";\n'
		# The bind-mounted cache is not writable for the chroot's _apt user.
		printf 'APT::Sandbox::User "root";\n'
	} >"$ROOT/etc/apt/apt.conf.d/99build-only"
}

leave_rootfs() {
	local i
	for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
		umount "${MOUNTS[i]}"
	done
	MOUNTS=()
	rm -f "$ROOT/usr/sbin/policy-rc.d" "$ROOT/etc/apt/apt.conf.d/99build-only" "$ROOT/tmp/build-ca.crt"
	# Docker provides these at run time.
	: >"$ROOT/etc/resolv.conf"
	rm -f "$ROOT/etc/hostname"
}

# Slim like Debian's own -slim images: no docs (except copyright), man pages,
# info or translations, now and for every later apt-get install in the image.
write_slim_config() {
	cat >"$ROOT/etc/dpkg/dpkg.cfg.d/truthgraph-slim" <<-'EOF'
		path-exclude /usr/share/doc/*
		path-include /usr/share/doc/*/copyright
		path-exclude /usr/share/man/*
		path-exclude /usr/share/groff/*
		path-exclude /usr/share/info/*
		path-exclude /usr/share/lintian/*
		path-exclude /usr/share/linda/*
		path-exclude /usr/share/locale/*
	EOF
	cat >"$ROOT/etc/apt/apt.conf.d/truthgraph-slim" <<-'EOF'
		Acquire::Languages "none";
		APT::Install-Recommends "false";
		Apt::AutoRemove::SuggestsImportant "false";
	EOF
}

finalize_rootfs() {
	in_root apt-get clean
	rm -rf "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/cache/apt/*.bin \
		"$ROOT"/var/cache/debconf/*-old "$ROOT"/var/lib/dpkg/*-old \
		"$ROOT"/var/log/apt/* "$ROOT"/var/log/dpkg.log "$ROOT"/var/log/alternatives.log \
		"$ROOT"/var/log/bootstrap.log "$ROOT"/tmp/* "$ROOT"/var/tmp/* "$ROOT"/root/.cache
	# Files installed before the dpkg excludes existed.
	find "$ROOT/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
	find "$ROOT/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
	rm -rf "$ROOT"/usr/share/man/* "$ROOT"/usr/share/info/* "$ROOT"/usr/share/groff/* \
		"$ROOT"/usr/share/lintian/* "$ROOT"/usr/share/locale/*
}

# ---------------------------------------------------------------------------
# Base rootfs: debootstrap once, upgraded with trixie-updates/-security, cached
# as a tarball that both images start from.

base_is_fresh() {
	[[ -s $BASE_TAR && -s $BASE_TAR.mirror ]] || return 1
	[[ $(<"$BASE_TAR.mirror") == "$MIRROR $SECURITY_MIRROR" ]] || return 1
	[[ -z $(find "$BASE_TAR" -mtime "+$MAX_AGE_DAYS") ]]
}

write_sources() {
	rm -f "$ROOT/etc/apt/sources.list"
	{
		printf 'Types: deb\nURIs: %s\nSuites: %s %s-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
			"$MIRROR" "$SUITE" "$SUITE"
		[[ -n $SECURITY_MIRROR ]] &&
			printf '\nTypes: deb\nURIs: %s\nSuites: %s-security\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
				"$SECURITY_MIRROR" "$SUITE"
	} >"$ROOT/etc/apt/sources.list.d/debian.sources"
}

build_base() {
	if ((REFRESH_BASE == 0)) && base_is_fresh; then
		log "reusing cached base rootfs $BASE_TAR"
		return 0
	fi
	# Debian 12's debootstrap may predate the trixie script; trixie boots
	# exactly like sid.
	if [[ ! -e /usr/share/debootstrap/scripts/$SUITE ]]; then
		ln -s sid "/usr/share/debootstrap/scripts/$SUITE"
	fi
	local start=$SECONDS
	ROOT=$(mktemp -d "$CACHE/base.XXXXXX")
	WORKDIRS+=("$ROOT")
	mkdir -p "$CACHE/debs"
	log "debootstrap $SUITE (minbase) into $ROOT"
	local -a opts=(--variant=minbase --arch="$ARCH" --cache-dir="$CACHE/debs"
		--keyring=/usr/share/keyrings/debian-archive-keyring.gpg)
	if [[ $MIRROR == https:* ]]; then
		# debootstrap downloads with wget, which takes its CA from a wgetrc.
		printf 'ca_certificate = %s\n' "$BUILD_CA" >"$CACHE/wgetrc"
		export WGETRC=$CACHE/wgetrc
	fi
	if ! debootstrap "${opts[@]}" "$SUITE" "$ROOT" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1; then
		tail -n 30 "$CACHE/debootstrap.log" "$ROOT/debootstrap/debootstrap.log" >&2 2>/dev/null || true
		die "debootstrap failed, see $CACHE/debootstrap.log"
	fi
	write_sources
	write_slim_config
	enter_rootfs
	in_root apt-get update -q
	in_root apt-get dist-upgrade -y -q
	leave_rootfs
	finalize_rootfs

	mkdir -p "$(dirname "$BASE_TAR")"
	tar --numeric-owner --xattrs -C "$ROOT" -cf "$BASE_TAR.tmp" .
	mv "$BASE_TAR.tmp" "$BASE_TAR"
	printf '%s\n' "$MIRROR $SECURITY_MIRROR" >"$BASE_TAR.mirror"
	log "base rootfs ready in $((SECONDS - start))s: $(du -h "$BASE_TAR" | cut -f1)"
}

# New work dir with the base rootfs unpacked; sets ROOT and CONTEXT.
unpack_base() {
	local work
	work=$(mktemp -d "$CACHE/work.XXXXXX")
	WORKDIRS+=("$work")
	ROOT=$work/rootfs
	CONTEXT=$work/context
	mkdir -p "$ROOT" "$CONTEXT"
	tar --numeric-owner --xattrs -C "$ROOT" -xf "$BASE_TAR"
}

# Hash of everything that defines an image: a changed recipe rebuilds it.
recipe_hash() {
	cat "${BASH_SOURCE[0]}" "$@" | sha256sum | cut -c1-16
}

# Succeeds when TAG exists and was built from recipe HASH.
up_to_date() {
	local tag=$1 hash=$2 have
	have=$("$DOCKER" image inspect --format '{{index .Config.Labels "org.truthgraph.standin.recipe"}}' "$tag" 2>/dev/null) || return 1
	if [[ $have != "$hash" ]]; then
		log "$tag exists but was built from another recipe ($have, now $hash)"
		return 1
	fi
}

# docker build of FROM scratch + the rootfs: a single layer with a proper
# image config, which `docker import --change` cannot fully express.
build_image() {
	local tag=$1 recipe=$2 old
	old=$("$DOCKER" image inspect --format '{{.Id}}' "$tag" 2>/dev/null || true)
	tar --numeric-owner --xattrs -C "$ROOT" -cf "$CONTEXT/rootfs.tar" .
	rm -rf "$ROOT"
	"$DOCKER" build --network host --pull=false \
		--label "org.truthgraph.standin.recipe=$recipe" \
		--label "org.opencontainers.image.created=$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
		-t "$tag" "$CONTEXT"
	log "$tag built: $("$DOCKER" image inspect --format '{{.Size}}' "$tag" | numfmt --to=si)B"
	# Drop the superseded image; docker refuses (harmlessly) while images
	# built on it or containers still use it.
	if [[ -n $old && $old != "$("$DOCKER" image inspect --format '{{.Id}}' "$tag")" ]]; then
		"$DOCKER" image rm "$old" >/dev/null 2>&1 || log "keeping superseded ${old:7:12}: still in use"
	fi
}

build_python() {
	local start=$SECONDS
	unpack_base
	enter_rootfs
	in_root apt-get update -q
	in_root apt-get dist-upgrade -y -q # fixes released since the base was cached
	in_root apt-get install -y -q --no-install-recommends python3 python3-venv ca-certificates
	# The venv bootstrap goes to the build image only: keep its files aside, then
	# purge the packages from the runtime image.
	local venv_files
	venv_files=$(mktemp "$CACHE/venv-files.XXXXXX")
	WORKDIRS+=("$venv_files")
	in_root dpkg -L "${VENV_PACKAGES[@]}" | while read -r path; do
		[[ -f $ROOT$path || -L $ROOT$path ]] && printf '%s\n' "${path#/}"
	done >"$venv_files"
	tar --numeric-owner -C "$ROOT" -cf "$CONTEXT/venv.tar" --no-recursion -T "$venv_files"
	in_root dpkg --purge "${VENV_PACKAGES[@]}"
	leave_rootfs
	finalize_rootfs
	# The official image keeps no stdlib bytecode either; it is a third of
	# the interpreter's size and Python rebuilds it on demand. Nor does it keep
	# the interpreter's own test suite.
	find "$ROOT/usr/lib/python3"* -depth -type d \( -name __pycache__ -o -name test \
		-o -name tests -o -name idle_test \) -exec rm -rf {} +
	# The official image's interpreter lives in /usr/local/bin; Dockerfiles
	# (and venvs they create) may name that path.
	ln -sf /usr/bin/python3.13 "$ROOT/usr/local/bin/python3.13"
	ln -sf python3.13 "$ROOT/usr/local/bin/python3"
	ln -sf python3 "$ROOT/usr/local/bin/python"
	ln -sf python3 "$ROOT/usr/bin/python"

	local version
	version=$(in_root python3 -B -c 'import platform; print(platform.python_version())')
	mv "$CONTEXT/venv.tar" "$CACHE/venv.tar"
	cat >"$CONTEXT/Dockerfile" <<-EOF
		FROM scratch
		ADD rootfs.tar /
		ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin \\
		    LANG=C.UTF-8 \\
		    PYTHON_VERSION=$version
		LABEL org.opencontainers.image.title="TruthGraph stand-in for python:3.13-slim-trixie" \\
		      org.opencontainers.image.base.name="debian:$SUITE (debootstrap minbase)"
		CMD ["python3"]
	EOF
	build_image "$PYTHON_TAG" "$PYTHON_RECIPE"
	# The build image: the runtime image plus the venv bootstrap, one layer more.
	CONTEXT=$(mktemp -d "$CACHE/venv-context.XXXXXX")
	WORKDIRS+=("$CONTEXT")
	mv "$CACHE/venv.tar" "$CONTEXT/venv.tar"
	cat >"$CONTEXT/Dockerfile" <<-EOF
		FROM $PYTHON_TAG
		ADD venv.tar /
		LABEL org.opencontainers.image.title="TruthGraph stand-in build stage for python:3.13-slim-trixie"
	EOF
	"$DOCKER" build --network host --pull=false --label "org.truthgraph.standin.recipe=$PYTHON_RECIPE" \
		-t "$PYTHON_BUILD_TAG" "$CONTEXT" >/dev/null
	log "$PYTHON_BUILD_TAG built"
	log "python stand-in done in $((SECONDS - start))s"
}

build_pgvector() {
	local start=$SECONDS
	unpack_base
	enter_rootfs
	in_root groupadd --system --gid "$PG_UID" postgres
	in_root useradd --system --uid "$PG_UID" --gid postgres --home-dir /var/lib/postgresql \
		--shell /bin/bash postgres
	in_root apt-get update -q
	in_root apt-get dist-upgrade -y -q # fixes released since the base was cached
	in_root apt-get install -y -q --no-install-recommends postgresql-common
	# The image runs one server from $PGDATA, not Debian's managed clusters.
	sed -ri 's/#?\s*create_main_cluster\s*=.*/create_main_cluster = false/' \
		"$ROOT/etc/postgresql-common/createcluster.conf"
	in_root apt-get install -y -q --no-install-recommends \
		"postgresql-$PG_MAJOR" "postgresql-$PG_MAJOR-pgvector" util-linux xz-utils gzip
	leave_rootfs
	finalize_rootfs
	# Listen on every interface by default, like the official image.
	sed -ri "s!^#?(listen_addresses)\s*=\s*\S+.*!\1 = '*'!" \
		"$ROOT/usr/share/postgresql/$PG_MAJOR/postgresql.conf.sample"
	grep -q "^listen_addresses = '\*'" "$ROOT/usr/share/postgresql/$PG_MAJOR/postgresql.conf.sample" ||
		die "could not set listen_addresses in postgresql.conf.sample"
	mkdir -p "$ROOT/docker-entrypoint-initdb.d" "$ROOT/var/lib/postgresql/data" "$ROOT/var/run/postgresql"
	chown "$PG_UID:$PG_UID" "$ROOT/var/lib/postgresql" "$ROOT/var/lib/postgresql/data" "$ROOT/var/run/postgresql"
	chmod 1777 "$ROOT/var/lib/postgresql/data"
	chmod 3777 "$ROOT/var/run/postgresql"
	install -m 0755 "$HERE/postgres-entrypoint.sh" "$ROOT/usr/local/bin/docker-entrypoint.sh"

	local version
	# shellcheck disable=SC2016 # dpkg-query format, not a shell expansion
	version=$(in_root dpkg-query -W -f='${Version}' "postgresql-$PG_MAJOR-pgvector")
	cat >"$CONTEXT/Dockerfile" <<-EOF
		FROM scratch
		ADD rootfs.tar /
		ENV PATH=/usr/lib/postgresql/$PG_MAJOR/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \\
		    LANG=C.UTF-8 \\
		    PG_MAJOR=$PG_MAJOR \\
		    PGVECTOR_VERSION=$version \\
		    PGDATA=/var/lib/postgresql/data
		LABEL org.opencontainers.image.title="TruthGraph stand-in for pgvector/pgvector:pg$PG_MAJOR" \\
		      org.opencontainers.image.base.name="debian:$SUITE (debootstrap minbase)"
		VOLUME /var/lib/postgresql/data
		ENTRYPOINT ["docker-entrypoint.sh"]
		# SIGINT is postgres' fast shutdown: no waiting for clients to leave.
		STOPSIGNAL SIGINT
		EXPOSE 5432
		CMD ["postgres"]
	EOF
	build_image "$PGVECTOR_TAG" "$PGVECTOR_RECIPE"
	log "pgvector stand-in done in $((SECONDS - start))s"
}

# ---------------------------------------------------------------------------

mkdir -p "$CACHE"
PYTHON_RECIPE=$(recipe_hash)
PGVECTOR_RECIPE=$(recipe_hash "$HERE/postgres-entrypoint.sh")
HTTP_PROXY_URL='' HTTPS_PROXY_URL='' MIRROR='' SECURITY_MIRROR='' ROOT='' CONTEXT=''

# Images already built from this recipe are kept unless --force.
todo=()
for image in python pgvector; do
	[[ -z $ONLY || $ONLY == "$image" ]] || continue
	if [[ $image == python ]]; then tag=$PYTHON_TAG recipe=$PYTHON_RECIPE; else tag=$PGVECTOR_TAG recipe=$PGVECTOR_RECIPE; fi
	if ((FORCE == 0)) && up_to_date "$tag" "$recipe" &&
		{ [[ $image != python ]] || up_to_date "$PYTHON_BUILD_TAG" "$recipe"; }; then
		log "$tag is up to date (--force rebuilds it)"
	else
		todo+=("$image")
	fi
done

if ((${#todo[@]})); then
	detect_mirrors
	detect_proxy
	build_base
	for image in "${todo[@]}"; do "build_$image"; done
	# Superseded package versions would otherwise pile up in the cache.
	find "$CACHE/debs" -name '*.deb' -mtime +30 -delete
fi

"$DOCKER" image ls --format 'table {{.Repository}}:{{.Tag}}\t{{.ID}}\t{{.Size}}' |
	grep -E '^(REPOSITORY|truthgraph/(python|pgvector)[: ])' || true
