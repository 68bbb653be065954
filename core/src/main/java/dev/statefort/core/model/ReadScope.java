package dev.statefort.core.model;

import java.util.Set;

/**
 * The states a caller may read, as a store filters by them: every state, the states of some
 * projects, or one state.
 *
 * @param everywhere every state of every project
 * @param projects the projects whose states it may read (when not everywhere and no single state)
 * @param onlyState the one state it may read, or null
 */
public record ReadScope(boolean everywhere, Set<String> projects, StateKey onlyState) {
    public ReadScope {
        projects = Set.copyOf(projects);
    }

    public static final ReadScope NOTHING = new ReadScope(false, Set.of(), null);
    public static final ReadScope ALL = new ReadScope(true, Set.of(), null);

    public static ReadScope projects(Set<String> names) {
        return new ReadScope(false, names, null);
    }

    public static ReadScope state(StateKey key) {
        return new ReadScope(false, Set.of(), key);
    }

    /** Whether it lets nothing be read. */
    public boolean isEmpty() {
        return !everywhere && onlyState == null && projects.isEmpty();
    }

    public boolean includes(StateKey key) {
        if (onlyState != null) {
            return onlyState.equals(key);
        }
        return everywhere || projects.contains(key.project());
    }

    /** The same scope narrowed to one project (null: unchanged). */
    public ReadScope within(String project) {
        if (project == null) {
            return this;
        }
        if (onlyState != null) {
            return onlyState.project().equals(project) ? this : NOTHING;
        }
        return everywhere || projects.contains(project) ? projects(Set.of(project)) : NOTHING;
    }
}
