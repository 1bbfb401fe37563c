#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Frame time of cordon-viewer under Xvfb with Mesa's llvmpipe, at 1e3 and
# 1e5 generated villages: each frame draws the map and curves and uploads
# the next day's values. Usage: tests/bench/viewer_frames.sh [BUILD_DIR]
set -euo pipefail
build="${1:-build}"
work="${CORDON_BENCH_DIR:-/tmp/cordon-bench}/viewer"
mkdir -p "$work"
for n in 1000 100000; do
  county="$work/county-$n.gpkg"
  [ -f "$county" ] || "$build/apps/cordon" generate --villages "$n" --groups 1 -q --out "$county"
  cat > "$work/view-$n.yaml" <<YAML
region:
  villages: {path: county-$n.gpkg, layer: villages, id: code, name: name, population: population, parent: [county, township]}
  roads: {path: county-$n.gpkg, layer: roads, speed: speed_kmh}
mobility: {model: gravity, trips_per_person: 0.3, max_destinations: 20}
checkpoints: [{cordon: township, block: 0.3}]
seed_infections: []
imports: [{to: all, per_day: 100, days: [0, 10], infectious: 0.05}]
simulation: {days: 30}
YAML
  xvfb-run -a -s "-screen 0 1600x1000x24" "$build/apps/cordon-viewer" "$work/view-$n.yaml" \
    --size 1400x860 --bench 60
done
