package dev.statefort.server.config;

import java.nio.file.Path;

/**
 * HTTPS settings of a node.
 *
 * @param certFile PEM certificate chain, server certificate first
 * @param keyFile PEM private key of that certificate (unencrypted PKCS#8 or traditional)
 * @param clientCaFile PEM certificates of the CAs whose client certificates are accepted, or null
 *     when client certificates are not asked for
 * @param clientPrincipals which verified client-certificate subject acts as which principal; empty
 *     without {@code clientCaFile}
 */
public record TlsSettings(
        Path certFile, Path keyFile, Path clientCaFile, ClientCertificatePrincipals clientPrincipals) {

    /** Whether the server asks TLS clients for a certificate. */
    public boolean clientCertificates() {
        return clientCaFile != null;
    }
}
