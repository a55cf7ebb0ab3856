package dev.camrelay.relay.internal.record;

/**
 * One frame read back from the recordings.
 *
 * @param epochMicros when the relay received it (the camera frame's {@code receivedAtMicros}), wall clock
 * @param jpeg the camera's JPEG, byte for byte as it was recorded; a fresh array the caller may keep
 */
public record RecordedFrame(long epochMicros, byte[] jpeg) {}
