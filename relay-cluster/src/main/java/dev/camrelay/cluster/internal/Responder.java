package dev.camrelay.cluster.internal;

import com.google.gson.JsonParseException;
import dev.camrelay.relay.CameraFrame;
import dev.camrelay.relay.CameraHub;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers other nodes' requests about this node's cameras: the latest frame (so a remote viewer sees a picture at
 * once) and control commands (passed to {@link CameraHub#control}, the camera's reply or the failure's message sent
 * back). Only cameras connected here are answered for.
 */
final class Responder {
  private static final Logger log = LoggerFactory.getLogger(Responder.class);
  private static final byte[] NONE = new byte[0];

  private final CameraHub hub;
  private final Bus bus;
  private final LocalCameras locals;
  private final Exports exports;
  private final String node;
  private final EveryMinute badLog = new EveryMinute();

  Responder(CameraHub hub, Bus bus, LocalCameras locals, Exports exports, String node) {
    this.hub = hub;
    this.bus = bus;
    this.locals = locals;
    this.exports = exports;
    this.node = node;
  }

  void subscribe(Dispatcher dispatcher, Subjects subjects) {
    dispatcher.subscribe(subjects.latest(node), this::latest);
    dispatcher.subscribe(subjects.control(node), this::control);
  }

  /** Body: the camera id; answer: the frame (as on the frame subject) or an empty body. */
  private void latest(Message m) {
    String id = new String(m.getData(), StandardCharsets.UTF_8);
    Optional<CameraFrame> frame = locals.contains(id) ? hub.latestFrame(id) : Optional.empty();
    if (frame.isPresent()) {
      Headers headers = FrameCodec.headers(frame.get());
      if (exports.fits(id, frame.get().size(), headers)) {
        bus.reply(m, headers, frame.get().jpeg().toByteArray());
        return;
      }
    }
    bus.reply(m, null, NONE);
  }

  private void control(Message m) {
    Messages.Control c;
    try {
      c = Messages.read(m.getData(), Messages.Control.class);
    } catch (JsonParseException e) {
      if (badLog.due("control")) {
        log.warn("cluster: unreadable control request on the bus: {}", e.getMessage());
      }
      return;
    }
    if (c.camera() == null || !locals.contains(c.camera())) {
      answer(m, new Messages.ControlAnswer(null, "camera " + c.camera() + " is not connected to node " + node));
      return;
    }
    hub.control(c.camera(), c.json() == null ? "" : c.json()).whenComplete((reply, error) -> {
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      answer(m, cause == null ? new Messages.ControlAnswer(reply, null)
          : new Messages.ControlAnswer(null, cause.getMessage()));
    });
  }

  private void answer(Message request, Messages.ControlAnswer answer) {
    bus.reply(request, null, Messages.write(answer));
  }
}
