#include "commands.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

namespace camrelay {

namespace {

struct SizeInfo {
  const char* name;
  uint16_t width;
  uint16_t height;
};
const SizeInfo kSizes[] = {
    {"QQVGA", 160, 120},   {"QCIF", 176, 144},    {"HQVGA", 240, 176}, {"240X240", 240, 240}, {"QVGA", 320, 240},
    {"CIF", 400, 296},     {"HVGA", 480, 320},    {"VGA", 640, 480},   {"SVGA", 800, 600},    {"XGA", 1024, 768},
    {"HD", 1280, 720},     {"SXGA", 1280, 1024},  {"UXGA", 1600, 1200}, {"FHD", 1920, 1080},  {"QXGA", 2048, 1536},
};
static_assert(sizeof kSizes / sizeof kSizes[0] == static_cast<size_t>(FrameSize::kCount), "one entry per size");

char upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

bool equalsIgnoreCase(const char* a, const char* b) {
  while (*a && *b) {
    if (upper(*a++) != upper(*b++)) return false;
  }
  return *a == *b;
}

bool parseDimension(const char*& p, uint32_t* out) {
  uint32_t v = 0;
  int digits = 0;
  while (*p >= '0' && *p <= '9' && digits < 5) {
    v = v * 10 + static_cast<uint32_t>(*p++ - '0');
    digits++;
  }
  *out = v;
  return digits > 0;
}

// Accepts a JSON boolean, or 0/1.
bool asBool(const JsonValue& v, bool* out) {
  if (v.kind == JsonValue::Kind::kBool) {
    *out = v.b;
    return true;
  }
  if (v.kind == JsonValue::Kind::kInt && (v.i == 0 || v.i == 1)) {
    *out = v.i == 1;
    return true;
  }
  return false;
}

bool asIntIn(const JsonValue& v, int lo, int hi, int* out) {
  if (v.kind != JsonValue::Kind::kInt || v.i < lo || v.i > hi) return false;
  *out = v.i;
  return true;
}

}  // namespace

const char* frameSizeName(FrameSize size) {
  const size_t i = static_cast<size_t>(size);
  return i < static_cast<size_t>(FrameSize::kCount) ? kSizes[i].name : "?";
}
uint16_t frameSizeWidth(FrameSize size) {
  const size_t i = static_cast<size_t>(size);
  return i < static_cast<size_t>(FrameSize::kCount) ? kSizes[i].width : 0;
}
uint16_t frameSizeHeight(FrameSize size) {
  const size_t i = static_cast<size_t>(size);
  return i < static_cast<size_t>(FrameSize::kCount) ? kSizes[i].height : 0;
}

bool parseFrameSize(const char* text, FrameSize* out) {
  for (size_t i = 0; i < static_cast<size_t>(FrameSize::kCount); i++) {
    if (equalsIgnoreCase(text, kSizes[i].name)) {
      *out = static_cast<FrameSize>(i);
      return true;
    }
  }
  const char* p = text;
  uint32_t w = 0, h = 0;
  if (!parseDimension(p, &w) || (*p != 'x' && *p != 'X')) return false;
  p++;
  if (!parseDimension(p, &h) || *p != '\0') return false;
  for (size_t i = 0; i < static_cast<size_t>(FrameSize::kCount); i++) {
    if (kSizes[i].width == w && kSizes[i].height == h) {
      *out = static_cast<FrameSize>(i);
      return true;
    }
  }
  return false;
}

CommandDispatcher::CommandDispatcher(CameraControl& camera, const SensorSettings& initial)
    : camera_(camera), settings_(initial) {}

size_t CommandDispatcher::error(char* out, size_t cap, const char* fmt, ...) {
  char message[160];
  va_list args;
  va_start(args, fmt);
  vsnprintf(message, sizeof message, fmt, args);
  va_end(args);
  JsonWriter w(out, cap);
  w.key("ok").boolean(false).key("error").str(message);
  return w.finish();
}

void CommandDispatcher::changed() {
  if (observer_ != nullptr) observer_->onSensorSettingsChanged(settings_);
}

size_t CommandDispatcher::handle(const char* json, size_t len, Session& session, DeviceInfo* device, char* out,
                                 size_t cap, bool* ok) {
  *ok = false;
  lastHadSecret_ = false;
  Command c;
  char parseError[120];
  if (!parseCommand(json, len, &c, parseError, sizeof parseError)) {
    // A command that did not parse may still hold a token: withhold anything that mentions one.
    for (size_t i = 0; i + 5 <= len && !lastHadSecret_; i++) lastHadSecret_ = memcmp(json + i, "token", 5) == 0;
    return error(out, cap, "%s", parseError);
  }
  lastHadSecret_ = c.token[0] != '\0';

  const char* cmd = c.cmd;
  const JsonValue& v = c.value;
  JsonWriter w(out, cap);
  const char* failure = nullptr;

  if (strcmp(cmd, "framesize") == 0) {
    FrameSize size;
    if (v.kind != JsonValue::Kind::kString || !parseFrameSize(v.str, &size)) {
      return error(out, cap, "framesize needs \"value\": a size name (QQVGA..QXGA) or WxH such as \"640x480\"");
    }
    if (size > camera_.maxFrameSize()) {
      return error(out, cap, "framesize %s is larger than this board's maximum %s", frameSizeName(size),
                   frameSizeName(camera_.maxFrameSize()));
    }
    if ((failure = camera_.applyFrameSize(size)) != nullptr) return error(out, cap, "%s", failure);
    settings_.frameSize = size;
    changed();
    w.key("ok").boolean(true).key("framesize").str(frameSizeName(size));
    w.key("width").num(frameSizeWidth(size)).key("height").num(frameSizeHeight(size));
  } else if (strcmp(cmd, "quality") == 0) {
    int q;
    if (!asIntIn(v, 4, 63, &q)) return error(out, cap, "quality needs \"value\": an integer 4..63 (lower = better)");
    if ((failure = camera_.applyQuality(q)) != nullptr) return error(out, cap, "%s", failure);
    settings_.quality = q;
    changed();
    w.key("ok").boolean(true).key("quality").num(q);
  } else if (strcmp(cmd, "brightness") == 0 || strcmp(cmd, "contrast") == 0) {
    const bool brightness = cmd[0] == 'b';
    int level;
    if (!asIntIn(v, -2, 2, &level)) return error(out, cap, "%s needs \"value\": an integer -2..2", cmd);
    failure = brightness ? camera_.applyBrightness(level) : camera_.applyContrast(level);
    if (failure != nullptr) return error(out, cap, "%s", failure);
    (brightness ? settings_.brightness : settings_.contrast) = level;
    changed();
    w.key("ok").boolean(true).key(cmd).num(level);
  } else if (strcmp(cmd, "vflip") == 0 || strcmp(cmd, "hmirror") == 0) {
    const bool vflip = cmd[0] == 'v';
    bool on;
    if (!asBool(v, &on)) return error(out, cap, "%s needs \"value\": true or false", cmd);
    failure = vflip ? camera_.applyVflip(on) : camera_.applyHmirror(on);
    if (failure != nullptr) return error(out, cap, "%s", failure);
    (vflip ? settings_.vflip : settings_.hmirror) = on;
    changed();
    w.key("ok").boolean(true).key(cmd).boolean(on);
  } else if (strcmp(cmd, "led") == 0) {
    int duty;
    if (!asIntIn(v, 0, 255, &duty)) return error(out, cap, "led needs \"value\": an integer 0..255 (PWM duty)");
    if ((failure = camera_.applyLed(duty)) != nullptr) return error(out, cap, "%s", failure);
    settings_.led = duty;
    changed();
    w.key("ok").boolean(true).key("led").num(duty);
  } else if (strcmp(cmd, "stream") == 0) {
    bool on;
    if (!asBool(c.on, &on)) return error(out, cap, "stream needs \"on\": true or false");
    session.setStreaming(on);
    w.key("ok").boolean(true).key("streaming").boolean(on);
  } else if (strcmp(cmd, "restart") == 0) {
    session.requestRestart();
    w.key("ok").boolean(true).key("restarting").boolean(true);
  } else if (strcmp(cmd, "status") == 0) {
    w.key("ok").boolean(true);
    session.writeStatus(w);
    w.key("framesize").str(frameSizeName(settings_.frameSize));
    w.key("width").num(frameSizeWidth(settings_.frameSize)).key("height").num(frameSizeHeight(settings_.frameSize));
    w.key("maxFramesize").str(frameSizeName(camera_.maxFrameSize()));
    w.key("quality").num(settings_.quality).key("brightness").num(settings_.brightness);
    w.key("contrast").num(settings_.contrast).key("vflip").boolean(settings_.vflip);
    w.key("hmirror").boolean(settings_.hmirror).key("led").num(settings_.led);
    if (device != nullptr) device->writeStatus(w);
  } else if (strcmp(cmd, "ota") == 0) {
    if (maintenance_ == nullptr) return error(out, cap, "this camera cannot update itself over the network");
    if (c.url[0] == '\0' || c.size.kind != JsonValue::Kind::kInt || c.sha256[0] == '\0') {
      return error(out, cap, "ota needs \"url\" (string), \"size\" (integer bytes) and \"sha256\" (64 hex digits)");
    }
    const UpdateOffer offer{c.url, c.size.i, c.sha256, c.version};
    if ((failure = maintenance_->offerUpdate(offer)) != nullptr) return error(out, cap, "%s", failure);
    w.key("ok").boolean(true).key("ota").str("downloading").key("size").num(c.size.i);
  } else if (strcmp(cmd, "factory-reset") == 0) {
    if (maintenance_ == nullptr) return error(out, cap, "factory reset is not available on this camera");
    if ((failure = maintenance_->factoryReset(c.token)) != nullptr) return error(out, cap, "%s", failure);
    session.requestRestart();
    w.key("ok").boolean(true).key("factoryReset").boolean(true).key("restarting").boolean(true);
  } else {
    char shown[32];
    snprintf(shown, sizeof shown, "%s", cmd);
    return error(out, cap, "unknown command \"%s\" (known: framesize quality brightness contrast vflip hmirror led "
                 "stream restart status ota factory-reset)", shown);
  }
  const size_t n = w.finish();
  if (n == 0) return error(out, cap, "reply too large");
  *ok = true;
  return n;
}

}  // namespace camrelay
