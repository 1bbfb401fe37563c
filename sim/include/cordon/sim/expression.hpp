// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Rate expressions of model files ("beta * (Ir + mu * Iu) / N"): parsed once
/// into a tree, then compiled into a flat program over scalar and per-patch
/// operands, so that evaluating a rate for every patch is a few tight loops
/// over blocks of patches: no text and no tree is looked at while running.
///
/// Grammar: numbers, names, + - * / ^ (right-associative), unary minus,
/// parentheses and the functions min(a, b), max(a, b), exp, log, sqrt, abs,
/// step(x) (1 when x >= 0, else 0). Division by a value <= 0 gives 0: an
/// empty patch has no force of infection, and a rate is never negative.

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "cordon/base/error.hpp"
#include "cordon/base/source_ref.hpp"

namespace cordon::sim {

/// A syntax or name error at `offset` (0-based character in the expression text).
class ExpressionError : public std::runtime_error {
 public:
  ExpressionError(int offset, const std::string& what) : std::runtime_error(what), offset(offset) {}
  int offset;
};

/// One node of a parsed expression; children are indices into Expression::nodes.
struct ExprNode {
  enum class Kind { kNumber, kName, kNegate, kAdd, kSub, kMul, kDiv, kPow, kCall };
  Kind kind = Kind::kNumber;
  double number = 0.0;    ///< kNumber
  std::string name;       ///< kName, kCall
  std::vector<int> args;  ///< operands (kNegate 1, binary 2, kCall its arguments)
  int offset = 0;         ///< where the node starts in the text
};

/// A parsed expression (value type). `root` < 0 only for a default-constructed one.
struct Expression {
  std::string text;
  std::vector<ExprNode> nodes;
  int root = -1;
  SourceRef where;  ///< the file, line and column of the text, for messages

  /// The InputError "file:line:col: key: what" at character `offset` of the text, carrying
  /// `where`; "'text': what" when `where` names no file.
  InputError ErrorAt(int offset, const std::string& what) const;
  /// Names the expression refers to, each once, in order of first use.
  std::vector<std::string> Names() const;
};

/// Parses `text`. Throws ExpressionError at the offending character.
Expression ParseExpression(std::string_view text);

/// What a name stands for when compiling: an input the caller passes at
/// evaluation time, one value for all patches or one per patch.
struct Symbol {
  enum class Kind { kScalar, kPatchArray };
  Kind kind = Kind::kScalar;
  int slot = 0;  ///< index into the scalar or array inputs of Program::Evaluate
};

/// Maps a name to its symbol; returns false for an unknown name.
using SymbolResolver = std::function<bool(const std::string& name, Symbol& symbol)>;

/// Inputs of one evaluation: scalar values and per-patch arrays (persons, per day, ...).
struct ProgramInputs {
  const double* scalars = nullptr;
  const double* const* arrays = nullptr;
};

/// A compiled expression. Scalar sub-expressions are computed once per
/// evaluation; per-patch ones block by block over the patches.
class Program {
 public:
  /// Compiles `e`. Throws ExpressionError for an unknown name or a bad call.
  static Program Compile(const Expression& e, const SymbolResolver& resolve);

  /// True when the value differs between patches (it reads a per-patch input).
  bool PerPatch() const { return per_patch_; }
  /// True when the value is a constant known at compile time.
  bool Constant() const { return result_.src == Operand::kConst; }

  /// The value of a scalar program (PerPatch() false).
  double Scalar(const ProgramInputs& in) const;
  /// Writes the value for patches [begin, end) to out[begin .. end); works for scalar programs
  /// too. Returns false, writing nothing, when the value is a product with a factor that is 0
  /// for every patch (a rate switched off: `(1 - admit) * ...` while beds are free).
  bool Evaluate(const ProgramInputs& in, int begin, int end, double* out) const;
  /// The per-patch input slot when the program is that input alone ("lambda"), else -1.
  int InputSlot() const { return result_.src == Operand::kArrayIn ? result_.index : -1; }

 private:
  enum class Code : std::uint8_t {
    kNeg,
    kAdd,
    kSub,
    kMul,
    kDiv,
    kPow,
    kMin,
    kMax,
    kExp,
    kLog,
    kSqrt,
    kAbs,
    kStep
  };
  struct Operand {
    enum Src : std::uint8_t { kConst, kScalarIn, kArrayIn, kScalarReg, kArrayReg };
    Src src = kConst;
    int index = 0;
    double value = 0.0;
    bool IsArray() const { return src == kArrayIn || src == kArrayReg; }
  };
  struct Op {
    Code code = Code::kAdd;
    Operand a, b;
    int dst = 0;
  };

  Operand Emit(const Expression& e, int node, const SymbolResolver& resolve);
  static double Apply(Code code, double a, double b);
  double ScalarOperand(const Operand& o, const ProgramInputs& in, const double* regs) const;
  // The scalar registers of one evaluation, in `stack` (or `heap` when there are more than 32).
  const double* RunScalarOps(const ProgramInputs& in, double (&stack)[32],
                             std::vector<double>& heap) const;

  std::vector<Op> scalar_ops_, ops_;  ///< scalar ops run once; ops_ (array) per block
  Operand result_;
  int scalar_regs_ = 0, array_regs_ = 0;
  bool per_patch_ = false;
};

}  // namespace cordon::sim
