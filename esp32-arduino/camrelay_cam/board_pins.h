// Camera pin maps of common ESP32 camera boards (the same maps as the esp32-camera / CameraWebServer examples).
// Select one with a CAMERA_MODEL_* define in config.h. D0..D7 are the sensor's data lines Y2..Y9.
// CAM_LED_FLASH_GPIO is the white flash LED driven by the "led" command, or -1 when the board has none.
#pragma once

#if (defined(CAMERA_MODEL_AI_THINKER) + defined(CAMERA_MODEL_WROVER_KIT) + defined(CAMERA_MODEL_ESP_EYE) + \
     defined(CAMERA_MODEL_M5STACK_PSRAM) + defined(CAMERA_MODEL_XIAO_ESP32S3)) != 1
#error "camrelay: define exactly one CAMERA_MODEL_... in config.h"
#endif

#if defined(CAMERA_MODEL_AI_THINKER)
#define CAM_BOARD_NAME "AI-Thinker ESP32-CAM"
#define CAM_PIN_PWDN 32
#define CAM_PIN_RESET -1
#define CAM_PIN_XCLK 0
#define CAM_PIN_SIOD 26
#define CAM_PIN_SIOC 27
#define CAM_PIN_D7 35
#define CAM_PIN_D6 34
#define CAM_PIN_D5 39
#define CAM_PIN_D4 36
#define CAM_PIN_D3 21
#define CAM_PIN_D2 19
#define CAM_PIN_D1 18
#define CAM_PIN_D0 5
#define CAM_PIN_VSYNC 25
#define CAM_PIN_HREF 23
#define CAM_PIN_PCLK 22
#define CAM_LED_FLASH_GPIO 4  // shares GPIO 4 with the SD card's DATA1: do not use the SD slot with this firmware

#elif defined(CAMERA_MODEL_WROVER_KIT)
#define CAM_BOARD_NAME "ESP-WROVER-KIT"
#define CAM_PIN_PWDN -1
#define CAM_PIN_RESET -1
#define CAM_PIN_XCLK 21
#define CAM_PIN_SIOD 26
#define CAM_PIN_SIOC 27
#define CAM_PIN_D7 35
#define CAM_PIN_D6 34
#define CAM_PIN_D5 39
#define CAM_PIN_D4 36
#define CAM_PIN_D3 19
#define CAM_PIN_D2 18
#define CAM_PIN_D1 5
#define CAM_PIN_D0 4
#define CAM_PIN_VSYNC 25
#define CAM_PIN_HREF 23
#define CAM_PIN_PCLK 22
#define CAM_LED_FLASH_GPIO -1

#elif defined(CAMERA_MODEL_ESP_EYE)
#define CAM_BOARD_NAME "ESP-EYE"
#define CAM_PIN_PWDN -1
#define CAM_PIN_RESET -1
#define CAM_PIN_XCLK 4
#define CAM_PIN_SIOD 18
#define CAM_PIN_SIOC 23
#define CAM_PIN_D7 36
#define CAM_PIN_D6 37
#define CAM_PIN_D5 38
#define CAM_PIN_D4 39
#define CAM_PIN_D3 35
#define CAM_PIN_D2 14
#define CAM_PIN_D1 13
#define CAM_PIN_D0 34
#define CAM_PIN_VSYNC 5
#define CAM_PIN_HREF 27
#define CAM_PIN_PCLK 25
#define CAM_LED_FLASH_GPIO -1
#define CAM_NEEDS_PULLUPS_13_14 1  // the ESP-EYE needs pull-ups on GPIO 13 and 14 (Y3, Y4)

#elif defined(CAMERA_MODEL_M5STACK_PSRAM)
#define CAM_BOARD_NAME "M5Stack Camera (PSRAM)"
#define CAM_PIN_PWDN -1
#define CAM_PIN_RESET 15
#define CAM_PIN_XCLK 27
#define CAM_PIN_SIOD 25
#define CAM_PIN_SIOC 23
#define CAM_PIN_D7 19
#define CAM_PIN_D6 36
#define CAM_PIN_D5 18
#define CAM_PIN_D4 39
#define CAM_PIN_D3 5
#define CAM_PIN_D2 34
#define CAM_PIN_D1 35
#define CAM_PIN_D0 32
#define CAM_PIN_VSYNC 22
#define CAM_PIN_HREF 26
#define CAM_PIN_PCLK 21
#define CAM_LED_FLASH_GPIO -1

#elif defined(CAMERA_MODEL_XIAO_ESP32S3)
#define CAM_BOARD_NAME "Seeed XIAO ESP32S3 Sense"
#define CAM_PIN_PWDN -1
#define CAM_PIN_RESET -1
#define CAM_PIN_XCLK 10
#define CAM_PIN_SIOD 40
#define CAM_PIN_SIOC 39
#define CAM_PIN_D7 48
#define CAM_PIN_D6 11
#define CAM_PIN_D5 12
#define CAM_PIN_D4 14
#define CAM_PIN_D3 16
#define CAM_PIN_D2 18
#define CAM_PIN_D1 17
#define CAM_PIN_D0 15
#define CAM_PIN_VSYNC 38
#define CAM_PIN_HREF 47
#define CAM_PIN_PCLK 13
#define CAM_LED_FLASH_GPIO -1  // GPIO 21 is a small status LED, not a flash
#endif

#ifndef CAM_NEEDS_PULLUPS_13_14
#define CAM_NEEDS_PULLUPS_13_14 0
#endif

// The BOOT button (GPIO 0 on every board above): pressed in the first 3 s after start-up it opens the set-up
// portal, held 10 s it erases the saved settings. Where GPIO 0 is also the camera's XCLK (AI-Thinker), it can only
// be read before the camera starts, so there the 10 s hold works only from start-up.
#define CAM_BUTTON_GPIO 0
#define CAM_BUTTON_SHARED_WITH_CAMERA (CAM_PIN_XCLK == CAM_BUTTON_GPIO)
