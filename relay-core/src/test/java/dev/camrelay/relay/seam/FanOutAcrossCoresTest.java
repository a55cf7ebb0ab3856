package dev.camrelay.relay.seam;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.relay.CameraFrame;
import dev.camrelay.relay.CameraOutput;
import dev.camrelay.relay.CameraRelay;
import dev.camrelay.relay.OutputHandle;
import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.TestJpegs;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A frame's writes to many outputs are spread over the cores, and every output still gets every frame in order. */
class FanOutAcrossCoresTest {
  private static final int OUTPUTS = 64;

  /** Records the sequence of each frame and the thread that delivered it; takes a little time per frame. */
  static final class TimedOutput implements CameraOutput {
    final List<Long> sequences = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();
    volatile OutputHandle handle;

    @Override
    public void onAttached(OutputHandle h) {
      handle = h;
    }

    @Override
    public void onFrame(CameraFrame frame) {
      long until = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(100); // a socket write's worth of work
      while (System.nanoTime() < until) {
        Thread.onSpinWait();
      }
      sequences.add(frame.sequence());
      threads.add(Thread.currentThread().getName());
      handle.ready();
    }
  }

  @Test
  void withAHelperThreadTheLaterOutputsAreServedOnItAndEveryOutputGetsEveryFrameInOrder() throws Exception {
    try (CameraRelay relay = inProcessRelay(1)) {
      List<TimedOutput> outputs = attach(relay);
      List<Long> published = new ArrayList<>();
      // Publish until some output was served by a helper (it must happen; the deadline only bounds a broken build).
      Await.until("a frame delivered on a camrelay-fanout thread", () -> {
        publishOne(relay, published);
        return outputs.stream().anyMatch(o -> o.threads.stream().anyMatch(t -> t.startsWith("camrelay-fanout")));
      });
      for (int i = 0; i < 5; i++) {
        publishOne(relay, published);
      }
      for (TimedOutput o : outputs) {
        assertThat(o.sequences).as("frames in publication order, none skipped").containsExactlyElementsOf(published);
      }
    }
  }

  @Test
  void withNoHelperThreadsEveryOutputIsServedOnThePublishingThread() throws Exception {
    try (CameraRelay relay = inProcessRelay(0)) {
      List<TimedOutput> outputs = attach(relay);
      List<Long> published = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        publishOne(relay, published);
      }
      String publisher = Thread.currentThread().getName();
      for (TimedOutput o : outputs) {
        assertThat(o.sequences).containsExactlyElementsOf(published);
        assertThat(o.threads).containsOnly(publisher);
      }
    }
  }

  @Test
  void eachFrameStartsOneOutputFurtherSoNoOutputIsAlwaysServedLast() throws Exception {
    try (CameraRelay relay = inProcessRelay(0)) {
      List<Integer> served = new CopyOnWriteArrayList<>(); // output indexes in the order they got frames
      for (int i = 0; i < OUTPUTS; i++) {
        int index = i;
        relay.attachOutput("cam", new CameraOutput() {
          private volatile OutputHandle handle;

          @Override
          public void onAttached(OutputHandle h) {
            handle = h;
          }

          @Override
          public void onFrame(CameraFrame frame) {
            served.add(index);
            handle.ready();
          }
        });
      }
      List<Long> published = new ArrayList<>();
      for (int i = 0; i < OUTPUTS; i++) {
        publishOne(relay, published);
      }
      Set<Integer> lastServed = new HashSet<>();
      for (int f = 0; f < OUTPUTS; f++) {
        List<Integer> frameOrder = served.subList(f * OUTPUTS, (f + 1) * OUTPUTS);
        assertThat(new HashSet<>(frameOrder)).as("every output once per frame").hasSize(OUTPUTS);
        lastServed.add(frameOrder.get(OUTPUTS - 1));
      }
      assertThat(lastServed).as("outputs served last, over as many frames as outputs").hasSize(OUTPUTS);
    }
  }

  private static CameraRelay inProcessRelay(int helpers) throws Exception {
    CameraRelay relay = CameraRelay.builder().tcpPort(-1).wsPort(-1).httpPort(-1).fanOutThreads(helpers).build();
    relay.start();
    return relay;
  }

  private static List<TimedOutput> attach(CameraRelay relay) {
    List<TimedOutput> outputs = new ArrayList<>();
    for (int i = 0; i < OUTPUTS; i++) {
      TimedOutput o = new TimedOutput();
      relay.attachOutput("cam", o);
      outputs.add(o);
    }
    return outputs;
  }

  private static void publishOne(CameraRelay relay, List<Long> published) {
    try {
      relay.publish("cam", TestJpegs.frame(published.size()));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    published.add(relay.latestFrame("cam").orElseThrow().sequence());
  }
}
