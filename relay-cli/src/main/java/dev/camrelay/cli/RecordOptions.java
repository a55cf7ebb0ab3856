package dev.camrelay.cli;

import dev.camrelay.relay.CameraRelay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** Recording to disk: where, which cameras, segment length, retention. */
final class RecordOptions {
  @Option(names = "--record-dir", paramLabel = "DIR",
      description = "Record cameras into DIR (created if missing): each camera's JPEGs unchanged, as MJPEG AVI files"
          + " under DIR/<camera-id>/ that VLC, ffmpeg, mpv and Windows play; unfinished files are repaired at start.")
  Path recordDir;

  @Option(names = "--record", paramLabel = "ID[,ID...]", split = ",",
      description = "Record only these cameras (default: all, when --record-dir is given).")
  List<String> cameras;

  @Option(names = "--record-segment", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Length of each recorded file, 1s to 24h (default 5m).")
  Duration segment;

  @Option(names = "--record-keep", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Delete recordings older than this, e.g. 7d (default: keep).")
  Duration keep;

  @Option(names = "--record-max-size", paramLabel = "SIZE", converter = ByteSizeConverter.Large.class,
      description = "Delete the oldest recordings while all together take more than SIZE, e.g. 20GiB; the files"
          + " being written count (default: no cap).")
  Long maxSize;

  void applyTo(CommandLine cl, CameraRelay.Builder relay) {
    if (recordDir == null) {
      if (cameras != null || segment != null || keep != null || maxSize != null) {
        throw new ParameterException(cl,
            "--record, --record-segment, --record-keep and --record-max-size need --record-dir");
      }
      return;
    }
    try {
      relay.recordDir(recordDir);
      if (cameras != null) {
        relay.recordCameras(new LinkedHashSet<>(cameras));
      }
      if (segment != null) {
        relay.recordSegment(segment);
      }
      if (keep != null) {
        relay.recordKeep(keep);
      }
      if (maxSize != null) {
        relay.recordMaxBytes(maxSize);
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(cl, e.getMessage().replace("recordCameras", "--record")
          .replace("recordSegment", "--record-segment").replace("recordKeep", "--record-keep")
          .replace("recordMaxBytes", "--record-max-size"));
    }
  }

  /** 7d, 12h, 90m, 45s: the unit the user most likely typed. */
  private static String compact(Duration d) {
    long s = d.toSeconds();
    if (s % 86_400 == 0) {
      return s / 86_400 + "d";
    }
    if (s % 3600 == 0) {
      return s / 3600 + "h";
    }
    return s % 60 == 0 ? s / 60 + "m" : s + "s";
  }

  /** The banner's line, or null when not recording. */
  String describe() {
    if (recordDir == null) {
      return null;
    }
    return recordDir.toAbsolutePath() + "  (" + (cameras == null ? "all cameras" : String.join(",", cameras))
        + (keep != null ? ", kept " + compact(keep) : "")
        + (maxSize != null ? ", at most " + ByteSizeConverter.format(maxSize) : "") + ")";
  }
}
