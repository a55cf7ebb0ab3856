package dev.camrelay.cli;

import dev.camrelay.relay.CameraRelay;
import picocli.CommandLine.Option;

/** What the relay accepts and serves: the largest frame, raw JPEG cameras, the web viewer page, seed clients. */
final class ServingOptions {
  @Option(names = "--max-frame-size", paramLabel = "SIZE", defaultValue = "4MiB", converter = ByteSizeConverter.class,
      description = "Largest JPEG accepted; larger frames are dropped (default: ${DEFAULT-VALUE}; KiB/MiB suffixes).")
  int maxFrameSize;

  @Option(names = "--no-raw-ingest",
      description = "Refuse raw JPEG TCP cameras (they cannot authenticate); only the framed protocol.")
  boolean noRawIngest;

  @Option(names = "--allow-raw-ingest",
      description = "Accept raw JPEG TCP cameras (as the default camera) even though camera tokens are set; without"
          + " this, any --camera-token closes raw ingest (raw streams cannot carry a token).")
  boolean allowRawIngest;

  @Option(names = "--no-web-viewer", description = "Do not serve the web viewer page at /.")
  boolean noWebViewer;

  @Option(names = "--seed-compat",
      description = "Also take the Node relay's WebSocket clients unchanged at /: a camera offering subprotocol"
          + " ipcam_TOKEN (the default camera; TOKEN checked as its camera token), a monitor offering mon_TOKEN (a"
          + " viewer; its text goes to the camera as sent, with the control token only).")
  boolean seedCompat;

  void applyTo(CameraRelay.Builder relay) {
    relay.maxFrameBytes(maxFrameSize).serveViewer(!noWebViewer).seedCompatibility(seedCompat);
    if (noRawIngest || allowRawIngest) {
      relay.allowRawIngest(!noRawIngest); // unset: the relay decides from the camera tokens
    }
  }
}
