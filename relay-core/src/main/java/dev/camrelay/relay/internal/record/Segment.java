package dev.camrelay.relay.internal.record;

import java.nio.file.Path;

/**
 * One recorded segment of one camera: an AVI file and its frame-times sidecar ({@link FrameTimes}).
 *
 * @param cameraId the camera
 * @param file the AVI file (MJPEG in AVI, OpenDML index); its sidecar is {@link FrameTimes#sidecarOf(Path)}
 * @param startMicros wall-clock time of the first frame, microseconds since the epoch
 * @param endMicros wall-clock time of the last frame (equal to {@code startMicros} for a one-frame segment)
 * @param frames frames in the segment (for a segment being written: those flushed so far)
 * @param bytes size of the AVI file in bytes (for a segment being written: what is on disk so far)
 * @param recording true while the recorder still writes it; its header and index are final only once it is false
 */
public record Segment(String cameraId, Path file, long startMicros, long endMicros, long frames, long bytes,
    boolean recording) {}
