// Reconnect delays: exponential with "equal jitter" (half fixed, half random), so a relay restart does not see
// every camera come back in the same millisecond, and a delay is never zero.
//
//   attempt:      1      2      3      4     ...    n
//   ceiling:    base   2base  4base  8base  ...  min(max, base * 2^(n-1))
//   delay:      ceiling/2 + uniform[0, ceiling/2]
#pragma once

#include <stdint.h>

#include "ports.h"

namespace camrelay {

class Backoff {
 public:
  Backoff(uint32_t baseMs, uint32_t maxMs);
  // The delay before the next attempt; every call counts one more failed attempt.
  uint32_t nextDelayMs(Random& random);
  // The longest delay (for failures that retrying soon cannot fix, e.g. a wrong token).
  uint32_t maxDelayMs(Random& random);
  void reset() { attempts_ = 0; }
  uint32_t attempts() const { return attempts_; }

 private:
  uint32_t jittered(uint32_t ceiling, Random& random) const;
  uint32_t baseMs_;
  uint32_t maxMs_;
  uint32_t attempts_ = 0;
};

}  // namespace camrelay
