package dev.camrelay.cluster;

import io.nats.client.NKey;
import io.nats.client.support.JsonSerializable;
import io.nats.client.support.JwtUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * NATS decentralized auth for tests, made with jnats' own NKey and JWT helpers (no {@code nsc}): an operator, one
 * account it signed (no limits) and users of that account, written as {@code .creds} files. {@link #serverConfig()}
 * is the nats-server configuration that trusts the operator and knows the account (memory resolver).
 */
public final class NatsCredentials {
  private static final String ACCOUNT_CLAIM = "{\"limits\":{\"subs\":-1,\"data\":-1,\"payload\":-1,\"imports\":-1,"
      + "\"exports\":-1,\"wildcards\":true,\"conn\":-1,\"leaf\":-1},\"type\":\"account\",\"version\":2}";
  private static final String OPERATOR_CLAIM = "{\"type\":\"operator\",\"version\":2}";

  private final NKey account;
  private final String operatorJwt;
  private final String accountJwt;
  private final String accountPublicKey;

  private NatsCredentials() throws IOException, GeneralSecurityException {
    SecureRandom random = new SecureRandom();
    NKey operator = NKey.createOperator(random);
    this.account = NKey.createAccount(random);
    String operatorKey = new String(operator.getPublicKey());
    this.accountPublicKey = new String(account.getPublicKey());
    long now = JwtUtils.currentTimeSeconds();
    this.operatorJwt = JwtUtils.issueJWT(operator, operatorKey, "test-operator", null, now, operatorKey,
        json(OPERATOR_CLAIM));
    this.accountJwt = JwtUtils.issueJWT(operator, accountPublicKey, "camrelay", null, now, operatorKey,
        json(ACCOUNT_CLAIM));
  }

  /** A new operator and account. */
  public static NatsCredentials create() throws IOException {
    try {
      return new NatsCredentials();
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot make NKeys: " + e.getMessage(), e);
    }
  }

  /** nats-server settings: trust the operator, resolve the account from memory. */
  public String serverConfig() {
    return "operator: " + operatorJwt + "\nresolver: MEMORY\nresolver_preload: {\n  " + accountPublicKey + ": "
        + accountJwt + "\n}";
  }

  /** Writes a {@code .creds} file for a new user {@code name} of the account (JWT and NKey seed). */
  public Path userCreds(Path file, String name) throws IOException {
    try {
      NKey user = NKey.createUser(new SecureRandom());
      String jwt = JwtUtils.issueUserJWT(account, accountPublicKey, new String(user.getPublicKey()), name);
      return Files.writeString(file, "-----BEGIN NATS USER JWT-----\n" + jwt + "\n------END NATS USER JWT------\n\n"
          + "-----BEGIN USER NKEY SEED-----\n" + new String(user.getSeed()) + "\n------END USER NKEY SEED------\n");
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot issue a user JWT: " + e.getMessage(), e);
    }
  }

  private static JsonSerializable json(String json) {
    return () -> json;
  }
}
