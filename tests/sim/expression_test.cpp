// SPDX-License-Identifier: Apache-2.0
// Rate expressions: parsing, compile-time folding and evaluation over blocks of patches.
#include "cordon/sim/expression.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace cordon::sim {
namespace {

// Names: a, b scalars (slots 0, 1); X, Y per patch (slots 0, 1).
bool Resolve(const std::string& name, Symbol& s) {
  if (name == "a" || name == "b") {
    s = {Symbol::Kind::kScalar, name == "a" ? 0 : 1};
    return true;
  }
  if (name == "X" || name == "Y") {
    s = {Symbol::Kind::kPatchArray, name == "X" ? 0 : 1};
    return true;
  }
  return false;
}

double ScalarOf(const std::string& text, double a = 2.0, double b = 5.0) {
  const double scalars[] = {a, b};
  return Program::Compile(ParseExpression(text), Resolve).Scalar({scalars, nullptr});
}

TEST(Expression, PrecedenceAndAssociativityFollowArithmetic) {
  EXPECT_DOUBLE_EQ(ScalarOf("1 + 2 * 3"), 7.0);
  EXPECT_DOUBLE_EQ(ScalarOf("(1 + 2) * 3"), 9.0);
  EXPECT_DOUBLE_EQ(ScalarOf("2 ^ 3 ^ 2"), 512.0);  // right-associative
  EXPECT_DOUBLE_EQ(ScalarOf("-a ^ 2"), -4.0);      // unary minus binds looser than ^
  EXPECT_DOUBLE_EQ(ScalarOf("10 - 4 - 3"), 3.0);   // left-associative
  EXPECT_DOUBLE_EQ(ScalarOf("a / b * 10"), 4.0);
  EXPECT_DOUBLE_EQ(ScalarOf("min(a, b) + max(a, b)"), 7.0);
  EXPECT_DOUBLE_EQ(ScalarOf("exp(log(b))"), 5.0);
  EXPECT_DOUBLE_EQ(ScalarOf("sqrt(abs(-16))"), 4.0);
  EXPECT_DOUBLE_EQ(ScalarOf("step(a - 2) + step(a - 3)"), 1.0);
  EXPECT_DOUBLE_EQ(ScalarOf("1.5e-1 * 10"), 1.5);
}

TEST(Expression, DivisionByZeroOrLessIsZero) {
  EXPECT_EQ(ScalarOf("a / 0"), 0.0);
  EXPECT_EQ(ScalarOf("a / (b - 10)"), 0.0);
}

TEST(Expression, ConstantsFoldAtCompileTime) {
  const Program p = Program::Compile(ParseExpression("(1 - 0.14) / 3.69"), Resolve);
  EXPECT_TRUE(p.Constant());
  EXPECT_FALSE(p.PerPatch());
  EXPECT_DOUBLE_EQ(p.Scalar({}), (1 - 0.14) / 3.69);
}

TEST(Expression, PerPatchValuesAcrossSeveralBlocks) {
  const int n = 1000;  // several blocks of 128 and a partial one
  std::vector<double> x(n), y(n), out(n, -1.0);
  for (int i = 0; i < n; ++i) {
    x[i] = i;
    y[i] = i % 7 - 3;  // some <= 0: division gives 0
  }
  const double scalars[] = {2.0, 5.0};
  const double* arrays[] = {x.data(), y.data()};
  const Program p = Program::Compile(ParseExpression("a * X / Y + b * (X + 1) ^ 0.5"), Resolve);
  EXPECT_TRUE(p.PerPatch());
  p.Evaluate({scalars, arrays}, 3, n, out.data());
  EXPECT_EQ(out[0], -1.0);  // before `begin`: untouched
  for (int i = 3; i < n; ++i) {
    const double expected = (y[i] > 0 ? 2.0 * x[i] / y[i] : 0.0) + 5.0 * std::sqrt(x[i] + 1);
    ASSERT_DOUBLE_EQ(out[i], expected) << i;
  }
}

TEST(Expression, ErrorsPointAtTheOffendingCharacter) {
  auto offset = [](const std::string& text) {
    try {
      Program::Compile(ParseExpression(text), Resolve);
    } catch (const ExpressionError& e) {
      return e.offset;
    }
    return -1;
  };
  EXPECT_EQ(offset("a + * b"), 4);
  EXPECT_EQ(offset("a + (b"), 6);
  EXPECT_EQ(offset("a + gamma"), 4);   // unknown name
  EXPECT_EQ(offset("2 * foo(a)"), 4);  // unknown function
  EXPECT_EQ(offset("min(a)"), 0);      // wrong arity
  EXPECT_EQ(offset("a b"), 2);         // trailing text
  EXPECT_EQ(offset(""), 0);
}

}  // namespace
}  // namespace cordon::sim
