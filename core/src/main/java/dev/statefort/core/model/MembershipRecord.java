package dev.statefort.core.model;

import java.time.Instant;

/** A user's role in a project. */
public record MembershipRecord(String project, String user, Role role, Instant since) {}
