package dev.statefort.core.policy;

import java.time.Instant;

/**
 * Per-state settings, stored as a JSON document.
 *
 * @param destructivePermitUntil destructive writes are allowed on this state until then; null = none
 * @param destructivePermitBy who granted the permit
 * @param outputsAllowed for outputs-only principals: the outputs they may read (null = every
 *     non-sensitive output)
 * @param sensitiveOutputsAllowed sensitive outputs explicitly shared with outputs-only principals
 * @param tags the state's tags (a TFE client's workspace tags), sorted, or null for none
 * @param terraformVersion the Terraform version a TFE client set on the workspace, or null
 */
public record StateSettings(
        Instant destructivePermitUntil,
        String destructivePermitBy,
        java.util.List<String> outputsAllowed,
        java.util.List<String> sensitiveOutputsAllowed,
        java.util.List<String> tags,
        String terraformVersion) {
    public static final StateSettings NONE = new StateSettings(null, null, null, null, null, null);

    public StateSettings(Instant destructivePermitUntil, String destructivePermitBy) {
        this(destructivePermitUntil, destructivePermitBy, null, null, null, null);
    }

    /** The same settings with another outputs-only allowlist. */
    public StateSettings withOutputsAccess(java.util.List<String> allowed, java.util.List<String> sensitiveAllowed) {
        return new StateSettings(
                destructivePermitUntil, destructivePermitBy, allowed, sensitiveAllowed, tags, terraformVersion);
    }

    /** The same settings with another destructive-write permit. */
    public StateSettings withPermit(Instant until, String by) {
        return new StateSettings(until, by, outputsAllowed, sensitiveOutputsAllowed, tags, terraformVersion);
    }

    /** The same settings with other tags (kept sorted, without duplicates) and Terraform version. */
    public StateSettings withWorkspace(java.util.Collection<String> newTags, String newTerraformVersion) {
        java.util.List<String> sorted = newTags == null || newTags.isEmpty()
                ? null
                : new java.util.TreeSet<>(newTags).stream().toList();
        return new StateSettings(
                destructivePermitUntil,
                destructivePermitBy,
                outputsAllowed,
                sensitiveOutputsAllowed,
                sorted,
                newTerraformVersion);
    }

    /** The tags, never null. */
    public java.util.List<String> tagList() {
        return tags == null ? java.util.List.of() : tags;
    }

    public boolean permitsDestructiveWritesAt(Instant now) {
        return destructivePermitUntil != null && now.isBefore(destructivePermitUntil);
    }
}
