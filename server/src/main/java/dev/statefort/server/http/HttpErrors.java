package dev.statefort.server.http;

import dev.statefort.core.ConflictException;
import dev.statefort.core.InvalidInputException;
import dev.statefort.core.NotFoundException;
import dev.statefort.core.OverloadedException;
import dev.statefort.core.auth.AccessDeniedException;
import dev.statefort.core.auth.AuthenticationRequiredException;
import dev.statefort.core.crypto.BlobIntegrityException;
import dev.statefort.core.crypto.CryptoException;
import dev.statefort.core.identity.IssuerUnavailableException;
import dev.statefort.core.insight.TooLargeToAnalyseException;
import dev.statefort.core.spi.BlobNotFoundException;
import dev.statefort.core.spi.StorageFullException;
import dev.statefort.core.spi.StoreUnavailableException;
import dev.statefort.core.state.StateTooLargeException;
import java.io.IOException;
import java.util.UUID;
import org.eclipse.jetty.io.EofException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one mapping from failures to HTTP. Expected conditions never become a 5xx (the Terraform
 * client retries those); real outages become 503 with Retry-After.
 */
public final class HttpErrors {
    private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);
    static final int RETRY_AFTER_SECONDS = 5;

    /** Status, client-facing message, the Allow header for 405, and when to retry (503, 429), in seconds. */
    record HttpError(int status, String message, String allow, Integer retryAfterSeconds) {
        HttpError(int status, String message, String allow) {
            this(status, message, allow, status == 503 ? RETRY_AFTER_SECONDS : null);
        }
    }

    private HttpErrors() {}

    static HttpError of(Throwable failure, String method, String path) {
        return switch (failure) {
            case InvalidInputException e -> new HttpError(400, e.getMessage(), null);
            case AuthenticationRequiredException e -> new HttpError(401, e.getMessage(), null);
            case AccessDeniedException e -> new HttpError(403, e.getMessage(), null);
            case TooManyFailuresException e -> new HttpError(429, e.getMessage(), null, e.retryAfterSeconds());
            case NotFoundException e -> new HttpError(404, e.getMessage(), null);
            case MethodNotAllowedException e -> new HttpError(405, e.getMessage(), e.allow());
            case ConflictException e -> new HttpError(409, e.getMessage(), null);
            case StateTooLargeException e -> new HttpError(413, e.getMessage(), null);
            case RequestTooLargeException e -> new HttpError(413, e.getMessage(), null);
            case TooLargeToAnalyseException e -> new HttpError(413, e.getMessage(), null);
            case UnsupportedMediaTypeException e -> new HttpError(415, e.getMessage(), null);
            case BlobIntegrityException e -> {
                LOG.error("{} {}: {}", method, path, e.getMessage());
                yield new HttpError(500, "the stored state failed its integrity check; see the server log", null);
            }
            case BlobNotFoundException e -> {
                // a version row whose blob is gone: never "no state" (the client would start over)
                LOG.error("{} {}: blob missing: {}", method, path, e.getMessage());
                yield new HttpError(500, "the stored state's blob is missing; see the server log", null);
            }
            case CryptoException e -> {
                LOG.error("{} {}: {}", method, path, e.getMessage());
                yield new HttpError(500, "the state's encryption key is unavailable; see the server log", null);
            }
            case OverloadedException e -> new HttpError(503, e.getMessage(), null, e.retryAfterSeconds());
            case IssuerUnavailableException e -> {
                LOG.warn("{} {}: {}", method, path, e.getMessage());
                yield new HttpError(503, e.getMessage(), null, e.retryAfterSeconds());
            }
            case StorageFullException e -> {
                LOG.error("{} {}: storage full: {}", method, path, describe(e));
                yield new HttpError(
                        507,
                        "the server's storage is full: nothing was stored; free space on the server, then retry",
                        null);
            }
            case StoreUnavailableException e -> {
                LOG.error("{} {}: storage unavailable: {}", method, path, describe(e));
                yield new HttpError(503, "storage is unavailable; retry later", null);
            }
            case EofException e -> new HttpError(400, "the request body ended early", null);
            case IOException e
            when stalled(e) ->
                new HttpError(408, "the request body stalled: nothing arrived within the idle timeout", null);
            case IOException e -> new HttpError(400, "the request body could not be read: " + e.getMessage(), null);
            default -> {
                String ref = UUID.randomUUID().toString().substring(0, 8);
                LOG.error("{} {}: internal error (ref {})", method, path, ref, failure);
                yield new HttpError(500, "internal error (ref " + ref + "); see the server log", null);
            }
        };
    }

    /** Whether reading the body failed because the client sent nothing for the idle timeout. */
    private static boolean stalled(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable e) {
        StringBuilder sb =
                new StringBuilder(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            sb.append(" <- ").append(c.getClass().getSimpleName());
        }
        return sb.toString();
    }
}
