#include "settings.h"

#include <stdio.h>
#include <string.h>

#include "wire.h"

namespace camrelay {

namespace {

// NVS keys (15 characters at most).
constexpr char kKeyVersion[] = "v";
constexpr char kKeySsid[] = "ssid";
constexpr char kKeyPassword[] = "pass";
constexpr char kKeyHost[] = "host";
constexpr char kKeyPort[] = "port";
constexpr char kKeyId[] = "id";
constexpr char kKeyToken[] = "token";
constexpr char kKeyFingerprint[] = "fp";
constexpr char kKeyFrameSize[] = "fsize";
constexpr char kKeyQuality[] = "quality";
constexpr char kKeyBrightness[] = "bright";
constexpr char kKeyContrast[] = "contrast";
constexpr char kKeyVflip[] = "vflip";
constexpr char kKeyHmirror[] = "hmirror";
constexpr char kKeyLed[] = "led";

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Copies a NUL-terminated string, truncating to cap - 1 bytes.
void copy(char* out, size_t cap, const char* in) {
  if (cap == 0) return;
  const size_t n = strnlen(in, cap - 1);
  memcpy(out, in, n);
  out[n] = '\0';
}

}  // namespace

bool isValidHost(const char* host) {
  const size_t n = strnlen(host, kHostCap);
  if (n == 0 || n >= kHostCap) return false;
  for (size_t i = 0; i < n; i++) {
    const char c = host[i];
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '-' || c == ':';
    if (!ok) return false;
  }
  return host[0] != '.' && host[0] != '-';
}

bool normalizeFingerprint(const char* text, char out[kFingerprintCap]) {
  static const char kHex[] = "0123456789abcdef";
  size_t digits = 0;
  for (const char* p = text; *p; p++) {
    if (*p == ':' || *p == ' ' || *p == '-') continue;
    const int v = hexValue(*p);
    if (v < 0 || digits >= 64) return false;
    out[digits++] = kHex[v];
  }
  if (digits != 64) return false;
  out[64] = '\0';
  return true;
}

bool fingerprintBytes(const char* hex, uint8_t out[32]) {
  if (strnlen(hex, 65) != 64) return false;
  for (size_t i = 0; i < 32; i++) {
    const int hi = hexValue(hex[2 * i]), lo = hexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return true;
}

bool secretEquals(const char* a, const char* b) {
  const size_t na = strlen(a), nb = strlen(b);
  const size_t n = na > nb ? na : nb;
  unsigned diff = static_cast<unsigned>(na ^ nb);
  for (size_t i = 0; i < n; i++) {
    const unsigned char ca = i < na ? static_cast<unsigned char>(a[i]) : 0;
    const unsigned char cb = i < nb ? static_cast<unsigned char>(b[i]) : 0;
    diff |= static_cast<unsigned>(ca ^ cb);
  }
  return diff == 0;
}

bool bytesEqual(const uint8_t* a, const uint8_t* b, size_t n) {
  unsigned diff = 0;
  for (size_t i = 0; i < n; i++) diff |= static_cast<unsigned>(a[i] ^ b[i]);
  return diff == 0;
}

void SettingsStore::damaged(LoadReport* report, const char* key, const char* why) {
  if (report->damaged++ == 0) copy(report->firstDamaged, sizeof report->firstDamaged, key);
  log_.line("settings: saved '%s' is unusable (%s): using the default", key, why);
}

LoadReport SettingsStore::load(const DeviceSettings& defaults, DeviceSettings* out) {
  LoadReport report;
  *out = defaults;
  int32_t version = 0;
  const KeyValueStore::Read v = store_.getInt(kKeyVersion, &version);
  if (v == KeyValueStore::Read::kAbsent) {
    report.freshStore = true;
  } else if (v == KeyValueStore::Read::kInvalid || version < 1) {
    damaged(&report, kKeyVersion, "not a schema version");
  } else if (version > kSchemaVersion) {
    // Written by a newer firmware (after a rollback): its keys may mean something else. Defaults are safer; the
    // portal or the relay can set them again.
    log_.line("settings: written by a newer firmware (schema %ld > %ld): using the defaults",
              static_cast<long>(version), static_cast<long>(kSchemaVersion));
    report.damaged++;
    copy(report.firstDamaged, sizeof report.firstDamaged, kKeyVersion);
    saved_ = *out;
    savedKnown_ = false;
    return report;
  }

  auto text = [&](const char* key, char* field, size_t cap, bool (*valid)(const char*), const char* rule) {
    char buf[kTokenCap];
    switch (store_.getString(key, buf, cap < sizeof buf ? cap : sizeof buf)) {
      case KeyValueStore::Read::kAbsent: return;
      case KeyValueStore::Read::kInvalid: damaged(&report, key, "wrong type or too long"); return;
      case KeyValueStore::Read::kOk: break;
    }
    if (valid != nullptr && !valid(buf)) {
      damaged(&report, key, rule);
      return;
    }
    copy(field, cap, buf);
  };
  auto integer = [&](const char* key, int32_t lo, int32_t hi, int32_t* value) {
    int32_t x = 0;
    switch (store_.getInt(key, &x)) {
      case KeyValueStore::Read::kAbsent: return;
      case KeyValueStore::Read::kInvalid: damaged(&report, key, "not an integer"); return;
      case KeyValueStore::Read::kOk: break;
    }
    if (x < lo || x > hi) {
      damaged(&report, key, "out of range");
      return;
    }
    *value = x;
  };

  text(kKeySsid, out->wifiSsid, sizeof out->wifiSsid, nullptr, "");
  text(kKeyPassword, out->wifiPassword, sizeof out->wifiPassword, nullptr, "");
  text(kKeyHost, out->relayHost, sizeof out->relayHost,
       [](const char* h) { return h[0] == '\0' || isValidHost(h); }, "not a host name or address");
  int32_t port = out->relayPort;
  integer(kKeyPort, 1, 65535, &port);
  out->relayPort = static_cast<uint16_t>(port);
  text(kKeyId, out->cameraId, sizeof out->cameraId,
       [](const char* id) { return wire::isValidCameraId(id, strlen(id)); }, wire::kCameraIdRule);
  text(kKeyToken, out->token, sizeof out->token, nullptr, "");
  text(kKeyFingerprint, out->tlsFingerprint, sizeof out->tlsFingerprint,
       [](const char* fp) {
         char norm[kFingerprintCap];
         return fp[0] == '\0' || (normalizeFingerprint(fp, norm) && strcmp(norm, fp) == 0);
       },
       "not 64 lowercase hex digits");

  char size[16];
  switch (store_.getString(kKeyFrameSize, size, sizeof size)) {
    case KeyValueStore::Read::kAbsent: break;
    case KeyValueStore::Read::kInvalid: damaged(&report, kKeyFrameSize, "wrong type or too long"); break;
    case KeyValueStore::Read::kOk:
      if (!parseFrameSize(size, &out->sensor.frameSize)) damaged(&report, kKeyFrameSize, "unknown frame size");
      break;
  }
  int32_t x = out->sensor.quality;
  integer(kKeyQuality, 4, 63, &x);
  out->sensor.quality = x;
  x = out->sensor.brightness;
  integer(kKeyBrightness, -2, 2, &x);
  out->sensor.brightness = x;
  x = out->sensor.contrast;
  integer(kKeyContrast, -2, 2, &x);
  out->sensor.contrast = x;
  x = out->sensor.vflip;
  integer(kKeyVflip, 0, 1, &x);
  out->sensor.vflip = x != 0;
  x = out->sensor.hmirror;
  integer(kKeyHmirror, 0, 1, &x);
  out->sensor.hmirror = x != 0;
  x = out->sensor.led;
  integer(kKeyLed, 0, 255, &x);
  out->sensor.led = x;

  saved_ = *out;
  savedKnown_ = !report.freshStore && report.damaged == 0;
  return report;
}

bool SettingsStore::putStringIfChanged(const char* key, const char* value, const char* old) {
  if (savedKnown_ && strcmp(value, old) == 0) return true;
  return store_.putString(key, value);
}

bool SettingsStore::putIntIfChanged(const char* key, int32_t value, int32_t old, bool known) {
  if (known && value == old) return true;
  return store_.putInt(key, value);
}

bool SettingsStore::saveProvisioning(const DeviceSettings& s) {
  bool ok = store_.putInt(kKeyVersion, kSchemaVersion);
  ok = putStringIfChanged(kKeySsid, s.wifiSsid, saved_.wifiSsid) && ok;
  ok = putStringIfChanged(kKeyPassword, s.wifiPassword, saved_.wifiPassword) && ok;
  ok = putStringIfChanged(kKeyHost, s.relayHost, saved_.relayHost) && ok;
  ok = putIntIfChanged(kKeyPort, s.relayPort, saved_.relayPort, savedKnown_) && ok;
  ok = putStringIfChanged(kKeyId, s.cameraId, saved_.cameraId) && ok;
  ok = putStringIfChanged(kKeyToken, s.token, saved_.token) && ok;
  ok = putStringIfChanged(kKeyFingerprint, s.tlsFingerprint, saved_.tlsFingerprint) && ok;
  ok = putStringIfChanged(kKeyFrameSize, frameSizeName(s.sensor.frameSize), frameSizeName(saved_.sensor.frameSize)) &&
       ok;
  if (!ok) {
    log_.line("settings: saving the set-up FAILED (flash full or worn?)");
    savedKnown_ = false;
    return false;
  }
  const SensorSettings sensor = saved_.sensor;
  saved_ = s;
  saved_.sensor = sensor;
  saved_.sensor.frameSize = s.sensor.frameSize;
  savedKnown_ = true;
  return true;
}

bool SettingsStore::saveSensor(const SensorSettings& s) {
  const SensorSettings& o = saved_.sensor;
  bool ok = savedKnown_ || store_.putInt(kKeyVersion, kSchemaVersion);
  ok = putStringIfChanged(kKeyFrameSize, frameSizeName(s.frameSize), frameSizeName(o.frameSize)) && ok;
  ok = putIntIfChanged(kKeyQuality, s.quality, o.quality, savedKnown_) && ok;
  ok = putIntIfChanged(kKeyBrightness, s.brightness, o.brightness, savedKnown_) && ok;
  ok = putIntIfChanged(kKeyContrast, s.contrast, o.contrast, savedKnown_) && ok;
  ok = putIntIfChanged(kKeyVflip, s.vflip ? 1 : 0, o.vflip ? 1 : 0, savedKnown_) && ok;
  ok = putIntIfChanged(kKeyHmirror, s.hmirror ? 1 : 0, o.hmirror ? 1 : 0, savedKnown_) && ok;
  ok = putIntIfChanged(kKeyLed, s.led, o.led, savedKnown_) && ok;
  if (!ok) {
    log_.line("settings: saving the sensor settings FAILED (flash full or worn?)");
    savedKnown_ = false;
    return false;
  }
  saved_.sensor = s;
  savedKnown_ = true;
  return true;
}

bool SettingsStore::factoryReset() {
  const bool ok = store_.eraseAll();
  log_.line("settings: factory reset %s", ok ? "done: every saved setting erased" : "FAILED");
  saved_ = DeviceSettings{};
  savedKnown_ = false;
  return ok;
}

}  // namespace camrelay
