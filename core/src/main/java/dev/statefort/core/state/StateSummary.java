package dev.statefort.core.state;

/**
 * What Statefort reads from a state body's top level while it streams through.
 *
 * @param readable true for a plain Terraform/OpenTofu state (numeric {@code version}, not
 *     client-encrypted); serial and lineage are only reported for readable states
 * @param serial the client's {@code serial}, or null
 * @param lineage the client's {@code lineage}, or null
 * @param terraformVersion the {@code terraform_version} that wrote it, or null
 * @param resourceCount resource instances (the sum of every resource's {@code instances}), or null
 */
public record StateSummary(
        boolean readable, Long serial, String lineage, String terraformVersion, Integer resourceCount) {
    public static final StateSummary OPAQUE = new StateSummary(false, null, null, null, null);

    /** Reads a whole body's summary ({@link #OPAQUE} for a body that is not a readable state). */
    public static StateSummary of(java.io.InputStream body) throws java.io.IOException {
        return StateBodyParser.parse(body);
    }
}
