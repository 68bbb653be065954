package dev.statefort.core.admin;

import dev.statefort.core.InvalidInputException;
import java.time.Duration;
import java.time.Instant;

/** The expiry a form asks for a new credential (token or alias): in days or in minutes, not both. */
final class Expiry {
    /** The longest expiry a credential may be given, in days. */
    static final int MAX_DAYS = 3650;

    private Expiry() {}

    /** {@code now} plus {@code days} (1..3650) or {@code minutes} (as many); null (never) when both are null. */
    static Instant of(Integer days, Integer minutes, Instant now) {
        if (days != null && minutes != null) {
            throw new InvalidInputException("give expiresInDays or expiresInMinutes, not both");
        }
        if (minutes != null) {
            if (minutes < 1 || minutes > MAX_DAYS * 24 * 60) {
                throw new InvalidInputException("expiresInMinutes must be 1.." + MAX_DAYS * 24 * 60);
            }
            return now.plus(Duration.ofMinutes(minutes));
        }
        if (days == null) {
            return null;
        }
        if (days < 1 || days > MAX_DAYS) {
            throw new InvalidInputException("expiresInDays must be 1.." + MAX_DAYS);
        }
        return now.plus(Duration.ofDays(days));
    }
}
