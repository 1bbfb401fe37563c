// SPDX-License-Identifier: Apache-2.0
// `cordon render`: the spread of a run as MP4, GIF, PNG, SVG or PDF, without a window.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "command.hpp"
#include "cordon/base/error.hpp"
#include "cordon/engine/display_run.hpp"
#include "cordon/engine/results_reader.hpp"
#include "cordon/render/frame.hpp"
#include "cordon/render/video.hpp"
#include "progress.hpp"

namespace cordon::cli {
namespace {

// `cordon render`: the animation of a run (MP4 or GIF), or one day as PNG, without a window.
struct RenderOptions {
  engine::RunConfig run;
  std::vector<std::string> scenarios;  ///< one, or two side by side
  std::vector<std::string> labels;     ///< their labels (default: scenario names)
  /// --set-a / --set-b: overrides of the first / the second panel alone (after --set)
  std::vector<std::vector<std::string>> panel_overrides = {{}, {}};
  bool quiet = false;
  std::string out;
  std::string metric = "prevalence";
  bool log = false, linear = false;  ///< neither: chosen by the values' spread
  int fps = 8;
  int day = -1;  ///< PNG: the day to draw (-1 = the peak)
  int width = 1280, height = 720;
};

int Render(const RenderOptions& o, bool quiet) {
  ProgressPrinter progress(quiet, "runs");
  const auto metric = o.metric == "cumulative"           ? render::MapMetric::kCumulative
                      : o.metric == "attack_rate"        ? render::MapMetric::kAttackRate
                      : o.metric == "first_infected_day" ? render::MapMetric::kFirstInfectedDay
                                                         : render::MapMetric::kPrevalence;
  std::vector<render::RunView> views;
  for (std::size_t k = 0; k < o.scenarios.size(); ++k) {
    const std::string& scenario = o.scenarios[k];
    engine::RunConfig config = o.run;
    config.scenario = scenario;
    config.overrides.insert(config.overrides.end(), o.panel_overrides[k].begin(),
                            o.panel_overrides[k].end());
    // A folder is a finished run's --out: drawn from its results.gpkg, not run again.
    std::error_code ec;
    const auto run = std::filesystem::is_directory(scenario, ec)
                         ? engine::LoadResultsFolder(scenario)
                         : engine::RunForDisplay(config, [&](int d, int t) { progress(d, t); });
    if (!run.geography)
      throw InputError(scenario + ": render needs a scenario with a village layer");
    views.push_back(render::MakeRunView(run, metric,
                                        o.log      ? std::optional<bool>(true)
                                        : o.linear ? std::optional<bool>(false)
                                                   : std::nullopt));
  }
  render::ShareScale(views);  // side by side, one colour means one value
  const render::RunView& view = views.front();
  int days = 0;
  for (const auto& v : views) days = std::max(days, v.days);
  render::FrameOptions frame;
  frame.width = o.width;
  frame.height = o.height;
  const std::string ext = std::filesystem::path(o.out).extension().string();
  if (ext == ".png" || ext == ".svg" || ext == ".pdf") {
    int day = o.day;
    if (day < 0) {  // the day of the largest regional prevalence
      const auto& y = view.curves.front().y;
      day = static_cast<int>(std::max_element(y.begin(), y.end()) - y.begin());
    } else if (day > days) {
      throw InputError("--day " + std::to_string(day) + ": the run has days 0.." +
                       std::to_string(days));
    }
    if (ext == ".png") {
      render::WritePng(render::DrawFrame(views, o.labels, day, frame), o.out);
    } else {  // a vector figure for reports
      render::Canvas figure =
          render::Canvas::File(o.out, o.width, o.height, render::Rgb{255, 255, 255});
      render::DrawFrame(figure, views, o.labels, day, frame);
      figure.Finish();
    }
    if (!quiet) std::printf("wrote %s (day %d)\n", o.out.c_str(), day);
    return 0;
  }
  render::VideoWriter video(o.out, o.width, o.height, o.fps);
  for (int day = 0; day <= days; ++day) {
    video.Add(render::DrawFrame(views, o.labels, day, frame));
    if (!quiet && ::isatty(STDERR_FILENO)) std::fprintf(stderr, "\rframe %d/%d", day + 1, days + 1);
  }
  video.Finish();
  if (!quiet)
    std::printf("\nwrote %s: %d frames, %dx%d at %d fps\n", o.out.c_str(), video.Frames(), o.width,
                o.height, o.fps);
  return 0;
}

// The output's kind from its extension; sizes even (H.264 needs them so).
void CheckRenderOptions(const RenderOptions& o) {
  if (o.width % 2 || o.height % 2) throw InputError("--width and --height must be even");
  if (o.log && o.linear) throw InputError("--log and --linear: choose one");
  if (!o.labels.empty() && o.labels.size() != o.scenarios.size())
    throw InputError("--labels: " + std::to_string(o.labels.size()) + " labels for " +
                     std::to_string(o.scenarios.size()) + " scenario(s)");
  const std::string ext = std::filesystem::path(o.out).extension().string();
  const bool still = ext == ".png" || ext == ".svg" || ext == ".pdf";
  if (ext != ".mp4" && ext != ".gif" && !still)
    throw InputError("--out " + o.out + ": expected a .mp4, .gif, .png, .svg or .pdf file");
  if (o.day >= 0 && !still)
    throw InputError("--day " + std::to_string(o.day) +
                     ": only for a .png, .svg or .pdf (a video shows every day)");
  for (std::size_t k = 0; k < o.scenarios.size(); ++k) {
    std::error_code ec;
    if (!o.panel_overrides[k].empty() && std::filesystem::is_directory(o.scenarios[k], ec))
      throw InputError(std::string(k == 0 ? "--set-a" : "--set-b") + ": " + o.scenarios[k] +
                       " is a finished run's folder, drawn as it is (nothing runs again)");
  }
  const bool pair = o.scenarios.size() == 2;
  if (!pair && !o.panel_overrides[1].empty())
    throw InputError("--set-b: there is no second scenario to change");
  if (pair) {
    // Two panels of one scenario with the same overrides draw the same map twice, whatever
    // their labels say (`render a.yaml a.yaml --set checkpoints=[]` changes both).
    std::error_code ec;
    const bool same_file = std::filesystem::equivalent(o.scenarios[0], o.scenarios[1], ec);
    if (same_file && o.panel_overrides[0] == o.panel_overrides[1])
      throw InputError(o.scenarios[1] +
                       ": both panels are the same scenario with the same overrides (--set "
                       "changes both): give one panel its own with --set-a or --set-b");
  }
  // Before any simulation: a missing folder would otherwise fail only at the end.
  const std::filesystem::path folder = std::filesystem::path(o.out).parent_path();
  std::error_code ec;
  if (!folder.empty() && !std::filesystem::is_directory(folder, ec))
    throw InputError("--out " + o.out + ": the folder " + folder.string() + " does not exist");
}

}  // namespace

Command AddRenderCommand(CLI::App& app) {
  auto s = std::make_shared<RenderOptions>();
  CLI::App* cmd = app.add_subcommand(
      "render", "Draw a scenario's spread as MP4, GIF, PNG, SVG or PDF (no window needed)");
  cmd->add_option("scenarios", s->scenarios,
                  "Scenario YAML file (with a village layer) or a run's --out folder (drawn from "
                  "its results.gpkg); two: drawn side by side")
      ->required()
      ->expected(1, 2);
  cmd->add_option("--labels", s->labels, "Labels of the scenarios (default: their names)")
      ->delimiter(',');
  cmd->add_option("--out,-o", s->out, "Output .mp4, .gif (every day), .png, .svg or .pdf (one day)")
      ->required();
  cmd->add_option("--metric", s->metric,
                  "prevalence | cumulative (per 1,000) | attack_rate (%) | first_infected_day")
      ->check(CLI::IsMember({"prevalence", "cumulative", "attack_rate", "first_infected_day"}))
      ->capture_default_str();
  cmd->add_flag("--log", s->log,
                "Logarithmic colour scale (default: when a few villages lie far above the rest)");
  cmd->add_flag("--linear", s->linear, "Linear colour scale");
  cmd->add_option("--fps", s->fps, "Frames (days) per second")
      ->check(CLI::Range(1, 60))
      ->capture_default_str();
  cmd->add_option("--day", s->day, "PNG, SVG or PDF: the day to draw (default: the peak)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--width", s->width, "Frame width, pixels (even)")
      ->check(CLI::Range(320, 7680))
      ->capture_default_str();
  cmd->add_option("--height", s->height, "Frame height, pixels (even)")
      ->check(CLI::Range(240, 4320))
      ->capture_default_str();
  cmd->add_option("--set", s->run.overrides,
                  "Override a scenario key of every panel: key.path=value")
      ->allow_extra_args(false);
  cmd->add_option("--set-a", s->panel_overrides[0],
                  "Override a key of the first panel alone: key.path=value")
      ->allow_extra_args(false);
  cmd->add_option("--set-b", s->panel_overrides[1],
                  "Override a key of the second panel alone: key.path=value")
      ->allow_extra_args(false);
  AddThreadsOption(cmd, s->run.threads);
  cmd->add_flag("--quiet,-q", s->quiet, "Print nothing");
  return {cmd,
          [s] {
            CheckRenderOptions(*s);
            return Render(*s, s->quiet);
          },
          std::shared_ptr<const int>(s, &s->run.threads)};
}

}  // namespace cordon::cli
