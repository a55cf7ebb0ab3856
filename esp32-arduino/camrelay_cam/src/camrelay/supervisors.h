// Two small policies that keep a board alive for months without a human: what to do when the camera stops
// giving frames, and what to do when Wi-Fi stays down.
#pragma once

#include <stdint.h>

namespace camrelay {

// Camera capture failures (esp_camera_fb_get() returning NULL):
//   failures 1..retriesBeforeReinit-1 -> retry shortly;
//   every retriesBeforeReinit-th consecutive failure -> re-initialise the camera;
//   reinitsBeforeRestart re-inits in a row without a single good frame -> restart the board.
class CaptureGuard {
 public:
  enum class Action { kRetry, kReinit, kRestart };
  explicit CaptureGuard(uint32_t retriesBeforeReinit = 5, uint32_t reinitsBeforeRestart = 3);
  Action onFailure();
  void onReinitResult(bool ok);  // a failed re-init counts as a re-init that gave no frame
  void onSuccess();
  uint32_t consecutiveFailures() const { return failures_; }
  uint32_t reinits() const { return reinitsTotal_; }

 private:
  uint32_t retriesBeforeReinit_;
  uint32_t reinitsBeforeRestart_;
  uint32_t failures_ = 0;
  uint32_t reinitsWithoutFrame_ = 0;
  uint32_t reinitsTotal_ = 0;
};

// Wi-Fi supervision on top of the driver's own auto-reconnect:
//   down for rebeginAfterMs (and every rebeginAfterMs after that) -> disconnect and begin() again;
//   down for restartAfterMs in total                             -> restart the board (radio stuck).
class NetworkSupervisor {
 public:
  enum class Action { kNone, kRebegin, kRestart };
  NetworkSupervisor(uint32_t rebeginAfterMs = 30000, uint32_t restartAfterMs = 10 * 60 * 1000);
  Action poll(uint64_t nowUs, bool connected);
  bool connected() const { return connected_; }
  uint32_t outages() const { return outages_; }

 private:
  uint64_t rebeginAfterUs_;
  uint64_t restartAfterUs_;
  bool connected_ = false;
  bool everPolled_ = false;
  uint64_t downSinceUs_ = 0;
  uint64_t lastRebeginUs_ = 0;
  uint32_t outages_ = 0;
};

}  // namespace camrelay
