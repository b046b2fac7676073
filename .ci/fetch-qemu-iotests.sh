#!/usr/bin/env bash
# Fetches what QEMU 10.0.2's own iotests `check` needs to run an exported test, beside the system's QEMU 7.2:
# the tests/ and python/ trees of the orig source tarball, and a real qemu-system-x86_64 10.0.2 (Python iotests run
# `$QEMU_PROG -M none -device help`), wrapped to run in a private mount namespace with its own module directory.
# Needs root (apt-get, unshare -m). Prints the directory it filled. Usage: .ci/fetch-qemu-iotests.sh [DIR]
set -euo pipefail
VERSION='1:10.0.2+ds-2+deb13u1~bpo12+1'
root=${1:-${BGCHECK_IOTESTS:-$HOME/.cache/bgcheck/qemu-10.0.2-iotests}}
here=$(cd "$(dirname "$0")" && pwd)
if [ -x "$root/qemu-system-x86_64" ] && [ -x "$root/src/tests/qemu-iotests/check" ]; then echo "$root"; exit 0; fi
[ "$(id -u)" = 0 ] || { echo "fetch-qemu-iotests: needs root (apt-get, unshare -m)" >&2; exit 2; }

uri=$(grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -1 | awk '{print $2}')
[ -n "$uri" ] || uri=$(grep -h '^deb ' /etc/apt/sources.list 2>/dev/null | grep -v security | head -1 | awk '{print $2}')
[ -n "$uri" ] || { echo "fetch-qemu-iotests: no Debian archive in the apt sources" >&2; exit 2; }
view=$(mktemp -d); trap 'rm -rf "$view"' EXIT
mkdir -p "$view/lists/partial" "$view/debs" "$view/src" "$root"
printf 'Types: deb deb-src\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$uri" > "$view/bp.sources"
O=(-o Dir::Etc::sourcelist=/dev/null -o Dir::Etc::sourceparts="$view" -o Dir::State::Lists="$view/lists" -o Debug::NoLocking=1)
apt-get "${O[@]}" update -qq >&2

# QEMU's tools (qemu-storage-daemon, qemu-img, qemu-io, qemu-nbd) come from the same script the project already has
tools=$("$here/install-qemu-10.sh" "$root/tools")

# the source: apt-get fetches the orig tarball, then fails on the .dsc (404); the tarball is all we need
(cd "$view/src" && apt-get "${O[@]}" source --download-only -qq "qemu=$VERSION" >&2 || true)
tarball=$(ls "$view"/src/qemu_*.orig.tar.* 2>/dev/null | head -1)
[ -n "$tarball" ] || { echo "fetch-qemu-iotests: the orig tarball was not downloaded" >&2; exit 1; }
rm -rf "$root/src" && mkdir -p "$root/src"
tar -xf "$tarball" -C "$root/src" --strip-components=1 --wildcards '*/tests/qemu-iotests' '*/python' '*/VERSION'

# the system emulator and its data, unpacked beside 7.2; its libraries are bookworm's own packages
(cd "$view/debs" && apt-get "${O[@]}" download -qq "qemu-system-x86=$VERSION" "qemu-system-data=$VERSION" >&2)
for d in "$view"/debs/*.deb; do dpkg -x "$d" "$root/tools"; done  # beside qemu-system-common's modules
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libcapstone4 libpmem1 libfdt1 libslirp0 libvdeplug2 >&2

# 10.0.2 refuses the system's 7.2 modules: bind its own over that path in a private mount namespace
cat > "$root/qemu-system-x86_64" <<EOF
#!/bin/sh
exec unshare -m sh -c 'mount --bind "$root/tools/usr/lib/x86_64-linux-gnu/qemu" /usr/lib/x86_64-linux-gnu/qemu &&
  exec "$root/tools/usr/bin/qemu-system-x86_64" -L "$root/tools/usr/share/qemu" "\$@"' qemu "\$@"
EOF
chmod +x "$root/qemu-system-x86_64"
ln -sfn "$tools" "$root/bin"
"$root/qemu-system-x86_64" --version | head -1 >&2
echo "$root"
