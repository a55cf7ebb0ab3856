#include "esp_camera_port.h"

#include "board_pins.h"
#include "camrelay_config.h"
#include "driver/ledc.h"

using camrelay::FrameSize;

namespace {
// The camera's XCLK uses LEDC timer 0 / channel 0 (low-speed mode). The flash LED gets its own timer and channel,
// configured through ESP-IDF directly: Arduino's ledcAttach() does not know the camera already owns timer 0 and
// could retune it to 5 kHz on chips without high-speed LEDC (ESP32-S3), which would stop the camera.
constexpr ledc_mode_t kFlashMode = LEDC_LOW_SPEED_MODE;
constexpr ledc_timer_t kFlashTimer = LEDC_TIMER_1;
constexpr ledc_channel_t kFlashChannel = LEDC_CHANNEL_1;
constexpr uint32_t kFlashHz = 5000;
}  // namespace

framesize_t toDriverFrameSize(FrameSize size) {
  switch (size) {
    case FrameSize::kQQVGA: return FRAMESIZE_QQVGA;
    case FrameSize::kQCIF: return FRAMESIZE_QCIF;
    case FrameSize::kHQVGA: return FRAMESIZE_HQVGA;
    case FrameSize::k240X240: return FRAMESIZE_240X240;
    case FrameSize::kQVGA: return FRAMESIZE_QVGA;
    case FrameSize::kCIF: return FRAMESIZE_CIF;
    case FrameSize::kHVGA: return FRAMESIZE_HVGA;
    case FrameSize::kVGA: return FRAMESIZE_VGA;
    case FrameSize::kSVGA: return FRAMESIZE_SVGA;
    case FrameSize::kXGA: return FRAMESIZE_XGA;
    case FrameSize::kHD: return FRAMESIZE_HD;
    case FrameSize::kSXGA: return FRAMESIZE_SXGA;
    case FrameSize::kUXGA: return FRAMESIZE_UXGA;
    case FrameSize::kFHD: return FRAMESIZE_FHD;
    case FrameSize::kQXGA: return FRAMESIZE_QXGA;
    case FrameSize::kCount: break;
  }
  return FRAMESIZE_VGA;
}

bool EspCamera::begin(const Options& options, camrelay::Log& log) {
  log_ = &log;
  settings_ = options.settings;

#if CAM_NEEDS_PULLUPS_13_14
  pinMode(13, INPUT_PULLUP);
  pinMode(14, INPUT_PULLUP);
#endif

  config_.pin_pwdn = CAM_PIN_PWDN;
  config_.pin_reset = CAM_PIN_RESET;
  config_.pin_xclk = CAM_PIN_XCLK;
  config_.pin_sccb_sda = CAM_PIN_SIOD;
  config_.pin_sccb_scl = CAM_PIN_SIOC;
  config_.pin_d7 = CAM_PIN_D7;
  config_.pin_d6 = CAM_PIN_D6;
  config_.pin_d5 = CAM_PIN_D5;
  config_.pin_d4 = CAM_PIN_D4;
  config_.pin_d3 = CAM_PIN_D3;
  config_.pin_d2 = CAM_PIN_D2;
  config_.pin_d1 = CAM_PIN_D1;
  config_.pin_d0 = CAM_PIN_D0;
  config_.pin_vsync = CAM_PIN_VSYNC;
  config_.pin_href = CAM_PIN_HREF;
  config_.pin_pclk = CAM_PIN_PCLK;
  config_.xclk_freq_hz = options.xclkHz;
  config_.ledc_timer = LEDC_TIMER_0;
  config_.ledc_channel = LEDC_CHANNEL_0;
  config_.pixel_format = PIXFORMAT_JPEG;
  config_.jpeg_quality = settings_.quality;
  config_.sccb_i2c_port = -1;

  psram_ = psramFound();
  if (psram_) {
    // Buffers sized for UXGA (the OV2640's largest), so "framesize" can go up to it later without re-init.
    config_.frame_size = FRAMESIZE_UXGA;
    config_.fb_location = CAMERA_FB_IN_PSRAM;
    config_.fb_count = 2;
    config_.grab_mode = CAMERA_GRAB_LATEST;  // the driver keeps filling the spare buffer: always the newest frame
    maxSize_ = FrameSize::kUXGA;
  } else {
    maxSize_ = FrameSize::kVGA;
    if (settings_.frameSize > maxSize_) settings_.frameSize = maxSize_;
    config_.frame_size = toDriverFrameSize(settings_.frameSize);
    config_.fb_location = CAMERA_FB_IN_DRAM;
    config_.fb_count = 1;
    config_.grab_mode = CAMERA_GRAB_WHEN_EMPTY;
    log.line("camera: NO PSRAM found: using one frame buffer in internal RAM, frame size capped at VGA "
             "(check the board type and that PSRAM is enabled in the board settings)");
  }
  if (settings_.frameSize > maxSize_) settings_.frameSize = maxSize_;

  if (!initDriver()) return false;
  setupFlash();
  const int led = settings_.led;  // a saved flash LED level comes back too
  settings_.led = 0;
  if (led > 0 && applyLed(led) == nullptr) log.line("camera: flash LED restored to %d", led);
  log.line("camera: %s, JPEG %s quality %d, XCLK %d MHz, %u x %s buffer%s", CAM_BOARD_NAME,
           camrelay::frameSizeName(settings_.frameSize), settings_.quality, options.xclkHz / 1000000,
           static_cast<unsigned>(config_.fb_count), psram_ ? "PSRAM" : "DRAM", config_.fb_count > 1 ? "s" : "");
  return true;
}

