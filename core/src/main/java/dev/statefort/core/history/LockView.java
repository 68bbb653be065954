package dev.statefort.core.history;

import dev.statefort.core.lock.LockRecord;

/** A held lock and whether it counts as stale (idle longer than the project's setting). */
public record LockView(LockRecord lock, boolean stale) {}
