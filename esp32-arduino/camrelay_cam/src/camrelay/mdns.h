// Finding the relay on the LAN when no host is configured: browse mDNS for _camrelay._tcp and take the camera port
// and whether it wants TLS from the TXT record. What the relay advertises (for the Java side):
//
//   service  _camrelay._tcp.local, instance name = the relay's name, SRV port = its camera (TCP ingest) port
//   TXT      port=<camera port>   (wins over the SRV port when both are present)
//            tls=1 | tls=0        (whether the camera port wants TLS)
//            http=<HTTP port>     (informational; updates come with full URLs)
//
// Security: mDNS answers are unauthenticated. A camera with a pinned certificate fingerprint still only talks to a
// relay that presents that certificate; it refuses a relay that offers no TLS rather than sending its token in
// clear. A camera without a fingerprint refuses a relay that wants TLS (it could not check the certificate).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "backoff.h"
#include "ports.h"

namespace camrelay {

struct MdnsService {
  char instance[64] = {0};
  char address[64] = {0};  // what to connect to: the resolved IP address as text
  uint16_t port = 0;       // SRV port
  char txtPort[8] = {0};   // TXT "port", "" when absent
  char txtTls[8] = {0};    // TXT "tls", "" when absent
};

class MdnsBrowser {
 public:
  // Browses _camrelay._tcp for at most timeoutMs; writes at most max services and returns how many.
  virtual size_t browse(MdnsService* out, size_t max, uint32_t timeoutMs) = 0;

 protected:
  ~MdnsBrowser() = default;
};

struct RelayChoice {
  bool found = false;
  char host[64] = {0};
  uint16_t port = 0;
  bool tls = false;
  uint32_t candidates = 0;  // usable relays seen (the one chosen has the smallest instance name)
  char why[128] = {0};      // when !found: why none was usable
};

// Picks a relay from a browse. tlsPinned: a certificate fingerprint is configured.
RelayChoice chooseRelay(const MdnsService* services, size_t count, bool tlsPinned);

// When to browse: as soon as a relay is needed, again after a few failed connections (its address may have
// changed), and with growing pauses (2 s .. 60 s) while nothing usable answers.
class RelayLocator {
 public:
  static constexpr size_t kMaxServices = 8;
  RelayLocator(MdnsBrowser& browser, Random& random, Log& log, bool tlsPinned, uint32_t failuresBeforeRebrowse = 3);
  // Called while the camera is not connected. True when a relay was (re)found: *choice then holds it.
  bool poll(uint64_t nowUs, uint32_t connectFailuresInARow, RelayChoice* choice);
  bool known() const { return known_; }

 private:
  MdnsBrowser& browser_;
  Random& random_;
  Log& log_;
  bool tlsPinned_;
  uint32_t failuresBeforeRebrowse_;
  Backoff backoff_;
  bool known_ = false;
  uint64_t nextBrowseUs_ = 0;
  MdnsService services_[kMaxServices];
};

}  // namespace camrelay
