// SPDX-License-Identifier: Apache-2.0
#pragma once
/// The interventions of docs/model.md as time-varying coefficients: checkpoints
/// on commuters' routes, policies (contact multipliers, isolation coverage,
/// essential flows) and arrivals through the gates. Constant between two
/// switch times (a "segment"); recomputed when a step enters a new one.
///
///   pass_ij = e + (1 - e) prod_{k in K_ij} (1 - b_k),  q_ij = 1 - prod_{k in K_ij} (1 - s_k)
///   p_ij = d u_i r_ij pass_ij (i != j),  p_ii = 1 - sum_j p_ij,
///   screening_i = sum_j u_i r_ij pass_ij q_ij    (u_i: travel reductions, 1 when none)
///
/// External trips (residents out of the region and back through their gate route G_i,
/// docs/model.md): p_io = d u_i x pass_io leaves p_ii, and screening_i gains u_i x pass_io q_io.
///
/// Arrivals split into the categories below (persons per day per patch); a
/// model maps the categories to its compartments.

#include <Eigen/Core>
#include <vector>

#include "cordon/sim/inputs.hpp"
#include "cordon/sim/network.hpp"
#include "cordon/sim/state.hpp"  // CheckpointCounter

namespace cordon::sim {

/// Where an arrival ends up: turned back, or a (disease state, isolation) pair,
/// or detected at a gate (admitted to hospital, or isolated at home for want of a bed).
enum ArrivalCategory : int {
  kArrivalTurnedBack,
  kArrivalS,
  kArrivalE,
  kArrivalI,
  kArrivalSh,
  kArrivalEh,
  kArrivalIh,
  kArrivalSc,
  kArrivalEc,
  kArrivalIc,
  kArrivalDetectedAdmitted,
  kArrivalDetectedOverflow,
  kNumArrivalCategories
};

/// The coefficients of one segment, one per run (thread); see Interventions::Prepare.
struct Segment {
  int index = -1;             ///< which segment these are; -1 = none yet
  TripMatrix travel;          ///< p_ij off-diagonal, same pattern as the trips
  Eigen::ArrayXd stay;        ///< p_ii
  Eigen::ArrayXd screening;   ///< sum_j u_i r_ij pass_ij q_ij, per day
  Eigen::ArrayXd contact;     ///< m_i(t), product of the active contact reductions
  Eigen::ArrayXd attempting;  ///< u_i(t), product of the active travel reductions
  /// Per route entry m, three in a row: the share of attempted trips that reach the
  /// checkpoint (3m), that it turns back (3m + 1), and of sick travellers that it detects (3m + 2).
  std::vector<double> route_coef;
  std::vector<double> pass;  ///< pass_ij per trip non-zero (storage order)
  /// External trips: p_io, the share of time residents spend outside (size P; empty when the
  /// run has no external trips), and the infectious share of the people they meet there.
  Eigen::ArrayXd outside;
  double outside_trips = 0.0;       ///< x while the external trips are active, else 0
  double outside_prevalence = 0.0;  ///< infectious share outside while active, else 0
  /// Per gate entry m (Network::gate_checkpoints), as route_coef for the external trips of the
  /// entry's patch: reached out and back (3m), turned back on the way out (3m + 1), detected
  /// (3m + 2). Empty when the run has no external trips.
  std::vector<double> gate_coef;
  double essential = 0.0, home_coverage = 0.0, central_coverage = 0.0;
  std::vector<char> import_active;         ///< per import stream
  std::vector<char> checkpoint_active;     ///< per checkpoint
  std::vector<double> checkpoint_block;    ///< b_k, 0 when inactive or unstaffed
  std::vector<double> checkpoint_screen;   ///< s_k, 0 when inactive or unstaffed
  std::vector<double> checkpoint_isolate;  ///< 0 when inactive or unstaffed
  /// Per checkpoint, set once per run before the first Prepare: 1 = left unstaffed (counts
  /// travellers, stops and screens nobody); see RunSettings::unstaffed_checkpoints.
  std::vector<char> unstaffed;
};

/// A gate checkpoint's counter rate from one arrival stream's patch, persons/day.
struct GateRate {
  int checkpoint = 0;
  int counter = 0;  ///< CheckpointCounter
  double persons = 0.0;
};

/// Policies, arrival streams and the days a trip keeps a visitor away. Value type;
/// the network is passed to each call (the owner keeps it).
class Interventions {
 public:
  Interventions() = default;
  /// Validates policies and streams against `net`. Throws InputError.
  Interventions(const Network& net, Policies policies, std::vector<ImportStream> imports,
                double visit_days, ExternalTrips external = {});

  const Policies& Policy() const { return policies_; }
  const std::vector<ImportStream>& Imports() const { return imports_; }
  bool HasImports() const { return !imports_.empty(); }
  const ExternalTrips& External() const { return external_; }

  /// A segment sized for `net`, not yet prepared.
  Segment MakeSegment(const Network& net) const;
  /// Brings `seg` to time t (days); returns at once when t is in seg's segment.
  void Prepare(const Network& net, double t, Segment& seg) const;
  /// The segment (Segment::index) that time t (days) falls in: policy windows switch only
  /// between segments.
  int SegmentAt(double t) const;

  /// Sets `block` (3 K values: monitored, turned back, detected of checkpoint k at 3k..3k+2) to
  /// the checkpoint counter rates, persons/day, of the commuters and external trips from patches
  /// [begin, begin + count): column i of `free_detectable` holds patch i's free travelling
  /// residents and those detectable at a checkpoint with probability `febrile` x screen.
  /// `routed` lists net's pairs that meet a checkpoint. Route entries are added in storage
  /// order, so blocks summed in patch order give the serial scatter's sums.
  void CheckpointRatesOfPatches(const Network& net, const RoutedPairs& routed, const Segment& seg,
                                const Eigen::ArrayXXd& free_detectable, double febrile, int begin,
                                int count, double* block) const;

  /// Sets `flow` (patches x kNumArrivalCategories, persons/day) to this segment's arrivals and
  /// `gates` (unless nullptr: a run that counts nothing) to the gate checkpoints' counter rates,
  /// in the order a caller must add them to keep sums the same. `admit` = 1 when a bed is free,
  /// `central_open` = 1 when central isolation has room. `flow_zero` tells whether `flow` is all
  /// zero, before (to skip clearing it) and after.
  void ComputeArrivals(const Segment& seg, double febrile, double admit, double central_open,
                       Eigen::ArrayXXd& flow, bool& flow_zero, std::vector<GateRate>* gates) const;

 private:
  // The external trips' part of Prepare: p_io, their share of screening, the gates' coefficients.
  void PrepareExternal(const Network& net, double t, Segment& seg) const;

  Policies policies_;
  std::vector<ImportStream> imports_;
  double visit_days_ = 0.0;
  ExternalTrips external_;
  std::vector<double> switch_times_;  ///< days (sorted, unique): every start and end of a window
};

}  // namespace cordon::sim
