package dev.camrelay.cli.options;

import dev.camrelay.cli.Size;
import dev.camrelay.cli.simulate.SimulatedCamera;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * What a simulated camera sends: its id, frame rate, and the test pattern's size and quality or a folder of JPEGs.
 * The frame rate and size defaults come from the command's resource bundle ({@code default.fps},
 * {@code default.size}).
 */
public final class CameraFeedOptions {
  @Option(names = "--camera-id", paramLabel = "ID", defaultValue = "default",
      description = "Camera id sent in HELLO (framed mode; raw cameras are the relay's default camera)."
          + " Default: ${DEFAULT-VALUE}.")
  String cameraId;

  @Option(names = "--fps", paramLabel = "N", defaultValue = "${bundle:default.fps:-10}",
      description = "Frames per second; 0 = as fast as the relay takes them (default: ${DEFAULT-VALUE}).")
  double fps;

  @Option(names = "--size", paramLabel = "WxH", defaultValue = "${bundle:default.size:-640x480}",
      converter = Size.Converter.class, description = "Test pattern size (default: ${DEFAULT-VALUE}).")
  Size size;

  @Option(names = "--quality", paramLabel = "Q", defaultValue = "12",
      description = "JPEG quality on the ESP32 scale, 0 best .. 63 worst (default: ${DEFAULT-VALUE}).")
  int quality;

  @Option(names = "--frames", paramLabel = "DIR", description = "Send the JPEG files of this folder in a loop.")
  Path frames;

  public String cameraId() {
    return cameraId;
  }

  public double fps() {
    return fps;
  }

  public Size size() {
    return size;
  }

  public int quality() {
    return quality;
  }

  /** The folder of JPEGs to send, or null for the test pattern. */
  public Path frames() {
    return frames;
  }

  /** Sets the camera id and frame rate on {@code camera} (the frames are up to the command). */
  public SimulatedCamera.Builder applyTo(SimulatedCamera.Builder camera) {
    return camera.cameraId(cameraId).fps(fps);
  }
}
