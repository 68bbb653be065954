package dev.statefort.it.support;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The rule for tests that need the real {@code terraform}: without it on PATH they are skipped with a
 * printed reason (and counted as skipped, per test); with {@code STATEFORT_REQUIRE_TERRAFORM=1} (what
 * {@code .ci/run} sets) they fail instead.
 */
public final class RealTerraform {
    public static final String MISSING = "terraform is not on PATH";

    private RealTerraform() {}

    /** The terraform executable, or empty after printing which suite is skipped. */
    public static Optional<Path> find(String suite) {
        Optional<Path> found = TerraformCli.findOnPath();
        if (found.isEmpty()) {
            System.out.println("[statefort-it] WARNING: " + skipReason(suite));
        }
        return found;
    }

    /** Call per test (in {@code @BeforeEach}): skips or fails when {@code terraform} is null. */
    public static void require(Path terraform, String suite) {
        if (terraform != null) {
            return;
        }
        if ("1".equals(System.getenv("STATEFORT_REQUIRE_TERRAFORM"))) {
            Assertions.fail("STATEFORT_REQUIRE_TERRAFORM=1 but " + MISSING);
        }
        Assumptions.abort(skipReason(suite));
    }

    static String skipReason(String suite) {
        return MISSING + ": the " + suite + " tests are SKIPPED"
                + " (install terraform, or set STATEFORT_REQUIRE_TERRAFORM=1 to make this a failure)";
    }
}
