package dev.camrelay.relay.internal.port;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.UnrecoverableKeyException;
import java.util.Collections;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Builds server {@link SSLContext}s from a PKCS#12 keystore (what {@code keytool -genkeypair -storetype PKCS12} or
 * {@code openssl pkcs12 -export} writes).
 *
 * <p>The keystore must hold at least one private key with its certificate chain; the keystore password is also
 * used as the key password (the PKCS#12 convention). Every failure is an {@link IOException} whose message names the
 * file and says what is wrong (missing, unreadable, wrong password, no private key); passwords never appear in it.
 */
public final class TlsContexts {
  private TlsContexts() {}

  /** Loads {@code file} and returns a TLS server context using its key. */
  public static SSLContext fromPkcs12(Path file, char[] password) throws IOException {
    KeyStore keyStore = load(file, password);
    try {
      if (!hasPrivateKey(keyStore)) {
        throw new IOException("TLS keystore " + file
            + " holds no private key (need a key pair, not only certificates)");
      }
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keyStore, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, null);
      return context;
    } catch (UnrecoverableKeyException e) {
      throw new IOException("TLS keystore " + file
          + ": the private key's password differs from the keystore password", e);
    } catch (GeneralSecurityException e) {
      throw new IOException("TLS keystore " + file + " cannot be used: " + e.getMessage(), e);
    }
  }

  private static KeyStore load(Path file, char[] password) throws IOException {
    KeyStore keyStore;
    try {
      keyStore = KeyStore.getInstance("PKCS12");
    } catch (KeyStoreException e) {
      throw new IOException("this JVM has no PKCS12 keystore support", e);
    }
    if (Files.isDirectory(file)) {
      throw new IOException("TLS keystore " + file + " is a directory, not a PKCS#12 file");
    }
    try (InputStream in = Files.newInputStream(file)) {
      keyStore.load(in, password);
      return keyStore;
    } catch (NoSuchFileException e) {
      throw new IOException("TLS keystore " + file + " does not exist", e);
    } catch (AccessDeniedException e) {
      throw new IOException("TLS keystore " + file + " is not readable (permission denied)", e);
    } catch (IOException e) {
      // KeyStore.load reports a wrong password as an IOException caused by UnrecoverableKeyException.
      if (e.getCause() instanceof UnrecoverableKeyException) {
        throw new IOException("TLS keystore " + file + ": wrong password", e);
      }
      throw new IOException("TLS keystore " + file + " is not a readable PKCS#12 file: " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IOException("TLS keystore " + file + " is not a readable PKCS#12 file: " + e.getMessage(), e);
    }
  }

  private static boolean hasPrivateKey(KeyStore keyStore) throws KeyStoreException {
    for (String alias : Collections.list(keyStore.aliases())) {
      if (keyStore.isKeyEntry(alias)) {
        return true;
      }
    }
    return false;
  }
}
