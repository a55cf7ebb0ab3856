package dev.camrelay.frame.jpeg;

import java.util.ArrayList;
import java.util.List;

/** Records every callback of a {@link JpegSplitter.Listener}. */
public final class CollectingListener implements JpegSplitter.Listener {
  /** One discard report. */
  public record DiscardReport(JpegSplitter.Discard reason, long bytes, String detail) {}

  public final List<JpegFrame> frames = new ArrayList<>();
  public final List<DiscardReport> discards = new ArrayList<>();

  @Override
  public void onFrame(JpegFrame frame) {
    frames.add(frame);
  }

  @Override
  public void onDiscard(JpegSplitter.Discard reason, long bytes, String detail) {
    discards.add(new DiscardReport(reason, bytes, detail));
  }

  /** Frame contents as arrays. */
  public List<byte[]> frameBytes() {
    List<byte[]> out = new ArrayList<>();
    for (JpegFrame f : frames) {
      out.add(f.toByteArray());
    }
    return out;
  }

  /** Reports with the given reason. */
  public List<DiscardReport> discards(JpegSplitter.Discard reason) {
    return discards.stream().filter(d -> d.reason() == reason).toList();
  }

  /** Sum of the sizes of emitted frames and discarded bytes: every input byte lands in exactly one. */
  public long accountedBytes() {
    long n = 0;
    for (JpegFrame f : frames) {
      n += f.size();
    }
    for (DiscardReport d : discards) {
      n += d.bytes();
    }
    return n;
  }
}
