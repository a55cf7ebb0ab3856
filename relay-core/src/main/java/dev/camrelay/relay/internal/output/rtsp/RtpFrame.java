package dev.camrelay.relay.internal.output.rtsp;

import dev.camrelay.frame.rtp.RtpJpegPayloads;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.ByteBuffer;

/**
 * One camera frame cut into RFC 2435 payloads, in one direct buffer that every RTSP client of the camera sends
 * from; or, when RTP/JPEG cannot carry the frame, the reason. {@link #payloads} is null exactly when
 * {@link #refusal} is not.
 */
record RtpFrame(RtpJpegPayloads payloads, ByteBuf buffer, ByteBuffer view, String refusal) {

  /** A frame of {@code payloads} in {@code buffer}. */
  static RtpFrame of(RtpJpegPayloads payloads, ByteBuf buffer) {
    return new RtpFrame(payloads, buffer, buffer.nioBuffer().asReadOnlyBuffer(), null);
  }

  /** A frame RTP/JPEG cannot carry. */
  static RtpFrame refused(String refusal) {
    return new RtpFrame(null, null, null, refusal);
  }

  /**
   * Payload {@code i} as a buffer positioned on it, no copy: this thread's view of the frame, made once per frame and
   * thread and reused for every client the thread writes the frame to. Valid until the thread's next call, while the
   * frame is held.
   */
  ByteBuffer payloadView(int i) {
    LastView last = LAST_VIEW.get();
    if (last.frame != this) {
      last.frame = this;
      last.view = view.duplicate();
    }
    int offset = payloads.offset(i);
    return last.view.clear().limit(offset + payloads.length(i)).position(offset);
  }

  private static final FastThreadLocal<LastView> LAST_VIEW = new FastThreadLocal<>() {
    @Override
    protected LastView initialValue() {
      return new LastView();
    }
  };

  /** A thread's view of the frame it wrote last (identity: frames are made once and never reused). */
  private static final class LastView {
    RtpFrame frame;
    ByteBuffer view;
  }

  /** Payload {@code i} as a retained slice of the shared buffer; the caller releases it (a write does). */
  ByteBuf retainedPayload(int i) {
    return buffer.retainedSlice(payloads.offset(i), payloads.length(i));
  }
}