bool EspCamera::initDriver() {
  const esp_err_t err = esp_camera_init(&config_);
  if (err != ESP_OK) {
    log_->line("camera: init failed: 0x%x %s (check the board model in config.h and the ribbon cable)",
               static_cast<unsigned>(err), esp_err_to_name(err));
    return false;
  }
  sensor_t* s = esp_camera_sensor_get();
  if (s == nullptr) {
    log_->line("camera: no sensor found after init");
    return false;
  }
  if (s->id.PID == OV3660_PID) {  // this sensor comes up flipped and over-saturated
    s->set_vflip(s, 1);
    s->set_brightness(s, 1);
    s->set_saturation(s, -2);
  }
  return applyAll();
}

bool EspCamera::applyAll() {
  sensor_t* s = esp_camera_sensor_get();
  if (s == nullptr) return false;
  bool ok = s->set_framesize(s, toDriverFrameSize(settings_.frameSize)) == 0;
  ok &= s->set_quality(s, settings_.quality) == 0;
  ok &= s->set_brightness(s, settings_.brightness) == 0;
  ok &= s->set_contrast(s, settings_.contrast) == 0;
  ok &= s->set_vflip(s, settings_.vflip ? 1 : 0) == 0;
  ok &= s->set_hmirror(s, settings_.hmirror ? 1 : 0) == 0;
  if (!ok) log_->line("camera: the sensor refused some settings");
  return true;
}

bool EspCamera::acquire(camrelay::Frame* frame) {
  fb_ = esp_camera_fb_get();
  if (fb_ == nullptr) return false;
  if (fb_->format != PIXFORMAT_JPEG || fb_->len == 0) {
    esp_camera_fb_return(fb_);
    fb_ = nullptr;
    return false;
  }
  frame->data = fb_->buf;
  frame->len = fb_->len;
  frame->width = static_cast<uint16_t>(fb_->width);
  frame->height = static_cast<uint16_t>(fb_->height);
  frame->timestampUs = static_cast<uint64_t>(fb_->timestamp.tv_sec) * 1000000ull +
                       static_cast<uint64_t>(fb_->timestamp.tv_usec);
  return true;
}

void EspCamera::release() {
  if (fb_ != nullptr) {
    esp_camera_fb_return(fb_);
    fb_ = nullptr;
  }
}

