package dev.statefort.server.http.api;

import dev.statefort.server.http.Exchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The OpenAPI 3.1 description of {@code /api/v1}, served at {@code GET /api/v1/openapi.json} to
 * anyone. It is a file kept beside the route table ({@code openapi.json} in this package); a test
 * fails when a route of the table is missing from it, or it names one the table does not have.
 */
final class OpenApiDocument {
    static final String RESOURCE = "openapi.json";

    private final byte[] document;

    OpenApiDocument() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar");
            }
            this.document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void send(Exchange exchange) throws IOException {
        exchange.send(200, Exchange.JSON, document);
    }
}
