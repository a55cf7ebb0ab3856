#pragma once

// Sent in HELLO and shown in "status" replies.
#define CAMRELAY_FIRMWARE_NAME "camrelay-esp32"
#define CAMRELAY_FIRMWARE_VERSION "0.1.0"
