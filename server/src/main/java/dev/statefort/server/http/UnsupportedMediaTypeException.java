package dev.statefort.server.http;

/** A body the endpoint does not take (415): the JSON API takes {@code application/json} only. */
public final class UnsupportedMediaTypeException extends RuntimeException {
    public UnsupportedMediaTypeException(String mediaType) {
        super("this endpoint takes a JSON body: send 'Content-Type: application/json'"
                + (mediaType == null ? " (the request had no Content-Type)" : ", not '" + mediaType + "'"));
    }
}
