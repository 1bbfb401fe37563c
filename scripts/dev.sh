#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# cordon's one project script.
#   scripts/dev.sh demo   install dependencies, build, run the bundled demo scenario
#   scripts/dev.sh test   install dependencies, build, run every test (incl. ASan/UBSan, TSan, fuzz corpora)
#   scripts/dev.sh quick  the edit loop: build, the tests but the slow ones, no sanitizers (~90 s)
#   scripts/dev.sh deps | build | bench
#   scripts/dev.sh fuzz   every fuzzer for CORDON_FUZZ_SECONDS (default 600) each
#   scripts/dev.sh deb    build the .deb, install it in a clean Debian 12 (debootstrap, as root,
#                         from the Debian mirror) and run the demo, a render and Python from /usr
# Dependencies come from Debian packages (apt-get; run as root or with sudo).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jobs="${CORDON_JOBS:-2}"
packages=(
  build-essential cmake ninja-build pkg-config
  libeigen3-dev libyaml-cpp-dev libcli11-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev clang-tidy
  python3 python3-numpy python3-yaml python3-dev pybind11-dev python3-pandas python3-pytest
  python3-nbconvert python3-ipykernel python3-matplotlib python3-xarray python3-netcdf4
  python3-numba
  libgdal-dev libproj-dev gdal-bin libnetcdf-dev libnlopt-cxx-dev libcairo2-dev libpango1.0-dev libgeos-dev
  libopenmpi-dev openmpi-bin
  ffmpeg
  xvfb xauth libglfw3-dev libimgui-dev libgl-dev libgl1-mesa-dri libglx-mesa0 fonts-wqy-microhei
)

deps() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Every tree is a unity build (sources compiled eight to a translation unit): the
# headers (Eigen, GDAL, gtest) are parsed once per batch, which halves a fresh build.
unity=(-DCMAKE_UNITY_BUILD=ON)
# Sanitizer and fuzzing builds: light optimization and line tables only, which
# compile much faster than -O2 -g and still give file:line in every report.
checked=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1"
  -DCORDON_BUILD_BENCH=OFF "${unity[@]}")

