package dev.statefort.core.state;

import dev.statefort.core.lock.LockRecord;
import dev.statefort.core.version.VersionRecord;
import java.time.Instant;

/**
 * A state as listed: its current version (null before the first write) and its lock (null when
 * unlocked).
 */
public record StateRecord(StateKey key, Instant createdAt, VersionRecord head, LockRecord lock) {}
