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
int digitalRead(uint8_t pin);
bool psramFound();

class String {
 public:
  String(const char* cstr = "");
  const char* c_str() const;
  unsigned int length() const;
  bool isEmpty() const;
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

class Stream : public Print {
 public:
  virtual int available() = 0;
  virtual int read() = 0;
  virtual int peek() = 0;
  void setTimeout(unsigned long timeout);
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
  IPAddress(uint8_t first_octet, uint8_t second_octet, uint8_t third_octet, uint8_t fourth_octet);
  IPAddress(uint32_t address);
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

// esp32-hal-misc.c: weak hooks the core calls from initArduino(), before setup().
extern "C" bool verifyRollbackLater();
extern "C" bool verifyOta();
