package dev.camrelay.cli;

import dev.camrelay.frame.wire.CameraId;
import dev.camrelay.relay.CameraRelay;
import dev.camrelay.relay.PortBindException;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** Where the relay listens: {@code --bind}, the three ports, and the camera raw TCP ingest lands on. */
final class ListenOptions {
  static final String TCP_PORT = "--tcp-port";
  static final String WS_PORT = "--ws-port";
  static final String HTTP_PORT = "--http-port";
  static final String RTSP_PORT = "--rtsp-port";
  static final String RTSP_TCP_PACKET_SIZE = "--rtsp-tcp-packet-size";

  @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "0.0.0.0",
      description = "Address to listen on (default: ${DEFAULT-VALUE}, every interface; 127.0.0.1 for this machine"
          + " only).")
  String bind;

  @Option(names = TCP_PORT, paramLabel = "PORT", defaultValue = "3008",
      description = "Camera TCP ingest port, raw JPEG or framed (default: ${DEFAULT-VALUE}; 0 = any free port,"
          + " -1 = off).")
  int tcpPort;

  @Option(names = WS_PORT, paramLabel = "PORT", defaultValue = "3009",
      description = "WebSocket port for viewers and camera ingest (default: ${DEFAULT-VALUE}).")
  int wsPort;

  @Option(names = HTTP_PORT, paramLabel = "PORT", defaultValue = "3010",
      description = "HTTP port: web viewer, MJPEG, snapshots, API, metrics (default: ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(names = RTSP_PORT, paramLabel = "PORT", defaultValue = "8554",
      description = "RTSP port for NVRs and media tools: rtsp://host:PORT/<camera>, the camera's JPEGs as MJPEG over"
          + " RTP (default: ${DEFAULT-VALUE}; -1 = off).")
  int rtspPort;

  @Option(names = RTSP_TCP_PACKET_SIZE, paramLabel = "BYTES", defaultValue = "65523",
      description = "Largest RTP payload sent to RTSP clients over TCP (interleaved), 512..65523 (default:"
          + " ${DEFAULT-VALUE}, a typical frame in one packet). Try 1400 when an NVR or player shows nothing or fails"
          + " over TCP; costs some CPU per frame and client.")
  int rtspTcpPacketSize;

  @Option(names = "--default-camera", paramLabel = "ID", defaultValue = "default",
      description = "Camera id for raw TCP ingest and the ws:// root path (default: ${DEFAULT-VALUE}).")
  String defaultCamera;

  @Option(names = "--mdns", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Advertise the relay on the LAN by mDNS as _camrelay._tcp (camera port, TLS, HTTP and WebSocket"
          + " ports in TXT), so cameras without a configured host find it (default: on; --no-mdns: off). Never on a"
          + " relay that listens on loopback only.")
  boolean mdns;

  @Option(names = "--mdns-name", paramLabel = "NAME",
      description = "The name the relay is advertised under (default: camrelay on <this machine's name>).")
  String mdnsName;

  /** Fails with a usage error for a port out of range or a bad camera id. */
  void check(CommandLine cl) {
    checkPort(cl, TCP_PORT, tcpPort);
    checkPort(cl, WS_PORT, wsPort);
    checkPort(cl, HTTP_PORT, httpPort);
    checkPort(cl, RTSP_PORT, rtspPort);
    try {
      CameraRelay.builder().rtspTcpPacketSize(rtspTcpPacketSize);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(cl, RTSP_TCP_PACKET_SIZE + " " + rtspTcpPacketSize + ": must be 512..65523");
    }
    if (mdnsName != null) {
      try {
        CameraRelay.builder().mdns(mdnsName);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(cl, "--mdns-name '" + mdnsName + "': " + e.getMessage());
      }
    }
    if (!CameraId.isValid(defaultCamera)) {
      throw new ParameterException(cl, "--default-camera '" + defaultCamera + "': a camera id is " + CameraId.RULE);
    }
  }

  private static void checkPort(CommandLine cl, String flag, int port) {
    if (port < -1 || port > 65535) {
      throw new ParameterException(cl, flag + " " + port + ": must be 0..65535 (or -1 to turn it off)");
    }
  }

  /**
   * The demo is for the person at this machine: unless {@code --bind} was given, it listens on loopback only, so the
   * relay needs no tokens and the page's control panel works (control is open only on a tokenless loopback relay).
   */
  void demoDefaults(CommandLine cl) {
    if (!cl.getParseResult().hasMatchedOption("--bind") && bind.equals("0.0.0.0")) {
      bind = "127.0.0.1";
    }
  }

  void applyTo(CameraRelay.Builder relay) {
    relay.bind(bind).tcpPort(tcpPort).wsPort(wsPort).httpPort(httpPort).defaultCameraId(defaultCamera);
    relay.rtspPort(rtspPort).rtspTcpPacketSize(rtspTcpPacketSize);
    if (mdns) {
      relay.mdns(mdnsName != null ? mdnsName : "camrelay on " + HostAddresses.machineName());
    }
  }

  /** The flag that sets the port behind a relay setting. */
  static String flagOf(PortBindException.Setting setting) {
    return switch (setting) {
      case TCP_PORT -> TCP_PORT;
      case WS_PORT -> WS_PORT;
      case HTTP_PORT -> HTTP_PORT;
      case RTSP_PORT -> RTSP_PORT;
    };
  }

  /** "3008/3009/3010", the ports asked for. */
  String ports() {
    return tcpPort + "/" + wsPort + "/" + httpPort;
  }
}
