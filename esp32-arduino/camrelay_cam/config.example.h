// camrelay camera settings. Optional: without config.h the camera starts its set-up portal on the first boot (see
// README.md). Copy this file to config.h (same folder) to choose the board or to build the settings in; config.h is
// git-ignored so your Wi-Fi password and token stay out of version control. Settings saved through the portal or
// changed by the relay take precedence over these; a factory reset returns to them.
#pragma once

// ---- Board: uncomment exactly one (or pass -DCAMERA_MODEL_... as a build flag). Pin maps are in board_pins.h.
#if !defined(CAMERA_MODEL_AI_THINKER) && !defined(CAMERA_MODEL_WROVER_KIT) && !defined(CAMERA_MODEL_ESP_EYE) && \
    !defined(CAMERA_MODEL_M5STACK_PSRAM) && !defined(CAMERA_MODEL_XIAO_ESP32S3)
#define CAMERA_MODEL_AI_THINKER  // AI-Thinker ESP32-CAM (OV2640, 4 MB PSRAM, flash LED on GPIO 4)
// #define CAMERA_MODEL_WROVER_KIT
// #define CAMERA_MODEL_ESP_EYE
// #define CAMERA_MODEL_M5STACK_PSRAM
// #define CAMERA_MODEL_XIAO_ESP32S3  // Seeed XIAO ESP32S3 Sense
#endif

// ---- Wi-Fi (2.4 GHz only). "" = set up through the portal.
#define CAMRELAY_WIFI_SSID ""
#define CAMRELAY_WIFI_PASSWORD ""
// Password of the set-up access point "camrelay-<id>" (8..63 characters); "" = an open access point.
#define CAMRELAY_PORTAL_PASSWORD ""

// ---- Relay: the machine running camrelay, and its camera port (TCP ingest, default 3008).
#define CAMRELAY_HOST ""  // IP address or host name; "" = find it by mDNS (_camrelay._tcp)
#define CAMRELAY_PORT 3008
// TLS: the SHA-256 fingerprint of the relay's certificate (64 hex digits, colons allowed); "" = plain TCP.
#define CAMRELAY_TLS_FINGERPRINT ""

// ---- Who this camera is. Id: 1..64 characters of A-Z a-z 0-9 . _ -  (viewers open /cam/<id>).
#define CAMRELAY_CAMERA_ID "esp32cam"
// The relay's camera token (relay flag --camera-token / builder cameraToken(...)); "" when the relay has none.
#define CAMRELAY_TOKEN ""

// ---- Picture.
// Frame size: QQVGA QCIF HQVGA 240X240 QVGA CIF HVGA VGA SVGA XGA HD SXGA UXGA (OV2640 tops out at UXGA).
// Without PSRAM the firmware caps this at VGA.
#define CAMRELAY_FRAME_SIZE "VGA"
#define CAMRELAY_JPEG_QUALITY 12  // 4..63, lower = better picture and bigger frames; 10..15 is typical
#define CAMRELAY_VFLIP 0
#define CAMRELAY_HMIRROR 0
// Camera clock. 20 MHz is the OV2640's normal rate; try 10 MHz if you see "NO-SOI"/"FB-OVF" or striped frames
// (long ribbon cables, noisy power): the sensor is then slower but more robust.
#define CAMRELAY_XCLK_HZ 20000000

// ---- Streaming.
#define CAMRELAY_MAX_FPS 15   // cap on frames per second sent (0 = no cap); saves Wi-Fi airtime and heat
#define CAMRELAY_ON_DEMAND 1  // 1: send frames only while someone watches (the relay says when); 0: always
