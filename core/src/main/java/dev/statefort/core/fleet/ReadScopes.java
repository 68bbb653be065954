package dev.statefort.core.fleet;

import dev.statefort.core.auth.Principal;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.ReadScope;
import java.util.HashSet;
import java.util.Set;

/** The states a principal may read, as a {@link ReadScope} the stores filter by. */
final class ReadScopes {
    private ReadScopes() {}

    static ReadScope of(Principal principal) {
        if (principal.onlyState() != null) {
            return principal.allows(principal.onlyState(), Permission.READ)
                    ? ReadScope.state(principal.onlyState())
                    : ReadScope.NOTHING;
        }
        if (principal.everywhere() != null && principal.everywhere().includes(Permission.READ)) {
            return ReadScope.ALL;
        }
        Set<String> projects = new HashSet<>();
        principal.projects().forEach((project, permission) -> {
            if (principal.permissionIn(project).includes(Permission.READ)) {
                projects.add(project);
            }
        });
        return projects.isEmpty() ? ReadScope.NOTHING : ReadScope.projects(projects);
    }
}
