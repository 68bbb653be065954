package dev.statefort.core.transfer;

/**
 * What an import did, in versions: written, skipped as already present (lineage, serial and SHA-256
 * equal to a stored version's), and failed (with a message printed for each). In a dry run {@code
 * imported} counts what would be written.
 */
public record ImportReport(int imported, int skipped, int failed, boolean dryRun) {

    /** One line for the end of a run: {@code imported 3, skipped 1, failed 0}. */
    public String summary() {
        return (dryRun ? "dry run: would import " : "imported ") + imported + ", skipped " + skipped + ", failed "
                + failed;
    }
}
