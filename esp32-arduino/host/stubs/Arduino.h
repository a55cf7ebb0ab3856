#pragma once
// arduino-esp32 3.x core API, as far as the sketch uses it (see README.md).
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esp_err.h"
#include "esp_system.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"

#define ESP_ARDUINO_VERSION_MAJOR 3
#define HIGH 0x1
#define LOW 0x0
#define INPUT 0x01
#define OUTPUT 0x03
#define INPUT_PULLUP 0x05

void delay(uint32_t ms);
unsigned long millis();
void pinMode(uint8_t pin, uint8_t mode);
void digitalWrite(uint8_t pin, uint8_t val);
bool psramFound();

class String {
 public:
  String(const char* cstr = "");
  const char* c_str() const;
  unsigned int length() const;
};

class Print {
 public:
  virtual ~Print() {}
  virtual size_t write(uint8_t) = 0;
  virtual size_t write(const uint8_t* buffer, size_t size);
  size_t printf(const char* format, ...) __attribute__((format(printf, 2, 3)));
  size_t print(const char[]);
  size_t println(const char[]);
  size_t println(void);
};

class HardwareSerial : public Print {
 public:
  void begin(unsigned long baud, uint32_t config = 0x800001c, int8_t rxPin = -1, int8_t txPin = -1,
             bool invert = false, unsigned long timeout_ms = 20000UL, uint8_t rxfifo_full_thrhd = 120);
  size_t write(uint8_t) override;
  size_t write(const uint8_t* buffer, size_t size) override;
  void flush(void);
  void flush(bool txOnly);
};
extern HardwareSerial Serial;

class IPAddress {
 public:
  IPAddress();
  uint8_t operator[](int index) const;
  String toString() const;
};

class EspClass {
 public:
  uint32_t getFreeHeap();
  uint32_t getMinFreeHeap();
  uint32_t getPsramSize();
  uint32_t getFreePsram();
  void restart();
};
extern EspClass ESP;