configure() {  # configure DIR [cmake args...]
  local dir="$1"; shift
  if [ ! -f "$dir/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$dir" -G Ninja "$@" >/dev/null
  fi
}

build() {
  configure "$root/build" -DCMAKE_BUILD_TYPE=Release "${unity[@]}"
  cmake --build "$root/build" -j "$jobs"
}

demo() {
  build
  local out="$root/out/demo" county="$root/data/samples/demo-county.gpkg"
  # The demo county is generated, never committed or downloaded.
  [ -f "$county" ] || "$root/build/apps/cordon" generate --villages 50 --seed 1 --out "$county"
  "$root/build/apps/cordon" run "$root/data/samples/demo.yaml" --out "$out"
  echo "results.gpkg layers:"
  ogrinfo -ro -so "$out/results.gpkg" | sed -n '/^[0-9]*:/p'
  # The second sample, on a real county, when the open data folder is beside the repo.
  local real="$root/../shared/data/real/china"
  if [ -d "$real" ]; then
    local derived="$root/data/samples/deqin-derived.gpkg"
    [ -f "$derived" ] || "$root/build/apps/cordon" derive --county 533422 --out "$derived" \
      --counties "$real/diqing_533400_counties_wgs84.geojson" --units "$real/diqing_533400_units.csv"
    echo
    "$root/build/apps/cordon" run "$root/data/samples/deqin.yaml" --out "$root/out/deqin"
  else
    echo "(skipping the Deqin sample: $real is absent)"
  fi
}

# Left to the Release tree by the ASan run: the long end-to-end cases that repeat paths shorter
# tests take under ASan (kill-and-resume, thread-count identity of a calibration, mle over
# every key, the two methods' recovery of a truth, Vietnam's 11,163 communes, a tracing sweep
# of 36 GIS runs): ~220 s of ASan time.
asan_labels="sanitize|cli|tsan|viewer"
asan_skip="Killed|CalibrateCli.ResultsDoNotDependOnTheThreadCount"
asan_skip+="|CalibrateCli.MleCalibratesAnyScenarioKey|VietnamsEmptyCommunesAreNoData"
asan_skip+="|TracingCli.SweepOverDelayAndCoverage|CalibrateCli.(IfEakf|Mle)RecoversR0"

release_only() {  # a ctest -R regex: the Release tree's tests the ASan run leaves out
  local all covered
  all="$(ctest -N | sed -n 's/^ *Test *#[0-9]*: //p' | sort)"
  covered="$(ctest -N -L "$asan_labels" -E "$asan_skip" | sed -n 's/^ *Test *#[0-9]*: //p' | sort)"
  comm -23 <(echo "$all") <(echo "$covered") | sed 's/[.]/[.]/g; s/^/^/; s/$/$/' | paste -sd'|'
}

test_all() {
  build
  # Each test runs once, in the strictest tree that can run it: ASan+UBSan (below) runs every
  # unit, end-to-end and viewer suite, so the Release tree runs what it leaves out: the slow
  # and style checks, Python, the references and goldens, and the long cases above.
  (cd "$root/build" && ctest --output-on-failure -j "$jobs" -R "$(release_only)")

  # The simulation and engine tests under AddressSanitizer + UBSan.
  configure "$root/build-asan" "${checked[@]}" -DCORDON_SANITIZE=ON
  # Every suite is built and run, the viewer's window under Xvfb included; of Li et al.'s
  # calibration the filter run small (Li2020Small), the full one (label slow, 50 s) in Release.
  cmake --build "$root/build-asan" -j "$jobs" --target base_tests sim_tests ensemble_tests model_tests \
    data_tests geo_tests scenario_tests render_tests run_tests viewer_state_tests triangulate_tests \
    geo_cli_tests run_cli_tests batch_cli_tests render_cli_tests sweep_cli_tests calibrate_cli_tests \
    any_model_cli_tests li2020_calibration_tests viewer_tests fuzz_scenario_replay fuzz_vector_layer_replay fuzz_model_replay \
    fuzz_tables_replay fuzz_calibration_replay cordon cordon-viewer
  (cd "$root/build-asan" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    LSAN_OPTIONS=suppressions="$root/tests/lsan.supp" \
    ctest --output-on-failure -j "$jobs" -L "$asan_labels" -E "$asan_skip")

  # Whatever runs threads (ensembles, sweeps, the viewer's background runs) under
  # ThreadSanitizer, so a data race fails here.
  configure "$root/build-tsan" "${checked[@]}" -DCORDON_TSAN=ON -DCORDON_BUILD_VIEWER=OFF
  cmake --build "$root/build-tsan" -j "$jobs" --target ensemble_tests run_tests viewer_state_tests \
    sweep_cli_tests cordon
  # Left out: the SIGKILL-and-resume sweeps (40 long rows take minutes under TSan), shards and
  # MPI ranks (processes, not threads: 45 s) and the ensemble's statistics test (its threads
  # are the ones Ensemble.ResultsDoNotDependOnTheThreadCount runs: 24 s).
  local tsan_skip="KilledSweep|KilledMpiRank|GridIsIdenticalWithShardsAndMpi"
  tsan_skip+="|Ensemble.StochasticMeanFollowsTheDeterministicCurve"
  (cd "$root/build-tsan" && ctest --output-on-failure -j "$jobs" -L tsan -E "$tsan_skip")

  # The fuzz targets' committed corpora (crash inputs found before included) were replayed
  # by ctest above, under ASan+UBSan (fuzz_*_corpus); fuzzing is scripts/dev.sh fuzz.
  echo "all tests passed"
}

quick() {  # the edit loop: the Release build and its tests but the slow ones (no sanitizers)
  build
  (cd "$root/build" && ctest --output-on-failure -j "$jobs" -LE slow -E "Killed|Li2020")
}

fuzz_all() {  # fuzz_all TARGET...: each fuzzer CORDON_FUZZ_SECONDS (scripts/dev.sh fuzz)
  CXX=clang++ CC=clang configure "$root/build-fuzz" "${checked[@]}" -DCORDON_FUZZ=ON \
    -DCORDON_BUILD_TESTS=OFF
  cmake --build "$root/build-fuzz" -j "$jobs" --target "$@"
  local specs=() target
  for target in "$@"; do
    case "$target" in
      fuzz_scenario) specs+=("fuzz_scenario corpus 4096") ;;
      fuzz_vector_layer) specs+=("fuzz_vector_layer corpus_vector 16384") ;;
      fuzz_model) specs+=("fuzz_model corpus_model 8192") ;;
      fuzz_tables) specs+=("fuzz_tables corpus_tables 4096") ;;
      fuzz_calibration) specs+=("fuzz_calibration corpus_calibration 4096") ;;
    esac
  done
  # CORDON_JOBS at a time (a libFuzzer run is one thread): on 2 cores 3 x 10 s, not 5 x 10 s.
  local running=() spec
  for spec in "${specs[@]}"; do
    # shellcheck disable=SC2086  # a spec is three words
    fuzz $spec &
    running+=("$!")
    if [ "${#running[@]}" -ge "$jobs" ]; then
      wait "${running[0]}" || exit 1
      running=("${running[@]:1}")
    fi
  done
  for spec in "${running[@]}"; do wait "$spec" || exit 1; done
}

