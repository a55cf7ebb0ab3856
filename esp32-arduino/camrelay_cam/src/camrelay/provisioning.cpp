#include "provisioning.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "wire.h"

namespace camrelay {

namespace {

constexpr uint64_t kUs = 1000;

void copyField(char* out, size_t cap, const char* in, const char* name, char* tooLong, size_t tooLongCap) {
  const size_t n = strnlen(in, cap);
  if (n >= cap) {
    if (tooLong[0] == '\0') snprintf(tooLong, tooLongCap, "%s", name);
    out[0] = '\0';
    return;
  }
  memcpy(out, in, n + 1);
}

bool checked(const char* value) { return value[0] != '\0' && strcmp(value, "0") != 0; }

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool fail(char* error, size_t cap, const char* fmt, ...) CAMRELAY_PRINTF(3, 4);
bool fail(char* error, size_t cap, const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  vsnprintf(error, cap, fmt, args);
  va_end(args);
  return false;
}

// Appends to a fixed buffer; once something does not fit, the page is abandoned (length 0).
class Html {
 public:
  Html(char* out, size_t cap) : out_(out), cap_(cap) {}
  Html& raw(const char* s) {
    const size_t n = strlen(s);
    if (overflow_ || len_ + n + 1 > cap_) {
      overflow_ = true;
      return *this;
    }
    memcpy(out_ + len_, s, n);
    len_ += n;
    out_[len_] = '\0';
    return *this;
  }
  Html& text(const char* s) {  // escaped for element content and quoted attribute values
    for (; *s && !overflow_; s++) {
      switch (*s) {
        case '&': raw("&amp;"); break;
        case '<': raw("&lt;"); break;
        case '>': raw("&gt;"); break;
        case '"': raw("&quot;"); break;
        case '\'': raw("&#39;"); break;
        default: {
          const char c[2] = {*s, '\0'};
          raw(c);
        }
      }
    }
    return *this;
  }
  size_t finish() const { return overflow_ ? 0 : len_; }

