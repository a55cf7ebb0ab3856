package dev.camrelay.relay.seam;

import com.google.gson.JsonObject;
import java.time.Duration;

/**
 * One camera source as a contract test drives it: a real camera connection (framed TCP, WebSocket ingest) or an
 * in-process {@link dev.camrelay.relay.CameraSource}. Each {@link SourceContractTest} subclass makes them; every one
 * declares the control capability.
 */
interface SourceProbe extends AutoCloseable {
  /** What the relay said at attach: WELCOME's STREAM flag, the first stream command, {@code streamWanted()}. */
  boolean streamWantedAtAttach();

  /**
   * Sends one JPEG as this camera. Returns whether the relay took it where the source can tell ({@code
   * SourceHandle.publish}), null where it cannot (a network camera only sends).
   */
  Boolean publish(byte[] jpeg) throws Exception;

  /** The next command the relay sent this source (control or stream), waiting at most {@code timeout}. */
  Command nextCommand(Duration timeout) throws Exception;

  /** Asserts the relay told this source it was replaced (BYE 10, close code 4010, onDetached(REPLACED)). */
  void assertReplaced(Duration timeout) throws Exception;

  /** Waits until the relay is done with this source: its connection closed, its handle detached. */
  void awaitGone(Duration timeout) throws Exception;

  /** The camera leaves. */
  @Override
  void close() throws Exception;

  /** Answers a command with the camera's reply JSON; returns whether it was taken where the source can tell. */
  @FunctionalInterface
  interface Replier {
    Boolean reply(String json) throws Exception;
  }

  /**
   * A command as the source got it: the relay's request id, the command JSON without any transport fields, whether
   * it is a stream request (null: a control command) and how to answer it.
   */
  record Command(long id, JsonObject json, Boolean streamOn, Replier replier) {
    Boolean reply(String replyJson) throws Exception {
      return replier.reply(replyJson);
    }

    /** A command that arrived as JSON: {@code {"cmd":"stream","on":...}} is a stream request. */
    static Command fromJson(long id, JsonObject json, Replier replier) {
      boolean stream = json.has("cmd") && "stream".equals(json.get("cmd").getAsString()) && json.has("on");
      return new Command(id, json, stream ? json.get("on").getAsBoolean() : null, replier);
    }
  }
}