fuzz() {  # fuzz TARGET CORPUS_DIR MAX_LEN: CORDON_FUZZ_SECONDS (default 10) from a copy of the corpus
  local target="$1" seeds="$root/tests/fuzz/$2" corpus
  corpus="$(mktemp -d)"
  cp "$seeds"/* "$corpus"/
  "$root/build-fuzz/tests/fuzz/$target" -max_total_time="${CORDON_FUZZ_SECONDS:-10}" -seed=1 \
    -max_len="$3" -print_final_stats=0 "$corpus" 2>"$root/build-fuzz/$target.log" ||
    { tail -50 "$root/build-fuzz/$target.log"; echo "$target: FAILED"; exit 1; }
  echo "$target: $(grep -E "^#[0-9]+[[:space:]]+DONE" "$root/build-fuzz/$target.log" | tail -1)"
  rm -rf "$corpus"
}

# The .deb on a clean Debian 12: a minbase chroot (CORDON_DEB_ROOT, kept for reruns) gets the
# package by apt-get, with nothing else installed, then runs the demo from /usr.
deb_check() {
  build
  (cd "$root/build" && cpack -G DEB)
  local chroot="${CORDON_DEB_ROOT:-/tmp/cordon-deb12}" deb
  deb="$(ls "$root"/build/cordon_*_amd64.deb)"
  command -v debootstrap > /dev/null || apt-get install -y debootstrap
  [ -x "$chroot/usr/bin/apt-get" ] ||
    debootstrap --variant=minbase bookworm "$chroot" http://deb.debian.org/debian
  cp /etc/resolv.conf "$chroot/etc/resolv.conf"
  cp "$deb" "$chroot/root/"
  mountpoint -q "$chroot/proc" || mount -t proc proc "$chroot/proc"
  chroot "$chroot" bash -euc "
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q /root/$(basename "$deb") > /dev/null
    rm -rf /root/demo && mkdir /root/demo && cd /root/demo
    cp /usr/share/cordon/samples/demo.yaml . && cp -r /usr/share/cordon/samples/network* .
    cordon generate --villages 50 --seed 1 --out demo-county.gpkg
    cordon run demo.yaml --out out/demo -q && cordon run network.yaml --out out/network -q
    cordon render demo.yaml --day 20 --out day20.png
    python3 -c 'import cordon; print(\"python:\", cordon.run(\"network.yaml\").summary[\"attack_rate\"])'
    ls out/demo out/network /usr/share/man/man1/cordon.1*"
  echo "deb check passed: $chroot/root/demo/day20.png is the render (its Chinese names need the CJK font)"
}

bench() {
  build
  "$root/build/tests/bench/cordon_bench" "$@"
}

cmd="${1:-}"
shift || true
case "$cmd" in
  deps) deps ;;
  build) deps; build ;;
  demo) deps; demo ;;
  test) deps; test_all ;;
  quick) deps; quick ;;
  bench) deps; bench "$@" ;;
  deb) deps; deb_check ;;
  fuzz) deps; CORDON_FUZZ_SECONDS="${CORDON_FUZZ_SECONDS:-600}" fuzz_all fuzz_scenario \
    fuzz_vector_layer fuzz_model fuzz_tables fuzz_calibration ;;
  *) echo "usage: scripts/dev.sh demo|test|quick|build|deps|bench|fuzz|deb" >&2; exit 2 ;;
esac
