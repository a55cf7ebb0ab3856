package dev.camrelay.relay.internal.source.tcp;

import dev.camrelay.relay.CameraHub;
import dev.camrelay.relay.internal.auth.Authenticator;
import dev.camrelay.relay.internal.firmware.FirmwareUpdates;
import dev.camrelay.relay.internal.runtime.LogLimiter;
import dev.camrelay.relay.internal.runtime.RelayConfig;

/** What every ingest connection handler needs. */
public record IngestContext(RelayConfig config, CameraHub hub, Authenticator auth, LogLimiter logLimiter,
    RawSources rawSources, int httpPort, int wsPort, FirmwareUpdates firmware) {}
