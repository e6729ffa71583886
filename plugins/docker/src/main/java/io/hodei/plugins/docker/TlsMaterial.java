package io.hodei.plugins.docker;

import com.github.dockerjava.core.util.CertificateUtils;
import com.github.dockerjava.transport.SSLConfig;
import io.hodei.plugin.api.Credential;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The client certificate, key and CA for a TCP engine, read from a credential and turned into an
 * SSL context in memory: nothing is written to disk.
 *
 * <p>The credential either has the fields {@code cert}, {@code key} and {@code ca}, or one value
 * holding the three PEM blocks (the key, the client certificate first, then the CA certificates),
 * which is what a single-valued secret store can hold.
 */
record TlsMaterial(String certPem, String keyPem, String caPem) implements SSLConfig {

  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----.+?-----END \\1-----", Pattern.DOTALL);

  static TlsMaterial from(Credential credential) {
    if (credential.values().containsKey("cert")) {
      return new TlsMaterial(
          credential.field("cert"), credential.field("key"), credential.field("ca"));
    }
    String key = null;
    List<String> certificates = new ArrayList<>();
    Matcher m = PEM.matcher(credential.value());
    while (m.find()) {
      if (m.group(1).endsWith("PRIVATE KEY")) {
        key = m.group();
      } else if (m.group(1).equals("CERTIFICATE")) {
        certificates.add(m.group());
      }
    }
    if (key == null || certificates.size() < 2) {
      throw new ProviderException(
          ErrorCode.INVALID_CONFIGURATION,
          "credential '"
              + credential.reference()
              + "' must hold a private key, the client certificate and the CA certificate as PEM"
              + " blocks (or fields cert, key and ca); found "
              + (key == null ? "no key" : "a key")
              + " and "
              + certificates.size()
              + " certificate(s)");
    }
    return new TlsMaterial(
        certificates.get(0), key, String.join("\n", certificates.subList(1, certificates.size())));
  }

  /** Builds the context now, so that a malformed credential fails at initialize, not at a call. */
  TlsMaterial validated(String reference) {
    try {
      getSSLContext();
      return this;
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new ProviderException(
          ErrorCode.INVALID_CONFIGURATION,
          "credential '"
              + reference
              + "' does not hold a usable client certificate, key and CA: "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public SSLContext getSSLContext()
      throws java.security.KeyManagementException,
          java.security.UnrecoverableKeyException,
          java.security.NoSuchAlgorithmException,
          java.security.KeyStoreException {
    try {
      KeyStore keys = CertificateUtils.createKeyStore(keyPem, certPem);
      KeyManagerFactory keyManagers =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(keys, "docker".toCharArray());
      KeyStore trusted = CertificateUtils.createTrustStore(caPem);
      TrustManagerFactory trustManagers =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trustManagers.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
      return context;
    } catch (java.io.IOException
        | java.security.cert.CertificateException
        | java.security.spec.InvalidKeySpecException e) {
      throw new java.security.KeyStoreException("cannot read the PEM blocks: " + e.getMessage(), e);
    }
  }

  /** Never prints the key. */
  @Override
  public String toString() {
    return "TlsMaterial[cert, key, ca]";
  }
}
