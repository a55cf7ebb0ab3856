#include "esp_settings.h"

#include <string.h>

namespace {
constexpr char kNamespace[] = "camrelay";
}

bool NvsStore::begin() {
  open_ = prefs_.begin(kNamespace, false);
  return open_;
}

camrelay::KeyValueStore::Read NvsStore::getString(const char* key, char* out, size_t cap) {
  if (!open_ || !prefs_.isKey(key)) return Read::kAbsent;
  if (prefs_.getType(key) != PT_STR) return Read::kInvalid;
  // Preferences returns the length including the NUL, or 0 when the value does not fit maxLen.
  const size_t n = prefs_.getString(key, out, cap);
  if (n == 0 || n > cap || out[n - 1] != '\0') return Read::kInvalid;
  return Read::kOk;
}

camrelay::KeyValueStore::Read NvsStore::getInt(const char* key, int32_t* out) {
  if (!open_ || !prefs_.isKey(key)) return Read::kAbsent;
  if (prefs_.getType(key) != PT_I32) return Read::kInvalid;
  *out = prefs_.getInt(key, 0);
  return Read::kOk;
}

bool NvsStore::putString(const char* key, const char* value) {
  // putString returns the bytes written: 0 for "" as well, so the empty string is checked by reading it back.
  if (!open_) return false;
  const size_t n = prefs_.putString(key, value);
  if (value[0] != '\0') return n == strlen(value);
  char check[2];
  return getString(key, check, sizeof check) == Read::kOk;
}

bool NvsStore::putInt(const char* key, int32_t value) { return open_ && prefs_.putInt(key, value) == sizeof value; }

bool NvsStore::remove(const char* key) { return open_ && (!prefs_.isKey(key) || prefs_.remove(key)); }

bool NvsStore::eraseAll() { return open_ && prefs_.clear(); }
