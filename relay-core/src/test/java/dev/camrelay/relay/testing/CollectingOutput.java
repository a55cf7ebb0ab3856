package dev.camrelay.relay.testing;

import dev.camrelay.relay.CameraFrame;
import dev.camrelay.relay.CameraOutput;
import dev.camrelay.relay.OutputHandle;
import java.util.List;
import java.util.Set;

/**
 * An output that keeps the bytes of every frame it gets and is ready for the next at once (so it skips none);
 * optionally also the names of the threads that delivered them.
 */
public final class CollectingOutput implements CameraOutput {
  private final List<byte[]> into;
  private final Set<String> threadsOrNull;
  private volatile OutputHandle handle;

  public CollectingOutput(List<byte[]> into) {
    this(into, null);
  }

  public CollectingOutput(List<byte[]> into, Set<String> threadsOrNull) {
    this.into = into;
    this.threadsOrNull = threadsOrNull;
  }

  @Override
  public void onAttached(OutputHandle h) {
    handle = h;
  }

  @Override
  public void onFrame(CameraFrame frame) {
    if (threadsOrNull != null) {
      threadsOrNull.add(Thread.currentThread().getName());
    }
    into.add(frame.jpeg().toByteArray());
    handle.ready();
  }
}
