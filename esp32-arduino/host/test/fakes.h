// Fakes for driving the portable client on the host: a manual clock, a scripted link, a frame source, a sensor.
#pragma once

#include <cstdarg>
#include <memory>
#include <stdexcept>
#include <cstdio>
#include <cstring>
#include <deque>
#include <string>
#include <vector>

#include "camrelay/client.h"
#include "camrelay/json.h"
#include "camrelay/ports.h"
#include "camrelay/settings.h"
#include "camrelay/wire.h"
#include <map>

namespace fakes {

using namespace camrelay;

class ManualClock : public Clock {
 public:
  uint64_t nowMicros() override { return now; }
  void advanceMs(uint64_t ms) { now += ms * 1000; }
  uint64_t now = 1000000;  // boot + 1 s
};

class FixedRandom : public Random {
 public:
  explicit FixedRandom(uint32_t v = 0) : value(v) {}
  uint32_t next() override { return value; }
  uint32_t value;
};

class SequenceRandom : public Random {  // a small LCG, deterministic
 public:
  uint32_t next() override { return state = state * 1664525u + 1013904223u; }
  uint32_t state = 12345;
};

class CaptureLog : public Log {
 public:
  void line(const char* fmt, ...) override {
    char buf[512];
    va_list args;
    va_start(args, fmt);
    vsnprintf(buf, sizeof buf, fmt, args);
    va_end(args);
    lines.emplace_back(buf);
    if (echo) std::fprintf(stderr, "      log: %s\n", buf);
  }
  std::string all() const {
    std::string s;
    for (const auto& l : lines) s += l + "\n";
    return s;
  }
  bool contains(const std::string& needle) const { return all().find(needle) != std::string::npos; }
  std::vector<std::string> lines;
  bool echo = false;
};

// A link whose far end is the test: it queues what the "relay" sends and records what the camera writes.
class FakeLink : public Link {
 public:
  explicit FakeLink(ManualClock& clock) : clock_(clock) {}

  bool networkReady() override { return network; }
  bool connect(const char* host, uint16_t port, uint32_t timeoutMs) override {
    connects++;
    lastHost = host;
    lastPort = port;
    lastConnectTimeoutMs = timeoutMs;
    if (!refuse.empty() ? refuse.front() : false) {
      refuse.pop_front();
      error = "connection refused";
      return false;
    }
    if (!refuse.empty()) refuse.pop_front();
    open = true;
    eof = false;
    inbound.clear();
    return true;
  }
  int write(const uint8_t* data, size_t len, uint32_t waitMs) override {
    if (!open) return -1;
    if (failWrites) {
      error = "connection reset by peer";
      return -1;
    }
    writePointers.push_back(data);
    size_t n = len < writeBudget ? len : writeBudget;
    if (n > maxPerWrite) n = maxPerWrite;
    if (n == 0) {
      clock_.advanceMs(waitMs == 0 ? 1 : waitMs);  // the wait for room that never came
      return 0;
    }
    if (writeBudget != SIZE_MAX) writeBudget -= n;
    outbound.insert(outbound.end(), data, data + n);
    return static_cast<int>(n);
  }
  int read(uint8_t* buf, size_t cap) override {
    if (!open) return -1;
    if (inbound.empty()) {
      if (eof) {
        error = "end of stream";
        return -1;
      }
      return 0;
    }
    size_t n = inbound.size() < cap ? inbound.size() : cap;
    if (n > maxPerRead) n = maxPerRead;
    for (size_t i = 0; i < n; i++) {
      buf[i] = inbound.front();
      inbound.pop_front();
    }
    return static_cast<int>(n);
  }
  void close() override {
    if (open) closes++;
    open = false;
  }
  void closeGracefully(uint32_t lingerMs) override {
    if (open) gracefulCloses++;
    lastLingerMs = lingerMs;
    close();
  }
  const char* lastError() override { return error.c_str(); }

  void relaySends(const std::vector<uint8_t>& bytes) { inbound.insert(inbound.end(), bytes.begin(), bytes.end()); }

  ManualClock& clock_;
  bool network = true;
  bool open = false;
  bool eof = false;
  bool failWrites = false;
  std::deque<bool> refuse;  // per connect(): true = refuse
  size_t writeBudget = SIZE_MAX;
  size_t maxPerWrite = SIZE_MAX;
  size_t maxPerRead = SIZE_MAX;
  std::deque<uint8_t> inbound;
  std::vector<uint8_t> outbound;
  std::vector<const uint8_t*> writePointers;
  int connects = 0;
  int closes = 0;
  int gracefulCloses = 0;
  uint32_t lastLingerMs = 0;
  std::string lastHost;
  uint16_t lastPort = 0;
  uint32_t lastConnectTimeoutMs = 0;
  std::string error;
};

class FakeFrames : public FrameSource {
 public:
  bool acquire(Frame* f) override {
    acquires++;
    if (held) throw std::logic_error("acquire() while a frame is held");
    if (failNext > 0) {
      failNext--;
      return false;
    }
    if (alwaysFail) return false;
    if (jpegs.empty()) return false;
    const std::vector<uint8_t>& j = jpegs[next++ % jpegs.size()];
    *f = Frame{j.data(), j.size(), 640, 480, 5000000u + acquires};
    held = true;
    return true;
  }
  void release() override {
    if (!held) throw std::logic_error("release() without a held frame");
    held = false;
    releases++;
  }
  bool reinit() override {
    reinits++;
    return reinitResult;
  }
  std::vector<std::vector<uint8_t>> jpegs;
  size_t next = 0;
  int acquires = 0, releases = 0, reinits = 0, failNext = 0;
  bool alwaysFail = false, reinitResult = true, held = false;
};

class FakeCamera : public CameraControl {
 public:
  const char* applyFrameSize(FrameSize s) override { return record("framesize", static_cast<int>(s)); }
  const char* applyQuality(int q) override { return record("quality", q); }
  const char* applyBrightness(int v) override { return record("brightness", v); }
  const char* applyContrast(int v) override { return record("contrast", v); }
  const char* applyVflip(bool on) override { return record("vflip", on); }
  const char* applyHmirror(bool on) override { return record("hmirror", on); }
  const char* applyLed(int duty) override {
    if (!hasLed) return "this board has no flash LED";
    return record("led", duty);
  }
  FrameSize maxFrameSize() override { return max; }

