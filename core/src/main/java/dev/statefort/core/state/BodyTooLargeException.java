package dev.statefort.core.state;

import java.io.IOException;

/** Raised from inside a body stream when it passes the size limit; an IOException so stores let it through. */
final class BodyTooLargeException extends IOException {
    BodyTooLargeException(long limit) {
        super("body exceeds " + limit + " bytes");
    }
}
