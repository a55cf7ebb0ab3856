// Settings that survive a reboot: what the set-up portal saved (Wi-Fi, relay, camera id, token, TLS pin) and every
// sensor setting a CONTROL command changed. Stored key by key in an NVS-like key/value store (Preferences on the
// board, a map in the tests), so one damaged entry costs one setting, not all of them.
//
// Loading never fails: an absent key takes its default (config.h's value on the board), a damaged one (wrong type,
// too long, out of range, not a valid camera id / host / fingerprint) takes its default too and is logged by name
// (never by value: it may be the password or the token). Saving writes only keys whose value changed, so a
// brightness slider does not rewrite the whole namespace (NVS wear-levels, but every write costs ~ms and flash life).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "commands.h"
#include "ports.h"

namespace camrelay {

// An NVS namespace. Keys are at most 15 characters (the NVS limit).
class KeyValueStore {
 public:
  enum class Read : uint8_t { kOk, kAbsent, kInvalid };  // kInvalid: another type, or longer than cap - 1
  virtual Read getString(const char* key, char* out, size_t cap) = 0;
  virtual Read getInt(const char* key, int32_t* out) = 0;
  virtual bool putString(const char* key, const char* value) = 0;
  virtual bool putInt(const char* key, int32_t value) = 0;
  virtual bool remove(const char* key) = 0;  // true also when it was absent
  virtual bool eraseAll() = 0;               // every key of the namespace

 protected:
  ~KeyValueStore() = default;
};

constexpr size_t kSsidCap = 33;          // 32 bytes (802.11) + NUL
constexpr size_t kWifiPasswordCap = 64;  // WPA2 passphrase 8..63 characters + NUL
constexpr size_t kHostCap = 64;          // a host name or IP address, 63 characters + NUL
constexpr size_t kCameraIdCap = 65;
constexpr size_t kTokenCap = 256;        // HELLO carries at most 255 bytes
constexpr size_t kFingerprintCap = 65;   // SHA-256 as 64 lowercase hex digits + NUL

struct DeviceSettings {
  char wifiSsid[kSsidCap] = {0};          // "" = not set up yet: open the portal
  char wifiPassword[kWifiPasswordCap] = {0};  // "" = open network
  char relayHost[kHostCap] = {0};         // "" = find the relay by mDNS (_camrelay._tcp)
  uint16_t relayPort = 3008;              // ignored when found by mDNS (its TXT record says)
  char cameraId[kCameraIdCap] = {0};
  char token[kTokenCap] = {0};
  char tlsFingerprint[kFingerprintCap] = {0};  // "" = plain TCP; else TLS with this certificate pinned
  SensorSettings sensor;

  bool provisioned() const { return wifiSsid[0] != '\0'; }
  bool findRelayByMdns() const { return relayHost[0] == '\0'; }
  bool tls() const { return tlsFingerprint[0] != '\0'; }
};

// Validation shared by the store and the portal form.
bool isValidHost(const char* host);  // 1..63 of A-Z a-z 0-9 . - : (names, IPv4, IPv6 literals)
// "AB:CD:..", "ab cd ..", "abcd.." (64 hex digits, separators ':' ' ' '-' allowed) -> 64 lowercase hex digits.
bool normalizeFingerprint(const char* text, char out[kFingerprintCap]);
// 64 hex digits -> 32 bytes.
bool fingerprintBytes(const char* hex, uint8_t out[32]);
// Constant-time comparison of two NUL-terminated secrets (the time does not depend on where they differ).
bool secretEquals(const char* a, const char* b);
// Constant-time comparison of two byte strings of length n (e.g. certificate fingerprints).
bool bytesEqual(const uint8_t* a, const uint8_t* b, size_t n);

struct LoadReport {
  bool freshStore = false;   // no settings were ever saved (first boot, or after a factory reset)
  uint32_t damaged = 0;      // entries that were present but unusable (defaults used)
  char firstDamaged[16] = {0};
};

class SettingsStore {
 public:
  static constexpr int32_t kSchemaVersion = 1;

  SettingsStore(KeyValueStore& store, Log& log) : store_(store), log_(log) {}

  // Fills *out from the store over `defaults`. Logs each damaged key by name.
  LoadReport load(const DeviceSettings& defaults, DeviceSettings* out);
  // Saves what the portal sets (network, relay, identity, TLS, frame size). False when the store refused a write.
  bool saveProvisioning(const DeviceSettings& settings);
  // Saves the sensor settings that differ from the last ones loaded or saved.
  bool saveSensor(const SensorSettings& sensor);
  // Erases every setting; the next boot starts like the first one (portal, config.h defaults).
  bool factoryReset();

 private:
  bool putStringIfChanged(const char* key, const char* value, const char* old);
  bool putIntIfChanged(const char* key, int32_t value, int32_t old, bool known);
  void damaged(LoadReport* report, const char* key, const char* why);

  KeyValueStore& store_;
  Log& log_;
  DeviceSettings saved_;   // what the store holds now, so unchanged values are not rewritten
  bool savedKnown_ = false;
};

}  // namespace camrelay
