// SPDX-License-Identifier: Apache-2.0
#include "cordon/engine/daily_file.hpp"

#include <algorithm>

#include "cordon/engine/dates.hpp"
#include "cordon/engine/outputs.hpp"
#include "cordon/sim/simulation.hpp"

namespace cordon::engine {

data::SeriesLayout DailyLayout(const sim::Model& model, const std::string& title,
                               const std::string& start_date, std::vector<double> lon,
                               std::vector<double> lat) {
  data::SeriesLayout layout;
  const sim::Network& net = model.Net();
  layout.ids = net.ids;
  if (std::any_of(net.names.begin(), net.names.end(), [](const auto& n) { return !n.empty(); }))
    layout.names = net.names;
  layout.lon = std::move(lon);
  layout.lat = std::move(lat);
  layout.start_date = start_date;
  layout.title = title;
  layout.single_precision = true;
  layout.source = std::string("cordon ") + Version();
  std::size_t states = 0;
  const std::vector<std::string> columns = sim::PatchColumns(model, &states);
  const auto& compartments = model.Spec().compartments;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    data::SeriesVariable v;
    v.name = columns[c];
    v.units = "persons";
    if (c < states) {
      auto it = std::find_if(compartments.begin(), compartments.end(),
                             [&](const auto& k) { return k.name == v.name; });
      v.long_name = it != compartments.end() && !it->label.empty() ? it->label : v.name;
      if (it == compartments.end()) v.long_name = "persons present";  // the population state
    } else {
      v.long_name = v.name + " during the day";
      v.daily_sum = true;
    }
    layout.variables.push_back(std::move(v));
  }
  return layout;
}

void WriteDailyFile(const std::string& path, const DailyValues& daily) {
  const data::SeriesLayout& layout = daily.layout;
  const std::size_t day_size = daily.DaySize();
  if (path.size() >= 3 && path.compare(path.size() - 3, 3, ".nc") == 0) {
    data::SeriesNetcdfWriter writer(path, layout);
    for (int day = 0; day <= layout.days; ++day)
      writer.AddDay(day, daily.values.get() + std::size_t(day) * day_size);
    writer.Commit();
    return;
  }
  std::vector<std::string> columns;
  for (const auto& v : layout.variables) columns.push_back(v.name);
  DailyCsvWriter writer(path, layout.ids, columns, layout.start_date);
  for (int day = 0; day <= layout.days; ++day)
    writer.AddDay(day, daily.values.get() + std::size_t(day) * day_size);
  writer.Commit();
}

DailyValues ReadDailyNetcdf(const std::string& path) {
  data::SeriesFile file = data::ReadSeriesNetcdf(path);
  DailyValues daily;
  daily.layout = std::move(file.layout);
  daily.values = std::move(file.values);
  return daily;
}

}  // namespace cordon::engine
