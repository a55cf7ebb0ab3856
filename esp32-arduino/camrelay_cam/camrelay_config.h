// Loads config.h (the user's settings, optional since the set-up portal exists) and fills in defaults for anything
// it leaves out. Values here are the factory defaults: what the portal shows first, and what a factory reset
// returns to. Settings saved by the portal or changed by the relay override them (settings.h).
#pragma once

#if defined(CAMRELAY_HOST_SYNTAX_CHECK)
#include "config.example.h"  // the host compile check (esp32-arduino/host, `make syntax`) has no config.h
#elif __has_include("config.h")
#include "config.h"
#endif

#if !defined(CAMERA_MODEL_AI_THINKER) && !defined(CAMERA_MODEL_WROVER_KIT) && !defined(CAMERA_MODEL_ESP_EYE) && \
    !defined(CAMERA_MODEL_M5STACK_PSRAM) && !defined(CAMERA_MODEL_XIAO_ESP32S3)
#define CAMERA_MODEL_AI_THINKER
#endif

#ifndef CAMRELAY_WIFI_SSID
#define CAMRELAY_WIFI_SSID ""  // "": the first boot opens the set-up portal
#endif
#ifndef CAMRELAY_WIFI_PASSWORD
#define CAMRELAY_WIFI_PASSWORD ""
#endif
#ifndef CAMRELAY_HOST
#define CAMRELAY_HOST ""  // "": find the relay by mDNS
#endif
#ifndef CAMRELAY_PORT
#define CAMRELAY_PORT 3008
#endif
#ifndef CAMRELAY_CAMERA_ID
#define CAMRELAY_CAMERA_ID "esp32cam"
#endif
#ifndef CAMRELAY_TOKEN
#define CAMRELAY_TOKEN ""
#endif
#ifndef CAMRELAY_TLS_FINGERPRINT
#define CAMRELAY_TLS_FINGERPRINT ""  // "": plain TCP
#endif
#ifndef CAMRELAY_PORTAL_PASSWORD
#define CAMRELAY_PORTAL_PASSWORD ""  // "": the set-up access point is open (8..63 characters for WPA2)
#endif
#ifndef CAMRELAY_FRAME_SIZE
#define CAMRELAY_FRAME_SIZE "VGA"
#endif
#ifndef CAMRELAY_JPEG_QUALITY
#define CAMRELAY_JPEG_QUALITY 12
#endif
#ifndef CAMRELAY_VFLIP
#define CAMRELAY_VFLIP 0
#endif
#ifndef CAMRELAY_HMIRROR
#define CAMRELAY_HMIRROR 0
#endif
#ifndef CAMRELAY_XCLK_HZ
#define CAMRELAY_XCLK_HZ 20000000
#endif
#ifndef CAMRELAY_MAX_FPS
#define CAMRELAY_MAX_FPS 15
#endif
#ifndef CAMRELAY_ON_DEMAND
#define CAMRELAY_ON_DEMAND 1
#endif
