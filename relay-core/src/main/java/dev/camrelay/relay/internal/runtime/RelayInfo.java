package dev.camrelay.relay.internal.runtime;

/**
 * What {@code /api/info} reports, so the web page can build its WebSocket URLs and tell where cameras connect.
 *
 * @param version the relay's version, e.g. {@code 0.1.0-SNAPSHOT}
 * @param wsPort the bound WebSocket port, -1 when disabled
 * @param wsTls whether the WebSocket port speaks TLS ({@code wss://})
 * @param httpTls whether the HTTP port speaks TLS
 * @param authRequired whether viewers need a token
 * @param controlRequiresToken whether sending control commands needs the control token
 * @param tcpPort the bound camera (TCP ingest) port, -1 when disabled or not bound yet
 * @param rtspPort the bound RTSP port ({@code rtsp://host:rtspPort/{camera}}), -1 when disabled or not bound yet
 */
public record RelayInfo(
    String version, int wsPort, boolean wsTls, boolean httpTls, boolean authRequired, boolean controlRequiresToken,
    int tcpPort, int rtspPort) {}
