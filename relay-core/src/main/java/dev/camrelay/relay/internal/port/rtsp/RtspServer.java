package dev.camrelay.relay.internal.port.rtsp;

import dev.camrelay.frame.rtp.RtpJpegPacketizer;
import dev.camrelay.relay.CameraHub;
import dev.camrelay.relay.PortBindException;
import dev.camrelay.relay.internal.auth.Authenticator;
import dev.camrelay.relay.internal.output.rtsp.RtpFramesByCamera;
import dev.camrelay.relay.internal.output.rtsp.RtspCounters;
import dev.camrelay.relay.internal.output.rtsp.SocketWriteGuard;
import dev.camrelay.relay.internal.port.TcpListener;
import dev.camrelay.relay.internal.runtime.ConnectionLimiter;
import dev.camrelay.relay.internal.runtime.LogLimiter;
import dev.camrelay.relay.internal.runtime.RelayConfig;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.rtsp.RtspEncoder;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RTSP port: serves each camera at {@code rtsp://host:port/{camera}} as MJPEG over RTP (RFC 2435), the camera's
 * JPEGs untouched, to NVRs and media tools. Each connection is an {@link RtspConnection}; frames are cut into RTP
 * payloads once per camera, transport (UDP: MTU-sized; interleaved: up to 64 KB, or as capped by
 * {@link RelayConfig#rtspTcpPacketBytes}) and frame ({@link RtpFramesByCamera}), whatever the number of clients.
 *
 * <pre>
 * pipeline: [idle timeout] → [RtspEncoder: responses] → [RtspRequestDecoder: requests, $-packets] → [RtspConnection]
 *           RTP and RTCP are written at the encoder's context, so they bypass it and go out as they are.
 * </pre>
 *
 * <p>Limits: RTP over the RTSP connection (interleaved TCP) or unicast UDP, no multicast; Digest and Basic auth (the token as
 * password) and {@code ?token=}.
 */
public final class RtspServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RtspServer.class);
  /** The session timeout announced in the Session header. */
  public static final Duration SESSION_TIMEOUT = Duration.ofSeconds(60);

  private final RelayConfig config;
  private final CameraHub hub;
  private final Authenticator auth;
  private final ConnectionLimiter limiter;
  private final Duration sessionTimeout;
  private final LogLimiter logs = new LogLimiter(log, 10_000);
  private final RtspCounters counters = new RtspCounters();
  private final RtpFramesByCamera rtpFrames;
  private final RtspDigest digest;
  private final TcpListener listener;
  private UdpPorts udp;

  public RtspServer(RelayConfig config, CameraHub hub, Authenticator auth, ConnectionLimiter limiter,
      Duration sessionTimeout) {
    this.config = config;
    this.hub = hub;
    this.auth = auth;
    this.limiter = limiter;
    this.sessionTimeout = sessionTimeout;
    this.rtpFrames = new RtpFramesByCamera(new RtpJpegPacketizer(RtpJpegPacketizer.DEFAULT_PAYLOAD_BYTES),
        new RtpJpegPacketizer(config.rtspTcpPacketBytes()), PooledByteBufAllocator.DEFAULT, counters);
    List<String> digestTokens = new ArrayList<>(Arrays.asList(config.viewerToken(), config.controlToken()));
    digestTokens.addAll(config.scopedViewerTokens().keySet());
    this.digest = new RtspDigest(digestTokens);
    this.listener = new TcpListener("RTSP", PortBindException.Setting.RTSP_PORT, limiter, logs);
  }

  /**
   * Binds the RTSP port; returns the bound port.
   *
   * @throws PortBindException naming the port when it cannot be bound
   */
  public int start(EventLoopGroup boss, EventLoopGroup workers) throws IOException {
    int port = listener.bind(boss, workers, config.bindHost(), config.rtspPort(), this::accept);
    udp = UdpPorts.bind(workers, config.bindHost());
    return port;
  }

  private void accept(SocketChannel ch, String remote) {
    RtspEncoder encoder = new RtspEncoder();
    ch.pipeline()
        .addLast("write-guard", new SocketWriteGuard()) // next to the socket: see InterleavedSink
        .addLast("idle", new IdleStateHandler(sessionTimeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS))
        .addLast("rtsp-encoder", encoder)
        .addLast("rtsp-decoder", new RtspRequestDecoder());
    ch.pipeline().addLast("rtsp", new RtspConnection(hub, auth, digest, rtpFrames, counters, logs, config.defaultCameraId(),
        sessionTimeout, ch.pipeline().context(encoder), udp));
  }

  /** Why camera {@code cameraId}'s frames are not going out over RTSP, or null when they are (or none was tried). */
  public String refusal(String cameraId) {
    return rtpFrames.refusal(cameraId);
  }

  /**
   * Registers the {@code camrelay_rtsp_*} meters: connections, RTP packets, payload bytes and frames sent, frames
   * re-coded to the standard Huffman tables and frames refused.
   */
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("camrelay.rtsp.connections", listener, TcpListener::connectionCount)
        .description("Open RTSP client connections.").register(registry);
    FunctionCounter.builder("camrelay.rtsp.packets.sent", counters.packets, LongAdder::sum)
        .description("RTP packets sent to RTSP clients.").register(registry);
    FunctionCounter.builder("camrelay.rtsp.payload.bytes.sent", counters.bytes, LongAdder::sum)
        .description("RTP/JPEG payload bytes sent to RTSP clients (headers not counted).").register(registry);
    FunctionCounter.builder("camrelay.rtsp.frames.sent", counters.frames, LongAdder::sum)
        .description("Frames written to RTSP clients as RTP/JPEG.").register(registry);
    FunctionCounter.builder("camrelay.rtsp.frames.recoded", counters.recoded, LongAdder::sum)
        .description("Frames re-coded losslessly to the standard Huffman tables for RTP/JPEG, once per frame.")
        .register(registry);
    FunctionCounter.builder("camrelay.rtsp.frames.refused", counters.refused, LongAdder::sum)
        .description("Frames RTP/JPEG cannot carry (progressive, grayscale, 4:4:4, over 2040 px), not sent over RTSP.")
        .register(registry);
  }

  /** Connections open right now (for tests). */
  public int connectionCount() {
    return listener.connectionCount();
  }

  /** Unbinds and closes every connection. */
  @Override
  public void close() {
    listener.close();
    if (udp != null) {
      udp.close();
    }
    rtpFrames.releaseAll();
  }
}
