// Firmware updates offered by the relay over the control channel (docs: esp32-arduino/README.md, "Updates"):
//
//   IDLE --offer {"cmd":"ota",url,size,sha256}--> DOWNLOADING --all `size` bytes, SHA-256 matches--> REBOOTING
//     ^                                              |  short / long image, hash mismatch, stall,        |
//     +------------- "failed" event ------------------+  HTTP or flash error: the slot is abandoned        | restart
//                                                                                                        v
//   CONFIRMING (first boot of the new image) --WELCOME from the relay--> mark valid, "confirmed" --> IDLE
//        |  no WELCOME within confirmTimeoutMs (or the image crashes and the board resets)
//        +--> mark invalid: the bootloader starts the previous image, which reports "rolled-back"
//
// The image is written to the app partition that is NOT running (Update / esp_ota on the board), so a power cut
// at any point before the final switch leaves the old firmware booting as before; the switch happens only after
// the last byte was written and the SHA-256 over all bytes matched. The hash protects the image, the camera's
// authenticated control channel protects the hash: the download itself may be plain HTTP.
//
// Progress and results go to the relay as events (CONTROL requests with id 0, which v1 relays ignore):
//   {"event":"ota","state":"downloading","received":N,"size":M}   every 10 %
//   {"event":"ota","state":"failed","error":"..."}
//   {"event":"ota","state":"rebooting","version":"..."}
//   {"event":"ota","state":"confirmed","version":"..."}           after the reboot, once the relay was reached
//   {"event":"ota","state":"rolled-back","version":"<running>","error":"..."}
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "commands.h"
#include "json.h"
#include "ports.h"
#include "settings.h"

namespace camrelay {

// One HTTP(S) GET at a time (HTTPClient over WiFiClient / pinned WiFiClientSecure on the board).
class HttpDownload {
 public:
  static constexpr int kEnd = -1;     // the whole body was read
  static constexpr int kFailed = -2;  // connection lost or another error (lastError() says)
  // Sends the GET. False on failure (DNS, connect, TLS pin, a status other than 200) with lastError().
  // *contentLength is -1 when the response has none.
  virtual bool open(const char* url, int64_t* contentLength) = 0;
  // Waits at most waitMs for body bytes: > 0 bytes read, 0 none yet, kEnd, kFailed.
  virtual int read(uint8_t* buf, size_t cap, uint32_t waitMs) = 0;
  virtual void close() = 0;
  virtual const char* lastError() = 0;

 protected:
  ~HttpDownload() = default;
};

// The app partition that is not running (arduino-esp32's Update on the board).
class FirmwareSlot {
 public:
  virtual size_t capacity() = 0;  // 0: the partition table has no second app partition
  virtual bool begin(size_t size) = 0;
  virtual bool write(const uint8_t* data, size_t len) = 0;
  // Completes the image and makes it the one the bootloader starts next (as "new": it must confirm itself).
  virtual bool finish() = 0;
  virtual void abort() = 0;
  virtual const char* lastError() = 0;

 protected:
  ~FirmwareSlot() = default;
};

class Sha256 {
 public:
  virtual void begin() = 0;
  virtual void update(const uint8_t* data, size_t len) = 0;
  virtual void finish(uint8_t out[32]) = 0;

 protected:
  ~Sha256() = default;
};

// The bootloader's view of the running image (esp_ota_* with CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE).
class BootImage {
 public:
  // True on the first boot of a new image, which the bootloader rolls back unless it is marked valid.
  virtual bool pendingVerify() = 0;
  virtual bool markValid() = 0;
  // Marks this image invalid and restarts into the previous one (never returns on the board).
  virtual void rollBack() = 0;

 protected:
  ~BootImage() = default;
};

struct OtaConfig {
  uint32_t stallTimeoutMs = 20000;             // no byte for this long ends the download
  uint32_t confirmTimeoutMs = 5 * 60 * 1000;   // the new image must reach the relay within this
  uint32_t rebootDelayMs = 2000;               // time for the "rebooting" event to reach the relay
  size_t maxBytesPerStep = 16 * 1024;          // keeps the camera's loop (PINGs, commands) responsive
};

class OtaUpdater {
 public:
  enum class State : uint8_t { kIdle, kDownloading, kRebooting, kConfirming };

  OtaUpdater(HttpDownload& http, FirmwareSlot& slot, Sha256& sha, BootImage& boot, KeyValueStore& store,
             Clock& clock, Log& log, const char* runningVersion, const OtaConfig& config = OtaConfig());

  // Once at start-up: notices the first boot of a new image (CONFIRMING) or a rollback of the last update.
  void atBoot();
  // The relay's offer: nullptr when the download starts, else a specific refusal (bad URL, size, hash, busy).
  const char* offer(const UpdateOffer& offer);
  // The relay answered (WELCOME): a new image is confirmed.
  void onRelayReached();
  // A bounded piece of work; returns how many ms the caller may sleep.
  uint32_t step();
  // True when the new image is ready and the "rebooting" event had its chance to go out: the caller closes the
  // relay connection and restarts.
  bool readyToReboot();
  State state() const { return state_; }
  bool downloading() const { return state_ == State::kDownloading; }
  uint64_t received() const { return received_; }
  // The oldest undelivered event as JSON; returns its length, 0 when there is none.
  size_t nextEvent(char* out, size_t cap);

 private:
  void fail(const char* fmt, ...) CAMRELAY_PRINTF(2, 3);
  void startDownload();
  void completeDownload();
  void queue(JsonWriter& w, bool progress);
  void forgetPending();

  HttpDownload& http_;
  FirmwareSlot& slot_;
  Sha256& sha_;
  BootImage& boot_;
  KeyValueStore& store_;
  Clock& clock_;
  Log& log_;
  const char* running_;
  OtaConfig config_;

  State state_ = State::kIdle;
  char url_[kMaxUrl] = {0};
  char expectedSha_[65] = {0};
  char version_[32] = {0};
  uint64_t size_ = 0;
  uint64_t received_ = 0;
  bool opened_ = false;
  uint64_t lastDataUs_ = 0;
  uint64_t stateSinceUs_ = 0;
  uint32_t nextProgressPercent_ = 10;

  static constexpr size_t kEvents = 4;
  static constexpr size_t kEventCap = 200;
  char events_[kEvents][kEventCap] = {};
  size_t eventLen_[kEvents] = {};
  bool eventIsProgress_[kEvents] = {};
  size_t eventHead_ = 0;
  size_t eventCount_ = 0;
  char scratch_[kEventCap] = {0};
  uint8_t buf_[4096] = {0};
};

}  // namespace camrelay
