package dev.statefort.core.project;

import java.time.Instant;

/** A project: the namespace that holds states and scopes tokens. */
public record ProjectRecord(String name, Instant createdAt) {}
