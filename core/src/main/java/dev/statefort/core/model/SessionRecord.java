package dev.statefort.core.model;

import java.time.Instant;

/**
 * A server-side UI login session. The cookie carries a random secret; only its SHA-256 is stored.
 *
 * @param idHash lowercase hex SHA-256 of the cookie value
 * @param user the user logged in
 * @param csrfToken the token every state-changing request of this session must carry
 * @param lastSeenAt the last request made with it (for the idle timeout)
 */
public record SessionRecord(String idHash, String user, String csrfToken, Instant createdAt, Instant lastSeenAt) {

    @Override
    public String toString() {
        return "SessionRecord[" + user + "]";
    }
}
