#include <cstdio>
#include <cstring>
#include <exception>

#include "harness.h"

namespace harness {
std::vector<TestCase>& registry() {
  static std::vector<TestCase> tests;
  return tests;
}
}  // namespace harness

// Usage: unit_tests [substring]   (runs the tests whose name contains the substring)
int main(int argc, char** argv) {
  const char* filter = argc > 1 ? argv[1] : nullptr;
  int passed = 0, failed = 0;
  for (const harness::TestCase& t : harness::registry()) {
    if (filter && !strstr(t.name, filter)) continue;
    try {
      t.fn();
      passed++;
      std::printf("ok    %s\n", t.name);
    } catch (const std::exception& e) {
      failed++;
      std::printf("FAIL  %s\n      %s\n", t.name, e.what());
    }
  }
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 && passed > 0 ? 0 : 1;
}
