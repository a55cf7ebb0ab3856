#include "camera_app.h"

#include <stdio.h>
#include <string.h>

namespace camrelay {

CameraApp::CameraApp(Client& client, SettingsStore& store, OtaUpdater& ota, RelayLocator* locator, System& system,
                     Log& log, const char* token)
    : client_(client), store_(store), ota_(ota), locator_(locator), system_(system), log_(log) {
  snprintf(token_, sizeof token_, "%s", token ? token : "");
  client_.commands().setObserver(this);
  client_.commands().setMaintenance(this);
  client_.setEvents(this);
}

uint32_t CameraApp::step(uint64_t nowUs) {
  if (locator_ != nullptr && client_.state() == State::kDisconnected) {
    RelayChoice choice;
    if (locator_->poll(nowUs, client_.connectFailuresInARow(), &choice)) client_.setRelay(choice.host, choice.port);
  }
  client_.holdFrames(ota_.downloading());
  uint32_t sleepMs = client_.step();
  if (client_.stats().sessions != sessionsSeen_) {
    sessionsSeen_ = client_.stats().sessions;
    ota_.onRelayReached();
  }
  const uint32_t otaSleepMs = ota_.step();
  if (otaSleepMs < sleepMs) sleepMs = otaSleepMs;
  if (ota_.readyToReboot()) {
    client_.stop("restarting into new firmware");
    system_.restart("firmware update");
  }
  return sleepMs;
}

void CameraApp::factoryResetNow(const char* why) {
  log_.line("camrelay: factory reset (%s)", why);
  client_.stop("factory reset");
  store_.factoryReset();
  system_.restart("factory reset");
}

const char* CameraApp::offerUpdate(const UpdateOffer& offer) { return ota_.offer(offer); }

const char* CameraApp::factoryReset(const char* token) {
  if (token_[0] == '\0') {
    return "this camera has no token: factory reset only with the BOOT button held 10 s";
  }
  if (!secretEquals(token, token_)) return "factory-reset needs \"token\": this camera's token";
  log_.line("camrelay: factory reset requested by CONTROL (token checked)");
  if (!store_.factoryReset()) return "erasing the settings failed";
  return nullptr;  // the dispatcher asks for the restart once the reply is out
}

void CameraApp::onSensorSettingsChanged(const SensorSettings& settings) { store_.saveSensor(settings); }

size_t CameraApp::nextEvent(char* out, size_t cap) { return ota_.nextEvent(out, cap); }

}  // namespace camrelay
