// Fakes for the update path: an HTTP server's response, and a two-slot flash with the ESP-IDF bootloader's
// rollback rules (new -> pending verify on its first boot -> valid, or aborted and the previous slot again).
#pragma once

#include <cstring>
#include <string>
#include <vector>

#include "camrelay/ota.h"

namespace fakes {

using namespace camrelay;

class FakeHttp : public HttpDownload {
 public:
  bool open(const char* url, int64_t* contentLength) override {
    opens++;
    lastUrl = url;
    if (!openError.empty()) {
      error = openError;
      return false;
    }
    isOpen = true;
    pos = 0;
    *contentLength = contentLength_ == -2 ? static_cast<int64_t>(body.size()) : contentLength_;
    return true;
  }
  int read(uint8_t* buf, size_t cap, uint32_t) override {
    if (!isOpen) return kFailed;
    const size_t end = cutAt < body.size() ? cutAt : body.size();
    if (pos >= end) {
      if (stallAt != SIZE_MAX) return 0;
      if (cutAt < body.size() && breakInsteadOfEnd) {
        error = "connection reset by peer";
        return kFailed;
      }
      return kEnd;
    }
    size_t limit = end;
    if (stallAt != SIZE_MAX && stallAt < limit) limit = stallAt;
    if (pos >= limit) return 0;
    size_t n = limit - pos;
    if (n > cap) n = cap;
    if (n > chunk) n = chunk;
    std::memcpy(buf, body.data() + pos, n);
    pos += n;
    return static_cast<int>(n);
  }
  void close() override { isOpen = false; }
  const char* lastError() override { return error.c_str(); }

  std::vector<uint8_t> body;
  int64_t contentLength_ = -2;  // -2: the body's size, -1: none, else this
  size_t chunk = 1500;
  size_t cutAt = SIZE_MAX;      // the body ends early here
  bool breakInsteadOfEnd = false;
  size_t stallAt = SIZE_MAX;    // no more bytes after this many
  std::string openError;
  std::string error;
  std::string lastUrl;
  size_t pos = 0;
  int opens = 0;
  bool isOpen = false;
};

class FakeFlash : public FirmwareSlot, public BootImage {
 public:
  enum class ImageState { kValid, kNew, kPendingVerify, kAborted };
  struct Slot {
    std::vector<uint8_t> bytes;
    ImageState state = ImageState::kValid;
    std::string name;
  };
  FakeFlash() {
    slots[0].bytes = {0xE9, 1, 2, 3};
    slots[0].name = "old";
  }

  // FirmwareSlot: always the slot that is not running.
  size_t capacity() override { return capacity_; }
  bool begin(size_t size) override {
    if (size > capacity_) return err("image larger than the partition");
    Slot& s = inactive();
    s.bytes.clear();
    s.state = ImageState::kValid;
    expected = size;
    writing = true;
    return true;
  }
  bool write(const uint8_t* data, size_t len) override {
    if (!writing) return err("not begun");
    Slot& s = inactive();
    if (s.bytes.empty() && len > 0 && data[0] != 0xE9) return err("Magic byte is wrong, not 0xE9");
    s.bytes.insert(s.bytes.end(), data, data + len);
    return true;
  }
  bool finish() override {
    if (!writing || inactive().bytes.size() != expected) return err("Premature end");
    writing = false;
    inactive().state = ImageState::kNew;
    bootNext = 1 - running;
    return true;
  }
  void abort() override { writing = false; aborts++; }
  const char* lastError() override { return error.c_str(); }

  // BootImage.
  bool pendingVerify() override { return slots[running].state == ImageState::kPendingVerify; }
  bool markValid() override {
    slots[running].state = ImageState::kValid;
    return true;
  }
  void rollBack() override {
    slots[running].state = ImageState::kAborted;
    bootNext = 1 - running;
    rollbackRestarts++;
  }

  // The power goes off and on (or the board restarts): what the bootloader does.
  void reboot() {
    writing = false;
    if (slots[running].state == ImageState::kPendingVerify) {  // never confirmed: give up on it
      slots[running].state = ImageState::kAborted;
      bootNext = 1 - running;
    }
    if (bootNext != running) {
      Slot& next = slots[bootNext];
      if (next.state == ImageState::kNew) {
        next.state = ImageState::kPendingVerify;
        running = bootNext;
      } else if (next.state == ImageState::kValid) {
        running = bootNext;
      } else {
        bootNext = running;
      }
    }
    bootNext = running;
  }
  Slot& inactive() { return slots[1 - running]; }
  bool err(const std::string& why) {
    error = why;
    return false;
  }

  Slot slots[2];
  int running = 0;
  int bootNext = 0;
  size_t capacity_ = 1900 * 1024;
  size_t expected = 0;
  bool writing = false;
  int aborts = 0;
  int rollbackRestarts = 0;
  std::string error;
};

inline std::vector<uint8_t> firmwareImage(size_t size, uint8_t seed) {
  std::vector<uint8_t> b(size);
  uint32_t x = seed * 2654435761u + 1;
  for (size_t i = 0; i < size; i++) {
    x = x * 1103515245u + 12345u;
    b[i] = static_cast<uint8_t>(x >> 16);
  }
  b[0] = 0xE9;
  return b;
}

}  // namespace fakes
