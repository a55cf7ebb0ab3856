package dev.camrelay.relay.testing;

import dev.camrelay.relay.CameraFrame;
import dev.camrelay.relay.CameraOutput;
import dev.camrelay.relay.OutputHandle;
import java.util.List;

/** An output that keeps the bytes of every frame it gets and is ready for the next at once (so it skips none). */
public final class CollectingOutput implements CameraOutput {
  private final List<byte[]> into;
  private volatile OutputHandle handle;

  public CollectingOutput(List<byte[]> into) {
    this.into = into;
  }

  @Override
  public void onAttached(OutputHandle h) {
    handle = h;
  }

  @Override
  public void onFrame(CameraFrame frame) {
    into.add(frame.jpeg().toByteArray());
    handle.ready();
  }
}
