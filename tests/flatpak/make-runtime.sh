#!/usr/bin/env bash
# make-runtime.sh: a stand-in for the GNOME Platform and SDK, made from Debian 12's packages
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   make-runtime.sh    prints the path of an OSTree repository holding
#                      io.github.imprint.StandInPlatform//1 and io.github.imprint.StandInSdk//1
#
# Flathub, and so org.gnome.Platform, cannot be reached from the machines that test Imprint;
# Debian's registry can. The Platform is the closure of the packages the app needs at run time
# (closure.py), the SDK adds the build tools and the -dev packages. Each package is unpacked
# without its documentation into usr/ (Debian 12's packages still ship /lib, /bin and /etc,
# which a runtime keeps under /usr, flatpak mounting usr/etc as /etc), then the work the
# packages' triggers would do is done offline. One library is rebuilt from Debian's source
# with a fix GNOME's runtimes have (libsecret-portal-response.patch). Everything is cached
# under /tmp, keyed by the package lists, apt's indexes, the patch and these scripts.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

# What the app links and loads at run time, and what GTK needs to draw and find things.
PLATFORM=(
  libgtk-4-1 libadwaita-1-0 libsoup-3.0-0 libjson-glib-1.0-0 libsecret-1-0
  glib-networking gsettings-desktop-schemas ca-certificates shared-mime-info
  libgdk-pixbuf-2.0-0 librsvg2-common adwaita-icon-theme hicolor-icon-theme
  fonts-cantarell fonts-dejavu-core libc-bin
)
# What building it needs (meson.build, the manifest's tests, flatpak-builder's own steps).
SDK=(
  gcc libc6-dev meson ninja-build pkg-config gettext
  libglib2.0-dev libglib2.0-dev-bin libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev
  libjson-glib-dev libsecret-1-dev libgtk-4-bin desktop-file-utils appstream appstream-util
  elfutils debugedit python3 dash bash coreutils sed grep findutils diffutils gawk
)
# They run a booted system, which a runtime mounted at /usr never is.
EXCLUDE=(
  systemd systemd-sysv dbus dbus-user-session dbus-system-bus-common dconf-service debconf
  dpkg perl-base usrmerge init-system-helpers adduser passwd mount libpam-systemd
  libpam-runtime procps sensible-utils
)
excludes=()
for p in "${EXCLUDE[@]}"; do excludes+=(--exclude "$p"); done

