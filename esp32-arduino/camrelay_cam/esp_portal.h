// The set-up portal on the board: the camera's own access point "camrelay-<id>" (open, or with
// CAMRELAY_PORTAL_PASSWORD), a DNS server that answers every name with the camera's address (so phones and laptops
// show their "sign in to network" page), and a WebServer with the form from provisioning.h.
//
// Why the core's WebServer + DNSServer and not WiFiManager: WiFiManager stores the Wi-Fi credentials in the Wi-Fi
// driver's own NVS and custom fields through callbacks, brings its own page, and would be the first third-party
// library of a sketch that otherwise needs none; the portal here is one small page whose parsing and validation is
// the portable, host-tested code (PortalForm), and whose settings go into the same store as everything else.
#pragma once

#include "src/camrelay/ports.h"
#include "src/camrelay/provisioning.h"
#include "src/camrelay/settings.h"

// Runs the portal until the form is saved or it is left untouched for 10 minutes (with a network saved); then
// restarts the board. Never returns.
[[noreturn]] void runPortal(camrelay::SettingsStore& store, const camrelay::DeviceSettings& current,
                            const char* firmware, const char* apPassword, camrelay::Clock& clock, camrelay::Log& log,
                            camrelay::System& system);