bool EspCamera::reinit() {
  release();
  esp_camera_deinit();
  delay(200);  // let the sensor power down (PWDN) before it is brought up again
  return initDriver();
}

static const char* sensorResult(int rc, const char* what) { return rc == 0 ? nullptr : what; }

const char* EspCamera::applyFrameSize(FrameSize size) {
  sensor_t* s = esp_camera_sensor_get();
  if (s == nullptr) return "camera not initialised";
  if (const char* e = sensorResult(s->set_framesize(s, toDriverFrameSize(size)), "the sensor refused this frame size")) {
    return e;
  }
  settings_.frameSize = size;
  return nullptr;
}

const char* EspCamera::applyQuality(int quality) {
  sensor_t* s = esp_camera_sensor_get();
  if (s == nullptr) return "camera not initialised";
  if (const char* e = sensorResult(s->set_quality(s, quality), "the sensor refused this quality")) return e;
  settings_.quality = quality;
  return nullptr;
}

const char* EspCamera::applyBrightness(int level) {
  sensor_t* s = esp_camera_sensor_get();
  if (s == nullptr) return "camera not initialised";
  if (const char* e = sensorResult(s->set_brightness(s, level), "the sensor refused this brightness")) return e;
  settings_.brightness = level;
  return nullptr;
}

const char* EspCamera::applyContrast(int level) {
  sensor_t* s = esp_camera_sensor_get();
  if (s == nullptr) return "camera not initialised";
  if (const char* e = sensorResult(s->set_contrast(s, level), "the sensor refused this contrast")) return e;
  settings_.contrast = level;
  return nullptr;
}

const char* EspCamera::applyVflip(bool on) {
  sensor_t* s = esp_camera_sensor_get();
  if (s == nullptr) return "camera not initialised";
  if (const char* e = sensorResult(s->set_vflip(s, on ? 1 : 0), "the sensor refused vflip")) return e;
  settings_.vflip = on;
  return nullptr;
}

const char* EspCamera::applyHmirror(bool on) {
  sensor_t* s = esp_camera_sensor_get();
  if (s == nullptr) return "camera not initialised";
  if (const char* e = sensorResult(s->set_hmirror(s, on ? 1 : 0), "the sensor refused hmirror")) return e;
  settings_.hmirror = on;
  return nullptr;
}

void EspCamera::setupFlash() {
#if CAM_LED_FLASH_GPIO >= 0
  ledc_timer_config_t timer = {};
  timer.speed_mode = kFlashMode;
  timer.duty_resolution = LEDC_TIMER_8_BIT;
  timer.timer_num = kFlashTimer;
  timer.freq_hz = kFlashHz;
  timer.clk_cfg = LEDC_AUTO_CLK;
  ledc_channel_config_t channel = {};
  channel.gpio_num = CAM_LED_FLASH_GPIO;
  channel.speed_mode = kFlashMode;
  channel.channel = kFlashChannel;
  channel.intr_type = LEDC_INTR_DISABLE;
  channel.timer_sel = kFlashTimer;
  channel.duty = 0;
  channel.hpoint = 0;
  flashReady_ = ledc_timer_config(&timer) == ESP_OK && ledc_channel_config(&channel) == ESP_OK;
  if (!flashReady_) log_->line("camera: flash LED PWM setup failed");
#endif
}

const char* EspCamera::applyLed(int duty) {
#if CAM_LED_FLASH_GPIO >= 0
  if (!flashReady_) return "flash LED PWM is not available";
  if (ledc_set_duty(kFlashMode, kFlashChannel, static_cast<uint32_t>(duty)) != ESP_OK ||
      ledc_update_duty(kFlashMode, kFlashChannel) != ESP_OK) {
    return "flash LED PWM update failed";
  }
  settings_.led = duty;
  return nullptr;
#else
  (void)duty;
  return "this board has no flash LED";
#endif
}
