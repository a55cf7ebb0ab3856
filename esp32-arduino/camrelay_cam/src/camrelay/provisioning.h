// Setting the camera up without reflashing: when it opens its own access point with the set-up portal, what the
// BOOT button does, and the portal's form (parsing, validation, the page itself).
//
//   power-on --(nothing saved: first boot / after a factory reset)----------------------------> PORTAL
//            --(BOOT pressed within the first 3 s, released before 10 s)----------------------> PORTAL
//            --(BOOT held 10 s, at boot or, on boards where BOOT is free, at any time)-------> FACTORY RESET
//            --> STATION --(saved network not joined for 3 minutes)--> PORTAL
//   PORTAL --(form saved)--> restart;  PORTAL --(10 minutes untouched, a network is saved)--> restart (the router
//   may simply have been slower to boot than the camera after a power cut)
//
// Why "pressed within the first 3 s" and not "held at power-on": BOOT is GPIO 0, a strapping pin; held low while
// the chip comes out of reset it starts the ROM's serial download mode, not this firmware.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ports.h"
#include "settings.h"

namespace camrelay {

enum class StartOrder : uint8_t { kWifiFirst, kCameraFirst };
// With PSRAM the frame buffers do not compete with Wi-Fi for internal RAM, so Wi-Fi starts first and settles
// (its RF calibration and association bursts are the biggest current peaks) before the camera adds its own draw.
// Without PSRAM the one frame buffer needs a large contiguous block of internal RAM, which Wi-Fi's buffers would
// fragment: the camera starts first.
StartOrder chooseStartOrder(bool psram);
const char* startOrderReason(StartOrder order);

// The BOOT button, polled every few milliseconds from boot on.
class ButtonWatcher {
 public:
  enum class Action : uint8_t { kNone, kPortal, kFactoryReset };
  explicit ButtonWatcher(uint32_t bootWindowMs = 3000, uint32_t resetHoldMs = 10000);
  Action poll(uint64_t nowUs, bool pressed);
  // True once the boot window has passed and the button is not held: the boot decision can be made.
  bool settled(uint64_t nowUs) const;
  bool held() const { return pressed_; }

 private:
  uint64_t bootWindowUs_;
  uint64_t resetHoldUs_;
  bool started_ = false;
  uint64_t bootUs_ = 0;
  bool pressed_ = false;
  bool pressStartedInWindow_ = false;
  bool resetFired_ = false;
  uint64_t pressedSinceUs_ = 0;
};

enum class BootMode : uint8_t { kStation, kPortal };
struct BootDecision {
  BootMode mode;
  const char* reason;  // for the serial log
};
BootDecision decideBootMode(const DeviceSettings& settings, ButtonWatcher::Action button);

// Station mode: opens the portal when the saved network has not been joined for portalAfterMs.
class StationWatch {
 public:
  explicit StationWatch(uint32_t portalAfterMs = 3 * 60 * 1000);
  bool shouldOpenPortal(uint64_t nowUs, bool wifiConnected);

 private:
  uint64_t portalAfterUs_;
  bool started_ = false;
  uint64_t downSinceUs_ = 0;
};

// Portal mode: restart when the form was saved, or after idleRestartMs without a visitor while a network is saved.
class PortalWatch {
 public:
  explicit PortalWatch(bool networkSaved, uint32_t idleRestartMs = 10 * 60 * 1000);
  void onVisit(uint64_t nowUs) { lastVisitUs_ = nowUs; }
  bool shouldRestart(uint64_t nowUs);

 private:
  bool networkSaved_;
  uint64_t idleRestartUs_;
  bool started_ = false;
  uint64_t lastVisitUs_ = 0;
};

// The portal form's fields, as submitted (decoded). The page never shows the saved password or token: an empty
// field keeps them.
struct PortalForm {
  char ssid[kSsidCap + 1] = {0};  // one byte more than allowed, so "too long" is detected rather than truncated
  char password[kWifiPasswordCap + 1] = {0};
  bool openNetwork = false;       // "open" checkbox: the network has no password
  bool findByMdns = false;        // "mdns" checkbox
  char host[kHostCap + 1] = {0};
  char port[8] = {0};
  char cameraId[kCameraIdCap + 1] = {0};
  char token[kTokenCap + 1] = {0};
  bool clearToken = false;        // "notoken" checkbox
  char frameSize[16] = {0};
  char fingerprint[128] = {0};
  char tooLong[16] = {0};         // the first field whose value did not fit

  // Sets one field by its form name (ssid pass open mdns host port id token notoken fsize fp); unknown names are
  // ignored.
  void set(const char* name, const char* value);
};

// application/x-www-form-urlencoded ("a=1&b=x+y%21") -> form.set() for each pair. False when the body is not
// well-formed (a bad %-escape, a NUL byte).
bool parseUrlEncodedForm(const char* body, size_t len, PortalForm* form);

// Validates the form against the current settings and produces the settings to save. On failure returns false and
// a message naming the field and the rule (e.g. "Camera id: 1..64 of A-Z a-z 0-9 . _ -, not . or ..").
bool applyPortalForm(const PortalForm& form, const DeviceSettings& current, DeviceSettings* out, char* error,
                     size_t errorCap);

// The portal page (HTML, every value escaped) with the current settings filled in, a message (after a failed
// save, or "" ) and the networks a scan found. Returns its length, or 0 when cap was too small.
size_t renderPortalPage(const DeviceSettings& current, const char* message, const char* const* networks,
                        size_t networkCount, const char* firmware, char* out, size_t cap);

}  // namespace camrelay
