#include "host_mdns.h"

#include <avahi-common/address.h>
#include <avahi-common/error.h>
#include <avahi-common/malloc.h>
#include <avahi-common/simple-watch.h>
#include <avahi-common/strlst.h>
#include <avahi-common/timeval.h>
#include <avahi-core/core.h>
#include <avahi-core/log.h>
#include <avahi-core/lookup.h>
#include <string.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace camrelay {

namespace {

// Avahi's own log lines (joining multicast groups, ...) are chatter for a camera; only its warnings and errors go
// to stdout, one line each.
void quietAvahiLog(AvahiLogLevel level, const char* text) {
  if (level <= AVAHI_LOG_WARN) {
    std::printf("host-cam: avahi: %s\n", text);
    std::fflush(stdout);
  }
}

struct Browse {
  AvahiServer* server = nullptr;
  MdnsService* out = nullptr;
  size_t max = 0;
  size_t count = 0;
  Log* log = nullptr;
};

void copyTxt(AvahiStringList* txt, const char* key, char* dst, size_t cap) {
  AvahiStringList* entry = avahi_string_list_find(txt, key);
  char* k = nullptr;
  char* v = nullptr;
  size_t n = 0;
  if (entry == nullptr || avahi_string_list_get_pair(entry, &k, &v, &n) != 0) return;
  if (v != nullptr) snprintf(dst, cap, "%s", v);
  avahi_free(k);
  avahi_free(v);
}

void onResolved(AvahiSServiceResolver* r, AvahiIfIndex, AvahiProtocol, AvahiResolverEvent event, const char* name,
                const char*, const char*, const char*, const AvahiAddress* address, uint16_t port,
                AvahiStringList* txt, AvahiLookupResultFlags, void* userdata) {
  Browse& b = *static_cast<Browse*>(userdata);
  if (event == AVAHI_RESOLVER_FOUND && address != nullptr) {
    MdnsService* s = nullptr;
    for (size_t i = 0; i < b.count; i++) {  // one entry per instance, even when it answers on several interfaces
      if (strcmp(b.out[i].instance, name) == 0) s = &b.out[i];
    }
    if (s == nullptr && b.count < b.max) s = &b.out[b.count++];
    if (s != nullptr) {
      *s = MdnsService{};
      snprintf(s->instance, sizeof s->instance, "%s", name);
      avahi_address_snprint(s->address, sizeof s->address, address);
      s->port = port;
      copyTxt(txt, "port", s->txtPort, sizeof s->txtPort);
      copyTxt(txt, "tls", s->txtTls, sizeof s->txtTls);
    }
  }
  avahi_s_service_resolver_free(r);
}

void onBrowsed(AvahiSServiceBrowser*, AvahiIfIndex interface, AvahiProtocol protocol, AvahiBrowserEvent event,
               const char* name, const char* type, const char* domain, AvahiLookupResultFlags, void* userdata) {
  Browse& b = *static_cast<Browse*>(userdata);
  if (event != AVAHI_BROWSER_NEW) return;
  if (avahi_s_service_resolver_new(b.server, interface, protocol, name, type, domain, AVAHI_PROTO_INET,
                                   static_cast<AvahiLookupFlags>(0), onResolved, &b) == nullptr) {
    b.log->line("mdns: cannot resolve '%s': %s", name, avahi_strerror(avahi_server_errno(b.server)));
  }
}

}  // namespace

size_t AvahiMdnsBrowser::browse(MdnsService* out, size_t max, uint32_t timeoutMs) {
  avahi_set_log_function(quietAvahiLog);
  AvahiSimplePoll* poll = avahi_simple_poll_new();
  if (poll == nullptr) return 0;
  AvahiServerConfig config;
  avahi_server_config_init(&config);
  config.use_ipv6 = 0;  // the firmware's addresses are IPv4
  config.publish_hinfo = 0;
  config.publish_addresses = 0;
  config.publish_workstation = 0;
  config.publish_domain = 0;
  config.disallow_other_stacks = 0;  // the relay's jmdns (or an avahi-daemon) may hold 5353 on the same machine
  Browse b;
  b.out = out;
  b.max = max;
  b.log = &log_;
  int error = 0;
  b.server = avahi_server_new(avahi_simple_poll_get(poll), &config, nullptr, nullptr, &error);
  avahi_server_config_free(&config);
  if (b.server == nullptr) {
    log_.line("mdns: cannot start the mDNS stack: %s", avahi_strerror(error));
    avahi_simple_poll_free(poll);
    return 0;
  }
  AvahiSServiceBrowser* browser =
      avahi_s_service_browser_new(b.server, AVAHI_IF_UNSPEC, AVAHI_PROTO_INET, "_camrelay._tcp", nullptr,
                                  static_cast<AvahiLookupFlags>(0), onBrowsed, &b);
  if (browser == nullptr) {
    log_.line("mdns: cannot browse: %s", avahi_strerror(avahi_server_errno(b.server)));
  } else {
    struct timeval deadline;
    avahi_elapse_time(&deadline, timeoutMs, 0);
    for (;;) {
      const AvahiUsec left = -avahi_age(&deadline);
      if (left <= 0) break;
      // Wake at least every 100 ms to check the deadline; avahi runs its timers and sockets in between.
      if (avahi_simple_poll_iterate(poll, static_cast<int>(std::min<AvahiUsec>(left / 1000 + 1, 100))) != 0) break;
    }
    avahi_s_service_browser_free(browser);
  }
  avahi_server_free(b.server);  // frees the resolvers still running
  avahi_simple_poll_free(poll);
  return b.count;
}

}  // namespace camrelay
