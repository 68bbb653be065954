package dev.statefort.core.spi;

import java.time.Instant;

/**
 * A key's failed authentications within its window ({@link AccessStore#countAuthFailure}), and when
 * that window ends: until then a key over the limit stays refused.
 */
public record AuthFailureCount(int failures, Instant windowEnd) {}
