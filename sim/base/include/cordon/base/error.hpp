// SPDX-License-Identifier: Apache-2.0
#pragma once
/// The one exception family of cordon. Apps map the kinds to exit codes:
/// InputError (bad scenario or data, exit 2), InternalError (a bug, exit 1).

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "cordon/base/source_ref.hpp"

namespace cordon {

/// Base of every exception cordon throws on purpose.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Bad user input: the message names the file, line or feature, key and bad value. An error
/// that knows its input file carries it (Where()); one that does not (sim's rules name keys
/// and ids only) gets it from whoever knows which file was read (engine::BuildScenarioModel).
class InputError : public Error {
 public:
  /// A message that names no input file.
  explicit InputError(const std::string& message) : Error(message) {}
  /// "WHERE: message", WHERE as SourceRef::Describe writes it.
  InputError(SourceRef where, const std::string& message)
      : Error(where.Describe() + ": " + message), where_(std::move(where)) {}
  /// A message that begins with where it is in a form of its own (a GIS layer's "path
  /// (layer L) feature F: ..."); `file` is the input file it names.
  static InputError Named(std::string file, const std::string& message) {
    InputError e(message);
    e.where_ = SourceRef{std::move(file)};
    return e;
  }
  /// The input file (and line, key) this error is about, when the thrower knew it.
  const std::optional<SourceRef>& Where() const { return where_; }

 private:
  std::optional<SourceRef> where_;
};

/// A broken internal invariant: a bug, never the user's fault.
class InternalError : public Error {
 public:
  using Error::Error;
};

}  // namespace cordon
