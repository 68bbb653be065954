package dev.statefort.server.http;

import dev.statefort.server.config.ConfigException;
import dev.statefort.server.config.TlsSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** Builds Jetty's TLS context from PEM files (parsed by BouncyCastle), in memory. */
public final class TlsContext {
    private TlsContext() {}

    public static SslContextFactory.Server fromPem(TlsSettings settings) {
        Path certFile = settings.certFile();
        Path keyFile = settings.keyFile();
        try {
            List<X509Certificate> chain = certificates(certFile);
            if (chain.isEmpty()) {
                throw new ConfigException("tls-cert " + certFile + " holds no PEM certificate");
            }
            PrivateKey key = privateKey(keyFile);
            char[] password = HexFormat.of()
                    .formatHex(new SecureRandom().generateSeed(16))
                    .toCharArray();
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("statefort", key, password, chain.toArray(new Certificate[0]));
            SslContextFactory.Server factory = new SslContextFactory.Server();
            factory.setKeyStore(store);
            factory.setKeyStorePassword(new String(password));
            if (settings.clientCertificates()) {
                factory.setTrustStore(trustStore(settings.clientCaFile()));
                // Asked for, not required: API tokens keep working on the same port.
                factory.setWantClientAuth(true);
            }
            return factory;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(
                    "cannot load tls-cert " + certFile + " / tls-key " + keyFile + ": " + e.getMessage());
        }
    }

    /**
     * Client connections that trust the CA certificates of the PEM file {@code caFile} (setting
     * {@code setting}) and nothing else: an OIDC issuer on a private CA.
     */
    public static javax.net.ssl.SSLSocketFactory trusting(Path caFile, String setting) {
        try {
            javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore(caFile, setting));
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("cannot load " + setting + " " + caFile + ": " + e.getMessage());
        }
    }

    private static KeyStore trustStore(Path caFile) throws IOException, GeneralSecurityException {
        return trustStore(caFile, "tls-client-ca");
    }

    private static KeyStore trustStore(Path caFile, String setting) throws IOException, GeneralSecurityException {
        List<X509Certificate> cas = certificates(caFile);
        if (cas.isEmpty()) {
            throw new ConfigException(setting + " " + caFile + " holds no PEM certificate");
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < cas.size(); i++) {
            store.setCertificateEntry("client-ca-" + i, cas.get(i));
        }
        return store;
    }

    private static List<X509Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (Reader reader = Files.newBufferedReader(file);
                PEMParser parser = new PEMParser(reader)) {
            Object item;
            while ((item = parser.readObject()) != null) {
                if (item instanceof X509CertificateHolder holder) {
                    chain.add(converter.getCertificate(holder));
                }
            }
        }
        return chain;
    }

    private static PrivateKey privateKey(Path file) throws IOException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (Reader reader = Files.newBufferedReader(file);
                PEMParser parser = new PEMParser(reader)) {
            Object item;
            while ((item = parser.readObject()) != null) {
                if (item instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (item instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
            }
        }
        throw new ConfigException("tls-key " + file + " holds no unencrypted PEM private key");
    }
}
