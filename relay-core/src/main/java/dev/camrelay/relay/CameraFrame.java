package dev.camrelay.relay;

import dev.camrelay.frame.jpeg.JpegFrame;
import java.util.Objects;

/**
 * One complete frame of one camera, as the hub hands it to every output: the camera's JPEG exactly as it was sent,
 * with where and when it came from. Immutable and safe to share between threads; outputs must not modify the JPEG.
 */
public final class CameraFrame {
  private final String cameraId;
  private final JpegFrame jpeg;
  private final long sequence;
  private final long captureMicros;
  private final long receivedAtMicros;
  private final int width;
  private final int height;

  /**
   * @param sequence the source's frame number, or the relay's count of this camera's frames
   * @param captureMicros capture time in microseconds on the source's clock, or {@code receivedAtMicros}
   * @param receivedAtMicros when the relay took the frame, microseconds since the epoch (wall clock)
   * @param width width from the JPEG's SOF marker, 0 when it has none
   * @param height height from the JPEG's SOF marker, 0 when it has none
   */
  public CameraFrame(String cameraId, JpegFrame jpeg, long sequence, long captureMicros, long receivedAtMicros,
      int width, int height) {
    this.cameraId = Objects.requireNonNull(cameraId, "cameraId");
    this.jpeg = Objects.requireNonNull(jpeg, "jpeg");
    this.sequence = sequence;
    this.captureMicros = captureMicros;
    this.receivedAtMicros = receivedAtMicros;
    this.width = width;
    this.height = height;
  }

  public String cameraId() {
    return cameraId;
  }

  /** The complete, structurally valid JPEG, byte for byte as the camera sent it. */
  public JpegFrame jpeg() {
    return jpeg;
  }

  /** Bytes of the JPEG. */
  public int size() {
    return jpeg.size();
  }

  /**
   * The source's frame number when it gave one (the framed protocol's FRAME sequence), else the relay's count of
   * this camera's published frames, starting at 1. Gaps mean frames the source skipped or that never arrived.
   */
  public long sequence() {
    return sequence;
  }

  /**
   * When the picture was taken, in microseconds on the source's own clock when it gave one (the framed protocol's
   * FRAME timestamp, often time since the camera booted), else the same as {@link #receivedAtMicros()}. Use it for
   * the spacing between frames; use {@link #receivedAtMicros()} for wall-clock time.
   */
  public long captureMicros() {
    return captureMicros;
  }

  /** When the relay published the frame: microseconds since 1970-01-01T00:00Z on the relay's clock. */
  public long receivedAtMicros() {
    return receivedAtMicros;
  }

  /** Width in pixels from the JPEG's SOF marker; 0 when it has none. */
  public int width() {
    return width;
  }

  /** Height in pixels from the JPEG's SOF marker; 0 when it has none. */
  public int height() {
    return height;
  }

  @Override
  public String toString() {
    return "CameraFrame[" + cameraId + " #" + sequence + ", " + jpeg.size() + " bytes, " + width + "x" + height + "]";
  }
}
