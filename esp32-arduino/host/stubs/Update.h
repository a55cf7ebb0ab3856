#pragma once
// arduino-esp32 3.x libraries/Update, as far as the sketch uses it.
#include "Arduino.h"
#include "esp_partition.h"
#define UPDATE_SIZE_UNKNOWN 0xFFFFFFFF
#define U_FLASH 0
class UpdateClass {
 public:
  UpdateClass();
  bool begin(size_t size = UPDATE_SIZE_UNKNOWN, int command = U_FLASH, int ledPin = -1, uint8_t ledOn = LOW,
             const char* label = NULL);
  size_t write(uint8_t* data, size_t len);
  bool end(bool evenIfRemaining = false);
  void abort();
  const char* errorString();
  uint8_t getError();
  bool hasError();
  bool isRunning();
  size_t progress();
};
extern UpdateClass Update;
