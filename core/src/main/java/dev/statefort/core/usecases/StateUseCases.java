package dev.statefort.core.usecases;

import dev.statefort.core.history.HistoryService;
import dev.statefort.core.insight.VersionInsight;
import dev.statefort.core.lock.FreezeAdministration;
import dev.statefort.core.lock.LockService;
import dev.statefort.core.lock.ProtectionRuleAdministration;
import dev.statefort.core.policy.StatePolicies;
import dev.statefort.core.quarantine.QuarantineService;
import dev.statefort.core.state.StateService;
import dev.statefort.core.surgery.StateSurgery;
import dev.statefort.core.workspace.WorkspaceLocks;
import dev.statefort.core.workspace.WorkspaceStateWrites;
import dev.statefort.core.workspace.Workspaces;

/**
 * What can be done to a state: the use cases the backend protocol, the REST API, the UI and the CLI
 * share for one state and its past.
 *
 * @param states read, write, preview, delete, list
 * @param locks LOCK, UNLOCK, force-unlock, the lock view and census
 * @param history restore, delete a version, apply sessions and their revert
 * @param quarantine the writes the destructive-write guard quarantined
 * @param policies a state's outputs access and destructive-write permit
 * @param insight versions parsed, compared, and read as an outputs-only principal sees them
 * @param freezes change freezes of a state or a project
 * @param protection the project's protection rules, as an admin manages them
 * @param workspaces states as a TFE client's workspaces: found, listed by tags, created empty, tagged
 * @param workspaceLocks a TFE client's workspace lock, which is the state's lock
 * @param workspaceWrites a TFE client's state versions, inline or through upload URLs
 * @param surgery rm and mv of resources within a state or between two states of a project
 */
public record StateUseCases(
        StateService states,
        LockService locks,
        HistoryService history,
        QuarantineService quarantine,
        StatePolicies policies,
        VersionInsight insight,
        FreezeAdministration freezes,
        ProtectionRuleAdministration protection,
        Workspaces workspaces,
        WorkspaceLocks workspaceLocks,
        WorkspaceStateWrites workspaceWrites,
        StateSurgery surgery) {}
