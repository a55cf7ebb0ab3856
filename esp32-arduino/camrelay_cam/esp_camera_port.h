// The ESP32 camera behind the portable client: esp32-camera for frames and sensor settings, LEDC for the flash.
#pragma once

#include <Arduino.h>

#include "esp_camera.h"
#include "src/camrelay/commands.h"
#include "src/camrelay/ports.h"

class EspCamera : public camrelay::FrameSource, public camrelay::CameraControl {
 public:
  struct Options {
    camrelay::SensorSettings settings;
    int xclkHz;
  };

  // Initialises the sensor: two frame buffers in PSRAM (CAMERA_GRAB_LATEST) when the board has PSRAM, otherwise
  // one DRAM buffer and a frame size capped at VGA. Logs what it did. False if the camera did not start.
  bool begin(const Options& options, camrelay::Log& log);
  bool usesPsram() const { return psram_; }
  // Turns the flash LED back to its saved level (begin() leaves it off: its current adds to Wi-Fi's start-up peak).
  void restoreFlash(int duty);
  const camrelay::SensorSettings& settings() const { return settings_; }

  // FrameSource: frames straight from the driver's buffer (no copy).
  bool acquire(camrelay::Frame* frame) override;
  void release() override;
  bool reinit() override;

  // CameraControl.
  const char* applyFrameSize(camrelay::FrameSize size) override;
  const char* applyQuality(int quality) override;
  const char* applyBrightness(int level) override;
  const char* applyContrast(int level) override;
  const char* applyVflip(bool on) override;
  const char* applyHmirror(bool on) override;
  const char* applyLed(int duty) override;
  camrelay::FrameSize maxFrameSize() override { return maxSize_; }

 private:
  bool initDriver();
  bool applyAll();
  void setupFlash();

  camera_config_t config_{};
  camera_fb_t* fb_ = nullptr;
  camrelay::SensorSettings settings_;
  camrelay::FrameSize maxSize_ = camrelay::FrameSize::kVGA;
  camrelay::Log* log_ = nullptr;
  bool psram_ = false;
  bool flashReady_ = false;
};

framesize_t toDriverFrameSize(camrelay::FrameSize size);
