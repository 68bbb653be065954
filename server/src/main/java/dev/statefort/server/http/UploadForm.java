package dev.statefort.server.http;

import dev.statefort.core.InvalidInputException;
import dev.statefort.core.state.StateTooLargeException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * A {@code multipart/form-data} HTML form with a file (the UI's "Upload a state file"), parsed with
 * Jetty's parser: short text fields, and files of at most the state size limit, kept in memory
 * only: a state is never written to a temporary file in clear. Only the upload routes allow a file
 * that large ({@link Exchange#allowUpload()}); any other multipart form is held to the small
 * form limit.
 */
public final class UploadForm implements AutoCloseable {
    static final String MEDIA_TYPE = "multipart/form-data";
    /** What a form's text fields and part headers may add to its file. */
    static final long OVERHEAD = 64 * 1024;

    private static final int MAX_TEXT_FIELD = 8 * 1024;
    private static final int MAX_PARTS = 8;

    private final MultiPartFormData.Parts parts;
    private final long maxFileBytes;

    private UploadForm(MultiPartFormData.Parts parts, long maxFileBytes) {
        this.parts = parts;
        this.maxFileBytes = maxFileBytes;
    }

    /** One uploaded file: its size and its bytes. */
    public record File(String fileName, long size, MultiPart.Part part) {
        public InputStream open() {
            return Content.Source.asInputStream(part.createContentSource());
        }
    }

    static UploadForm parse(Request request, String contentType, long maxFileBytes) throws IOException {
        String boundary = MultiPart.extractBoundary(contentType);
        if (boundary == null) {
            throw new InvalidInputException("the form's Content-Type names no multipart boundary");
        }
        MultiPartFormData.Parser parser = new MultiPartFormData.Parser(boundary);
        parser.setMaxParts(MAX_PARTS);
        parser.setMaxFileSize(maxFileBytes);
        parser.setMaxLength(maxFileBytes + OVERHEAD);
        parser.setMaxMemoryFileSize(maxFileBytes); // never spill a state to disk in clear
        try {
            return new UploadForm(parser.parse(request).get(), maxFileBytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading the form", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String message = cause == null || cause.getMessage() == null ? "" : cause.getMessage();
            if (message.contains("max") || message.contains("exceeds")) {
                throw new StateTooLargeException(maxFileBytes);
            }
            throw new InvalidInputException("the uploaded form is malformed");
        }
    }

    /** A text field's value, or null. */
    String text(String name) throws IOException {
        MultiPart.Part part = parts.getFirst(name);
        if (part == null || part.getFileName() != null) {
            return null;
        }
        try (InputStream in = Content.Source.asInputStream(part.createContentSource())) {
            byte[] bytes = in.readNBytes(MAX_TEXT_FIELD + 1);
            if (bytes.length > MAX_TEXT_FIELD) {
                throw new InvalidInputException("the form field '" + name + "' is too long");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** The file of field {@code name}, or null when the form has none (or an empty one). */
    File file(String name) {
        MultiPart.Part part = parts.getFirst(name);
        if (part == null || part.getLength() <= 0) {
            return null;
        }
        if (part.getLength() > maxFileBytes) {
            throw new StateTooLargeException(maxFileBytes);
        }
        return new File(part.getFileName(), part.getLength(), part);
    }

    @Override
    public void close() {
        parts.close();
    }
}
