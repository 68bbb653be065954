package dev.statefort.server.http;

import dev.statefort.core.auth.AccessDeniedException;
import dev.statefort.core.auth.Authorization;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.StateKey;

/**
 * What a route needs before its endpoint runs. The surface authenticates the caller, then {@link
 * #check} holds it against the path's project or state; a use case may refuse more (a token's
 * owner, a body's project), never less. The authorization matrix test checks each route's access
 * against its rows.
 */
public record Access(Kind kind, Permission permission, String what) {
    enum Kind {
        /** No credentials: health, the login forms, static files. */
        ANYONE,
        /** Any valid credential; the use case decides the rest (own tokens, own password). */
        SIGNED_IN,
        GLOBAL_ADMIN,
        /** {@link #permission} on the path's {@code {project}}. */
        PROJECT,
        /** {@link #permission} on the path's state. */
        STATE
    }

    public static Access anyone() {
        return new Access(Kind.ANYONE, null, null);
    }

    public static Access signedIn() {
        return new Access(Kind.SIGNED_IN, null, null);
    }

    /** {@code what} names the work in the refusal: "{what} needs a global admin". */
    public static Access globalAdmin(String what) {
        return new Access(Kind.GLOBAL_ADMIN, null, what);
    }

    public static Access project(Permission permission) {
        return new Access(Kind.PROJECT, permission, null);
    }

    public static Access state(Permission permission) {
        return new Access(Kind.STATE, permission, null);
    }

    public boolean needsCredentials() {
        return kind != Kind.ANYONE;
    }

    /** Throws 403 unless {@code principal} has this access; {@code state} is the path's state (or null). */
    public void check(Principal principal, PathParams path, StateKey state) {
        switch (kind) {
            case ANYONE, SIGNED_IN -> {}
            case GLOBAL_ADMIN -> {
                if (!principal.isGlobalAdmin()) {
                    throw new AccessDeniedException(what + " needs a global admin");
                }
            }
            case PROJECT -> Authorization.require(principal, path.project(), permission);
            case STATE -> Authorization.require(principal, state == null ? path.state() : state, permission);
        }
    }

    @Override
    public String toString() {
        return switch (kind) {
            case ANYONE -> "anyone";
            case SIGNED_IN -> "any credential";
            case GLOBAL_ADMIN -> "a global admin";
            case PROJECT -> permission.wireName() + " on the project";
            case STATE -> permission.wireName() + " on the state";
        };
    }
}
