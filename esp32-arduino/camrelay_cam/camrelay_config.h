// Loads config.h (the user's settings) and fills in defaults for anything it leaves out.
#pragma once

#if defined(CAMRELAY_HOST_SYNTAX_CHECK)
#include "config.example.h"  // the host compile check (esp32-arduino/host, `make syntax`) has no config.h
#elif __has_include("config.h")
#include "config.h"
#else
#error "camrelay: copy config.example.h to config.h (next to camrelay_cam.ino) and set your Wi-Fi and relay there"
#endif

#ifndef CAMRELAY_PORT
#define CAMRELAY_PORT 3008
#endif
#ifndef CAMRELAY_TOKEN
#define CAMRELAY_TOKEN ""
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
