#include "mdns.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "settings.h"

namespace camrelay {

namespace {

bool txtTrue(const char* v) { return strcmp(v, "1") == 0 || strcmp(v, "true") == 0 || strcmp(v, "yes") == 0; }

bool parsePort(const char* text, uint16_t* out) {
  char* end = nullptr;
  const long v = strtol(text, &end, 10);
  if (text[0] == '\0' || *end != '\0' || v < 1 || v > 65535) return false;
  *out = static_cast<uint16_t>(v);
  return true;
}

}  // namespace

RelayChoice chooseRelay(const MdnsService* services, size_t count, bool tlsPinned) {
  RelayChoice choice;
  const MdnsService* best = nullptr;
  uint16_t bestPort = 0;
  bool bestTls = false;
  for (size_t i = 0; i < count; i++) {
    const MdnsService& s = services[i];
    char why[128] = {0};
    uint16_t port = s.port;
    const bool tls = txtTrue(s.txtTls);
    if (!isValidHost(s.address)) {
      snprintf(why, sizeof why, "relay '%.40s' has no usable address", s.instance);
    } else if (s.txtPort[0] != '\0' && !parsePort(s.txtPort, &port)) {
      snprintf(why, sizeof why, "relay '%.40s' advertises a bad TXT port '%.7s'", s.instance, s.txtPort);
    } else if (port == 0) {
      snprintf(why, sizeof why, "relay '%.40s' advertises no port", s.instance);
    } else if (tlsPinned && !tls) {
      snprintf(why, sizeof why, "relay '%.40s' offers no TLS but a fingerprint is set: not sending the token in clear",
               s.instance);
    } else if (!tlsPinned && tls) {
      snprintf(why, sizeof why, "relay '%.40s' wants TLS: set its certificate fingerprint in the set-up portal",
               s.instance);
    }
    if (why[0] != '\0') {
      if (choice.why[0] == '\0') memcpy(choice.why, why, sizeof why);
      continue;
    }
    choice.candidates++;
    if (best == nullptr || strcmp(s.instance, best->instance) < 0) {
      best = &s;
      bestPort = port;
      bestTls = tls;
    }
  }
  if (best == nullptr) {
    if (choice.why[0] == '\0') snprintf(choice.why, sizeof choice.why, "no relay answered for _camrelay._tcp");
    return choice;
  }
  choice.found = true;
  snprintf(choice.host, sizeof choice.host, "%s", best->address);
  choice.port = bestPort;
  choice.tls = bestTls;
  choice.why[0] = '\0';
  return choice;
}

RelayLocator::RelayLocator(MdnsBrowser& browser, Random& random, Log& log, bool tlsPinned,
                           uint32_t failuresBeforeRebrowse)
    : browser_(browser),
      random_(random),
      log_(log),
      tlsPinned_(tlsPinned),
      failuresBeforeRebrowse_(failuresBeforeRebrowse),
      backoff_(4000, 60000) {}

bool RelayLocator::poll(uint64_t nowUs, uint32_t connectFailuresInARow, RelayChoice* choice) {
  if (known_ && connectFailuresInARow < failuresBeforeRebrowse_) return false;
  if (nowUs < nextBrowseUs_) return false;
  const size_t n = browser_.browse(services_, kMaxServices, 3000);
  *choice = chooseRelay(services_, n, tlsPinned_);
  if (!choice->found) {
    const uint32_t delayMs = backoff_.nextDelayMs(random_);
    nextBrowseUs_ = nowUs + static_cast<uint64_t>(delayMs) * 1000;
    log_.line("mdns: %s; browsing again in %lu ms", choice->why, static_cast<unsigned long>(delayMs));
    return false;  // a relay found before stays in use
  }
  backoff_.reset();
  nextBrowseUs_ = nowUs + 10ull * 1000 * 1000;  // re-browse at most every 10 s even when connections keep failing
  known_ = true;
  log_.line("mdns: found the relay at %s:%u (%s)%s", choice->host, choice->port, choice->tls ? "TLS" : "plain TCP",
            choice->candidates > 1 ? ", the first of several by name" : "");
  return true;
}

}  // namespace camrelay
