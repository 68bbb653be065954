package dev.statefort.core.identity;

import dev.statefort.core.ConflictException;
import dev.statefort.core.InvalidInputException;
import dev.statefort.core.NotFoundException;
import dev.statefort.core.audit.AuditAction;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.auth.Authorization;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.auth.Secrets;
import dev.statefort.core.model.Glob;
import dev.statefort.core.model.Names;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.TrustPolicy;
import dev.statefort.core.project.ProjectService;
import dev.statefort.core.spi.AccessStore;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A project's trust policies, the one way the REST API, the UI and the CLI manage them: only the
 * project's admins; each change audited ({@code trust.policy.create}, {@code trust.policy.delete}).
 */
public final class TrustPolicyAdministration {
    static final int MAX_CLAIMS = 16;

    /** Claims every job of an issuer may have whatever its repository or project: they never narrow a policy alone. */
    static final java.util.Set<String> NOT_IDENTIFYING = java.util.Set.of(
            "aud",
            "iss",
            "iat",
            "exp",
            "nbf",
            "jti",
            "ref",
            "ref_type",
            "ref_protected",
            "base_ref",
            "head_ref",
            "environment",
            "environment_protected",
            "event_name",
            "pipeline_source",
            "runner_environment",
            "deployment_tier");

    static final int MAX_CLAIM_VALUE_LENGTH = 512;

    private final AccessStore access;
    private final JwtVerifier verifier;
    private final ProjectService projects;
    private final AuditService audit;
    private final Clock clock;

    public TrustPolicyAdministration(
            AccessStore access, JwtVerifier verifier, ProjectService projects, AuditService audit, Clock clock) {
        this.access = access;
        this.verifier = verifier;
        this.projects = projects;
        this.audit = audit;
        this.clock = clock;
    }

    public List<TrustPolicy> list(Principal actor, String project) {
        requireAdmin(actor, project);
        projects.require(project);
        return access.listTrustPolicies(project);
    }

    public TrustPolicy find(Principal actor, String project, String id) {
        requireAdmin(actor, project);
        return access.findTrustPolicy(project, id)
                .orElseThrow(() -> new NotFoundException("project '" + project + "' has no trust policy " + id));
    }

    /** A new policy: 400 for an issuer the operator did not configure, admin permission, or no claim that narrows it. */
    public TrustPolicy create(Principal actor, String project, TrustPolicyForm form) {
        requireAdmin(actor, project);
        String name = Names.require("name", form.name());
        if (form.issuer() == null || !verifier.isConfigured(form.issuer())) {
            throw new InvalidInputException("OIDC issuer '" + form.issuer() + "' is not configured on this server"
                    + " (the operator sets oidc.<name>.issuer and oidc.<name>.audience)");
        }
        Permission permission = Permission.parse(form.permission() == null ? "" : form.permission());
        if (permission == Permission.ADMIN) {
            throw new InvalidInputException("a trust policy grants outputs, read or write, never admin");
        }
        Map<String, String> claims = claims(form.claims());
        String states = form.states() == null || form.states().isBlank()
                ? Glob.MATCH_ALL
                : form.states().trim();
        if (states.length() > Names.MAX_LENGTH) {
            throw new InvalidInputException("states is longer than " + Names.MAX_LENGTH + " characters");
        }
        projects.require(project);
        TrustPolicy policy = new TrustPolicy(
                Secrets.randomId(16),
                project,
                name,
                form.issuer(),
                claims,
                permission,
                states,
                actor.name(),
                clock.instant());
        if (!access.createTrustPolicy(policy)) {
            throw new ConflictException("project '" + project + "' has a trust policy named '" + name + "' already");
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("policy", policy.id());
        detail.put("name", name);
        detail.put("issuer", policy.issuer());
        detail.put("claims", policy.claims());
        detail.put("permission", permission.wireName());
        detail.put("states", states);
        audit.record(actor, AuditAction.TRUST_POLICY_CREATE, project, null, detail);
        return policy;
    }

    public TrustPolicy delete(Principal actor, String project, String id) {
        TrustPolicy policy = find(actor, project, id);
        if (!access.deleteTrustPolicy(project, id)) {
            throw new NotFoundException("project '" + project + "' has no trust policy " + id);
        }
        audit.record(
                actor,
                AuditAction.TRUST_POLICY_DELETE,
                project,
                null,
                Map.of("policy", policy.id(), "name", policy.name()));
        return policy;
    }

    /**
     * At most {@value #MAX_CLAIMS} claims, and at least one that identifies the job's repository or
     * project (not in {@link #NOT_IDENTIFYING}) with a pattern that does not start with {@code *}.
     */
    private static Map<String, String> claims(Map<String, String> claims) {
        if (claims == null || claims.isEmpty()) {
            throw new InvalidInputException("claims must name at least one claim (repository, ref, sub, ...): a policy"
                    + " without one would trust every token of the issuer");
        }
        if (claims.size() > MAX_CLAIMS) {
            throw new InvalidInputException("at most " + MAX_CLAIMS + " claims");
        }
        Map<String, String> out = new LinkedHashMap<>();
        claims.forEach((claim, pattern) -> {
            if (claim == null || claim.isBlank() || claim.length() > Names.MAX_LENGTH) {
                throw new InvalidInputException("a claim name must be 1 to " + Names.MAX_LENGTH + " characters");
            }
            if (pattern == null || pattern.isEmpty() || pattern.length() > MAX_CLAIM_VALUE_LENGTH) {
                throw new InvalidInputException(
                        "the value of claim '" + claim + "' must be 1 to " + MAX_CLAIM_VALUE_LENGTH + " characters");
            }
            out.put(claim, pattern);
        });
        boolean identifies = out.entrySet().stream()
                .anyMatch(e ->
                        !NOT_IDENTIFYING.contains(e.getKey()) && !e.getValue().startsWith("*"));
        if (!identifies) {
            throw new InvalidInputException("a trust policy needs a claim that says whose job it is (sub, repository,"
                    + " project_path, ...) with a value that does not start with '*': anyone can get a token of a"
                    + " public issuer such as GitHub's, and ref, environment or aud alone match every repository");
        }
        return out;
    }

    private static void requireAdmin(Principal actor, String project) {
        Names.require("project", project);
        Authorization.require(actor, project, Permission.ADMIN);
    }
}
