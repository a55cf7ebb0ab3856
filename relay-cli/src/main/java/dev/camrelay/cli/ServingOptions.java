package dev.camrelay.cli;

import dev.camrelay.relay.CameraRelay;
import picocli.CommandLine.Option;

/** What the relay accepts and serves: the largest frame, raw JPEG cameras, the web viewer page. */
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

  void applyTo(CameraRelay.Builder relay) {
    relay.maxFrameBytes(maxFrameSize).serveViewer(!noWebViewer);
    if (noRawIngest || allowRawIngest) {
      relay.allowRawIngest(!noRawIngest); // unset: the relay decides from the camera tokens
    }
  }
}