  const char* record(const char* what, int v) {
    applied.push_back(std::string(what) + "=" + std::to_string(v));
    return failWith;
  }
  std::vector<std::string> applied;
  const char* failWith = nullptr;
  bool hasLed = true;
  FrameSize max = FrameSize::kUXGA;
};

class FakeDevice : public DeviceInfo {
 public:
  void writeStatus(JsonWriter& json) override { json.key("heap").num(123456).key("rssi").num(-61); }
};

class FakeSystem : public System {
 public:
  void restart(const char* reason) override { restarts.emplace_back(reason); }
  std::vector<std::string> restarts;
};

// An NVS namespace in memory, typed like the real one (a string key read as an integer is "invalid").
class FakeNvs : public KeyValueStore {
 public:
  struct Entry {
    bool isInt = false;
    int32_t i = 0;
    std::string s;
  };
  Read getString(const char* key, char* out, size_t cap) override {
    auto it = entries.find(key);
    if (it == entries.end()) return Read::kAbsent;
    if (it->second.isInt || it->second.s.size() + 1 > cap) return Read::kInvalid;
    std::memcpy(out, it->second.s.c_str(), it->second.s.size() + 1);
    return Read::kOk;
  }
  Read getInt(const char* key, int32_t* out) override {
    auto it = entries.find(key);
    if (it == entries.end()) return Read::kAbsent;
    if (!it->second.isInt) return Read::kInvalid;
    *out = it->second.i;
    return Read::kOk;
  }
  bool putString(const char* key, const char* value) override {
    if (readOnly || std::strlen(key) > 15) return false;
    writes++;
    entries[key] = Entry{false, 0, value};
    return true;
  }
  bool putInt(const char* key, int32_t value) override {
    if (readOnly || std::strlen(key) > 15) return false;
    writes++;
    entries[key] = Entry{true, value, ""};
    return true;
  }
  bool remove(const char* key) override {
    if (readOnly) return false;
    entries.erase(key);
    return true;
  }
  bool eraseAll() override {
    if (readOnly) return false;
    entries.clear();
    return true;
  }
  std::map<std::string, Entry> entries;
  int writes = 0;
  bool readOnly = false;
};

// Decodes what the camera wrote, with the same (golden-tested) decoder.
struct Sent {
  wire::Header header;
  std::vector<uint8_t> payload;
};

class Collect : public wire::MessageSink {
 public:
  bool onMessage(const wire::Message& m) override {
    messages.push_back({m.header, std::vector<uint8_t>(m.payload, m.payload + m.payloadSize)});
    return true;
  }
  std::vector<Sent> messages;
};

inline std::vector<Sent> decodeAll(const std::vector<uint8_t>& bytes, std::string* error = nullptr) {
  static std::vector<uint8_t> buffer(8 * 1024 * 1024);
  wire::Decoder d(buffer.data(), buffer.size(), wire::kDefaultMaxPayload);
  Collect c;
  if (d.feed(bytes.data(), bytes.size(), c) == wire::Decoder::Result::kError && error) *error = d.error().message;
  return c.messages;
}

inline std::vector<uint8_t> welcome(bool stream, uint32_t maxPayload = wire::kDefaultMaxPayload) {
  std::vector<uint8_t> b(64);
  b.resize(wire::encodeWelcome(b.data(), b.size(), 1, stream ? wire::kWelcomeStream : 0, maxPayload));
  return b;
}
inline std::vector<uint8_t> control(uint32_t id, const std::string& json) {
  std::vector<uint8_t> b(json.size() + 64);
  b.resize(wire::encodeControl(b.data(), b.size(), id, json.data(), json.size(), false));
  return b;
}
inline std::vector<uint8_t> ping(const std::vector<uint8_t>& data) {
  std::vector<uint8_t> b(128);
  b.resize(wire::encodePing(b.data(), b.size(), data.data(), data.size()));
  return b;
}
inline std::vector<uint8_t> reason(wire::Type type, uint16_t code, const char* text) {
  std::vector<uint8_t> b(256);
  b.resize(wire::encodeReason(b.data(), b.size(), type, code, text));
  return b;
}

// A small but real JPEG-shaped byte string (SOI ... EOI) with recognisable content.
inline std::vector<uint8_t> jpeg(size_t size, uint8_t fill) {
  std::vector<uint8_t> j(size, fill);
  j[0] = 0xFF; j[1] = 0xD8; j[size - 2] = 0xFF; j[size - 1] = 0xD9;
  return j;
}

inline std::string text(const std::vector<uint8_t>& v, size_t from = 0) {
  return std::string(v.begin() + static_cast<long>(from), v.end());
}

}  // namespace fakes
