package dev.statefort.core.transfer;

/**
 * The tar layout of an export (docs/operations.md, "Exporting a project"):
 *
 * <pre>
 * manifest.json                      {"format": "statefort-export", "formatVersion": 1, "project", "exportedAt", "currentOnly"}
 * states/&lt;state&gt;/&lt;n&gt;.json           version n's metadata: number, serial, lineage, sha256, size,
 *                                    createdAt, principal, lockId, operation, terraformVersion, flags
 * states/&lt;state&gt;/&lt;n&gt;.tfstate        version n's bytes, decrypted, exactly as the client wrote them
 * </pre>
 *
 * Versions appear oldest first, each metadata entry before its bytes.
 */
final class ExportLayout {
    static final String FORMAT = "statefort-export";
    static final int FORMAT_VERSION = 1;
    static final String MANIFEST = "manifest.json";
    static final String STATES = "states/";
    static final String BODY = ".tfstate";
    static final String METADATA = ".json";

    private ExportLayout() {}

    static String body(String state, long number) {
        return STATES + state + "/" + number + BODY;
    }

    static String metadata(String state, long number) {
        return STATES + state + "/" + number + METADATA;
    }
}