# The key: the package lists above, these scripts, and the state of apt's indexes (which
# versions the closure would be made of), so that a rerun need not resolve anything.
key=$( { cat "$0" "$here/closure.py" "$here/libsecret-portal-response.patch"
          cat /var/lib/apt/lists/*Release 2>/dev/null; } | sha256sum | cut -c1-16)
cache_root=${IMPRINT_FLATPAK_CACHE:-/tmp/imprint-flatpak-runtime}
cache=$cache_root/$key
if [ -f "$cache/complete" ]; then
  echo "$cache/repo"
  exit 0
fi
platform_list=$(python3 "$here/closure.py" "${excludes[@]}" "${PLATFORM[@]}")
sdk_list=$(python3 "$here/closure.py" "${excludes[@]}" "${PLATFORM[@]}" "${SDK[@]}")

log () { echo "make-runtime: $*" >&2; }
# Runtimes of other package lists are out of date: only the .debs are worth keeping. One
# built in the last day may still be in use by another working tree's test, and stays.
mkdir -p "$cache_root"
find "$cache_root" -mindepth 1 -maxdepth 1 -regextype egrep -regex '.*/[0-9a-f]{16}' \
  ! -newermt '-1 day' -exec rm -rf {} +
mkdir -p "$cache" "$cache_root/debs"
work=$(mktemp -d "$cache/work.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Download what is not there yet (the .debs are shared by every key: a Debian point release
# downloads only what changed). apt's sandbox user must be able to write there.
missing=()
while IFS== read -r name version; do
  file=$(printf '%s_%s_' "$name" "${version//:/%3a}")
  compgen -G "$cache_root/debs/$file*.deb" >/dev/null || missing+=("$name=$version")
done <<<"$sdk_list"
if [ ${#missing[@]} -gt 0 ]; then
  log "downloading ${#missing[@]} packages"
  (cd "$cache_root/debs" && apt-get download -q -o APT::Sandbox::User=root "${missing[@]}" >&2)
fi

# Unpacks the packages of list $1 into tree $2 and does what their triggers would.
make_tree () {
  local list=$1 tree=$2 name version file
  mkdir -p "$tree/files" "$tree/usr"
  while IFS== read -r name version; do
    file=$(compgen -G "$cache_root/debs/$(printf '%s_%s_' "$name" "${version//:/%3a}")*.deb" | head -n 1)
    dpkg-deb --fsys-tarfile "$file" |
      tar -x -C "$tree/usr" --transform='s,^\./usr/,./,' --exclude='./var/*' \
        --exclude=usr/share/doc --exclude=usr/share/man --exclude=usr/share/info \
        --exclude=usr/share/lintian --exclude=usr/share/bug --exclude=usr/share/doc-base
  done <<<"$list"
  # tar put the packages' /usr/X into usr/X and their /bin, /lib*, /etc beside it, into usr/.
  local u=$tree/usr
  [ -e "$u/bin/sh" ] || [ ! -e "$u/bin/dash" ] || ln -s dash "$u/bin/sh"
  [ -e "$u/bin/ldconfig" ] || ln -s ../sbin/ldconfig "$u/bin/ldconfig"
  # Triggers, offline.
  glib-compile-schemas "$u/share/glib-2.0/schemas"
  [ ! -d "$u/share/mime/packages" ] || update-mime-database "$u/share/mime" >/dev/null 2>&1
  local loaders=$u/lib/x86_64-linux-gnu/gdk-pixbuf-2.0/2.10.0
  if [ -d "$loaders/loaders" ]; then
    /usr/lib/x86_64-linux-gnu/gdk-pixbuf-2.0/gdk-pixbuf-query-loaders "$loaders"/loaders/*.so |
      sed "s,\"$u/,\"/usr/," >"$loaders/loaders.cache"
  fi
  for theme in "$u"/share/icons/*/; do
    [ -f "$theme/index.theme" ] && gtk-update-icon-cache -q -f -t "$theme"
  done
  # update-ca-certificates: the bundle GnuTLS reads, from every certificate Debian ships.
  mkdir -p "$u/etc/ssl/certs"
  find "$u/share/ca-certificates" -name '*.crt' | sort | xargs cat >"$u/etc/ssl/certs/ca-certificates.crt"
}

# Debian 12's libsecret loses the Secret portal's answer (libsecret-portal-response.patch
# says how); GNOME's runtimes have the fix. The same version from Debian's source, with that
# one change, replaces it in both trees. The host is Debian 12 too, so it builds here.
patched_libsecret () {
  local version src=$cache_root/src apt=$cache_root/apt
  version=$(sed -n 's/^libsecret-1-0=//p' <<<"$platform_list")
  mkdir -p "$src" "$apt/lists/partial"
  if ! compgen -G "$src/libsecret_${version%-*}*.dsc" >/dev/null; then
    # Sources from the same registry, through a list of its own: the machine's apt
    # configuration stays as it is.
    echo "deb-src http://deb.debian.org/debian bookworm main" >"$apt/sources.list"
    local opts=(-o Dir::Etc::SourceList="$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
                -o Dir::State::Lists="$apt/lists" -o APT::Sandbox::User=root)
    apt-get -q "${opts[@]}" update >&2
    (cd "$src" && apt-get -q "${opts[@]}" source --download-only "libsecret=$version" >&2)
  fi
  dpkg-source -x "$src"/libsecret_"${version#*:}".dsc "$work/libsecret" >&2
  patch -d "$work/libsecret" -p1 <"$here/libsecret-portal-response.patch" >&2
  meson setup "$work/libsecret-build" "$work/libsecret" --prefix=/usr --libdir=lib/x86_64-linux-gnu \
    -Dmanpage=false -Dvapi=false -Dgtk_doc=false -Dintrospection=false -Dbash_completion=disabled >&2
  ninja -C "$work/libsecret-build" libsecret/libsecret-1.so.0.0.0 >&2
  local tree
  for tree in "$work/platform" "$work/sdk"; do
    install -m 644 "$work/libsecret-build/libsecret/libsecret-1.so.0.0.0" \
      "$tree/usr/lib/x86_64-linux-gnu/libsecret-1.so.0.0.0"
  done
}

export_runtime () {
  local id=$1 tree=$2
  cat >"$tree/metadata" <<EOF
[Runtime]
name=$id
runtime=io.github.imprint.StandInPlatform/x86_64/1
sdk=io.github.imprint.StandInSdk/x86_64/1
EOF
  flatpak build-export --runtime "$cache/repo" "$tree" 1 >/dev/null
}

log "building the Platform ($(wc -l <<<"$platform_list") packages) and the SDK ($(wc -l <<<"$sdk_list"))"
make_tree "$platform_list" "$work/platform"
make_tree "$sdk_list" "$work/sdk"
log "building libsecret with the portal fix"
patched_libsecret
export_runtime io.github.imprint.StandInPlatform "$work/platform"
export_runtime io.github.imprint.StandInSdk "$work/sdk"
touch "$cache/complete"
echo "$cache/repo"
