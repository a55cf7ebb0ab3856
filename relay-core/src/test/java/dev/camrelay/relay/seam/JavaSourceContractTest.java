package dev.camrelay.relay.seam;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.relay.CameraRelay;
import dev.camrelay.relay.CameraSource;
import dev.camrelay.relay.ControlRequest;
import dev.camrelay.relay.DetachReason;
import dev.camrelay.relay.SourceHandle;
import dev.camrelay.relay.SourceInfo;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The source contract for a plain {@link CameraSource} attached with {@link CameraRelay#attachSource}, written
 * against the documented interface only: the reference the built-in ingests are measured against.
 */
class JavaSourceContractTest extends SourceContractTest {
  private static final AtomicInteger SOURCES = new AtomicInteger();

  @Override
  SourceProbe attach(CameraRelay relay, String cameraId, boolean onDemand) {
    JavaSource source = new JavaSource();
    SourceInfo info = SourceInfo.of("java", "contract-source-" + SOURCES.incrementAndGet()).withControl();
    source.handle = relay.attachSource(cameraId, onDemand ? info.withOnDemand() : info, source);
    source.streamWantedAtAttach = source.handle.streamWanted();
    return source;
  }

  private static final class JavaSource implements CameraSource, SourceProbe {
    private final BlockingQueue<Command> commands = new LinkedBlockingQueue<>();
    private final BlockingQueue<DetachReason> detached = new LinkedBlockingQueue<>();
    private SourceHandle handle;
    private boolean streamWantedAtAttach;

    @Override
    public void onControl(ControlRequest request) {
      commands.add(command(request, null));
    }

    @Override
    public void onStreamRequest(boolean on, ControlRequest request) {
      commands.add(command(request, on));
    }

    private static Command command(ControlRequest request, Boolean streamOn) {
      return new Command(request.id(), JsonParser.parseString(request.json()).getAsJsonObject(), streamOn,
          request::reply);
    }

    @Override
    public void onDetached(DetachReason reason, String message) {
      detached.add(reason);
    }

    @Override
    public boolean streamWantedAtAttach() {
      return streamWantedAtAttach;
    }

    @Override
    public Boolean publish(byte[] jpeg) throws Exception {
      return handle.publish(JpegFrame.parse(jpeg));
    }

    @Override
    public Command nextCommand(Duration timeout) throws InterruptedException {
      Command c = commands.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(c).as("a command from the relay").isNotNull();
      return c;
    }

    @Override
    public void assertReplaced(Duration timeout) throws InterruptedException {
      assertThat(detached.poll(timeout.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(DetachReason.REPLACED);
      assertThat(handle.attached()).isFalse();
    }

    @Override
    public void awaitGone(Duration timeout) {
      assertThat(handle.attached()).isFalse();
      assertThat(detached).as("onDetached is called at most once").isEmpty();
    }

    @Override
    public void close() {
      handle.close();
    }
  }
}
