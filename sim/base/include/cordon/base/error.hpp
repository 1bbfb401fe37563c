// SPDX-License-Identifier: Apache-2.0
#pragma once
/// The one exception family of cordon. Apps map the kinds to exit codes:
/// InputError (bad scenario or data, exit 2), InternalError (a bug, exit 1).

#include <stdexcept>
#include <string>

namespace cordon {

/// Base of every exception cordon throws on purpose.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Bad user input: the message names the file, line or feature, key and bad value.
class InputError : public Error {
 public:
  using Error::Error;
};

/// A broken internal invariant: a bug, never the user's fault.
class InternalError : public Error {
 public:
  using Error::Error;
};

}  // namespace cordon
