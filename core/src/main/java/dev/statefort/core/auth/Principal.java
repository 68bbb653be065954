package dev.statefort.core.auth;

import dev.statefort.core.model.Permission;
import dev.statefort.core.model.StateKey;
import java.util.Map;

/**
 * Who is making a request, and what it may do: a permission in every project, per-project
 * permissions, or, for a state-scoped token or an alias, one permission on one state only.
 *
 * @param name how it shows in logs, audit and version history, e.g. {@code token:ab12cd34},
 *     {@code user:alice}, {@code alias:k3j...}
 * @param everywhere the permission in every project (a global token or global admin), or null
 * @param projects permission per project name (a user's roles, a project token)
 * @param onlyState when set, the principal acts on this one state and nothing else
 * @param origin the client address of the request it acts in (what the audit log records), or null
 *     outside a request (the CLI, start-up, the system's own work)
 * @param trace what the audit records about its credential beyond the name, and what binds a lock it
 *     takes to that credential (an OIDC ID token); null for every other credential
 */
public record Principal(
        String name,
        Permission everywhere,
        Map<String, Permission> projects,
        StateKey onlyState,
        String origin,
        CredentialTrace trace) {

    public Principal {
        projects = Map.copyOf(projects);
    }

    /** The name prefix of a CI job's OIDC identity: {@code oidc:<issuer>:<sub>}. */
    public static final String WORKLOAD_PREFIX = "oidc:";

    /** Whether it is a CI job's OIDC identity (which never manages credentials). */
    public boolean isWorkloadIdentity() {
        return name.startsWith(WORKLOAD_PREFIX);
    }

    /** The name prefix of an alias's principal: {@code alias:<id>}. */
    public static final String ALIAS_PREFIX = "alias:";

    /** Whether it is an alias (an unguessable address handed to another party). */
    public boolean isAlias() {
        return name.startsWith(ALIAS_PREFIX);
    }

    /** A principal whose credential leaves no trace beyond its name. */
    public Principal(
            String name, Permission everywhere, Map<String, Permission> projects, StateKey onlyState, String origin) {
        this(name, everywhere, projects, onlyState, origin, null);
    }

    /** A principal outside any request (no origin). */
    public Principal(String name, Permission everywhere, Map<String, Permission> projects, StateKey onlyState) {
        this(name, everywhere, projects, onlyState, null, null);
    }

    /** The system's own work (an expired lock, a pruned quarantine): may do nothing through a use case. */
    public static Principal system() {
        return withoutPermissions("system");
    }

    /** Someone known by name only, who may do nothing (e.g. a user logging in, before a session exists). */
    public static Principal withoutPermissions(String name) {
        return new Principal(name, null, Map.of(), null);
    }

    /** The same principal acting in a request from {@code address}. */
    public Principal from(String address) {
        return new Principal(name, everywhere, projects, onlyState, address, trace);
    }

    /** The same principal with the trace of its credential. */
    public Principal tracedBy(CredentialTrace credentialTrace) {
        return new Principal(name, everywhere, projects, onlyState, origin, credentialTrace);
    }

    /**
     * The lock an expired OIDC token acts under in its grace ({@link CredentialTrace#graceLockId()}):
     * the only lock it may release; null for every other credential.
     */
    public String graceLockId() {
        return trace == null ? null : trace.graceLockId();
    }

    /** What binds a lock it takes to its credential ({@link CredentialTrace#lockBinding()}), or null. */
    public String lockBinding() {
        return trace == null ? null : trace.lockBinding();
    }

    /** A principal with one permission in one project, or in all projects when {@code project} is null. */
    public Principal(String name, String project, Permission permission) {
        this(name, project == null ? permission : null, project == null ? Map.of() : Map.of(project, permission), null);
    }

    /** A principal that may act on one state only. */
    public static Principal forState(String name, StateKey state, Permission permission) {
        return new Principal(name, null, Map.of(state.project(), permission), state);
    }

    /** The permission in {@code project} (the higher of the global and the project one), or null for none. */
    public Permission permissionIn(String project) {
        Permission own = projects.get(project);
        if (everywhere == null) {
            return own;
        }
        return own == null || everywhere.includes(own) ? everywhere : own;
    }

    /** Whether it may do {@code needed} on the state {@code key}. */
    public boolean allows(StateKey key, Permission needed) {
        if (onlyState != null && !onlyState.equals(key)) {
            return false;
        }
        Permission p = permissionIn(key.project());
        return p != null && p.includes(needed);
    }

    /** Whether it may do {@code needed} on {@code project} as a whole (never for a single-state principal). */
    public boolean allows(String project, Permission needed) {
        if (onlyState != null) {
            return false;
        }
        Permission p = permissionIn(project);
        return p != null && p.includes(needed);
    }

    /** Admin of every project: may create projects, users and tokens for any project. */
    public boolean isGlobalAdmin() {
        return everywhere == Permission.ADMIN && onlyState == null;
    }

    /**
     * The user this principal acts for: {@code alice} for {@code user:alice} (a UI session) and
     * {@code user:alice/token:...} (her token); null for robot tokens, aliases and certificates.
     */
    public String userName() {
        if (!name.startsWith("user:")) {
            return null;
        }
        int slash = name.indexOf('/');
        return name.substring("user:".length(), slash < 0 ? name.length() : slash);
    }

    /**
     * The ID of the token this principal authenticated with: {@code id} for {@code token:<id>} (a
     * robot or CLI-made token) and {@code user:<name>/token:<id>} (a user's token); null for a UI
     * session, the CLI, an alias or a certificate.
     */
    public String tokenId() {
        if (name.startsWith("token:")) {
            return name.substring("token:".length());
        }
        int at = name.indexOf("/token:");
        return name.startsWith("user:") && at >= 0 ? name.substring(at + "/token:".length()) : null;
    }

    /** Whether {@code outputs} is all it may do, wherever it may act (an outputs token or alias). */
    public boolean isOutputsOnly() {
        if (everywhere == null && projects.isEmpty()) {
            return false;
        }
        return (everywhere == null || everywhere == Permission.OUTPUTS)
                && projects.values().stream().allMatch(p -> p == Permission.OUTPUTS);
    }

    /** Whether it can see {@code project} at all. */
    public boolean canSee(String project) {
        return permissionIn(project) != null;
    }

    /**
     * What a credential derived from this principal may do: at most {@code max}, only in {@code
     * project} (null = wherever this principal may act) and only on {@code state} (null = the whole
     * project). Empty-handed (null) when nothing remains.
     */
    public Principal narrowed(String newName, String project, StateKey state, Permission max) {
        if (state != null) {
            Permission p =
                    onlyState == null || onlyState.equals(state) ? lower(permissionIn(state.project()), max) : null;
            return p == null ? null : forState(newName, state, p);
        }
        if (onlyState != null) {
            return null;
        }
        if (project != null) {
            Permission p = lower(permissionIn(project), max);
            return p == null ? null : new Principal(newName, project, p);
        }
        Map<String, Permission> capped = new java.util.HashMap<>();
        projects.forEach((name, p) -> capped.put(name, lower(p, max)));
        return new Principal(newName, lower(everywhere, max), capped, null);
    }

    /**
     * What both may do, under {@code newName}: in every project the lower of the two permissions;
     * on one state only if either is limited to it (null when they are limited to different states,
     * or nothing remains).
     */
    public Principal intersection(String newName, Principal other) {
        if (onlyState != null && other.onlyState != null && !onlyState.equals(other.onlyState)) {
            return null;
        }
        StateKey state = onlyState != null ? onlyState : other.onlyState;
        Map<String, Permission> both = new java.util.HashMap<>();
        java.util.Set<String> names = new java.util.HashSet<>(projects.keySet());
        names.addAll(other.projects.keySet());
        for (String project : names) {
            Permission p = lower(permissionIn(project), other.permissionIn(project));
            if (p != null && (state == null || state.project().equals(project))) {
                both.put(project, p);
            }
        }
        Permission everywhereBoth = state == null ? lower(everywhere, other.everywhere) : null;
        if (everywhereBoth == null && both.isEmpty()) {
            return null;
        }
        return new Principal(newName, everywhereBoth, both, state);
    }

    private static Permission lower(Permission a, Permission b) {
        if (a == null || b == null) {
            return null;
        }
        return a.includes(b) ? b : a;
    }
}
