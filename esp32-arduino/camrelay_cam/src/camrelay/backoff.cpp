#include "backoff.h"

namespace camrelay {

Backoff::Backoff(uint32_t baseMs, uint32_t maxMs) : baseMs_(baseMs == 0 ? 1 : baseMs), maxMs_(maxMs) {
  if (maxMs_ < baseMs_) maxMs_ = baseMs_;
}

uint32_t Backoff::jittered(uint32_t ceiling, Random& random) const {
  const uint32_t half = ceiling / 2;
  const uint32_t spread = ceiling - half;  // the random part, [0, spread]
  return half + static_cast<uint32_t>(random.next() % (static_cast<uint64_t>(spread) + 1));
}

uint32_t Backoff::nextDelayMs(Random& random) {
  const uint32_t exponent = attempts_ < 31 ? attempts_ : 31;  // no shift overflow, however long it fails
  uint64_t ceiling = static_cast<uint64_t>(baseMs_) << exponent;
  if (ceiling > maxMs_) ceiling = maxMs_;
  if (attempts_ < UINT32_MAX) attempts_++;
  return jittered(static_cast<uint32_t>(ceiling), random);
}

uint32_t Backoff::maxDelayMs(Random& random) {
  if (attempts_ < UINT32_MAX) attempts_++;
  return jittered(maxMs_, random);
}

}  // namespace camrelay
