#!/usr/bin/env bash
# Installs modeldoctor under PREFIX where the binary finds everything it needs:
#   PREFIX/bin/modeldoctor
#   PREFIX/share/modeldoctor/rules     the shipped rule packs (found from ../share/modeldoctor/rules)
#   PREFIX/share/modeldoctor/samples   the fixture bundles the packs' `file:` examples name, so
#                                      `modeldoctor rules test` passes after the install
# Usage: scripts/install.sh PREFIX [BINARY]   (BINARY defaults to the release build)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
prefix="${1:?usage: scripts/install.sh PREFIX [BINARY]}"
bin="${2:-$root/.build/release/modeldoctor}"
if [ ! -x "$bin" ]; then
  echo "install.sh: error: $bin not found; build it first (swift build -c release) or pass BINARY" >&2
  exit 2
fi
share="$prefix/share/modeldoctor"
mkdir -p "$prefix/bin" "$share"
cp "$bin" "$prefix/bin/modeldoctor.tmp"
chmod 755 "$prefix/bin/modeldoctor.tmp"
mv -f "$prefix/bin/modeldoctor.tmp" "$prefix/bin/modeldoctor"
for dir in rules samples; do
  rm -rf "$share/$dir"
  cp -R "$root/$dir" "$share/$dir"
done
echo "installed $prefix/bin/modeldoctor, $share/rules and $share/samples"
