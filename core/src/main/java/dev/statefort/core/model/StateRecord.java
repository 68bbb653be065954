package dev.statefort.core.model;

import java.time.Instant;

/**
 * A state as listed: its current version (null before the first write) and its lock (null when
 * unlocked).
 */
public record StateRecord(StateKey key, Instant createdAt, VersionRecord head, LockRecord lock) {}
