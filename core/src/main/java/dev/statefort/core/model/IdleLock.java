package dev.statefort.core.model;

/** A held lock (exclusive or plan) whose stale event has not been raised yet, with its state. */
public record IdleLock(StateKey key, LockRecord lock) {}
