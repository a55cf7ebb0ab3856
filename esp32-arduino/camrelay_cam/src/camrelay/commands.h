// CONTROL commands the relay forwards from viewers (docs/DESIGN.md, "Control commands"):
//
//   {"cmd":"framesize","value":"VGA"}    name (QQVGA..QXGA) or "640x480"; up to the board's maximum
//   {"cmd":"quality","value":12}         4..63, lower = better JPEG quality, bigger frames
//   {"cmd":"brightness","value":1}       -2..2
//   {"cmd":"contrast","value":0}         -2..2
//   {"cmd":"vflip","value":true}         boolean (or 0/1)
//   {"cmd":"hmirror","value":false}      boolean (or 0/1)
//   {"cmd":"led","value":128}            flash LED PWM duty 0..255
//   {"cmd":"stream","on":true}           start/stop sending frames (on-demand cameras)
//   {"cmd":"restart"}                    reply, then reboot
//   {"cmd":"status"}                     settings, fps, counters, heap/PSRAM/RSSI
//   {"cmd":"ota","url":"http://relay:8080/firmware/..","size":1234567,"sha256":"<64 hex>","version":"0.2.0"}
//                                        download, verify and boot a new firmware image (ota.h)
//   {"cmd":"factory-reset","token":"<this camera's token>"}
//                                        erase every saved setting and restart into the set-up portal
//
// Every command is answered: {"ok":true,...the new setting...} or {"ok":false,"error":"..."}.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "ports.h"

namespace camrelay {

const char* frameSizeName(FrameSize size);  // "VGA"
uint16_t frameSizeWidth(FrameSize size);
uint16_t frameSizeHeight(FrameSize size);
// "VGA", "vga" or "640x480" -> true and *out; false for anything else.
bool parseFrameSize(const char* text, FrameSize* out);

struct SensorSettings {
  FrameSize frameSize = FrameSize::kVGA;
  int quality = 12;
  int brightness = 0;
  int contrast = 0;
  bool vflip = false;
  bool hmirror = false;
  int led = 0;
};

// What a command can ask of the connection (implemented by Client).
class Session {
 public:
  virtual void setStreaming(bool on) = 0;
  virtual bool streaming() const = 0;
  virtual void requestRestart() = 0;              // after the reply has been sent
  virtual void writeStatus(JsonWriter& json) = 0; // id, firmware, fps, counters

 protected:
  ~Session() = default;
};

// Told about every sensor setting a command changed, so it survives a reboot (SettingsStore::saveSensor).
class SettingsObserver {
 public:
  virtual void onSensorSettingsChanged(const SensorSettings& settings) = 0;

 protected:
  ~SettingsObserver() = default;
};

struct UpdateOffer {
  const char* url;
  int64_t size;
  const char* sha256;   // 64 hex digits
  const char* version;  // may be ""
};

// The commands that reach beyond the sensor.
class Maintenance {
 public:
  // Starts an update the relay offered: nullptr when the download begins, else a specific refusal.
  virtual const char* offerUpdate(const UpdateOffer& offer) = 0;
  // Erases the saved settings when `token` is this camera's token: nullptr when done (the camera then restarts),
  // else why not.
  virtual const char* factoryReset(const char* token) = 0;

 protected:
  ~Maintenance() = default;
};

constexpr size_t kMaxReply = 1024;  // a full "status" reply is about 800 bytes

class CommandDispatcher {
 public:
  CommandDispatcher(CameraControl& camera, const SensorSettings& initial);

  // Runs one command and writes its reply (always one complete JSON object) into out[cap].
  // Returns the reply's length; *ok tells whether it succeeded.
  size_t handle(const char* json, size_t len, Session& session, DeviceInfo* device, char* out, size_t cap, bool* ok);

  const SensorSettings& settings() const { return settings_; }
  void setObserver(SettingsObserver* observer) { observer_ = observer; }
  void setMaintenance(Maintenance* maintenance) { maintenance_ = maintenance; }
  // Whether the last command carried a secret (a token): the caller must not log its JSON.
  bool lastCommandHadSecret() const { return lastHadSecret_; }

 private:
  size_t error(char* out, size_t cap, const char* fmt, ...) CAMRELAY_PRINTF(4, 5);
  void changed();
  CameraControl& camera_;
  SensorSettings settings_;
  SettingsObserver* observer_ = nullptr;
  Maintenance* maintenance_ = nullptr;
  bool lastHadSecret_ = false;
};

}  // namespace camrelay
