package dev.statefort.core.lock;

import dev.statefort.core.InvalidInputException;
import dev.statefort.core.NotFoundException;
import dev.statefort.core.audit.AuditAction;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.auth.Authorization;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.auth.Secrets;
import dev.statefort.core.model.Names;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.ProtectionRule;
import dev.statefort.core.model.TrustPolicy;
import dev.statefort.core.project.ProjectService;
import dev.statefort.core.spi.AccessStore;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A project's protection rules, the one way the REST API, the UI and the CLI manage them: the
 * project's admins; audited ({@code protection.rule.create}, {@code protection.rule.delete}: the
 * break-glass is changing a rule, and it leaves a trace).
 */
public final class ProtectionRuleAdministration {
    static final int MAX_ALLOWED = 32;

    private final AccessStore access;
    private final ProjectService projects;
    private final AuditService audit;
    private final Clock clock;

    public ProtectionRuleAdministration(AccessStore access, ProjectService projects, AuditService audit, Clock clock) {
        this.access = access;
        this.projects = projects;
        this.audit = audit;
        this.clock = clock;
    }

    /** The project's rules, by number (admin). */
    public List<ProtectionRule> list(Principal actor, String project) {
        requireAdmin(actor, project);
        projects.require(project);
        return access.listProtectionRules(project);
    }

    /**
     * A new rule over the states matching {@code states}: {@code allow} names trust policies of the
     * project (400 naming one that does not exist), {@code allowTokens} token IDs; at least one of
     * them, or nobody could ever change those states.
     */
    public ProtectionRule create(
            Principal actor, String project, String states, List<String> allow, List<String> allowTokens) {
        requireAdmin(actor, project);
        projects.require(project);
        String glob = states == null || states.isBlank() ? "" : states.strip();
        if (glob.isEmpty() || glob.length() > Names.MAX_LENGTH) {
            throw new InvalidInputException("states must be a pattern of 1 to " + Names.MAX_LENGTH
                    + " characters (a state name, or a glob such as prod-*)");
        }
        List<String> policies = distinct(allow, "allow");
        List<String> tokens = distinct(allowTokens, "allowTokens");
        if (policies.isEmpty() && tokens.isEmpty()) {
            throw new InvalidInputException("allow (trust policy names) or allowTokens (token IDs) must name at least"
                    + " one identity: a rule allowing nobody would lock everyone out of these states");
        }
        Set<String> known = access.listTrustPolicies(project).stream()
                .map(TrustPolicy::name)
                .collect(Collectors.toSet());
        for (String name : policies) {
            if (!known.contains(name)) {
                throw new InvalidInputException("project '" + project + "' has no trust policy named '" + name + "'");
            }
        }
        ProtectionRule rule = access.createProtectionRule(new ProtectionRule(
                Secrets.randomId(16), project, 0, glob, policies, tokens, actor.name(), clock.instant()));
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("rule", rule.number());
        detail.put("states", glob);
        detail.put("allow", policies);
        detail.put("allowTokens", tokens);
        audit.record(actor, AuditAction.PROTECTION_RULE_CREATE, project, null, detail);
        return rule;
    }

    /** Deletes the rule {@code id} (or its number) of the project; 404 when it has none. */
    public ProtectionRule delete(Principal actor, String project, String idOrNumber) {
        requireAdmin(actor, project);
        ProtectionRule rule = access.listProtectionRules(project).stream()
                .filter(r ->
                        r.id().equals(idOrNumber) || String.valueOf(r.number()).equals(idOrNumber))
                .findFirst()
                .orElseThrow(
                        () -> new NotFoundException("project '" + project + "' has no protection rule " + idOrNumber));
        if (!access.deleteProtectionRule(project, rule.id())) {
            throw new NotFoundException("project '" + project + "' has no protection rule " + idOrNumber);
        }
        audit.record(
                actor,
                AuditAction.PROTECTION_RULE_DELETE,
                project,
                null,
                Map.of("rule", rule.number(), "states", rule.states()));
        return rule;
    }

    private static List<String> distinct(List<String> values, String field) {
        if (values == null) {
            return List.of();
        }
        if (values.size() > MAX_ALLOWED) {
            throw new InvalidInputException(field + " may name at most " + MAX_ALLOWED + " identities");
        }
        for (String v : values) {
            if (v == null || v.isBlank() || v.length() > Names.MAX_LENGTH) {
                throw new InvalidInputException(field + " holds an empty or overlong value");
            }
        }
        return values.stream().map(String::strip).distinct().toList();
    }

    private static void requireAdmin(Principal actor, String project) {
        Names.require("project", project);
        Authorization.require(actor, project, Permission.ADMIN);
    }
}
