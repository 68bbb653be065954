package dev.statefort.core.workspace;

import dev.statefort.core.InvalidInputException;
import dev.statefort.core.NotFoundException;
import dev.statefort.core.audit.AuditAction;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.auth.Authorization;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.StateRecord;
import dev.statefort.core.policy.SettingsService;
import dev.statefort.core.policy.StateSettings;
import dev.statefort.core.spi.MetadataStore;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * States as a TFE client's workspaces: found, listed by name and tags, created empty ({@code
 * terraform workspace new}), and given tags and a Terraform version. The REST API, the UI and the
 * TFE API share these; changes are audited ({@code state.create}, {@code state.workspace}).
 */
public final class Workspaces {
    private static final Pattern TERRAFORM_VERSION = Pattern.compile("[0-9A-Za-z.+~<>=!, -]{1,64}");

    private final MetadataStore metadata;
    private final SettingsService settings;
    private final AuditService audit;
    private final Clock clock;

    public Workspaces(MetadataStore metadata, SettingsService settings, AuditService audit, Clock clock) {
        this.metadata = metadata;
        this.settings = settings;
        this.audit = audit;
        this.clock = clock;
    }

    /** The state as a workspace; empty when it does not exist. Needs any access to it (outputs too). */
    public Optional<Workspace> find(Principal actor, StateKey key) {
        Authorization.requireOn(actor, key, Permission.OUTPUTS, metadata);
        return metadata.findState(key).map(s -> new Workspace(s, settings.state(key)));
    }

    /** The state as a workspace (any access to it); 404 when it does not exist. */
    public Workspace require(Principal actor, StateKey key) {
        return find(actor, key)
                .orElseThrow(() -> new NotFoundException("workspace " + key.name() + " not found in " + key.project()));
    }

    /**
     * The project's states the actor may see (outputs on the whole project: a one-state credential
     * names its workspace and lists nothing), by name: those whose name contains {@code nameContains}
     * (null: any) and that carry every tag of {@code tags}.
     */
    public List<Workspace> list(Principal actor, String project, String nameContains, Set<String> tags) {
        Authorization.requireOn(actor, project, Permission.OUTPUTS, metadata);
        Set<String> wanted = tags.isEmpty() ? Set.of() : Set.copyOf(WorkspaceTags.checked(tags));
        Map<String, StateSettings> all = settings.states(project); // one read for the whole list
        return metadata.listStates(project).stream()
                .filter(s -> actor.allows(s.key(), Permission.OUTPUTS))
                .filter(s -> nameContains == null || s.key().name().contains(nameContains))
                .map(s -> new Workspace(s, all.getOrDefault(s.key().name(), StateSettings.NONE)))
                .filter(w -> w.tags().containsAll(wanted))
                .toList();
    }

    /**
     * Creates the state with no version (write on the project); 409-like {@link
     * WorkspaceExistsException} when it exists. Its tags and Terraform version are set with it.
     */
    public Workspace create(Principal actor, StateKey key, Collection<String> tags, String terraformVersion) {
        Authorization.requireOn(actor, key, Permission.WRITE, metadata);
        List<String> checkedTags = WorkspaceTags.checked(tags);
        String version = checkedVersion(terraformVersion);
        if (!metadata.createState(key, clock.instant())) {
            throw new WorkspaceExistsException(key);
        }
        if (!checkedTags.isEmpty() || version != null) {
            settings.updateState(key, current -> current.withWorkspace(checkedTags, version));
        }
        audit.record(actor, AuditAction.STATE_CREATE, key, detail(checkedTags, version));
        return new Workspace(metadata.findState(key).orElseThrow(), settings.state(key));
    }

    /**
     * Sets the state's tags (null: unchanged) and Terraform version (null: unchanged); write on the
     * state. Audited ({@code state.workspace}) when something changed.
     */
    public Workspace update(Principal actor, StateKey key, Collection<String> tags, String terraformVersion) {
        Authorization.requireOn(actor, key, Permission.WRITE, metadata);
        StateRecord state = existing(key);
        List<String> newTags = tags == null ? null : WorkspaceTags.checked(tags);
        String newVersion = terraformVersion == null ? null : checkedVersion(terraformVersion);
        return change(
                actor,
                state,
                current -> current.withWorkspace(
                        newTags == null ? current.tagList() : newTags,
                        newVersion == null ? current.terraformVersion() : newVersion));
    }

    /** Adds tags to the state (write). */
    public Workspace addTags(Principal actor, StateKey key, Collection<String> tags) {
        return retag(actor, key, all -> all.addAll(WorkspaceTags.checked(tags)));
    }

    /** Removes tags from the state (write). */
    public Workspace removeTags(Principal actor, StateKey key, Collection<String> tags) {
        return retag(actor, key, all -> all.removeAll(WorkspaceTags.checked(tags)));
    }

    private Workspace retag(Principal actor, StateKey key, Consumer<Set<String>> edit) {
        Authorization.requireOn(actor, key, Permission.WRITE, metadata);
        return change(actor, existing(key), current -> {
            TreeSet<String> all = new TreeSet<>(current.tagList());
            edit.accept(all);
            WorkspaceTags.requireWithinLimit(all);
            return current.withWorkspace(all, current.terraformVersion());
        });
    }

    /** Changes the state's settings as one conditional write ({@link SettingsService#updateState}); audited when it changed them. */
    private Workspace change(Principal actor, StateRecord state, UnaryOperator<StateSettings> edit) {
        AtomicReference<StateSettings> before = new AtomicReference<>();
        StateSettings updated = settings.updateState(state.key(), current -> {
            before.set(current);
            return edit.apply(current);
        });
        if (!updated.equals(before.get())) {
            audit.record(
                    actor,
                    AuditAction.STATE_WORKSPACE,
                    state.key(),
                    detail(updated.tagList(), updated.terraformVersion()));
        }
        return new Workspace(state, updated);
    }

    /** What the audit records of a workspace's settings: its tags, and its Terraform version when set. */
    private static Map<String, Object> detail(List<String> tags, String terraformVersion) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("tags", tags);
        if (terraformVersion != null) {
            detail.put("terraformVersion", terraformVersion);
        }
        return detail;
    }

    private StateRecord existing(StateKey key) {
        return metadata.findState(key).orElseThrow(() -> new NotFoundException("state " + key + " does not exist"));
    }

    private static String checkedVersion(String version) {
        if (version == null || version.isBlank()) {
            return null;
        }
        if (!TERRAFORM_VERSION.matcher(version).matches()) {
            throw new InvalidInputException("terraform-version must be a version or a version constraint");
        }
        return version;
    }
}
