#!/usr/bin/env bash
# Installs QEMU 10.0.2 from Debian's bookworm-backports *beside* the system's QEMU 7.2: the packages are downloaded
# through a private apt view of that suite and unpacked with dpkg -x into a cache directory (nothing is replaced).
# Prints the directory holding qemu-storage-daemon and qemu-img. Usage: .ci/install-qemu-10.sh [CACHE_DIR]
# Another Debian build: BGCHECK_QEMU_VERSION (package version) and BGCHECK_QEMU_SUITE (default bookworm-backports).
set -euo pipefail
VERSION=${BGCHECK_QEMU_VERSION:-'1:10.0.2+ds-2+deb13u1~bpo12+1'}
SUITE=${BGCHECK_QEMU_SUITE:-bookworm-backports}
root=${1:-${BGCHECK_QEMU_CACHE:-$HOME/.cache/bgcheck/qemu-10.0.2}}
bin="$root/usr/bin"
if [ -x "$bin/qemu-storage-daemon" ] && [ -x "$bin/qemu-img" ]; then echo "$bin"; exit 0; fi

uri=$(grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -1 | awk '{print $2}')
[ -n "$uri" ] || uri=$(grep -h '^deb ' /etc/apt/sources.list 2>/dev/null | grep -v security | head -1 | awk '{print $2}')
[ -n "$uri" ] || { echo "install-qemu-10: no Debian archive in the apt sources" >&2; exit 2; }
view=$(mktemp -d); trap 'rm -rf "$view"' EXIT
mkdir -p "$view/lists/partial" "$view/debs"
printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$uri" "$SUITE" > "$view/bp.sources"
O=(-o Dir::Etc::sourcelist=/dev/null -o Dir::Etc::sourceparts="$view" -o Dir::State::Lists="$view/lists" -o Debug::NoLocking=1)
apt-get "${O[@]}" update -qq >&2
(cd "$view/debs" && apt-get "${O[@]}" download -qq "qemu-system-common=$VERSION" "qemu-utils=$VERSION" "qemu-block-extra=$VERSION" >&2)
mkdir -p "$root"
for d in "$view"/debs/*.deb; do dpkg -x "$d" "$root"; done
"$bin/qemu-storage-daemon" --version >&2
echo "$bin"
