// The small interfaces between the portable client and the world around it. The firmware implements them with
// WiFiClient/lwIP sockets, esp_camera and esp_timer; the host tests implement them with fakes, the host camera
// program with POSIX sockets and a folder of JPEG files.
#pragma once

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define CAMRELAY_PRINTF(fmtIndex, firstArg) __attribute__((format(printf, fmtIndex, firstArg)))
#else
#define CAMRELAY_PRINTF(fmtIndex, firstArg)
#endif

namespace camrelay {

// The interfaces below have protected, non-virtual destructors: implementations are never deleted through them
// (the firmware allocates nothing at run time), and no deleting destructor drags operator delete into the build.

// Monotonic time since boot. 64-bit microseconds never wrap (unlike Arduino's 32-bit millis(), every 49.7 days).
class Clock {
 public:
  virtual uint64_t nowMicros() = 0;

 protected:
  ~Clock() = default;
};

class Random {
 public:
  virtual uint32_t next() = 0;  // uniformly distributed 32 bits

 protected:
  ~Random() = default;
};

// printf-style log sink; one call = one line (no trailing newline). Never given a token.
class Log {
 public:
  virtual void line(const char* fmt, ...) CAMRELAY_PRINTF(2, 3) = 0;

 protected:
  ~Log() = default;
};

// One TCP connection to the relay.
class Link {
 public:
  // True when the network (Wi-Fi) is up; the client does not try to connect while it is down.
  virtual bool networkReady() = 0;
  // Connects (blocking for at most timeoutMs), with TCP_NODELAY and keepalive set. False on failure.
  virtual bool connect(const char* host, uint16_t port, uint32_t timeoutMs) = 0;
  // Waits at most waitMs for room in the send buffer, then writes what fits without blocking.
  // Returns bytes written (0 when there was no room in time), or -1 when the connection failed.
  virtual int write(const uint8_t* data, size_t len, uint32_t waitMs) = 0;
  // Never blocks. Returns bytes read, 0 when nothing is waiting, -1 on end of stream or error.
  virtual int read(uint8_t* buf, size_t cap) = 0;
  virtual void close() = 0;
  // After a BYE or ERROR: half-closes (shuts down output), discards what still arrives for at most lingerMs or until
  // the peer closes, then closes, so the peer reads our last message instead of a TCP reset (PROTOCOL.md 3).
  virtual void closeGracefully(uint32_t lingerMs) = 0;
  // Why the last connect/write/read failed, for the log (e.g. "connection refused").
  virtual const char* lastError() { return ""; }

 protected:
  ~Link() = default;
};

// One captured JPEG, owned by the FrameSource until release().
struct Frame {
  const uint8_t* data;
  size_t len;
  uint16_t width;
  uint16_t height;
  uint64_t timestampUs;  // capture time, camera clock
};

class FrameSource {
 public:
  // Hands out the latest frame (no copy). False when the camera gave none (the caller retries).
  virtual bool acquire(Frame* frame) = 0;
  // Gives the acquired frame's buffer back to the camera driver.
  virtual void release() = 0;
  // Re-initialises the camera after repeated capture failures. False when that failed too.
  virtual bool reinit() = 0;

 protected:
  ~FrameSource() = default;
};

// Frame sizes the firmware knows, smallest first (the OV2640 goes up to UXGA; OV3660/OV5640 further).
enum class FrameSize : uint8_t { kQQVGA, kQCIF, kHQVGA, k240X240, kQVGA, kCIF, kHVGA, kVGA, kSVGA, kXGA, kHD,
                                 kSXGA, kUXGA, kFHD, kQXGA, kCount };

// The sensor settings a CONTROL command can change. Each apply* returns nullptr on success or a short,
// specific error for the reply (e.g. "sensor rejected quality 5").
class CameraControl {
 public:
  virtual const char* applyFrameSize(FrameSize size) = 0;
  virtual const char* applyQuality(int quality) = 0;        // 4..63, lower = better
  virtual const char* applyBrightness(int level) = 0;       // -2..2
  virtual const char* applyContrast(int level) = 0;         // -2..2
  virtual const char* applyVflip(bool on) = 0;
  virtual const char* applyHmirror(bool on) = 0;
  virtual const char* applyLed(int duty) = 0;               // 0..255; error when the board has no flash LED
  virtual FrameSize maxFrameSize() = 0;                     // e.g. VGA without PSRAM

 protected:
  ~CameraControl() = default;
};

class JsonWriter;

// Board facts for the "status" reply (free heap, PSRAM, RSSI, ...).
class DeviceInfo {
 public:
  virtual void writeStatus(JsonWriter& json) = 0;

 protected:
  ~DeviceInfo() = default;
};

class System {
 public:
  // Reboots the board (the firmware never returns from this; fakes record the call).
  virtual void restart(const char* reason) = 0;

 protected:
  ~System() = default;
};

}  // namespace camrelay
