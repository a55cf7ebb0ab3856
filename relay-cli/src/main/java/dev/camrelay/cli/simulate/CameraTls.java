package dev.camrelay.cli.simulate;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * How a simulated camera speaks TLS to the relay's camera port and which certificate it accepts:
 *
 * <ul>
 *   <li>{@link #verified()}: a certificate the JVM's CA list vouches for, issued to the host name connected to
 *       (what a relay with a public certificate needs).</li>
 *   <li>{@link #pinned(String)}: exactly the certificate with this SHA-256 fingerprint, whatever host name it names
 *       (a self-signed relay; the ESP32's {@code WiFiClientSecure} pins the same way).</li>
 *   <li>{@link #insecure()}: any certificate (encrypts, but a machine in the middle goes unnoticed).</li>
 * </ul>
 */
public final class CameraTls {
  private final SSLContext context;
  private final boolean checkHostName;
  private final String description;

  private CameraTls(SSLContext context, boolean checkHostName, String description) {
    this.context = context;
    this.checkHostName = checkHostName;
    this.description = description;
  }

  /** Trusts what the JVM trusts and checks the host name. */
  public static CameraTls verified() {
    try {
      return new CameraTls(SSLContext.getDefault(), true, "TLS");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no TLS support in this JVM", e);
    }
  }

  /** Accepts any certificate. */
  public static CameraTls insecure() {
    return new CameraTls(context(new Accepting(null)), false, "TLS, any certificate");
  }

  /**
   * Accepts only the certificate whose SHA-256 fingerprint is {@code sha256} (64 hex digits; colons and spaces
   * allowed, as {@code keytool -list} and {@code openssl x509 -fingerprint} print it).
   *
   * @throws IllegalArgumentException if it is not 32 bytes of hex
   */
  public static CameraTls pinned(String sha256) {
    String hex = sha256.replaceAll("[:\\s]", "").toLowerCase(Locale.ROOT);
    if (!hex.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("'" + sha256 + "' is not a SHA-256 fingerprint (64 hex digits, colons"
          + " allowed)");
    }
    return new CameraTls(context(new Accepting(HexFormat.of().parseHex(hex))), false, "TLS, pinned certificate");
  }

  /** The SHA-256 fingerprint of {@code cert} as {@code AB:CD:...}, the form {@link #pinned} takes. */
  public static String fingerprint(X509Certificate cert) throws CertificateEncodingException {
    return HexFormat.ofDelimiter(":").withUpperCase().formatHex(sha256(cert));
  }

  /** Runs the TLS handshake over the connected {@code plain} socket; closes it if the handshake fails. */
  Socket wrap(Socket plain, String host, int port) throws IOException {
    SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true);
    try {
      if (checkHostName) {
        SSLParameters p = s.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        s.setSSLParameters(p);
      }
      s.startHandshake();
      return s;
    } catch (IOException e) {
      RelayConnector.closeQuietly(s);
      throw e;
    }
  }

  @Override
  public String toString() {
    return description;
  }

  private static SSLContext context(TrustManager trust) {
    try {
      SSLContext c = SSLContext.getInstance("TLS");
      c.init(null, new TrustManager[] {trust}, null);
      return c;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no TLS support in this JVM", e);
    }
  }

  private static byte[] sha256(X509Certificate cert) throws CertificateEncodingException {
    try {
      return MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256 in this JVM", e);
    }
  }

  /**
   * Accepts a server certificate without a CA: any (pin null) or only the pinned one. Extended, so the JDK adds no
   * host name check of its own.
   */
  private static final class Accepting extends X509ExtendedTrustManager {
    private final byte[] pin;

    Accepting(byte[] pinOrNull) {
      this.pin = pinOrNull;
    }

    private void check(X509Certificate[] chain) throws CertificateException {
      if (pin != null && !MessageDigest.isEqual(pin, sha256(chain[0]))) {
        throw new CertificateException("the relay's certificate has SHA-256 fingerprint " + fingerprint(chain[0])
            + ", not the one given with --tls-fingerprint");
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      throw new CertificateException("a camera does not accept connections");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("a camera does not accept connections");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("a camera does not accept connections");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
