// SPDX-License-Identifier: Apache-2.0
#pragma once
/// The 11 compartments of the default model (docs/model.md) and their names
/// as they appear in output columns.

#include <array>
#include <string_view>

namespace cordon::sim {

/// Compartment index; the state stores one array over patches per compartment.
enum Compartment : int {
  kS,
  kE,
  kI,
  kR,  // free residents
  kSh,
  kEh,
  kIh,  // home isolation
  kSc,
  kEc,
  kIc,  // central isolation
  kH,   // confirmed, in hospital
  kNumCompartments
};

/// Output column names, in Compartment order.
inline constexpr std::array<std::string_view, kNumCompartments> kCompartmentNames = {
    "S", "E", "I", "R", "Sh", "Eh", "Ih", "Sc", "Ec", "Ic", "H"};

/// True for the compartments counted in prevalence (E, I, Eh, Ih, Ec, Ic).
constexpr bool IsPrevalent(int c) {
  return c == kE || c == kI || c == kEh || c == kIh || c == kEc || c == kIc;
}

}  // namespace cordon::sim
