package dev.camrelay.relay.internal.ingest;

import dev.camrelay.relay.internal.LogLimiter;
import dev.camrelay.relay.internal.RelayConfig;
import dev.camrelay.relay.internal.auth.Authenticator;
import dev.camrelay.relay.CameraHub;

/** What every ingest connection handler needs. */
record IngestContext(RelayConfig config, CameraHub hub, Authenticator auth, LogLimiter logLimiter,
    RawSources rawSources, int httpPort, int wsPort) {}
