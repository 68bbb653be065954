package dev.statefort.core.lock;

import java.time.Instant;

/** What {@code tryLock} needs: the client's LockInfo, who asks, and the time to record. */
public record LockRequest(LockInfo info, String principal, Instant now) {}
