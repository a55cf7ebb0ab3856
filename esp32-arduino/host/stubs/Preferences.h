#pragma once
// arduino-esp32 3.x libraries/Preferences (NVS), as far as the sketch uses it.
#include "Arduino.h"
typedef enum { PT_I8, PT_U8, PT_I16, PT_U16, PT_I32, PT_U32, PT_I64, PT_U64, PT_STR, PT_BLOB, PT_INVALID } PreferenceType;
class Preferences {
 public:
  Preferences();
  ~Preferences();
  bool begin(const char* name, bool readOnly = false, const char* partition_label = NULL);
  void end();
  bool clear();
  bool remove(const char* key);
  size_t putInt(const char* key, int32_t value);
  size_t putString(const char* key, const char* value);
  size_t putString(const char* key, String value);
  bool isKey(const char* key);
  PreferenceType getType(const char* key);
  int32_t getInt(const char* key, int32_t defaultValue = 0);
  size_t getString(const char* key, char* value, size_t maxLen);
  String getString(const char* key, String defaultValue = String());
  size_t freeEntries();
};
