// Small ESP32 implementations of the portable client's ports: clock, randomness, serial log, restart, board facts.
#pragma once

#include <Arduino.h>

#include "src/camrelay/json.h"
#include "src/camrelay/ports.h"

class EspClock : public camrelay::Clock {
 public:
  uint64_t nowMicros() override;  // esp_timer: 64-bit microseconds since boot, never wraps
};

class EspRandom : public camrelay::Random {
 public:
  uint32_t next() override;  // hardware RNG (truly random while the radio is on)
};

// One line per call at 115200 baud, prefixed with the uptime: "[   12.345] relay: ...". Formats into a stack
// buffer (no heap, unlike Print::printf for long lines).
class SerialLog : public camrelay::Log {
 public:
  void line(const char* fmt, ...) override CAMRELAY_PRINTF(2, 3);
};

class EspSystem : public camrelay::System {
 public:
  explicit EspSystem(camrelay::Log& log) : log_(log) {}
  void restart(const char* reason) override;

 private:
  camrelay::Log& log_;
};

class EspDeviceInfo : public camrelay::DeviceInfo {
 public:
  void writeStatus(camrelay::JsonWriter& json) override;
};

const char* resetReasonName();
