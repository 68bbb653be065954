package dev.statefort.core.lock;

import dev.statefort.core.model.LockRecord;

/** A held lock and whether it counts as stale (idle longer than the project's setting). */
public record LockView(LockRecord lock, boolean stale) {}
