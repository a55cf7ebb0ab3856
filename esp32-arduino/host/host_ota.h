// The host camera's stand-ins for the board's update path, so the firmware's own OtaUpdater and CameraApp run
// against a real relay: libcurl for the HTTP download, files in a state folder for the flash slot, the bootloader's
// rollback state and the NVS namespace.
//
//   <state>/nvs.tsv        the settings store (key, type, value per line), rewritten on every change
//   <state>/next.bin       the image a completed update wrote ("the other slot")
//   <state>/boot-state     new | pending | valid | aborted: the bootloader's view of next.bin
//
// A "restart into the new image" is the program exiting with code 4; started again on the same folder it finds
// boot-state "new", turns it into "pending" (as the bootloader does on the first boot) and confirms it once the
// relay answered; a second start while still "pending" is a rollback (the state becomes "aborted").
#pragma once

#include <curl/curl.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "camrelay/ota.h"
#include "camrelay/settings.h"

// The settings store in a file (values are written as text; tabs and newlines are escaped).
class FileKeyValueStore : public camrelay::KeyValueStore {
 public:
  explicit FileKeyValueStore(std::string path);  // empty path: in memory only
  Read getString(const char* key, char* out, size_t cap) override;
  Read getInt(const char* key, int32_t* out) override;
  bool putString(const char* key, const char* value) override;
  bool putInt(const char* key, int32_t value) override;
  bool remove(const char* key) override;
  bool eraseAll() override;

 private:
  struct Entry {
    bool isInt;
    std::string value;
  };
  bool save();
  std::string path_;
  std::map<std::string, Entry> entries_;
};

// One HTTP GET with libcurl's multi interface, so read() can wait a bounded time like the board's.
class CurlDownload : public camrelay::HttpDownload {
 public:
  CurlDownload();
  ~CurlDownload();
  CurlDownload(const CurlDownload&) = delete;
  CurlDownload& operator=(const CurlDownload&) = delete;
  bool open(const char* url, int64_t* contentLength) override;
  int read(uint8_t* buf, size_t cap, uint32_t waitMs) override;
  void close() override;
  const char* lastError() override { return error_.c_str(); }

 private:
  static size_t onBody(char* data, size_t size, size_t count, void* self);
  static size_t onHeader(char* data, size_t size, size_t count, void* self);
  bool pump(uint32_t waitMs);  // false when the transfer finished (done_ set)
  CURLM* multi_ = nullptr;
  CURL* easy_ = nullptr;
  std::vector<uint8_t> buffer_;
  size_t bufferPos_ = 0;
  bool headersDone_ = false;
  bool done_ = false;
  bool paused_ = false;
  CURLcode result_ = CURLE_OK;
  std::string error_;
};

// The update slot and the bootloader's state, as files.
class FileFirmware : public camrelay::FirmwareSlot, public camrelay::BootImage {
 public:
  explicit FileFirmware(std::string dir);  // empty dir: no update slot (capacity 0)
  // What the "bootloader" did at this start: "" (nothing), "first boot of the new image", "rolled back".
  const std::string& bootEvent() const { return bootEvent_; }
  bool rollbackRequested() const { return rollbackRequested_; }

  size_t capacity() override;
  bool begin(size_t size) override;
  bool write(const uint8_t* data, size_t len) override;
  bool finish() override;
  void abort() override;
  const char* lastError() override { return error_.c_str(); }
  bool pendingVerify() override;
  bool markValid() override;
  void rollBack() override;

 private:
  std::string readState();
  void writeState(const std::string& state);
  std::string dir_;
  std::string bootEvent_;
  std::string error_;
  size_t expected_ = 0;
  size_t written_ = 0;
  FILE* part_ = nullptr;
  bool rollbackRequested_ = false;
};
