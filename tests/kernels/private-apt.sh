# shellcheck shell=sh disable=SC2154
# private-apt.sh - sourced by fetch-kernel.sh and make-sysroot.sh: an apt
# configuration of their own, under a directory they own (sources list,
# state, lists and archive cache), for one Debian architecture.  The
# machine's apt sources, apt.conf.d and dpkg architectures are never read
# or changed, so fetching arm64 packages on an amd64 host leaves the host
# as it was.  The caller sets keyring, mirror, secmirror and die().

# papt_init DIR ARCH SUITE...: DIR's configuration for ARCH and the suites
# (*-security from $secmirror); sets APT_CONFIG (exported) and aptopts, to
# pass to every apt-get and apt-cache.  Fails if DIR cannot be made.
papt_init() {
	_pa_dir=$1 _pa_arch=$2
	shift 2
	mkdir -p "$_pa_dir/etc/sources.list.d" "$_pa_dir/etc/preferences.d" \
		"$_pa_dir/etc/apt.conf.d" "$_pa_dir/state/lists/partial" \
		"$_pa_dir/cache/archives/partial" || return 1
	: > "$_pa_dir/state/status" || return 1
	: > "$_pa_dir/etc/sources.list.tmp"
	for _pa_s; do
		case "$_pa_s" in
		*-security) _pa_url=$secmirror ;;
		*) _pa_url=$mirror ;;
		esac
		printf 'deb [signed-by=%s] %s %s main\n' "$keyring" "$_pa_url" "$_pa_s" \
			>> "$_pa_dir/etc/sources.list.tmp"
	done
	mv "$_pa_dir/etc/sources.list.tmp" "$_pa_dir/etc/sources.list" || return 1
	touch "$_pa_dir/etc/apt.conf"
	APT_CONFIG=$_pa_dir/etc/apt.conf	# the host's apt.conf.d is not read either
	export APT_CONFIG
	aptopts="-o Dir::Etc::SourceList=$_pa_dir/etc/sources.list
	-o Dir::Etc::SourceParts=$_pa_dir/etc/sources.list.d
	-o Dir::Etc::Main=$_pa_dir/etc/apt.conf
	-o Dir::Etc::Parts=$_pa_dir/etc/apt.conf.d
	-o Dir::Etc::Preferences=$_pa_dir/etc/preferences
	-o Dir::Etc::PreferencesParts=$_pa_dir/etc/preferences.d
	-o Dir::State=$_pa_dir/state
	-o Dir::State::status=$_pa_dir/state/status
	-o Dir::Cache=$_pa_dir/cache
	-o Acquire::Languages=none
	-o Acquire::Retries=1
	-o Acquire::http::Timeout=20
	-o APT::Architecture=$_pa_arch
	-o APT::Architectures::=$_pa_arch
	-o APT::Sandbox::User=root
	-q"
	papt_dir=$_pa_dir
}

# papt_update WHAT: fetch the package lists, or die naming WHAT.  apt-get
# update fails only on hard errors; a missing suite is a warning, and an
# error here too.
papt_update() {
	# shellcheck disable=SC2086
	apt-get $aptopts update >"$papt_dir/update.log" 2>&1 || {
		sed 's/^/  /' "$papt_dir/update.log" >&2
		die "apt-get update failed for $1 (no network to $mirror? set TRACEE_DEBIAN_MIRROR)"
	}
	if grep -Eq '^(W|E): .*(Failed to fetch|does not have a Release)' "$papt_dir/update.log"; then
		sed 's/^/  /' "$papt_dir/update.log" >&2
		die "apt-get update could not fetch every list of $1"
	fi
}

# papt_download PKG DIR: PKG's .deb in DIR, downloaded unless already there;
# prints its file name.  The name comes from --print-uris run in an empty
# directory: apt prints nothing for a file already in the current one
# (e.g. the -common headers another architecture's kernel fetched).
papt_download() {
	mkdir -p "$papt_dir/uris" || die "cannot create $papt_dir/uris"
	# shellcheck disable=SC2086
	_pa_file=$(cd "$papt_dir/uris" && apt-get $aptopts download --print-uris "$1" |
		sed -n "s/^'[^']*' \([^ ]*\.deb\) .*/\1/p")
	[ -n "$_pa_file" ] || die "apt-get cannot tell where $1 comes from"
	if [ ! -s "$2/$_pa_file" ]; then
		say "downloading $1"
		# shellcheck disable=SC2086
		(cd "$2" && apt-get $aptopts download "$1") >"$papt_dir/download.log" 2>&1 || {
			sed 's/^/  /' "$papt_dir/download.log" >&2
			die "apt-get download $1 failed"
		}
	fi
	[ -s "$2/$_pa_file" ] || die "apt-get download $1 did not produce $2/$_pa_file"
	printf '%s\n' "$_pa_file"
}
