// The settings store on the board: one NVS namespace ("camrelay") through arduino-esp32's Preferences.
#pragma once

#include <Preferences.h>

#include "src/camrelay/settings.h"

class NvsStore : public camrelay::KeyValueStore {
 public:
  // Opens (creating) the namespace. False when NVS is unusable; every read then says "absent", writes fail.
  bool begin();
  Read getString(const char* key, char* out, size_t cap) override;
  Read getInt(const char* key, int32_t* out) override;
  bool putString(const char* key, const char* value) override;
  bool putInt(const char* key, int32_t value) override;
  bool remove(const char* key) override;
  bool eraseAll() override;

 private:
  Preferences prefs_;
  bool open_ = false;
};
