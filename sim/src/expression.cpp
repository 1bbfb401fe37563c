// SPDX-License-Identifier: Apache-2.0
#include "cordon/sim/expression.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

namespace cordon::sim {
namespace {

using Kind = ExprNode::Kind;

// Recursive descent over: sum := product (('+'|'-') product)*;
// product := unary (('*'|'/') unary)*; unary := '-' unary | power;
// power := atom ('^' unary)?; atom := number | name | name '(' args ')' | '(' sum ')'.
class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Expression Run() {
    Expression e;
    e.text = std::string(text_);
    out_ = &e;
    e.root = Sum();
    Skip();
    if (pos_ < text_.size()) Fail("unexpected '" + std::string(1, text_[pos_]) + "'");
    return e;
  }

 private:
  [[noreturn]] void Fail(const std::string& what) const {
    throw ExpressionError(static_cast<int>(pos_), what);
  }
  void Skip() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool Accept(char c) {
    Skip();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  int Add(ExprNode n) {
    out_->nodes.push_back(std::move(n));
    return static_cast<int>(out_->nodes.size()) - 1;
  }
  int Binary(Kind k, int a, int b, int offset) {
    ExprNode n;
    n.kind = k;
    n.args = {a, b};
    n.offset = offset;
    return Add(n);
  }

  int Sum() {
    int left = Product();
    for (;;) {
      const int at = static_cast<int>(pos_);
      if (Accept('+'))
        left = Binary(Kind::kAdd, left, Product(), at);
      else if (Accept('-'))
        left = Binary(Kind::kSub, left, Product(), at);
      else
        return left;
    }
  }
  int Product() {
    int left = Unary();
    for (;;) {
      const int at = static_cast<int>(pos_);
      if (Accept('*'))
        left = Binary(Kind::kMul, left, Unary(), at);
      else if (Accept('/'))
        left = Binary(Kind::kDiv, left, Unary(), at);
      else
        return left;
    }
  }
  int Unary() {
    Skip();
    const int at = static_cast<int>(pos_);
    // Bounded nesting: a text of a thousand '(' or '-' is an error, not a deep recursion.
    if (++depth_ > kMaxDepth) Fail("expression nested too deeply");
    struct Leave {
      int& depth;
      ~Leave() { --depth; }
    } leave{depth_};
    if (Accept('-')) {
      ExprNode n;
      n.kind = Kind::kNegate;
      n.args = {Unary()};
      n.offset = at;
      return Add(n);
    }
    return Power();
  }
  int Power() {
    const int base = Atom();
    const int at = static_cast<int>(pos_);
    if (Accept('^')) return Binary(Kind::kPow, base, Unary(), at);
    return base;
  }
  int Atom() {
    Skip();
    if (pos_ >= text_.size()) Fail(text_.empty() ? "empty expression" : "unexpected end");
    const char c = text_[pos_];
    ExprNode n;
    n.offset = static_cast<int>(pos_);
    if (c == '(') {
      ++pos_;
      const int inner = Sum();
      if (!Accept(')')) Fail("expected ')'");
      return inner;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
      const std::string rest(text_.substr(pos_));
      char* end = nullptr;
      n.number = std::strtod(rest.c_str(), &end);
      if (end == rest.c_str()) Fail("bad number");
      pos_ += static_cast<std::size_t>(end - rest.c_str());
      n.kind = Kind::kNumber;
      if (!std::isfinite(n.number)) Fail("number out of range");
      return Add(n);
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      while (pos_ < text_.size() &&
             (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_'))
        n.name += text_[pos_++];
      if (!Accept('(')) {
        n.kind = Kind::kName;
        return Add(n);
      }
      n.kind = Kind::kCall;
      if (!Accept(')')) {
        do n.args.push_back(Sum());
        while (Accept(','));
        if (!Accept(')')) Fail("expected ',' or ')'");
      }
      return Add(n);
    }
    Fail("unexpected '" + std::string(1, c) + "'");
  }

  static constexpr int kMaxDepth = 200;
  std::string_view text_;
  std::size_t pos_ = 0;
  int depth_ = 0;
  Expression* out_ = nullptr;
};

// Functions: name, arity.
struct Function {
  const char* name;
  int arity;
};
constexpr Function kFunctions[] = {{"min", 2},  {"max", 2}, {"exp", 1}, {"log", 1},
                                   {"sqrt", 1}, {"abs", 1}, {"step", 1}};

constexpr int kBlock = 128;  // patches per block: registers stay in L1

}  // namespace

std::vector<std::string> Expression::Names() const {
  std::vector<std::string> names;
  for (const auto& n : nodes)
    if (n.kind == Kind::kName && std::find(names.begin(), names.end(), n.name) == names.end())
      names.push_back(n.name);
  return names;
}

InputError Expression::ErrorAt(int offset, const std::string& what) const {
  if (where.file.empty()) return InputError("'" + text + "': " + what);
  SourceRef at = where;
  if (at.line > 0) at.column += offset;
  return InputError(at, what);
}

Expression ParseExpression(std::string_view text) { return Parser(text).Run(); }

double Program::Apply(Code code, double a, double b) {
  switch (code) {
    case Code::kNeg:
      return -a;
    case Code::kAdd:
      return a + b;
    case Code::kSub:
      return a - b;
    case Code::kMul:
      return a * b;
    case Code::kDiv:
      return b > 0.0 ? a / b : 0.0;
    case Code::kPow:
      return std::pow(a, b);
    case Code::kMin:
      return std::min(a, b);
    case Code::kMax:
      return std::max(a, b);
    case Code::kExp:
      return std::exp(a);
    case Code::kLog:
      return std::log(a);
    case Code::kSqrt:
      return std::sqrt(a);
    case Code::kAbs:
      return std::abs(a);
    case Code::kStep:
      return a >= 0.0 ? 1.0 : 0.0;
  }
  return 0.0;
}

Program::Operand Program::Emit(const Expression& e, int index, const SymbolResolver& resolve) {
  const ExprNode& n = e.nodes[static_cast<std::size_t>(index)];
  Operand out;
  if (n.kind == Kind::kNumber) {
    out.value = n.number;
    return out;
  }
  if (n.kind == Kind::kName) {
    Symbol s;
    if (!resolve(n.name, s)) throw ExpressionError(n.offset, "unknown name '" + n.name + "'");
    out.src = s.kind == Symbol::Kind::kScalar ? Operand::kScalarIn : Operand::kArrayIn;
    out.index = s.slot;
    per_patch_ = per_patch_ || out.IsArray();
    return out;
  }
  Op op;
  switch (n.kind) {
    case Kind::kNegate:
      op.code = Code::kNeg;
      break;
    case Kind::kAdd:
      op.code = Code::kAdd;
      break;
    case Kind::kSub:
      op.code = Code::kSub;
      break;
    case Kind::kMul:
      op.code = Code::kMul;
      break;
    case Kind::kDiv:
      op.code = Code::kDiv;
      break;
    case Kind::kPow:
      op.code = Code::kPow;
      break;
    default: {
      const auto* f = std::find_if(std::begin(kFunctions), std::end(kFunctions),
                                   [&](const Function& fn) { return n.name == fn.name; });
      if (f == std::end(kFunctions))
        throw ExpressionError(n.offset, "unknown function '" + n.name +
                                            "' (expected min, max, exp, log, sqrt, abs or step)");
      if (static_cast<int>(n.args.size()) != f->arity)
        throw ExpressionError(n.offset, n.name + "() takes " + std::to_string(f->arity) +
                                            (f->arity == 1 ? " argument" : " arguments"));
      op.code = static_cast<Code>(static_cast<int>(Code::kMin) + int(f - kFunctions));
    }
  }
  op.a = Emit(e, n.args[0], resolve);
  if (n.args.size() > 1) op.b = Emit(e, n.args[1], resolve);
  if (op.a.src == Operand::kConst && op.b.src == Operand::kConst) {
    out.value = Apply(op.code, op.a.value, op.b.value);  // folded at compile time
    return out;
  }
  if (op.a.IsArray() || op.b.IsArray()) {
    op.dst = array_regs_++;
    ops_.push_back(op);
    out.src = Operand::kArrayReg;
  } else {
    op.dst = scalar_regs_++;
    scalar_ops_.push_back(op);
    out.src = Operand::kScalarReg;
  }
  out.index = op.dst;
  return out;
}

Program Program::Compile(const Expression& e, const SymbolResolver& resolve) {
  Program p;
  if (e.root < 0) throw ExpressionError(0, "empty expression");
  p.result_ = p.Emit(e, e.root, resolve);
  return p;
}

double Program::ScalarOperand(const Operand& o, const ProgramInputs& in, const double* regs) const {
  switch (o.src) {
    case Operand::kConst:
      return o.value;
    case Operand::kScalarIn:
      return in.scalars[o.index];
    case Operand::kScalarReg:
      return regs[o.index];
    default:
      return 0.0;
  }
}

const double* Program::RunScalarOps(const ProgramInputs& in, double (&stack)[32],
                                    std::vector<double>& heap) const {
  double* regs = stack;
  if (scalar_regs_ > 32) regs = (heap.resize(std::size_t(scalar_regs_)), heap.data());
  for (const Op& op : scalar_ops_)
    regs[op.dst] = Apply(op.code, ScalarOperand(op.a, in, regs), ScalarOperand(op.b, in, regs));
  return regs;
}

double Program::Scalar(const ProgramInputs& in) const {
  if (result_.src == Operand::kConst) return result_.value;
  std::vector<double> heap;
  double stack[32];
  const double* regs = RunScalarOps(in, stack, heap);
  return ScalarOperand(result_, in, regs);
}

namespace {

// dst[k] = f(a[k] or av, b[k] or bv) for k < count: an array operand (non-null) or a scalar.
template <typename F>
void Elementwise(F f, const double* a, double av, const double* b, double bv, double* dst,
                 int count) {
  if (a && b) {
    for (int k = 0; k < count; ++k) dst[k] = f(a[k], b[k]);
  } else if (a) {
    for (int k = 0; k < count; ++k) dst[k] = f(a[k], bv);
  } else if (b) {
    for (int k = 0; k < count; ++k) dst[k] = f(av, b[k]);
  } else {
    const double v = f(av, bv);
    for (int k = 0; k < count; ++k) dst[k] = v;
  }
}

}  // namespace

bool Program::Evaluate(const ProgramInputs& in, int begin, int end, double* out) const {
  if (!per_patch_) {
    std::fill(out + begin, out + end, Scalar(in));
    return true;
  }
  std::vector<double> heap;
  double sstack[32];
  const double* sregs = RunScalarOps(in, sstack, heap);
  // A product whose scalar factor is 0 is 0 everywhere (multiplying by 0 gives 0 for every
  // finite value): tell the caller instead of writing zeros.
  if (!ops_.empty() && result_.src == Operand::kArrayReg && result_.index == ops_.back().dst &&
      ops_.back().code == Code::kMul) {
    const Op& root = ops_.back();
    for (const Operand* o : {&root.a, &root.b})
      if (!o->IsArray() && ScalarOperand(*o, in, sregs) == 0.0) return false;
  }

  std::vector<double> aheap;
  double astack[16 * kBlock];
  double* aregs = astack;
  if (array_regs_ > 16) aregs = (aheap.resize(std::size_t(array_regs_) * kBlock), aheap.data());
  // A pointer to `count` values of operand o for the block starting at `start`,
  // or nullptr with `value` set for a scalar operand.
  auto source = [&](const Operand& o, int start, double& value) -> const double* {
    if (o.src == Operand::kArrayIn) return in.arrays[o.index] + start;
    if (o.src == Operand::kArrayReg) return aregs + std::size_t(o.index) * kBlock;
    value = ScalarOperand(o, in, sregs);
    return nullptr;
  };
  for (int start = begin; start < end; start += kBlock) {
    const int count = std::min(kBlock, end - start);
    for (const Op& op : ops_) {
      double av = 0.0, bv = 0.0;
      const double* a = source(op.a, start, av);
      const double* b = source(op.b, start, bv);
      double* dst = aregs + std::size_t(op.dst) * kBlock;
      // Arithmetic gets straight loops the compiler vectorises (the same operations as
      // Apply's, so the same bits); the rest goes value by value through Apply.
      switch (op.code) {
        case Code::kMul:
          Elementwise([](double x, double y) { return x * y; }, a, av, b, bv, dst, count);
          break;
        case Code::kAdd:
          Elementwise([](double x, double y) { return x + y; }, a, av, b, bv, dst, count);
          break;
        case Code::kSub:
          Elementwise([](double x, double y) { return x - y; }, a, av, b, bv, dst, count);
          break;
        case Code::kDiv:
          Elementwise([](double x, double y) { return y > 0.0 ? x / y : 0.0; }, a, av, b, bv, dst,
                      count);
          break;
        default:
          for (int k = 0; k < count; ++k) dst[k] = Apply(op.code, a ? a[k] : av, b ? b[k] : bv);
      }
    }
    double v = 0.0;
    const double* r = source(result_, start, v);
    for (int k = 0; k < count; ++k) out[start + k] = r[k];
  }
  return true;
}

}  // namespace cordon::sim
