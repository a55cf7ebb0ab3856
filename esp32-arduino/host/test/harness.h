// A tiny self-contained test harness (no third-party library on the host build).
//   TEST(behaviourSentence) { CHECK(cond); CHECK_EQ(a, b); }
// A failed check ends its test (it throws); the runner prints one line per test and "N passed, M failed" last.
#pragma once

#include <cstdint>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace harness {

struct Failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct TestCase {
  const char* name;
  void (*fn)();
};

std::vector<TestCase>& registry();

struct Registrar {
  Registrar(const char* name, void (*fn)()) { registry().push_back({name, fn}); }
};

template <typename T>
std::string show(const T& v) {
  std::ostringstream out;
  out << v;
  return out.str();
}
inline std::string show(const std::string& v) { return "\"" + v + "\""; }
inline std::string show(const char* v) { return v ? "\"" + std::string(v) + "\"" : "null"; }
inline std::string show(bool v) { return v ? "true" : "false"; }
inline std::string show(uint8_t v) { return std::to_string(static_cast<unsigned>(v)); }

[[noreturn]] inline void fail(const char* file, int line, const std::string& what) {
  std::ostringstream out;
  out << file << ":" << line << ": " << what;
  throw Failure(out.str());
}

}  // namespace harness

#define TEST(name)                                                \
  static void name();                                             \
  static ::harness::Registrar registrar_##name(#name, &name);     \
  static void name()

#define CHECK(cond)                                                             \
  do {                                                                          \
    if (!(cond)) ::harness::fail(__FILE__, __LINE__, "CHECK(" #cond ") failed"); \
  } while (0)

#define CHECK_EQ(a, b)                                                                                     \
  do {                                                                                                     \
    const auto& check_a_ = (a);                                                                            \
    const auto& check_b_ = (b);                                                                            \
    if (!(check_a_ == check_b_)) {                                                                         \
      ::harness::fail(__FILE__, __LINE__,                                                                  \
                      "CHECK_EQ(" #a ", " #b "): " + ::harness::show(check_a_) + " != " + ::harness::show(check_b_)); \
    }                                                                                                      \
  } while (0)

#define CHECK_CONTAINS(haystack, needle)                                                                     \
  do {                                                                                                       \
    const std::string check_h_ = (haystack);                                                                 \
    const std::string check_n_ = (needle);                                                                   \
    if (check_h_.find(check_n_) == std::string::npos) {                                                      \
      ::harness::fail(__FILE__, __LINE__, "expected " + ::harness::show(check_h_) + " to contain " + ::harness::show(check_n_)); \
    }                                                                                                        \
  } while (0)
