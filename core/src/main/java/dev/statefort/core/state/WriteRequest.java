package dev.statefort.core.state;

import dev.statefort.core.auth.Principal;
import dev.statefort.core.model.LockInfo;
import dev.statefort.core.model.StateKey;
import java.io.InputStream;
import java.time.Instant;
import java.util.Objects;

/**
 * One write of a state's new current version, for {@link StateService#write}.
 *
 * @param declaredLength the request's Content-Length, or -1 when unknown
 * @param contentMd5 the base64 Content-MD5 header, or null
 * @param lockId the {@code ?ID=} of the request, or null (checked by {@link LockInfo#queryId})
 * @param actor who writes: it needs write on the state; the audit log and the version record name it
 * @param writer a client (judged by the destructive-write guard), an admin restore or an import (not
 *     judged: both reproduce history that already happened)
 * @param createdAt the version's creation time for an import that keeps the source's; null: now
 */
public record WriteRequest(
        StateKey key,
        InputStream body,
        long declaredLength,
        String contentMd5,
        String lockId,
        Principal actor,
        Writer writer,
        Instant createdAt) {

    /** Who is writing. */
    public enum Writer {
        CLIENT,
        RESTORE,
        IMPORT;

        /** The change as the audit names it ({@code write}, {@code restore}, {@code import}). */
        public String auditName() {
            return this == CLIENT ? "write" : name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public WriteRequest {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(actor, "actor");
        lockId = LockInfo.queryId(lockId);
        Objects.requireNonNull(writer, "writer");
    }

    /** A client's write without a lock or a Content-MD5. */
    public static WriteRequest of(StateKey key, InputStream body, long declaredLength, Principal actor) {
        return new WriteRequest(key, body, declaredLength, null, null, actor, Writer.CLIENT, null);
    }

    /** The same write under the lock ID {@code id} (null: none). */
    public WriteRequest underLock(String id) {
        return new WriteRequest(key, body, declaredLength, contentMd5, id, actor, writer, createdAt);
    }

    /** The same write with the client's Content-MD5 (null: none) to check the body against. */
    public WriteRequest withContentMd5(String md5) {
        return new WriteRequest(key, body, declaredLength, md5, lockId, actor, writer, createdAt);
    }

    /** The same write made by {@code by}. */
    public WriteRequest by(Writer by) {
        return new WriteRequest(key, body, declaredLength, contentMd5, lockId, actor, by, createdAt);
    }

    /** The same write as an import of a version first created at {@code at} (null: now). */
    public WriteRequest imported(Instant at) {
        return new WriteRequest(key, body, declaredLength, contentMd5, lockId, actor, Writer.IMPORT, at);
    }
}
