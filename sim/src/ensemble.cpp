// SPDX-License-Identifier: Apache-2.0
#include "cordon/sim/ensemble.hpp"

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <exception>
#include <limits>
#include <map>
#include <mutex>
#include <optional>

#include "cordon/base/progress.hpp"
#include "cordon/base/threads.hpp"

namespace cordon::sim {

int EnsembleResult::Column(const std::string& name) const {
  for (std::size_t c = 0; c < columns.size(); ++c)
    if (columns[c] == name) return static_cast<int>(c);
  return -1;
}

double Quantile(std::vector<double>& values, double q) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(values.begin(), values.end());
  const double h = (double(values.size()) - 1.0) * q;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (h - double(lo)) * (values[hi] - values[lo]);
}

namespace {

// Sums per-village results in run order, whatever order runs finish in.
class OrderedMerge {
 public:
  OrderedMerge(int patches, int checkpoints)
      : attack_(Eigen::ArrayXd::Zero(patches)),
        infections_(Eigen::ArrayXd::Zero(patches)),
        peak_(Eigen::ArrayXd::Zero(patches)),
        first_sum_(Eigen::ArrayXd::Zero(patches)),
        reached_(Eigen::ArrayXd::Zero(patches)),
        checkpoints_(Eigen::ArrayXXd::Zero(checkpoints, kNumCheckpointCounters)) {}

  void Add(int run, RunResult result) {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_.emplace(run, std::move(result));
    while (!pending_.empty() && pending_.begin()->first == next_) {
      const RunResult& r = pending_.begin()->second;
      attack_ += r.attack_rate;
      infections_ += r.infections_per_person;
      if (flow_totals_.size() == 0)
        flow_totals_ = Eigen::ArrayXXd::Zero(r.flow_totals.rows(), r.flow_totals.cols());
      flow_totals_ += r.flow_totals;
      peak_ += r.peak_day.cast<double>();
      const auto reached = (r.first_infected_day >= 0);
      first_sum_ += reached.select(r.first_infected_day.cast<double>(), 0.0);
      reached_ += reached.cast<double>();
      checkpoints_ += r.checkpoint_totals;
      pending_.erase(pending_.begin());
      ++next_;
    }
  }

  void Finish(int runs, EnsembleResult& out) const {
    const double n = runs;
    out.attack_rate = attack_ / n;
    out.infections_per_person = infections_ / n;
    out.flow_totals = flow_totals_ / n;
    out.peak_day = peak_ / n;
    out.infected_share = reached_ / n;
    out.first_infected_day =
        (reached_ * 2.0 >= n && reached_ > 0.0)
            .select(first_sum_ / reached_.max(1.0), std::numeric_limits<double>::quiet_NaN());
    out.checkpoint_totals = checkpoints_ / n;
  }

 private:
  std::mutex mutex_;
  std::map<int, RunResult> pending_;
  int next_ = 0;
  Eigen::ArrayXd attack_, infections_, peak_, first_sum_, reached_;
  Eigen::ArrayXXd checkpoints_, flow_totals_;
};

// The per-patch daily values summed over runs. Each run adds a day as it reaches it, after
// the run before it has added that day: sums in run order, bitwise the same for any thread
// count, and no run keeps a table of its own. Runs are handed out in order, so the lowest
// unfinished run never waits.
class OrderedDailySum {
 public:
  OrderedDailySum(int days, std::size_t day_size)
      : day_size_(day_size), sum_(std::size_t(days + 1) * day_size, 0.0), next_(days + 1, 0) {}

  void Add(int run, int day, const double* values) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      turn_.wait(lock, [&] { return stopped_ || next_[std::size_t(day)] == run; });
      // Another run failed: add nothing and let this run end; the failure is the error the
      // caller sees (throwing here could race it to be reported first).
      if (stopped_) return;
    }
    // Only the run whose turn it is touches this day's sums.
    double* sum = sum_.data() + std::size_t(day) * day_size_;
    for (std::size_t k = 0; k < day_size_; ++k) sum[k] += values[k];
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++next_[std::size_t(day)];
    }
    turn_.notify_all();
  }

  /// Wakes waiting runs and stops every Add (a run failed).
  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopped_ = true;
    }
    turn_.notify_all();
  }

  /// Turns the sums into means over `runs`, gives each day to `on_patch_day` and, with
  /// `keep`, moves the table into `out`.
  void Finish(int runs, const PatchDayCallback& on_patch_day, bool keep, std::vector<double>& out) {
    const double n = runs;
    for (double& v : sum_) v /= n;
    if (on_patch_day)
      for (std::size_t d = 0; d < next_.size(); ++d)
        on_patch_day(int(d), sum_.data() + d * day_size_);
    if (keep) out = std::move(sum_);
  }

 private:
  std::size_t day_size_;
  std::vector<double> sum_;  ///< [day][column][patch]
  std::vector<int> next_;    ///< per day: the run whose turn it is to add
  std::mutex mutex_;
  std::condition_variable turn_;
  bool stopped_ = false;
};

}  // namespace

