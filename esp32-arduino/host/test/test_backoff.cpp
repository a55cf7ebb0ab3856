// Reconnect backoff and the two supervisors.
#include "camrelay/backoff.h"
#include "camrelay/supervisors.h"
#include "fakes.h"
#include "harness.h"

using namespace camrelay;

TEST(backoffDoublesFromBaseToMaxWithTheRandomHalfOnTop) {
  Backoff b(500, 30000);
  fakes::FixedRandom low(0);  // jitter 0: exactly half the ceiling
  const uint32_t expectedLow[] = {250, 500, 1000, 2000, 4000, 8000, 15000, 15000, 15000};
  for (uint32_t e : expectedLow) CHECK_EQ(b.nextDelayMs(low), e);
  b.reset();
  fakes::FixedRandom high(0xFFFFFFFFu);
  uint32_t previous = 0;
  for (int i = 0; i < 12; i++) {
    const uint32_t d = b.nextDelayMs(high);
    CHECK(d >= previous);
    CHECK(d <= 30000);
    previous = d;
  }
}

TEST(backoffJitterSpreadsDelaysOverTheUpperHalf) {
  fakes::SequenceRandom rnd;
  uint32_t lo = UINT32_MAX, hi = 0;
  for (int i = 0; i < 2000; i++) {
    Backoff b(1000, 1000);
    const uint32_t d = b.nextDelayMs(rnd);
    CHECK(d >= 500 && d <= 1000);
    lo = std::min(lo, d);
    hi = std::max(hi, d);
  }
  CHECK(lo < 550);  // really spread, not a constant
  CHECK(hi > 950);
}

TEST(backoffNeverOverflowsHoweverLongItFails) {
  Backoff b(500, 60000);
  fakes::FixedRandom high(0xFFFFFFFFu);
  for (int i = 0; i < 100000; i++) CHECK(b.nextDelayMs(high) <= 60000);
  CHECK_EQ(b.attempts(), static_cast<uint32_t>(100000));
}

TEST(backoffResetStartsAgainFromTheBase) {
  Backoff b(500, 30000);
  fakes::FixedRandom low(0);
  b.nextDelayMs(low);
  b.nextDelayMs(low);
  b.reset();
  CHECK_EQ(b.nextDelayMs(low), static_cast<uint32_t>(250));
  CHECK_EQ(b.maxDelayMs(low), static_cast<uint32_t>(15000));
}

TEST(captureGuardRetriesThenReinitsThenRestarts) {
  CaptureGuard g(5, 3);
  using A = CaptureGuard::Action;
  for (int reinit = 0; reinit < 3; reinit++) {
    for (int i = 0; i < 4; i++) CHECK(g.onFailure() == A::kRetry);
    CHECK(g.onFailure() == A::kReinit);
    g.onReinitResult(true);
  }
  for (int i = 0; i < 4; i++) CHECK(g.onFailure() == A::kRetry);
  CHECK(g.onFailure() == A::kRestart);
}

TEST(captureGuardForgetsFailuresOnceAFrameArrives) {
  CaptureGuard g(5, 1);
  using A = CaptureGuard::Action;
  for (int i = 0; i < 4; i++) g.onFailure();
  CHECK(g.onFailure() == A::kReinit);
  g.onReinitResult(true);
  g.onSuccess();
  for (int i = 0; i < 4; i++) CHECK(g.onFailure() == A::kRetry);
  CHECK(g.onFailure() == A::kReinit);  // not a restart: the re-init had worked
}

TEST(networkSupervisorRebeginsEveryThirtySecondsAndRestartsAfterTenMinutesDown) {
  NetworkSupervisor s(30000, 600000);
  using A = NetworkSupervisor::Action;
  uint64_t t = 1000000;
  CHECK(s.poll(t, true) == A::kNone);
  CHECK(s.poll(t += 1000, false) == A::kNone);  // just went down
  CHECK_EQ(s.outages(), static_cast<uint32_t>(1));
  CHECK(s.poll(t += 29000000, false) == A::kNone);
  CHECK(s.poll(t += 1000000, false) == A::kRebegin);
  CHECK(s.poll(t += 1000000, false) == A::kNone);
  int rebegins = 1;
  while (true) {
    const A a = s.poll(t += 1000000, false);
    if (a == A::kRestart) break;
    if (a == A::kRebegin) rebegins++;
    CHECK(t < 1000000 + 601000000ull);
  }
  CHECK_EQ(rebegins, 19);  // at 30 s, 60 s, ... 570 s; restart at 600 s
  CHECK(s.poll(t += 1000, true) == A::kNone);
  CHECK(s.connected());
}
