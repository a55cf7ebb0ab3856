// A tiny, bounded JSON reader for the firmware's closed set of CONTROL commands, and a bounded writer for the
// replies. No heap, no recursion beyond a fixed depth, every input byte checked.
//
// Why hand-written: the commands are flat objects such as {"cmd":"quality","value":12}; ArduinoJson would do,
// but the host tests (plain g++, no Arduino libraries) could then not compile the very code that runs on the
// board. The reader accepts RFC 8259 JSON and keeps only what a command needs:
//   - the top level must be an object of at most kMaxInput bytes;
//   - "cmd" (string), "value" (string, integer or boolean), "on" (boolean), and for the maintenance commands
//     "url", "sha256", "version", "token" (strings) and "size" (integer) are kept; other members are parsed
//     (nested objects/arrays up to depth 8) and ignored, so a relay may add fields later;
//   - a duplicated kept member is an error, as is anything after the closing brace.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace camrelay {

constexpr size_t kMaxCommandInput = 512;

struct JsonValue {
  enum class Kind : uint8_t { kAbsent, kString, kInt, kBool, kNull, kOther };  // kOther: fraction, object, array
  Kind kind = Kind::kAbsent;
  char str[40] = {0};  // kString (NUL-terminated, UTF-8)
  int32_t i = 0;       // kInt
  bool b = false;      // kBool
};

constexpr size_t kMaxUrl = 256;

struct Command {
  char cmd[24] = {0};
  JsonValue value;
  JsonValue on;
  JsonValue size;           // "ota": the image size in bytes
  char url[kMaxUrl] = {0};  // "ota": where to download the image
  char sha256[72] = {0};    // "ota": 64 hex digits
  char version[32] = {0};   // "ota": the offered firmware's version, for the log
  char token[256] = {0};    // "factory-reset": the camera's token (never logged)
};

// Parses `len` bytes (not NUL-terminated). On failure returns false and writes a specific, human-readable
// reason into `error` (e.g. "malformed JSON at offset 9: expected ':'").
bool parseCommand(const char* json, size_t len, Command* out, char* error, size_t errorCap);

// Writes one JSON object into a fixed buffer. Once something does not fit, overflowed() is true and the
// output must not be used.
class JsonWriter {
 public:
  JsonWriter(char* buf, size_t cap);
  JsonWriter& key(const char* name);
  JsonWriter& str(const char* value);
  JsonWriter& str(const char* value, size_t len);
  JsonWriter& num(int64_t value);
  JsonWriter& tenths(int64_t tenthsValue);  // 123 -> 12.3 (fps without floating point formatting)
  JsonWriter& boolean(bool value);
  // Ends the object (idempotent) and returns its length, or 0 when it overflowed.
  size_t finish();
  bool overflowed() const { return overflow_; }

 private:
  void raw(const char* s, size_t n);
  void valuePrefix();
  void quoted(const char* value, size_t len);
  char* buf_;
  size_t cap_;
  size_t len_ = 0;
  bool overflow_ = false;
  bool needComma_ = false;
  bool afterKey_ = false;
  bool finished_ = false;
};

}  // namespace camrelay