EnsembleResult RunEnsemble(const Model& model, const RunSettings& settings, int threads,
                           const Progress& on_run, const Progress& on_day,
                           const PatchDayCallback& on_patch_day) {
  settings.Validate();
  if (threads <= 0) threads = ResolveThreads(0).count;
  const int runs = settings.mode == Mode::kStochastic ? settings.runs : 1;
  EnsembleResult out;
  out.columns = model.SeriesColumns();
  out.run_series.resize(runs);
  out.run_overflow.resize(runs);
  out.run_villages_infected.resize(runs);
  OrderedMerge merge(model.Patches(), model.Checkpoints());
  // An ensemble's daily values are summed day by day; a single run passes them through.
  const bool daily = settings.record_patch_daily || on_patch_day;
  std::optional<OrderedDailySum> daily_sum;
  RunSettings run_settings = settings;
  if (runs > 1 && daily) {
    daily_sum.emplace(settings.days, PatchColumns(model).size() * std::size_t(model.Patches()));
    run_settings.record_patch_daily = false;
  }
  ProgressCounter finished;
  ParallelFor(runs, threads, [&](int run) {
    DayCallback day_done;
    if (runs == 1 && on_day) day_done = [&](int day) { on_day(day, settings.days); };
    PatchDayCallback patch_day = on_patch_day;
    if (daily_sum)
      patch_day = [&, run](int day, const double* values) { daily_sum->Add(run, day, values); };
    // Fewer runs than threads: the spare threads share each run's patches.
    RunResult r;
    try {
      r = Simulate(model, run_settings, run, day_done, runs < threads ? threads / runs : 1,
                   patch_day);
    } catch (...) {
      if (daily_sum) daily_sum->Stop();
      throw;
    }
    if (runs == 1) out.patch_daily = std::move(r.patch_daily);
    if (run == 0) {  // the same for every run
      out.patch_columns = r.patch_columns;
      out.flow_columns = r.flow_columns;
      out.state_columns = r.state_columns;
    }
    out.run_series[run] = std::move(r.series);
    out.run_overflow[run] = std::move(r.overflow);
    out.run_villages_infected[run] = int((r.first_infected_day >= 0).count());
    merge.Add(run, std::move(r));
    finished.Tick([&](long long done) {
      if (on_run) on_run(done, runs);
    });
  });

  merge.Finish(runs, out);
  if (daily_sum)
    daily_sum->Finish(runs, on_patch_day, settings.record_patch_daily, out.patch_daily);
  const Eigen::Index days = out.run_series[0].rows();
  const Eigen::Index columns = out.run_series[0].cols();
  out.mean = Eigen::ArrayXXd::Zero(days, columns);
  for (const auto& s : out.run_series) out.mean += s;
  out.mean /= double(runs);
  out.mean_overflow.assign(days, 0.0);
  for (const auto& o : out.run_overflow)
    for (Eigen::Index d = 0; d < days; ++d) out.mean_overflow[d] += o[d] / runs;
  out.q05 = out.q50 = out.q95 = out.mean;
  std::vector<double> values(runs);
  for (Eigen::Index d = 0; d < days; ++d) {
    for (Eigen::Index c = 0; c < columns; ++c) {
      for (int r = 0; r < runs; ++r) values[r] = out.run_series[r](d, c);
      out.q05(d, c) = Quantile(values, 0.05);
      out.q50(d, c) = Quantile(values, 0.50);
      out.q95(d, c) = Quantile(values, 0.95);
    }
  }
  return out;
}

}  // namespace cordon::sim
