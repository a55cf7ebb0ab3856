#pragma once
#include <stdbool.h>
#include <stdint.h>
typedef enum {
  OV9650_PID = 0x96, OV7725_PID = 0x77, OV2640_PID = 0x26, OV3660_PID = 0x3660, OV5640_PID = 0x5640,
  OV7670_PID = 0x76, NT99141_PID = 0x1410, GC2145_PID = 0x2145, GC032A_PID = 0x232a, GC0308_PID = 0x9b,
} camera_pid_t;
typedef enum {
  PIXFORMAT_RGB565, PIXFORMAT_YUV422, PIXFORMAT_YUV420, PIXFORMAT_GRAYSCALE, PIXFORMAT_JPEG, PIXFORMAT_RGB888,
  PIXFORMAT_RAW, PIXFORMAT_RGB444, PIXFORMAT_RGB555,
} pixformat_t;
typedef enum {
  FRAMESIZE_96X96, FRAMESIZE_QQVGA, FRAMESIZE_QCIF, FRAMESIZE_HQVGA, FRAMESIZE_240X240, FRAMESIZE_QVGA,
  FRAMESIZE_CIF, FRAMESIZE_HVGA, FRAMESIZE_VGA, FRAMESIZE_SVGA, FRAMESIZE_XGA, FRAMESIZE_HD, FRAMESIZE_SXGA,
  FRAMESIZE_UXGA, FRAMESIZE_FHD, FRAMESIZE_P_HD, FRAMESIZE_P_3MP, FRAMESIZE_QXGA, FRAMESIZE_QHD, FRAMESIZE_WQXGA,
  FRAMESIZE_P_FHD, FRAMESIZE_QSXGA, FRAMESIZE_INVALID
} framesize_t;
typedef enum { GAINCEILING_2X, GAINCEILING_4X, GAINCEILING_8X, GAINCEILING_16X, GAINCEILING_32X, GAINCEILING_64X,
               GAINCEILING_128X } gainceiling_t;
typedef struct {
  uint8_t MIDH;
  uint8_t MIDL;
  uint16_t PID;
  uint8_t VER;
} sensor_id_t;
typedef struct _sensor sensor_t;
struct _sensor {
  sensor_id_t id;
  uint8_t slv_addr;
  pixformat_t pixformat;
  int xclk_freq_hz;
  int (*init_status)(sensor_t* sensor);
  int (*reset)(sensor_t* sensor);
  int (*set_pixformat)(sensor_t* sensor, pixformat_t pixformat);
  int (*set_framesize)(sensor_t* sensor, framesize_t framesize);
  int (*set_contrast)(sensor_t* sensor, int level);
  int (*set_brightness)(sensor_t* sensor, int level);
  int (*set_saturation)(sensor_t* sensor, int level);
  int (*set_sharpness)(sensor_t* sensor, int level);
  int (*set_denoise)(sensor_t* sensor, int level);
  int (*set_gainceiling)(sensor_t* sensor, gainceiling_t gainceiling);
  int (*set_quality)(sensor_t* sensor, int quality);
  int (*set_colorbar)(sensor_t* sensor, int enable);
  int (*set_whitebal)(sensor_t* sensor, int enable);
  int (*set_gain_ctrl)(sensor_t* sensor, int enable);
  int (*set_exposure_ctrl)(sensor_t* sensor, int enable);
  int (*set_hmirror)(sensor_t* sensor, int enable);
  int (*set_vflip)(sensor_t* sensor, int enable);
};
