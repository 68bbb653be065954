package dev.statefort.server.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away PKI for TLS tests, written as PEM files: a test CA, a server certificate for
 * 127.0.0.1 and localhost, and client certificates issued by the same CA.
 */
public record TestCertificates(X509Certificate ca, PrivateKey caKey, Path dir, Path caPem, Path certPem, Path keyPem) {
    private static final AtomicLong SERIALS = new AtomicLong(1);

    /** A certificate and its key as PEM files. */
    public record Issued(X509Certificate certificate, PrivateKey key, Path certPem, Path keyPem) {}

    public static TestCertificates create(Path dir) throws Exception {
        KeyPair caKeys = keys();
        X500Name caName = name("CN=Statefort Test CA");
        X509Certificate ca = sign(
                new JcaX509v3CertificateBuilder(caName, serial(), notBefore(), notAfter(), caName, caKeys.getPublic())
                        .addExtension(Extension.basicConstraints, true, new BasicConstraints(true)),
                caKeys.getPrivate());
        KeyPair serverKeys = keys();
        X509Certificate server = sign(
                new JcaX509v3CertificateBuilder(
                                caName, serial(), notBefore(), notAfter(), name("CN=127.0.0.1"), serverKeys.getPublic())
                        .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                            new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                            new GeneralName(GeneralName.dNSName, "localhost")
                        })),
                caKeys.getPrivate());
        Path caPem = write(dir.resolve("ca.pem"), ca);
        Path certPem = write(dir.resolve("server.pem"), server, ca);
        Path keyPem = write(dir.resolve("server.key"), new JcaPKCS8Generator(serverKeys.getPrivate(), null).generate());
        return new TestCertificates(ca, caKeys.getPrivate(), dir, caPem, certPem, keyPem);
    }

    /** A TLS client context that trusts this CA (and nothing else). */
    public javax.net.ssl.SSLContext trustingContext() throws Exception {
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        javax.net.ssl.TrustManagerFactory factory =
                javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    /** A client certificate for {@code subject} (e.g. {@code CN=ci,O=Example}) issued by this CA. */
    public Issued client(String fileName, String subject) throws Exception {
        return issue(fileName, subject, name("CN=Statefort Test CA"), caKey);
    }

    /** A self-signed client certificate: no CA the server trusts vouches for it. */
    public Issued selfSignedClient(String fileName, String subject) throws Exception {
        return issue(fileName, subject, null, null);
    }

    private Issued issue(String fileName, String subject, X500Name issuer, PrivateKey issuerKey) throws Exception {
        KeyPair clientKeys = keys();
        X500Name name = name(subject);
        X509Certificate cert = sign(
                new JcaX509v3CertificateBuilder(
                        issuer == null ? name : issuer,
                        serial(),
                        notBefore(),
                        notAfter(),
                        name,
                        clientKeys.getPublic()),
                issuerKey == null ? clientKeys.getPrivate() : issuerKey);
        Path certFile = write(dir.resolve(fileName + ".pem"), cert);
        Path keyFile =
                write(dir.resolve(fileName + ".key"), new JcaPKCS8Generator(clientKeys.getPrivate(), null).generate());
        return new Issued(cert, clientKeys.getPrivate(), certFile, keyFile);
    }

    /** {@code subject} read as RFC 2253 (the order {@code openssl} and the JDK print), not in BouncyCastle's order. */
    private static X500Name name(String subject) {
        return X500Name.getInstance(new X500Principal(subject).getEncoded());
    }

    private static KeyPair keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        return generator.generateKeyPair();
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws OperatorCreationException, java.security.cert.CertificateException {
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIALS.getAndIncrement());
    }

    private static Date notBefore() {
        return Date.from(Instant.now().minus(Duration.ofHours(1)));
    }

    private static Date notAfter() {
        return Date.from(Instant.now().plus(Duration.ofDays(1)));
    }

    private static Path write(Path file, Object... objects) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            for (Object o : objects) {
                pem.writeObject(o);
            }
        }
        Files.writeString(file, text.toString());
        return file;
    }
}