 private:
  char* out_;
  size_t cap_;
  size_t len_ = 0;
  bool overflow_ = false;
};

}  // namespace

StartOrder chooseStartOrder(bool psram) { return psram ? StartOrder::kWifiFirst : StartOrder::kCameraFirst; }

const char* startOrderReason(StartOrder order) {
  return order == StartOrder::kWifiFirst
             ? "Wi-Fi first, camera once Wi-Fi has settled (PSRAM frame buffers; avoids both start-up current peaks "
               "at once)"
             : "camera first, then Wi-Fi (no PSRAM: the frame buffer needs internal RAM before Wi-Fi takes it)";
}

ButtonWatcher::ButtonWatcher(uint32_t bootWindowMs, uint32_t resetHoldMs)
    : bootWindowUs_(bootWindowMs * kUs), resetHoldUs_(resetHoldMs * kUs) {}

ButtonWatcher::Action ButtonWatcher::poll(uint64_t nowUs, bool pressed) {
  if (!started_) {
    started_ = true;
    bootUs_ = nowUs;
  }
  if (pressed && !pressed_) {
    pressed_ = true;
    pressedSinceUs_ = nowUs;
    pressStartedInWindow_ = nowUs - bootUs_ < bootWindowUs_;
    resetFired_ = false;
    return Action::kNone;
  }
  if (pressed) {
    if (!resetFired_ && nowUs - pressedSinceUs_ >= resetHoldUs_) {
      resetFired_ = true;
      return Action::kFactoryReset;
    }
    return Action::kNone;
  }
  if (pressed_) {  // released
    pressed_ = false;
    const bool portal = pressStartedInWindow_ && !resetFired_;
    pressStartedInWindow_ = false;
    if (portal) return Action::kPortal;
  }
  return Action::kNone;
}

bool ButtonWatcher::settled(uint64_t nowUs) const {
  return started_ && !pressed_ && nowUs - bootUs_ >= bootWindowUs_;
}

BootDecision decideBootMode(const DeviceSettings& settings, ButtonWatcher::Action button) {
  if (!settings.provisioned()) return {BootMode::kPortal, "no Wi-Fi network saved yet (first boot or factory reset)"};
  if (button == ButtonWatcher::Action::kPortal) return {BootMode::kPortal, "BOOT button pressed at start-up"};
  return {BootMode::kStation, "joining the saved network"};
}

StationWatch::StationWatch(uint32_t portalAfterMs) : portalAfterUs_(portalAfterMs * kUs) {}

bool StationWatch::shouldOpenPortal(uint64_t nowUs, bool wifiConnected) {
  if (!started_ || wifiConnected) {
    started_ = true;
    downSinceUs_ = nowUs;
    return false;
  }
  return nowUs - downSinceUs_ >= portalAfterUs_;
}

PortalWatch::PortalWatch(bool networkSaved, uint32_t idleRestartMs)
    : networkSaved_(networkSaved), idleRestartUs_(idleRestartMs * kUs) {}

bool PortalWatch::shouldRestart(uint64_t nowUs) {
  if (!started_) {
    started_ = true;
    lastVisitUs_ = nowUs;
  }
  return networkSaved_ && nowUs - lastVisitUs_ >= idleRestartUs_;
}

void PortalForm::set(const char* name, const char* value) {
  struct Field {
    const char* name;
    char* out;
    size_t cap;
  };
  const Field fields[] = {
      {"ssid", ssid, sizeof ssid},         {"pass", password, sizeof password}, {"host", host, sizeof host},
      {"port", port, sizeof port},         {"id", cameraId, sizeof cameraId},   {"token", token, sizeof token},
      {"fsize", frameSize, sizeof frameSize}, {"fp", fingerprint, sizeof fingerprint},
  };
  for (const Field& f : fields) {
    if (strcmp(name, f.name) == 0) {
      copyField(f.out, f.cap, value, f.name, tooLong, sizeof tooLong);
      return;
    }
  }
  if (strcmp(name, "open") == 0) openNetwork = checked(value);
  if (strcmp(name, "mdns") == 0) findByMdns = checked(value);
  if (strcmp(name, "notoken") == 0) clearToken = checked(value);
}

bool parseUrlEncodedForm(const char* body, size_t len, PortalForm* form) {
  char name[16];
  char value[320];  // longer than any field; a longer value is cut here and then reported as too long
  size_t i = 0;
  while (i < len) {
    size_t n = 0, v = 0;
    bool inValue = false;
    for (; i < len && body[i] != '&'; i++) {
      char c = body[i];
      if (c == '\0') return false;
      if (c == '=' && !inValue) {
        inValue = true;
        continue;
      }
      if (c == '+') {
        c = ' ';
      } else if (c == '%') {
        if (i + 2 >= len) return false;
        const int hi = hexValue(body[i + 1]), lo = hexValue(body[i + 2]);
        if (hi < 0 || lo < 0) return false;
        c = static_cast<char>(hi << 4 | lo);
        if (c == '\0') return false;
        i += 2;
      }
      if (inValue) {
        if (v + 1 < sizeof value) value[v++] = c;
      } else if (n + 1 < sizeof name) {
        name[n++] = c;
      }
    }
    i++;  // the '&'
    name[n] = '\0';
    value[v] = '\0';
    if (n > 0) form->set(name, value);
  }
  return true;
}

bool applyPortalForm(const PortalForm& f, const DeviceSettings& current, DeviceSettings* out, char* error,
                     size_t errorCap) {
  *out = current;
  if (f.tooLong[0] != '\0') return fail(error, errorCap, "the field '%s' is too long", f.tooLong);

  const size_t ssidLen = strlen(f.ssid);
  if (ssidLen == 0 || ssidLen > 32) return fail(error, errorCap, "Wi-Fi network: 1 to 32 characters");
  memcpy(out->wifiSsid, f.ssid, ssidLen + 1);

  const size_t passLen = strlen(f.password);
  if (f.openNetwork) {
    if (passLen > 0) return fail(error, errorCap, "Wi-Fi password: leave it empty for an open network");
    out->wifiPassword[0] = '\0';
  } else if (passLen > 0) {
    if (passLen < 8 || passLen > 63) return fail(error, errorCap, "Wi-Fi password: 8 to 63 characters (WPA2)");
    memcpy(out->wifiPassword, f.password, passLen + 1);
  } else if (strcmp(current.wifiSsid, f.ssid) != 0 && current.wifiPassword[0] != '\0') {
    // A new network with the old network's password is never what was meant.
    return fail(error, errorCap, "Wi-Fi password: enter the password of \"%.32s\" (or tick 'open network')", f.ssid);
  }

  if (f.findByMdns) {
    if (f.host[0] != '\0') return fail(error, errorCap, "Relay: give a host or tick 'find by mDNS', not both");
    out->relayHost[0] = '\0';
  } else {
    if (!isValidHost(f.host)) {
      return fail(error, errorCap, "Relay host: a name or IP address (A-Z a-z 0-9 . - :), or tick 'find by mDNS'");
    }
    memcpy(out->relayHost, f.host, strlen(f.host) + 1);
  }
  if (f.port[0] != '\0') {
    char* end = nullptr;
    const long port = strtol(f.port, &end, 10);
    if (*end != '\0' || port < 1 || port > 65535) return fail(error, errorCap, "Relay port: 1 to 65535");
    out->relayPort = static_cast<uint16_t>(port);
  }

  if (!wire::isValidCameraId(f.cameraId, strlen(f.cameraId))) {
    return fail(error, errorCap, "Camera id: %s", wire::kCameraIdRule);
  }
  memcpy(out->cameraId, f.cameraId, strlen(f.cameraId) + 1);

  const size_t tokenLen = strlen(f.token);
  if (f.clearToken) {
    if (tokenLen > 0) return fail(error, errorCap, "Token: leave it empty when ticking 'no token'");
    out->token[0] = '\0';
  } else if (tokenLen > 0) {
    size_t bad = 0;
    if (tokenLen > 255 || !wire::isValidUtf8(reinterpret_cast<const uint8_t*>(f.token), tokenLen, &bad)) {
      return fail(error, errorCap, "Token: at most 255 bytes of UTF-8");
    }
    memcpy(out->token, f.token, tokenLen + 1);
  }

  if (f.frameSize[0] != '\0' && !parseFrameSize(f.frameSize, &out->sensor.frameSize)) {
    return fail(error, errorCap, "Frame size: one of QQVGA QCIF HQVGA 240X240 QVGA CIF HVGA VGA SVGA XGA HD SXGA UXGA");
  }

  if (f.fingerprint[0] == '\0') {
    out->tlsFingerprint[0] = '\0';
  } else if (!normalizeFingerprint(f.fingerprint, out->tlsFingerprint)) {
    return fail(error, errorCap,
                "TLS fingerprint: the relay certificate's SHA-256, 64 hex digits (colons allowed), or empty for no TLS");
  }
  return true;
}

size_t renderPortalPage(const DeviceSettings& s, const char* message, const char* const* networks,
                        size_t networkCount, const char* firmware, char* out, size_t cap) {
  Html h(out, cap);
  char port[8];
  snprintf(port, sizeof port, "%u", static_cast<unsigned>(s.relayPort));
  h.raw("<!doctype html><html><head><meta charset=utf-8><meta name=viewport content='width=device-width'>"
        "<title>camrelay camera set-up</title><style>body{font-family:sans-serif;max-width:34em;margin:1em auto;"
        "padding:0 1em}label{display:block;margin-top:.8em}input,select{width:100%;padding:.4em;box-sizing:border-box}"
        "input[type=checkbox]{width:auto}.err{color:#b00;font-weight:bold}small{color:#555}</style></head><body>"
        "<h1>camrelay camera set-up</h1>");
  if (message != nullptr && message[0] != '\0') h.raw("<p class=err>").text(message).raw("</p>");
  h.raw("<form method=post action=/save><label>Wi-Fi network<input name=ssid list=nets required maxlength=32 value=\"")
      .text(s.wifiSsid)
      .raw("\"></label><datalist id=nets>");
  for (size_t i = 0; i < networkCount; i++) h.raw("<option value=\"").text(networks[i]).raw("\">");
  h.raw("</datalist><label>Wi-Fi password<input name=pass type=password maxlength=63 placeholder=\"")
      .raw(s.wifiPassword[0] ? "(saved: leave empty to keep it)" : "")
      .raw("\"></label><label><input type=checkbox name=open value=1> open network (no password)</label>"
           "<label>Relay host<input name=host maxlength=63 value=\"")
      .text(s.relayHost)
      .raw("\"></label><label><input type=checkbox name=mdns value=1")
      .raw(s.relayHost[0] == '\0' ? " checked" : "")
      .raw("> find the relay by mDNS (_camrelay._tcp) instead</label><label>Relay camera port"
           "<input name=port inputmode=numeric maxlength=5 value=\"")
      .raw(port)
      .raw("\"></label><label>Camera id <small>1..64 of A-Z a-z 0-9 . _ -</small><input name=id required "
           "maxlength=64 value=\"")
      .text(s.cameraId)
      .raw("\"></label><label>Camera token<input name=token type=password maxlength=255 placeholder=\"")
      .raw(s.token[0] ? "(saved: leave empty to keep it)" : "")
      .raw("\"></label><label><input type=checkbox name=notoken value=1> no token</label><label>Frame size"
           "<select name=fsize>");
  for (size_t i = 0; i <= static_cast<size_t>(FrameSize::kUXGA); i++) {
    const FrameSize f = static_cast<FrameSize>(i);
    h.raw("<option").raw(f == s.sensor.frameSize ? " selected>" : ">").raw(frameSizeName(f)).raw("</option>");
  }
  h.raw("</select></label><label>Relay TLS certificate SHA-256 fingerprint <small>empty: plain TCP</small>"
        "<input name=fp maxlength=127 value=\"")
      .text(s.tlsFingerprint)
      .raw("\"></label><p><button type=submit>Save and restart</button></p></form><p><small>")
      .text(firmware)
      .raw("</small></p></body></html>");
  return h.finish();
}

}  // namespace camrelay
