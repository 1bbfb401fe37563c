#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `cmake --install` into a fresh prefix, then the installed cordon runs a copy of the
# network sample outside the checkout; the man pages, models and docs are where the FHS puts
# them; `cpack -G DEB` makes cordon_VERSION_ARCH.deb that depends on Debian's libraries.
#   install_test.sh BUILD_DIR SAMPLES_DIR
set -euo pipefail
build="$1" samples="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
for f in bin/cordon share/man/man1/cordon.1 share/cordon/models/cordon.yaml \
         share/cordon/models/seir.yaml share/cordon/samples/network.yaml \
         share/doc/cordon/models.md share/doc/cordon/README.md; do
  [ -e "$work/prefix/$f" ] || { echo "not installed: $f"; exit 1; }
done
grep -q '^\.TH CORDON 1' "$work/prefix/share/man/man1/cordon.1"
grep -q '^\.SH cordon calibrate' "$work/prefix/share/man/man1/cordon.1"
mkdir "$work/elsewhere"
cp -r "$samples/network" "$samples/network.yaml" "$work/elsewhere/"
(cd "$work/elsewhere" && "$work/prefix/bin/cordon" run network.yaml --out out -q)
lines=$(wc -l < "$work/elsewhere/out/series.csv")
[ "$lines" -eq 122 ] || { echo "series.csv has $lines lines, expected 122"; exit 1; }
# A bundled model by name works without the data folder (it is built in).
(cd "$work/elsewhere" && "$work/prefix/bin/cordon" run network.yaml --out out2 -q \
  --set 'model=seir' --set 'imports=[]' --set 'policies=[]' \
  --set 'seed_infections=[{village: V001, I: 5}]' --set 'disease={r0: 2.5}')
[ -s "$work/elsewhere/out2/summary.json" ]
# The Python package, where Debian's python3 looks under the prefix.
site="$work/prefix/lib/python3/dist-packages"
if [ -d "$site/cordon" ]; then
  (cd "$work/elsewhere" && PYTHONPATH="$site" /usr/bin/python3 -c \
    "import cordon; r = cordon.run('network.yaml', daily=False); assert len(r.series) == 121")
fi
if command -v cpack >/dev/null && command -v dpkg-deb >/dev/null; then
  (cd "$build" && cpack -G DEB -B "$work/deb" >/dev/null)
  deb=$(ls "$work"/deb/cordon_*_*.deb)
  dpkg-deb -I "$deb" >"$work/info"  # whole, into files: grep -q would cut the pipe
  dpkg-deb -c "$deb" >"$work/contents"
  grep -q 'Depends:.*libgdal' "$work/info"
  grep -q './usr/bin/cordon$' "$work/contents"
fi
echo "install: ok"
