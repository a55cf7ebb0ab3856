// The camera's running loop around the relay client, shared by the board and the host camera: saves changed
// sensor settings, runs updates (and holds frames while one downloads), delivers update events, confirms a new
// image once the relay answered, finds the relay by mDNS when no host is configured, and performs a factory reset
// (BOOT held 10 s, or {"cmd":"factory-reset","token":...} with this camera's token).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "client.h"
#include "commands.h"
#include "mdns.h"
#include "ota.h"
#include "settings.h"

namespace camrelay {

class CameraApp final : public Maintenance, public SettingsObserver, public EventSource {
 public:
  // token: this camera's token (copied), which a remote factory reset must present. locator: nullptr when a host is
  // configured.
  CameraApp(Client& client, SettingsStore& store, OtaUpdater& ota, RelayLocator* locator, System& system, Log& log,
            const char* token);

  // One round: the client's step, the update's step, mDNS when needed. Returns how many ms the caller may sleep.
  uint32_t step(uint64_t nowUs);
  // Erases every saved setting and restarts (the BOOT button held 10 s).
  void factoryResetNow(const char* why);

  // Maintenance.
  const char* offerUpdate(const UpdateOffer& offer) override;
  const char* factoryReset(const char* token) override;
  // SettingsObserver.
  void onSensorSettingsChanged(const SensorSettings& settings) override;
  // EventSource.
  size_t nextEvent(char* out, size_t cap) override;

 private:
  Client& client_;
  SettingsStore& store_;
  OtaUpdater& ota_;
  RelayLocator* locator_;
  System& system_;
  Log& log_;
  char token_[kTokenCap] = {0};
  uint32_t sessionsSeen_ = 0;
};

}  // namespace camrelay
