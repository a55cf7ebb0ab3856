#include "supervisors.h"

namespace camrelay {

CaptureGuard::CaptureGuard(uint32_t retriesBeforeReinit, uint32_t reinitsBeforeRestart)
    : retriesBeforeReinit_(retriesBeforeReinit == 0 ? 1 : retriesBeforeReinit),
      reinitsBeforeRestart_(reinitsBeforeRestart == 0 ? 1 : reinitsBeforeRestart) {}

CaptureGuard::Action CaptureGuard::onFailure() {
  failures_++;
  if (failures_ % retriesBeforeReinit_ != 0) return Action::kRetry;
  if (reinitsWithoutFrame_ >= reinitsBeforeRestart_) return Action::kRestart;
  return Action::kReinit;
}

void CaptureGuard::onReinitResult(bool ok) {
  (void)ok;  // success or not, only a frame proves the camera works again
  reinitsWithoutFrame_++;
  reinitsTotal_++;
}

void CaptureGuard::onSuccess() {
  failures_ = 0;
  reinitsWithoutFrame_ = 0;
}

NetworkSupervisor::NetworkSupervisor(uint32_t rebeginAfterMs, uint32_t restartAfterMs)
    : rebeginAfterUs_(static_cast<uint64_t>(rebeginAfterMs) * 1000),
      restartAfterUs_(static_cast<uint64_t>(restartAfterMs) * 1000) {}

NetworkSupervisor::Action NetworkSupervisor::poll(uint64_t nowUs, bool connected) {
  if (!everPolled_) {
    everPolled_ = true;
    downSinceUs_ = nowUs;
    lastRebeginUs_ = nowUs;
  }
  if (connected) {
    connected_ = true;
    return Action::kNone;
  }
  if (connected_) {  // just went down
    connected_ = false;
    outages_++;
    downSinceUs_ = nowUs;
    lastRebeginUs_ = nowUs;
  }
  if (nowUs - downSinceUs_ >= restartAfterUs_) return Action::kRestart;
  if (nowUs - lastRebeginUs_ >= rebeginAfterUs_) {
    lastRebeginUs_ = nowUs;
    return Action::kRebegin;
  }
  return Action::kNone;
}

}  // namespace camrelay
