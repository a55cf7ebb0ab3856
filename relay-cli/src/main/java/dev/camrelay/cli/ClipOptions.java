package dev.camrelay.cli;

import dev.camrelay.relay.CameraRelay;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Pre-event clips: the in-memory ring of each camera and where clips go; each unset one keeps the relay's default. */
final class ClipOptions {
  @Option(names = "--pre-event", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Keep the last DURATION of every camera in memory (at most 10m) so that POST"
          + " /cam/{id}/clips?before=10s&after=20s (control token) saves it and what follows as an AVI clip"
          + " (default: off).")
  Duration preEvent;

  @Option(names = "--pre-event-max-size", paramLabel = "SIZE", converter = ByteSizeConverter.class,
      description = "Most JPEG bytes one camera's pre-event ring holds; large frames keep fewer seconds"
          + " (relay default 32MiB).")
  Integer preEventMaxSize;

  @Option(names = "--clips-dir", paramLabel = "DIR",
      description = "Where clips go when the relay does not record: DIR/{id}/ (default: camrelay-clips in the"
          + " working directory). With --record-dir they go to its {id}/clips/.")
  Path clipsDir;

  void applyTo(CameraRelay.Builder relay) {
    if (preEvent != null) {
      relay.preEvent(preEvent);
    }
    if (preEventMaxSize != null) {
      relay.preEventMaxBytes(preEventMaxSize);
    }
    if (clipsDir != null) {
      relay.clipsDir(clipsDir);
    }
  }
}
