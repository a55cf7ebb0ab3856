// The host camera's mDNS browse: the firmware's MdnsBrowser (camrelay/mdns.h) over Avahi's embeddable mDNS stack
// (libavahi-core, Debian's libavahi-core-dev), so no avahi-daemon or D-Bus is needed. Each browse starts its own
// in-process mDNS stack on the up, multicast-capable IPv4 interfaces, asks for _camrelay._tcp, resolves what
// answers (SRV, TXT, A), and stops when timeoutMs is over; the portable RelayLocator/chooseRelay then pick, as on
// the board.
//
// Limits: IPv4 only; interfaces without the MULTICAST flag (Linux's loopback) are never browsed, so a relay that
// advertises only on loopback is not found; shares UDP 5353 with other mDNS stacks on the machine (SO_REUSEADDR).
#pragma once

#include "camrelay/mdns.h"

namespace camrelay {

class AvahiMdnsBrowser : public MdnsBrowser {
 public:
  explicit AvahiMdnsBrowser(Log& log) : log_(log) {}
  size_t browse(MdnsService* out, size_t max, uint32_t timeoutMs) override;

 private:
  Log& log_;
};

}  // namespace camrelay
